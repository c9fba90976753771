/**
 * The 三包 API's vocabulary (S4, issue 6): device sales, the decision, the
 * policy and the service points, send-back testing, the guided path and the
 * warranty card. Field checks the core does itself (an IMEI's check digit, a
 * date's order, a policy's clauses) are left to it, so that its errors name
 * the field and the reason.
 */
import { z } from 'zod';
import { consentChannels, reportChannels, sendBackActions, sendBackStatuses, testResults, type SendBackAction } from '../core/warranty/send-back.ts';
import { postageLegs, postagePayers, postageSettleMethods } from '../core/warranty/postage.ts';
import { faultKinds, itemOrigins, warrantyRequests } from '../core/warranty/decide.ts';
import { deviceAccessoryKinds } from '../core/warranty/device-sale.ts';
import { symptoms, type SymptomId } from '../core/warranty/guided-flow.ts';
import { accessoryKinds, faultConfirmers, remedies, resaleMarks, sendItems } from '../core/warranty/policy.ts';
import { ZId, ZVersion, zDecimal } from './schemas.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A calendar date 'YYYY-MM-DD' (Asia/Shanghai)");
export const ZRowId = ZId;
const ZItemPart = z.enum(['host', ...accessoryKinds]).describe("'host' or a 三包 accessory (S4.2)");
const ZOrigin = z.enum(itemOrigins);

// ---- devices ----

export const ZDeviceIdParams = z.strictObject({ id: ZRowId });

export const ZDeviceAccessory = z.strictObject({
  kind: z.enum(deviceAccessoryKinds),
  name: z.string().trim().max(60).nullable().optional(),
  origin: ZOrigin.describe('original (原装) or gift (赠品: never covered, S4.2)'),
});

export const ZCreateDeviceRequest = z.strictObject({
  orderNo: optionalText(64).describe('the order the phone was sold on (it must exist in the shop)'),
  brand: text(40),
  model: text(60),
  deviceId: z.string().max(40).describe('IMEI (15 digits, Luhn check digit) or MEID (14 hex digits; 15 with its check digit; or the 18-digit decimal form)'),
  purchaseDate: ZDate,
  deliveryDate: ZDate.nullable().optional(),
  invoiceDate: ZDate.nullable().optional().describe('开具发票之日: the 三包 periods count from it when given, else from the purchase date'),
  region: text(200).describe("the buyer's region, e.g. 河北省石家庄市长安区: picks the card's service points"),
  buyerName: optionalText(64),
  buyerPhone: optionalText(20),
  accessories: z.array(ZDeviceAccessory).max(20).default([]),
});
export type TCreateDeviceRequest = z.infer<typeof ZCreateDeviceRequest>;

export const ZDeviceListQuery = z.strictObject({
  q: z.string().trim().min(1).max(64).optional().describe('an IMEI, an MEID or an order number, matched exactly after normalising'),
  limit: zDecimal(1, 200).default(50),
  cursor: z.string().max(200).optional(),
});

export const ZDevice = z.object({
  id: z.number().int(),
  orderNo: z.string().nullable(),
  model: z.string(),
  brand: z.string(),
  deviceId: z.string(),
  idKind: z.enum(['imei', 'meid']),
  purchaseDate: z.string(),
  deliveryDate: z.string().nullable(),
  invoiceDate: z.string().nullable().describe('开具发票之日: the periods count from it'),
  previousDeviceId: z.number().int().nullable().describe('S4.5: the device (row id) this host replaced in an exchange'),
  hostPeriodsFrom: z.string().nullable().describe("an exchanged host: the day its 三包 periods start again"),
  region: z.string().describe('masked after the district (****) for the roles that do not see addresses'),
  buyerName: z.string().nullable(),
  buyerPhone: z.string().nullable().describe('masked (138****1234) for the roles that do not see phone numbers'),
  accessories: z.array(z.object({ kind: z.enum(deviceAccessoryKinds), name: z.string().nullable(), origin: ZOrigin })),
  createdAt: z.string(),
  version: z.number().int(),
});

