/**
 * The API's vocabulary as zod schemas: requests (Z...Request) and answers.
 * The http layer validates with them and the OpenAPI document is generated
 * from them; the web app types its forms with them.
 */
import { z } from 'zod';
import {
  deadlineKinds,
  goodsStatuses,
  reasonCodes,
  refundPhases,
  refundStatuses,
  refundTypes,
  syncStates,
  tradeStatuses,
} from '../core/refund/refund-model.ts';
import { publicRefundActions, refundActions } from '../core/refund/refund-transitions.ts';
import { phoneSearchKey } from '../core/refund/buyer-phone.ts';
import { roles } from '../core/roles.ts';
import { evidenceContentTypes } from '../core/evidence/file-types.ts';
import { BATCH_AGREE_LIMIT_MAX_FEN } from '../core/shop-settings.ts';
import { rowMarks } from './queue-row.ts';

const MAX_FEN = 100_000_000_00; // 100 million yuan: far above any order, far below Number's safe range

export const ZFen = z.number().int().min(0).max(MAX_FEN).describe('An amount in fen (分), an integer');
export const ZPositiveFen = z.number().int().min(1).max(MAX_FEN).describe('An amount in fen (分), an integer above 0');
const text = (max: number) => z.string().trim().min(1).max(max);
export const ZOrderNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,40}$/, 'An order number is 1–40 letters, digits, - or _');
export const ZVersion = z.number().int().min(1).describe("The version of the record you saw; 409 when it is stale");
export const ZIsoDate = z.iso.datetime({ offset: true }).describe('ISO-8601 date-time');

export const ZAddress = z.strictObject({
  province: text(40),
  city: text(40),
  district: text(40),
  detail: text(200),
});

export const ZBuyer = z.strictObject({
  nick: text(64),
  name: text(64),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9-]{6,20}$/, 'A phone number is 6–20 digits'),
  address: ZAddress,
});

export const ZOrderLineInput = z.strictObject({
  sku: text(64).describe('货号'),
  title: text(200),
  style: text(64),
  size: text(16),
  unitPriceFen: ZFen,
  quantity: z.number().int().min(1).max(999),
  paidFen: ZFen.optional().describe(
    "the line's share of what was paid after discounts (TOP divide_order_fee); left out, the goods' payment (paidFen − postageFen) is shared among such lines by value",
  ),
});

export const ZCreateOrderRequest = z.strictObject({
  orderNo: ZOrderNo,
  buyer: ZBuyer,
  lines: z.array(ZOrderLineInput).min(1).max(50),
  paidFen: ZPositiveFen,
  postageFen: ZFen.default(0),
  escrow: z.boolean().default(true).describe('支付宝担保交易 （S3.1）'),
});
export type TCreateOrderRequest = z.infer<typeof ZCreateOrderRequest>;

export const ZShipRequest = z.strictObject({
  courier: text(40),
  trackingNo: text(40),
  basis: z
    .enum(['already_shipped', 'buyer_agreed'])
    .optional()
    .describe('S2.2 the goods had already left / S2.3 the buyer agreed; without it, pending refunds give a warning'),
  version: ZVersion.optional(),
});
export const ZSignRequest = z.strictObject({ signedAt: ZIsoDate.optional(), version: ZVersion.optional() });
export const ZConfirmOrderRequest = z.strictObject({ version: ZVersion.optional() });
export const ZCloseOrderRequest = z.strictObject({ reason: text(200), version: ZVersion.optional() });
export const ZRemarkRequest = z.strictObject({
  text: text(1000),
  flag: z.number().int().min(0).max(5).default(0).describe('flag colour 0–5 (TOP memo flag)'),
});

/**
 * An integer written in canonical decimal, as path ids and query numbers must be (issue 11: "0x10", "+1",
 * "1e1" or "01" are not ids). Written once, used by every route.
 */
export function zDecimal(min: number, max: number) {
  const pattern = min >= 1 ? /^[1-9][0-9]{0,15}$/ : /^(0|[1-9][0-9]{0,15})$/;
  const inRange = z.number().int().min(min).max(max);
  // a JSON body carries it as a number; a path or a query string as text, in canonical decimal only
  return z.union([inRange, z.string().regex(pattern, `a whole number from ${min} to ${max}, in decimal digits`).transform(Number).pipe(inRange)]);
}
/** A row id in a path or a query: canonical decimal, 1 to 2^31−1. */
export const ZId = zDecimal(1, 2_147_483_647);

