/**
 * The equipment service desk's API vocabulary (S5, issue 7): archives, repair
 * records and their actions, dispatches, the review, follow-ups, reminders and
 * reports. Fields the core checks itself (a phone number, a serial, dates and
 * their order, what an action requires) are optional here and left to it, so
 * that its errors name the field and the reason
 * ({error: {code: VALIDATION_FAILED, details: {field, reason, issues}}}).
 */
import { z } from 'zod';
import { markets, warrantyPeriodUnits } from '../core/service/archive.ts';
import { dispatchActions, noticeChannels, type DispatchAction } from '../core/service/dispatch.ts';
import { followUpTaskStatuses } from '../core/service/follow-up.ts';
import { billings, leadUnits, paymentMethods, repairActions, repairStatuses, workMethods, type RepairAction } from '../core/service/repair-record.ts';
import { ZVersion, zDecimal } from './schemas.ts';

const MAX_ID = 2_147_483_647;
const ZRowId = zDecimal(1, MAX_ID);
const ZIdNumber = z.number().int().min(1).max(MAX_ID);
const str = (max: number) => z.string().max(max);
const opt = (max: number) => z.string().max(max).nullable().optional();
const ZDateText = opt(10).describe("a calendar date 'YYYY-MM-DD' (Asia/Shanghai)");
const ZInstantText = opt(40).describe('an instant, ISO 8601 with its offset (2026-03-02T09:30:00+08:00)');

export const ZServiceIdParams = z.strictObject({ id: ZRowId });

// ---- archives (S5.1, S5.2) ----

const ZCustomer = z.strictObject({
  organisation: str(200).describe('客户单位'),
  contact: str(100).describe('联系人'),
  phone: str(40).describe('a mobile, a landline with its area code (0412-6917788) or a 400/800 number'),
  siteAddress: str(400).describe('设备所在地址: the dispatch goes there'),
});

const archiveFields = {
  product: str(200).describe('产品名称/型号'),
  serialNo: str(80).describe('出厂编号: unique in the shop'),
  contractNo: str(128).describe('合同编号'),
  projectName: opt(200),
  market: z.enum(markets).describe('government_procurement: the warranty runs from the government acceptance date; consumer: from delivery to the agreed place and acceptance (S5.1)'),
  deliveredOn: ZDateText.describe('到货日期 (alias: deliveryDate)'),
  deliveryDate: ZDateText.describe('alias of deliveredOn'),
  acceptedOn: ZDateText.describe('验收日期 (alias: acceptanceDate)'),
  acceptanceDate: ZDateText.describe('alias of acceptedOn'),
  warrantyPeriod: z.strictObject({ count: z.number().int(), unit: z.enum(warrantyPeriodUnits) }).optional().describe('the period from the contract (or warrantyMonths)'),
  warrantyMonths: z.number().int().optional().describe('the period from the contract in months (alias of warrantyPeriod {count, unit: months})'),
  notes: opt(2000),
};

export const ZCreateArchiveRequest = z.strictObject({ customer: ZCustomer, ...archiveFields });
export type TCreateArchiveRequest = z.infer<typeof ZCreateArchiveRequest>;

export const ZPatchArchiveRequest = z.strictObject({
  version: ZVersion,
  customer: ZCustomer.partial().optional(),
  product: archiveFields.product.optional(),
  serialNo: archiveFields.serialNo.optional(),
  contractNo: archiveFields.contractNo.optional(),
  projectName: archiveFields.projectName,
  market: archiveFields.market.optional(),
  deliveredOn: archiveFields.deliveredOn,
  deliveryDate: archiveFields.deliveryDate,
  acceptedOn: archiveFields.acceptedOn,
  acceptanceDate: archiveFields.acceptanceDate,
  warrantyPeriod: archiveFields.warrantyPeriod,
  warrantyMonths: archiveFields.warrantyMonths,
  notes: archiveFields.notes,
});
export type TPatchArchiveRequest = z.infer<typeof ZPatchArchiveRequest>;

export const ZArchiveListQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('what the caller says: customer, contact, serial number (with or without separators), phone, site, contract or product'),
  limit: zDecimal(1, 200).default(50),
  cursor: z.string().max(200).optional(),
});