export const ZSendBackSummary = z.object({
  id: z.number().int(),
  status: z.enum(sendBackStatuses),
  part: z.string().nullable(),
  chosenRemedy: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ZDeviceRepair = z.object({
  id: z.number().int(),
  deviceId: z.number().int(),
  part: z.string(),
  faultCode: z.string().nullable(),
  fault: z.string(),
  source: z.enum(['send_back', 'service_centre']),
  sendBackId: z.number().int().nullable(),
  centreName: z.string().nullable(),
  startedOn: z.string(),
  finishedOn: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

const ZLinkedDevice = z.object({ id: z.number().int(), deviceId: z.string(), idKind: z.string(), exchangedOn: z.string().nullable() });

export const ZDeviceDetail = ZDevice.extend({
  sendBacks: z.array(ZSendBackSummary),
  repairs: z.array(ZDeviceRepair).describe('its 三包 repairs, oldest first: their days extend the period, two of the same fault give an exchange'),
  exchangedFrom: ZLinkedDevice.nullable().describe('S4.5: the host this one replaced'),
  exchangedTo: ZLinkedDevice.nullable().describe('S4.5: the host that replaced this one'),
});

export const ZRecordRepairRequest = z.strictObject({
  part: ZItemPart,
  faultCode: z.string().max(60).nullable().optional(),
  fault: z.string().max(500).describe('the fault repaired (2–500 characters)'),
  centreName: z.string().max(100).describe("the manufacturer's centre or authorised repair point, from its repair record"),
  startedOn: ZDate.describe('the day it went in for repair'),
  finishedOn: ZDate.nullable().optional().describe('the day it came back; absent while in repair'),
  note: optionalText(500),
});
export const ZDevicePage = z.object({ items: z.array(ZDevice), nextCursor: z.string().nullable() });

export const ZItemCondition = z.strictObject({
  scratches: z.boolean().describe('外观有划伤'),
  accessoriesIntact: z.boolean().describe('附件无损坏'),
  resaleMarks: z.array(z.enum(resaleMarks)).max(resaleMarks.length).describe('S4.4 marks that affect resale; [] when none'),
});

export const ZDecideRequest = z.strictObject({
  item: z.strictObject({ part: ZItemPart, origin: ZOrigin.optional().describe("default: the device's accessory as sold; the host is original") }),
  request: z.enum(warrantyRequests),
  requestDate: ZDate.optional().describe('the day the buyer raised it, not after today; today (Shanghai) when absent'),
  fault: z.enum(faultKinds),
  faultCode: z.string().max(60).nullable().optional(),
  confirmedBy: z.enum([...faultConfirmers, 'none']),
  condition: ZItemCondition,
  contactedFirst: z.boolean().optional(),
});
export type TDecideRequest = z.infer<typeof ZDecideRequest>;

// ---- the policy (S4.2–S4.5) ----

const ZClauseId = z.string().trim().min(1).max(80);
const ZLabel = z.strictObject({ zh: z.string().max(100), en: z.string().max(200) });
const ZPeriod = z.strictObject({ count: z.number().int(), unit: z.enum(['day', 'month', 'year']), labelZh: z.string().max(20), labelEn: z.string().max(40) });
const ZRung = z.strictObject({
  id: text(80),
  clauseId: ZClauseId,
  grants: z.array(z.enum(remedies)).max(remedies.length),
  period: ZPeriod,
  from: z.enum(['purchase', 'delivery']),
  confirmation: z.strictObject({ required: z.boolean(), acceptedBy: z.array(z.enum(faultConfirmers)).max(faultConfirmers.length) }),
  requireNoScratches: z.boolean(),
  requireAccessoriesIntact: z.boolean(),
  extendedByRepairDays: z.boolean().optional().describe('the 三包有效期: days in 三包 repair are added (default: the periods in months or years)'),
});
const ZOutcome = z.strictObject({ remedy: z.enum(remedies), clauseId: ZClauseId });
const ZSplit = z.strictObject({ clauseId: ZClauseId, buyerToShopBuyerPercent: z.number(), shopToBuyerBuyerPercent: z.number() });
const ZSendList = z.strictObject({ clauseId: ZClauseId, items: z.array(z.enum(sendItems)).max(sendItems.length) });
const keyed = <K extends string, T extends z.ZodType>(keys: readonly K[], value: T) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, T>);

export const ZWarrantyPolicy = z.strictObject({
  id: text(80),
  version: z.number().int().describe('set by the server to the version it is saved as'),
  nameZh: text(100),
  nameEn: z.string().max(200),
  clauses: z.record(
    ZClauseId,
    z.strictObject({
      id: ZClauseId,
      rule: z.string().max(20),
      titleZh: text(100),
      titleEn: z.string().max(200),
      textZh: z.string().max(5000),
      source: z.enum(['seed', 'national', 'shop']),
      citation: z.string().max(200).nullable().optional().describe('the law and article it rests on'),
    }),
  ),
  host: z.strictObject({
    rungs: z.array(ZRung).max(10),
    afterWarranty: ZOutcome,
    repeatedRepair: z
      .strictObject({ clauseId: ZClauseId, repairs: z.number().int(), grants: z.array(z.enum(remedies)).min(1).max(remedies.length) })
      .optional()
      .describe('第十三条: a fault that this many 三包 repairs did not fix gives these remedies (default: 2 → exchange of the host)'),
  }),
  periodRules: z
    .strictObject({
      fromInvoice: z.boolean(),
      validityClauseId: ZClauseId,
      exchangeRestarts: z.boolean(),
      exchangeRestartClauseId: ZClauseId,
      holidayEndsNextWorkingDay: z.boolean().describe('民法典 第二百零三条: a last day that is a day off moves to the next working day (off by default)'),
      holidayClauseId: ZClauseId,
    })
    .optional()
    .describe('how the periods are counted beyond their length; the defaults of the national rules when absent'),
  accessories: keyed(accessoryKinds, z.strictObject({ labelZh: z.string().max(40), labelEn: z.string().max(60), rung: ZRung })),
  accessoryAfterWarranty: ZOutcome,
  gifts: z.strictObject({ covered: z.boolean(), clauseId: ZClauseId }),
  noFault: ZOutcome,
  humanDamage: ZOutcome,
  personalReturn: z.strictObject({
    clauseId: ZClauseId,
    periodClauseId: ZClauseId,
    period: ZPeriod,
    from: z.enum(['purchase', 'delivery']),
    disqualifyingMarks: z.array(z.enum(resaleMarks)).max(resaleMarks.length),
  }),
  postage: z.strictObject({ qualityFault: ZSplit, notCovered: ZSplit, personalReason: ZSplit }),
  mustSend: keyed([...remedies, 'personal_return', 'testing'] as const, ZSendList),
  sendBackTermsClauseId: ZClauseId,
  exchangeHostOnlyClauseId: ZClauseId,
  boxIdNoticeClauseId: ZClauseId,
  contactFirstClauseId: ZClauseId,
  performanceFaults: z.array(z.strictObject({ code: text(60), parts: z.array(ZItemPart).max(6), textZh: z.string().max(200) })).max(100),
  remedyLabels: keyed(remedies, ZLabel),
  sendItemLabels: keyed(sendItems, ZLabel),
  resaleMarkLabels: keyed(resaleMarks, ZLabel),
});

export const ZPolicyQuery = z.strictObject({ version: zDecimal(0, 2_147_483_647).optional() });
export const ZPutPolicyRequest = z.strictObject({ policy: ZWarrantyPolicy });

// ---- service points and the card's return contact (S4.1) ----

export const ZReturnContact = z.strictObject({
  address: z.string().trim().max(200),
  consignee: z.string().trim().max(60),
  phone: optionalText(30),
  hotline: optionalText(30),
});

export const ZServicePointDirectory = z.strictObject({
  version: z.number().int().describe('set by the server to the version it is saved as'),
  brands: z
    .array(z.strictObject({ id: z.string().regex(/^[a-z0-9_-]{1,40}$/), zh: text(40), en: text(40), aliases: z.array(text(40)).max(20) }))
    .max(50),
  regions: z
    .array(
      z.strictObject({
        province: text(20),
        cities: z.array(text(20)).max(60),
        places: z
          .array(z.strictObject({ name: text(20), city: text(20) }))
          .max(300)
          .optional()
          .describe('county-level cities and new areas (定州, 辛集, 雄安新区…) served by one of the cities'),
      }),
    )
    .max(40),
  points: z
    .array(
      z.strictObject({
        id: text(100),
        province: text(20),
        city: text(20),
        brandId: text(40),
        status: z.enum(['active', 'to_be_filled']),
        name: optionalText(100),
        address: optionalText(200),
        phone: optionalText(30),
        hours: optionalText(60),
      }),
    )
    .max(2000),
});

export const ZServicePointsQuery = z.strictObject({ region: z.string().trim().min(1).max(200).optional(), brand: z.string().trim().min(1).max(40).optional() });
export const ZPutServicePointsRequest = z.strictObject({
  directory: ZServicePointDirectory,
  returnContact: ZReturnContact.optional().describe("the card's return address, consignee, phone and hotline; unchanged when absent"),
});

// ---- send-back testing (S4.3–S4.5) ----

export const ZOpenSendBackRequest = z.strictObject({
  deviceId: ZRowId.describe("the device's id (GET /devices), not its IMEI"),
  item: z.strictObject({ part: ZItemPart, origin: ZOrigin.optional() }),
  faultDescription: z.string().max(500).describe('标注手机原因: the fault as the buyer describes it (2–500 characters)'),
  faultReportedOn: ZDate.nullable().optional().describe('the day the buyer first reported the fault (the periods count to it); today when absent; a buyer: today'),
  faultReportedVia: z.enum(reportChannels).nullable().optional().describe('where: required (wangwang, phone, service_centre) for a day before today'),
  faultReportedNote: optionalText(500).describe('the written trace of an earlier report (a chat quote, a call note)'),
  orderNo: z.string().max(64).optional().describe("optional; when given, it must be the device's"),
  brand: z.string().max(40).optional(),
  model: z.string().max(60).optional(),
  purchaseDate: ZDate.optional(),
  deliveryDate: ZDate.nullable().optional(),
});

export const ZSendBackIdParams = z.strictObject({ id: ZRowId });
export const ZSendBackListQuery = z.strictObject({
  status: z.enum(sendBackStatuses).optional(),
  deviceId: ZRowId.optional(),
  beforeId: ZRowId.optional(),
  limit: zDecimal(1, 200).default(100),
});

/** Each action's body: the version seen, and the core's command fields. */
export const ZSendBackActionRequests = {
  accept_terms: z.strictObject({
    version: ZVersion,
    policyVersion: z.number().int().min(0).describe("the version of the policy whose terms were shown (the send-back's sendBack.policy.version)"),
    via: z.enum(consentChannels).optional().describe('a buyer: portal (the default); an agent: wangwang or phone'),
    evidence: optionalText(500).describe("an agent: the buyer's words of consent"),
  }),
  receive: z.strictObject({ version: ZVersion, trackingNo: z.string().max(40), itemsReceived: z.array(z.enum(sendItems)).max(sendItems.length) }),
  record_test: z.strictObject({ version: ZVersion, testedBy: z.enum(faultConfirmers), centreName: optionalText(100), notes: optionalText(1000) }),
  report: z.strictObject({
    version: ZVersion,
    result: z.enum(testResults),
    photos: z.array(z.string().max(200)).max(20).describe('evidence refs (POST /evidence), at least one'),
    summary: z.string().max(1000),
    condition: z.strictObject({ scratches: z.boolean(), accessoriesIntact: z.boolean(), resaleMarks: z.array(z.enum(resaleMarks)).max(resaleMarks.length).optional() }),
    faultCode: z.string().max(60).nullable().optional(),
  }),
  decide: z.strictObject({
    version: ZVersion,
    chosenRemedy: z.enum(remedies).nullable().optional().describe("one of the decision's options; the best when absent"),
    refundFen: z.number().int().nullable().optional().describe("a return: the amount to refund, in fen (default: what is still refundable on the order); the order's refund is opened or attached"),
  }),
  ship_back: z.strictObject({
    version: ZVersion,
    trackingNo: z.string().max(40),
    courier: z.string().max(30),
    exchange: z.strictObject({ oldDeviceId: z.string().max(40), newDeviceId: z.string().max(40) }).nullable().optional().describe('S4.5: a host exchange records the old and the new IMEI/MEID'),
  }),
  close: z.strictObject({ version: ZVersion, note: optionalText(500) }),
  cancel: z.strictObject({ version: ZVersion, reason: z.string().max(200) }),
  record_postage: z.strictObject({
    version: ZVersion,
    legs: z
      .array(
        z.strictObject({
          leg: z.enum(postageLegs),
          chargedFen: z.number().int().describe("the courier's charge, in fen"),
          paidBy: z.enum(postagePayers).describe('who paid the courier'),
          trackingNo: optionalText(40),
        }),
      )
      .min(1)
      .max(2),
  }),
  settle_postage: z.strictObject({
    version: ZVersion,
    method: z.enum(postageSettleMethods),
    reference: optionalText(64).describe('the transfer number'),
    note: optionalText(500).describe('required when waived: why'),
  }),
} as const satisfies Record<SendBackAction, z.ZodType>;

export { sendBackActions };

// ---- the guided path (S4.6) and the card (S4.1) ----

export const ZGuideRequest = z.strictObject({
  deviceId: ZRowId.optional().describe("with a device, its region and brand pick the service points"),
  answers: z
    .strictObject({
      symptom: z.enum(symptoms.map((s) => s.id) as unknown as [SymptomId, ...SymptomId[]]).nullable().optional(),
      selfFix: z.enum(['fixed', 'not_fixed']).nullable().optional(),
      localCentre: z.enum(['will_visit', 'cannot_visit']).nullable().optional(),
      region: z.string().trim().max(200).nullable().optional(),
      brand: z.string().trim().max(40).nullable().optional(),
    })
    .default({}),
});

export const ZCardQuery = z.strictObject({ format: z.enum(['html', 'json']).default('html') });