export const ZOrderNoParams = z.strictObject({ orderNo: ZOrderNo });
export const ZRefundIdParams = z.strictObject({ id: ZId });

export const ZOrderListQuery = z.strictObject({
  status: z.enum(tradeStatuses).optional(),
  cursor: z.string().max(200).optional(),
  limit: zDecimal(1, 200).default(50),
});

const ZEvidence = z.array(text(500)).max(20);

export const ZApplyRefundRequest = z.strictObject({
  orderNo: ZOrderNo,
  lineNo: z.number().int().min(1).nullable().default(null).describe('the order line (oid); null for the whole order'),
  type: z.enum(refundTypes),
  goodsStatus: z.enum(['not_received', 'received']),
  reason: z.enum(reasonCodes),
  amountFen: ZPositiveFen.optional().describe('S3.2: omitted for goods not received (full amount); required when received'),
  description: z.string().trim().max(500).default(''),
  evidence: ZEvidence.default([]),
});
export type TApplyRefundRequest = z.infer<typeof ZApplyRefundRequest>;

/** A supervisor goes ahead despite a guard of the SOP, with a written reason (audited). */
export const ZOverride = z.strictObject({ reason: z.string().trim().min(5).max(500) });

export const ZAgreeRequest = z.strictObject({
  version: ZVersion,
  returnAddress: text(300).optional(),
  confirmedAmountFen: ZFen.optional().describe('S1.1: the amount the agent checked against the order (unshipped refunds)'),
  override: ZOverride.optional(),
});
export const ZRefuseRequest = z.strictObject({
  version: ZVersion,
  reason: z.string().trim().min(2).max(200).describe('refuse_message: 2–200 characters'),
  evidence: z.array(text(500)).min(1, 'S2.8: refusing needs at least one piece of evidence').max(20).describe('the chat records and photos (S1.15)'),
  buyerProblem: z.string().trim().min(2).max(500).optional().describe("S1.15: the buyer's problem, as understood"),
  override: ZOverride.optional(),
});
export const ZConfirmReceiptRequest = z.strictObject({ version: ZVersion, override: ZOverride.optional() });
export const ZModifyRequest = z
  .strictObject({
    version: ZVersion,
    type: z.enum(refundTypes).optional(),
    reason: z.enum(reasonCodes).optional(),
    goodsStatus: z.enum(['not_received', 'received']).optional(),
    amountFen: ZPositiveFen.optional(),
    description: z.string().trim().max(500).optional(),
    evidence: ZEvidence.optional(),
  })
  .refine(
    (m) => Object.keys(m).some((k) => k !== 'version'),
    { message: 'Say what to change: type, reason, goodsStatus, amountFen, description or evidence' },
  );
export const ZVersionOnlyRequest = z.strictObject({ version: ZVersion });
export const ZReturnShipmentRequest = z.strictObject({ version: ZVersion, courier: text(40), trackingNo: text(40) });
export const ZRequestInterventionRequest = z.strictObject({ version: ZVersion, note: text(500).optional() });
export const ZPlatformDecisionRequest = z.strictObject({
  version: ZVersion,
  outcome: z.enum(['refund', 'reject']),
  note: text(500),
});