// ---- personal data (issue 11) ----

/** The body of a reveal: the same fields and rules as POST /orders/{orderNo}/reveal. */
export const ZServiceRevealRequest = z.strictObject({
  fields: z.array(z.enum(['phone', 'address'])).min(1).max(2),
  reason: z.string().trim().min(2).max(200).describe('why it is needed (e.g. 电话联系客户约定上门时间); kept in the audit trail'),
});

export const ZArchiveRevealAnswer = z.object({
  phone: z.string().optional().describe("the customer's phone number in full (fields: phone)"),
  address: z.string().optional().describe('the site address in full (fields: address)'),
});

export const ZRecordRevealAnswer = z.object({
  phone: z.string().nullable().optional().describe("the customer's phone as the record keeps it (its archive's when the call was taken); null: no product linked yet"),
  callerPhone: z.string().nullable().optional().describe("the caller's phone (来电号码); null: not given yet"),
  address: z.string().nullable().optional().describe("the site address as the record keeps it; null: no product linked yet"),
  dispatches: z.array(z.object({ id: z.number().int(), destination: z.string() })).optional().describe('each dispatch of the record with its destination in full (fields: address)'),
});

// ---- repair records (S5.3–S5.8) ----

const ZLeadRef = z
  .strictObject({
    userId: z.number().int(),
    unit: z.enum(leadUnits).optional().describe('project (项目负责人) or rnd_production (研发生产部负责人)'),
    name: str(100).optional().describe('ignored: the name is the user’s'),
    role: str(40).optional().describe('ignored: the role is the user’s in the shop'),
  })
  .describe('a lead of the shop (GET /service/leads); the server fills name and role');

export const ZOpenRecordRequest = z.strictObject({
  archiveId: ZIdNumber.nullable().optional().describe('the product’s archive (found with GET /service/archives?q=); required unless an emergency'),
  caller: z.strictObject({ name: opt(100), phone: opt(40), organisation: opt(200) }).optional(),
  fault: opt(4000),
  solvedOnPhone: z.union([z.boolean(), z.strictObject({ solution: str(4000) })]).optional().describe('S5.8: solved during the call (with solution)'),
  solution: opt(4000).describe('how it was solved on the phone'),
  emergency: z
    .union([
      z.boolean(),
      z.strictObject({ startedAt: ZInstantText, note: opt(1000), assignee: ZLeadRef.optional(), siteAddress: opt(400) }),
    ])
    .optional()
    .describe('S5.8: the work started before the paperwork; true for a lead opening it for himself, else with the assignee'),
  calledAt: ZInstantText.describe('when the call came in; defaults to now'),
});
export type TOpenRecordRequest = z.infer<typeof ZOpenRecordRequest>;

export const ZRecordListQuery = z.strictObject({
  status: z.enum([...repairStatuses, 'open']).optional().describe("a status, or 'open' for every status not final"),
  owner: z.union([z.enum(['me', 'none']), ZRowId]).optional().describe('the assignee: me, none, or a user id'),
  archiveId: ZRowId.optional(),
  incomplete: z.enum(['true', 'false']).optional().describe('S5.8: emergencies with paperwork missing'),
  limit: zDecimal(1, 200).default(100),
  beforeId: ZRowId.optional(),
});

export const ZRecordQuery = z.strictObject({ format: z.enum(['json', 'print']).default('json').describe('print: the paper form as a printable page') });

const ZWork = z.strictObject({
  method: z.enum(workMethods).optional(),
  workDone: opt(4000),
  parts: z.array(z.strictObject({ name: opt(200), model: opt(200), quantity: z.number().optional() })).max(100).nullable().optional(),
  labourMinutes: z.number().optional(),
  finishedAt: ZInstantText,
  photos: z.array(z.string().max(40)).max(20).nullable().optional().describe('photos of the work taken on site, uploaded first (POST /api/v1/evidence): evidence:<id>, at most 9'),
});

const ZFeeItem = z.strictObject({ description: opt(400), standardCode: opt(64), quantity: z.number().optional(), unitPriceFen: z.number().optional() });