export const ZRefundListQuery = z.strictObject({
  status: z
    .union([z.enum(refundStatuses), z.array(z.enum(refundStatuses))])
    .optional()
    .describe('one status, or several (status=A&status=B)'),
  open: z.enum(['true', 'false']).optional().describe('only open (true) or only finished (false) refunds'),
  type: z.enum(refundTypes).optional(),
  reason: z
    .union([z.enum(reasonCodes), z.array(z.enum(reasonCodes))])
    .optional()
    .describe('one reason, or several (reason=A&reason=B)'),
  phase: z.enum(refundPhases).optional(),
  goodsStatus: z.enum(goodsStatuses).optional(),
  orderNo: ZOrderNo.optional(),
  trackingNo: z.string().trim().min(1).max(40).optional().describe("the return shipment's tracking number, exactly (the warehouse scans a returned parcel)"),
  phone: z
    .string()
    .refine((v) => v.length <= 40 && phoneSearchKey(v) !== null, 'A phone number is an 11-digit mobile number (+86 allowed) or a landline with its area code (0571-88886666)')
    .optional()
    .describe(
      "issue 16 §1: the order's buyer phone, as the caller gives it: spaces, dashes, brackets and +86 / 86 are ignored; a mobile number or a landline with its area code. For the roles that see phone numbers in full or may reveal them (agent, supervisor, warehouse; a buyer within their own orders)",
    ),
  assignee: z
    .union([z.enum(['me', 'none']), ZId])
    .optional()
    .describe('who works it: me (the signed-in user), none (nobody), or a user id (GET /api/v1/staff)'),
  deadlineBefore: ZIsoDate.optional(),
  createdFrom: ZIsoDate.optional().describe('applied at or after this time'),
  orderStatus: z.enum(tradeStatuses).optional().describe("the order's trade status (WAIT_SELLER_SEND_GOODS: the unshipped refunds of S1.1)"),
  cursor: z.string().max(200).optional(),
  limit: zDecimal(1, 200).default(50),
});

/** Claim (your own userId), hand over (a colleague's) or give back (null); the refund's version does not change. */
export const ZAssignRequest = z.strictObject({
  userId: z.number().int().min(1).max(2_147_483_647).nullable().describe('an agent or supervisor of the shop (GET /api/v1/staff), or null for nobody'),
});

/** Issue 15 §2: the queue's batch actions, at most this many refunds at once. */
export const BATCH_MAX_REFUNDS = 100;

const ZBatchRefundIds = z
  .array(z.number().int().min(1).max(2_147_483_647))
  .min(1)
  .max(BATCH_MAX_REFUNDS)
  .refine((ids) => new Set(ids).size === ids.length, { message: 'Each refund once: the ids must be distinct' })
  .describe(`the refunds, 1–${BATCH_MAX_REFUNDS}, each once`);

/**
 * One action on several refunds of the queue. Each refund is its own transaction with its audit event (one
 * refused never undoes another) and answers its own result.
 */
export const ZBatchRefundRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('claim').describe('claim each for yourself (a signed-in person)'), refundIds: ZBatchRefundIds }),
  z.strictObject({
    action: z.literal('assign'),
    refundIds: ZBatchRefundIds,
    assigneeId: ZAssignRequest.shape.userId.describe('an agent or supervisor of the shop (GET /api/v1/staff), or null to give them back'),
  }),
  z.strictObject({
    action: z.literal('remark').describe("a remark on each refund's order (once per order), as POST /orders/{orderNo}/remarks"),
    refundIds: ZBatchRefundIds,
    text: ZRemarkRequest.shape.text,
    flag: ZRemarkRequest.shape.flag,
  }),
  z
    .strictObject({
      action: z.literal('agree').describe("agree each refund-only refund within the shop's batchAgreeLimitFen; each passes its guards as a single agree"),
      refundIds: ZBatchRefundIds,
      versions: z.array(ZVersion).describe('the version of each refund as you saw it, in the order of refundIds; a refund changed since is reported (VERSION_CONFLICT), never agreed'),
    })
    .refine((b) => b.versions.length === b.refundIds.length, { message: 'One version per refund, in the order of refundIds', path: ['versions'] }),
]);
export type TBatchRefundRequest = z.infer<typeof ZBatchRefundRequest>;

export const ZBatchRefundResult = z.object({
  refundId: z.number().int(),
  orderNo: z.string().nullable().describe('null when the refund was not found in this shop'),
  ok: z.boolean(),
  code: z.string().optional().describe("why it was refused: the single action's error code (a guard's, VERSION_CONFLICT, BATCH_AGREE_NOT_ALLOWED …)"),
  message: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional().describe("the error's details (a guard's rule and what is missing)"),
  syncPending: z.boolean().optional().describe('a platform refund: the decision is queued for the platform (同步中)'),
});
export const ZBatchRefundAnswer = z.object({
  action: z.enum(['claim', 'assign', 'remark', 'agree']),
  succeeded: z.number().int(),
  refused: z.number().int(),
  results: z.array(ZBatchRefundResult).describe('one per refund, in the order asked'),
});

/** The list's filters without paging: the count of a view, and the export. */
const { cursor: _cursor, limit: _limit, ...refundFilterShape } = ZRefundListQuery.shape;
export const ZRefundCountQuery = z.strictObject(refundFilterShape);
export const ZRefundCountAnswer = z.object({ count: z.number().int() });

/** Issue 15 §2: at most this many rows in one export of the queue. */
export const REFUND_EXPORT_MAX_ROWS = 50_000;
export const ZRefundExportQuery = z.strictObject({
  ...refundFilterShape,
  id: z
    .union([ZId, z.array(ZId).max(BATCH_MAX_REFUNDS)])
    .optional()
    .describe(`these refunds only (the rows selected; repeatable, at most ${BATCH_MAX_REFUNDS})`),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});

export const ZEvidenceIdParams = z.strictObject({ id: ZId });

export const ZSettingsPatch = z
  .strictObject({
    offersNoReasonReturns: z.boolean(),
    sellerAnswerReceivedHours: z.number().int().min(1).max(24 * 60),
    sellerAnswerUnshippedHours: z.number().int().min(1).max(24 * 60),
    sellerAnswerShippedHours: z.number().int().min(1).max(24 * 60),
    buyerReturnHours: z.number().int().min(1).max(24 * 60),
    sellerConfirmHours: z.number().int().min(1).max(24 * 60),
    buyerAfterRefusalHours: z.number().int().min(1).max(24 * 60),
    interventionWaitHours: z.number().int().min(0).max(24 * 60),
    platformDecisionWorkingDays: z.number().int().min(1).max(60),
    returnAddress: z.string().trim().min(1).max(300).nullable(),
    returnConsignee: z.string().trim().min(1).max(40).nullable().describe("the return address's consignee (a platform needs it to agree a return)"),
    returnPhone: z
      .string()
      .trim()
      .regex(/^[0-9+\-\s()]{7,20}$/, 'A phone number: 7–20 digits, spaces, +, - or brackets')
      .nullable()
      .describe("the return address's phone"),
    unshippedCutoff: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time of day HH:MM (Asia/Shanghai)')
      .describe('S1.1: when the day\'s unshipped batch freezes, before the warehouse prints labels'),
    postageTable: z
      .strictObject({
        rows: z.array(z.strictObject({ province: z.string().trim().min(2).max(20), styleCategory: z.string().trim().min(1).max(40), amountFen: ZFen })).max(2000),
        defaultFen: ZFen.optional(),
      })
      .describe('S1.14: the return postage paid back, by province (full name, e.g. 浙江省) and style category'),
    batchAgreeLimitFen: z
      .number()
      .int()
      .min(0)
      .max(BATCH_AGREE_LIMIT_MAX_FEN)
      .describe("the queue's batch agree: refund-only refunds up to this amount in fen (0: batch agree off; at most 1,000,000 = ¥10,000)"),
  })
  .partial();

export const ZTestClockRequest = z.strictObject({ now: ZIsoDate });

// ---- answers ----

export const ZError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  }),
});

/** A line as answered: a platform's line may have no style or size (shouhou's product table may not know the SKU yet). */
export const ZOrderLine = z.object({
  lineNo: z.number().int(),
  sku: z.string().describe('货号'),
  title: z.string(),
  style: z.string(),
  size: z.string(),
  unitPriceFen: ZFen,
  quantity: z.number().int(),
  paidFen: ZFen.describe("the line's share of what was paid (after discounts): the most a refund of this line can take"),
});

export const ZBuyerAnswer = z.object({
  nick: z.string(),
  name: z.string(),
  phone: z.string().describe('masked (138****1234) unless the caller sees it in full; POST /orders/{orderNo}/reveal'),
  address: z.object({ province: z.string(), city: z.string(), district: z.string(), detail: z.string().describe('**** when masked') }),
});

export const ZOrder = z.object({
  orderNo: z.string(),
  buyer: ZBuyerAnswer,
  lines: z.array(ZOrderLine),
  paidFen: ZFen,
  postageFen: ZFen,
  escrow: z.boolean(),
  status: z.enum(tradeStatuses),
  statusLabel: z.string(),
  shipment: z
    .object({ courier: z.string(), trackingNo: z.string(), shippedAt: z.string(), signedAt: z.string().nullable() })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  version: z.number().int(),
});