const versionOnly = { version: ZVersion };

/** The body of each record action: the core's command fields (it checks what each requires). */
export const ZRecordActionRequests = {
  assign: z.strictObject({ ...versionOnly, assignee: ZLeadRef.optional() }),
  reassign: z.strictObject({ ...versionOnly, assignee: ZLeadRef.optional(), reason: opt(400) }),
  decide: z.strictObject({ ...versionOnly, billing: z.enum(billings).optional().describe('free or paid'), note: opt(1000) }),
  quote: z.strictObject({ ...versionOnly, findings: opt(4000), feeStandard: opt(400), items: z.array(ZFeeItem).max(100).optional(), note: opt(1000) }),
  accept_quote: z.strictObject({ ...versionOnly, note: opt(1000) }),
  decline_quote: z.strictObject({ ...versionOnly, note: opt(1000), work: ZWork.optional().describe('the inspection is the work done') }),
  finish_work: z.strictObject({ ...versionOnly, work: ZWork.optional() }),
  collect_payment: z.strictObject({ ...versionOnly, amountFen: z.number().optional(), method: z.enum(paymentMethods).optional(), receivedOn: ZDateText, note: opt(1000) }),
  issue_invoice: z.strictObject({ ...versionOnly, number: opt(40), issueDate: ZDateText, amountFen: z.number().nullable().optional() }),
  return_to_clerk: z.strictObject(versionOnly),
  archive: z.strictObject(versionOnly),
  log_follow_up: z.strictObject({ ...versionOnly, reached: z.boolean().optional(), satisfaction: z.number().nullable().optional().describe('1–5 when reached'), comments: opt(2000), at: ZInstantText }),
  complete_paperwork: z.strictObject({
    ...versionOnly,
    caller: z.strictObject({ name: opt(100), phone: opt(40) }).optional(),
    callerName: opt(100),
    callerPhone: opt(40),
    fault: opt(4000),
    archiveId: ZIdNumber.nullable().optional(),
  }),
  cancel: z.strictObject({ ...versionOnly, reason: opt(400) }),
} satisfies Record<RepairAction, z.ZodType>;

export { repairActions };

// ---- dispatches (S5.4, S5.6, S5.8) ----

export const ZRegisterDispatchRequest = z.strictObject({
  recordId: ZIdNumber,
  leadUserId: ZIdNumber.optional().describe("defaults to the record's lead"),
  plannedArrival: opt(40).describe("the planned day: 'YYYY-MM-DD' (or an instant, read as its Shanghai day)"),
  destination: opt(400).describe("defaults to the archive's site address"),
  note: z.string().trim().max(500).nullable().optional(),
});

export const ZDispatchActionRequests = {
  record_notice: z.strictObject({
    ...versionOnly,
    promisedOn: ZDateText.describe('the new day promised to the customer'),
    channel: z.enum(noticeChannels).optional(),
    toldAt: ZInstantText.describe('when the customer was told; defaults to now'),
    note: opt(1000),
  }),
  arrive: z.strictObject({ ...versionOnly, arrivedAt: ZInstantText.describe('defaults to now') }),
  complete: z.strictObject(versionOnly),
  cancel: z.strictObject({ ...versionOnly, reason: opt(400) }),
} satisfies Record<DispatchAction, z.ZodType>;

export { dispatchActions };

export const ZDispatchListQuery = z.strictObject({
  open: z.enum(['true', 'false']).optional().describe('true: registered or on site, the oldest clock first'),
  recordId: ZRowId.optional(),
  limit: zDecimal(1, 500).default(200),
});

// ---- the desk (S5.6, S5.7) and reports ----

export const ZReviewQuery = z.strictObject({
  thresholdHours: z
    .union([z.number(), z.string().regex(/^(0|[1-9][0-9]{0,5})(\.[0-9]{1,3})?$/, 'hours in decimal digits').transform(Number)])
    .pipe(z.number().positive().max(24 * 365))
    .default(24).describe('unattended beyond this many hours (default 24)'),
});

export const ZFollowUpQuery = z.strictObject({ state: z.enum(followUpTaskStatuses).default('due') });

export const ZServiceReportQuery = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});