export const ZRemark = z.object({ id: z.number().int(), author: z.string(), flag: z.number().int(), text: z.string(), createdAt: z.string() });

export const ZDeadline = z.object({
  kind: z.enum(deadlineKinds),
  label: z.string(),
  effect: z.enum(['auto_agree', 'close', 'auto_refund', 'none']),
  at: z.string().nullable(),
  timeLeftMs: z.number().nullable(),
  overdue: z.boolean(),
  problem: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const ZAssignee = z.object({ userId: z.number().int(), displayName: z.string() });

/** Issue 15 §2: what a seller scans a queue row for (src/app/queue-rows.ts). */
export const ZQueueRow = z.object({
  title: z.string().nullable(),
  lineCount: z.number().int(),
  sku: z.string().nullable(),
  size: z.string().nullable(),
  buyerNick: z.string().nullable(),
  remarkFlag: z.number().int().nullable(),
  marks: z.array(z.enum(rowMarks)),
});

export const ZRefund = z.object({
  id: z.number().int(),
  orderNo: z.string(),
  lineNo: z.number().int().nullable(),
  type: z.enum(refundTypes),
  goodsStatus: z.enum(goodsStatuses),
  phase: z.enum(refundPhases),
  reason: z.enum(reasonCodes),
  reasonLabel: z.string(),
  amountFen: ZFen,
  description: z.string(),
  evidence: z.array(z.string()),
  status: z.enum(refundStatuses),
  statusLabel: z.string(),
  intervention: z.object({
    state: z.enum(['none', 'requested', 'decided']),
    requestedAt: z.string().nullable(),
    outcome: z.enum(['refund', 'reject']).nullable(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
  }),
  returnAddress: z.string().nullable(),
  returnShipment: z.object({ courier: z.string(), trackingNo: z.string(), shippedAt: z.string() }).nullable(),
  refusal: z.object({ reason: z.string(), evidence: z.array(z.string()), at: z.string() }).nullable(),
  deadline: ZDeadline.nullable(),
  closeReason: z.string().nullable(),
  assignee: ZAssignee.nullable().describe('who in the shop works it (claim and assign); null: nobody, and always for the buyer and the platform'),
  platform: z
    .object({
      refundId: z.string().describe("the platform's refund id (TOP refund_id)"),
      status: z.string().nullable().describe("the platform's own status word"),
      version: z.string().nullable().describe('TOP refund_version'),
      modifiedAt: z.string().nullable(),
      timeoutAt: z.string().nullable().describe("the platform's deadline of the current step (refund_remind_timeout); shouhou's own deadlines do not act on it"),
      reasonText: z.string().nullable().describe('the reason as the platform wrote it'),
      sync: z
        .object({ state: z.enum(syncStates), label: z.string(), message: z.string().nullable().describe("the platform's words when it refused") })
        .nullable()
        .describe('the last decision sent to the platform'),
    })
    .nullable()
    .describe('a refund of the shop\'s platform (Taobao/Tmall): the platform owns its status; null for shouhou\'s own'),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  row: ZQueueRow.optional().describe("the queue's row (GET /refunds only): the product, the buyer, the order's remark flag, what the warehouse and finance did"),
});

export const ZRefundEvent = z.object({
  version: z.number().int(),
  at: z.string(),
  actorRole: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
  data: z.record(z.string(), z.unknown()),
});

/** Where the system knows a checklist fact from (the warehouse's arrival record, a remark, a logged call…). */
export const ZFactSource = z.object({
  kind: z.enum(['return_arrival', 'contact', 'courier_task', 'department_task', 'reason_correction', 'invoice', 'remark', 'batch_line', 'return_postage']),
  id: z.number().int().nullable().describe("the record's, remark's or batch's id"),
  at: z.string().nullable(),
  by: z.string().nullable().describe('who recorded it'),
  text: z.string().nullable().describe('what it says, in short'),
});

export const ZChecklistItem = z.object({
  ruleId: z.string(),
  id: z.string(),
  text: z.string(),
  done: z.boolean(),
  doneBy: z.enum(['tick', 'facts']).nullable().describe('facts: the system knows it (source says from where); tick: ticked by someone'),
  doneWhen: z.string().nullable().describe('the fact that completes it by itself (the rule set\'s doneWhen), if any'),
  tickable: z.boolean().describe('false: only a record completes it (S1.13: the warehouse\'s arrival, the return postage value)'),
  source: ZFactSource.nullable(),
});

export const returnPostagePayers = ['buyer', 'shop'] as const;

/** S1.13: who pays the return postage, as a value (PUT /refunds/{id}/return-postage). */
export const ZReturnPostageRequest = z.strictObject({
  payer: z.enum(returnPostagePayers).describe('buyer: 客户承担; shop: 我们承担'),
  amountFen: z.number().int().min(0).max(50_000).describe('the postage in fen, 0–500.00 yuan (the shop\'s: more than 0)'),
  note: z.string().trim().max(200).optional(),
});
export type TReturnPostageRequest = z.infer<typeof ZReturnPostageRequest>;

export const ZReturnPostage = z.object({
  payer: z.enum(returnPostagePayers),
  amountFen: ZFen,
  note: z.string().nullable(),
  by: z.string().nullable().describe('who decided it'),
  at: z.string().nullable(),
});

export const ZPlaybook = z.object({
  ruleSetVersion: z.number().int().describe('the current rule set (0: the built-in default)'),
  handledUnderVersion: z.number().int().nullable().optional().describe('the rule set version the refund was last handled under'),
  rules: z.array(z.object({ id: z.string(), title: z.string() })),
  checklist: z.array(ZChecklistItem),
  returnCheck: z
    .object({ ruleIds: z.array(z.string()), items: z.array(ZChecklistItem), missing: z.array(z.string()) })
    .nullable()
    .optional()
    .describe('S1.13 the three looks before a return is confirmed: the one list GUARD_RETURN_NOT_CHECKED refuses with (missing) and the receipt dialog shows'),
  actions: z.array(z.string()),
  guards: z.array(z.string()),
  templates: z.array(z.string()),
  facts: z
    .object({
      signedAt: z.string().nullable(),
      products: z.array(z.object({ sku: z.string(), known: z.boolean(), hotSelling: z.boolean().nullable(), mainPromoted: z.boolean().nullable(), rating: z.string().nullable() })),
    })
    .optional(),
});

export const ZRefundDetail = ZRefund.extend({
  allowedActions: z.array(z.enum(refundActions)).describe('what the caller may do now'),
  playbook: ZPlaybook.nullable().describe("the shop's SOP for this refund (null for the buyer and the platform)"),
  rootCause: z
    .object({ cause: z.string(), label: z.string(), note: z.string().nullable() })
    .nullable()
    .describe('S1.2: what really happened, recorded apart from the platform reason (seller only)'),
  returnPostage: ZReturnPostage.nullable()
    .optional()
    .describe('S1.13: who pays the return postage, once decided (seller only; null while undecided)'),
  events: z.array(ZRefundEvent),
  order: ZOrder,
});

export const ZRefundPage = z.object({ items: z.array(ZRefund), nextCursor: z.string().nullable() });

export const ZOrderEvent = z.object({
  at: z.string(),
  actorRole: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ZOrderDetail = ZOrder.extend({
  refunds: z.array(ZRefund),
  remarks: z.array(ZRemark).nullable().describe('null for a buyer: remarks are the seller\'s'),
  events: z.array(ZOrderEvent),
});

export const ZOrderPage = z.object({ items: z.array(ZOrder), nextCursor: z.string().nullable() });

export const ZShipAnswer = z.object({
  order: ZOrder,
  closedRefunds: z.array(z.object({ refundId: z.number().int(), note: z.string() })),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
});

export const ZStaffMember = z.object({
  userId: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(roles)).describe("the user's role in the current shop"),
  assignable: z.boolean().describe('refunds may be assigned to them (their role works refunds)'),
});

export const ZEvidenceUploaded = z.object({
  id: z.number().int(),
  ref: z.string().describe("evidence:<id> — what a refund's evidence list (or a refusal's) carries"),
  contentType: z.enum(evidenceContentTypes),
  sizeBytes: z.number().int(),
  sha256: z.string(),
});

export const publicActions = publicRefundActions;
