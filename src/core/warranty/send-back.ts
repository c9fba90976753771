/**
 * S4.3–S4.5 send-back testing (寄回检测, an RMA): the buyer accepts our testing
 * terms (the text of S4.3, recorded with the time), sends the phone, the
 * warehouse receives it, it is tested (by us, or at the manufacturer's
 * centre), the report (fault confirmed / no fault / human damage, with
 * photos) feeds `decideWarranty`, the outcome is carried out and the parcel
 * goes back. An exchange records the old and the new IMEI/MEID: the host
 * only, never the accessories (S4.5).
 *
 * The table `from → action → to` is data; `applySendBackAction` checks the
 * role, the transition and the action's input, and returns the change the
 * app layer saves with its event row.
 *
 * Issue 13: the periods count to the day the buyer first reported the fault
 * (recorded when the send-back is opened, with where it was reported), not to
 * the day a person opened it; a return decided here carries the amount to
 * refund (the app layer opens or attaches the order's refund); a report's
 * "accessories intact" must agree with what the warehouse found missing; the
 * postage is recorded as money: the courier's charges, each side's share,
 * and whether the balance was settled.
 */
import type { WorkingCalendar } from '../calendar/working-days.ts';
import type { Fen } from '../money.ts';
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { issue, readChoice, readText, readTrackingNo, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { requireTransition, type RecordChange, type TransitionTable } from '../workbench/record-machine.ts';
import { decideWarranty, itemOrigins, type ItemCondition, type PriorRepair, type WarrantyDecision, type WarrantyItem } from './decide.ts';
import { parseDeviceId, sameDeviceId, type DeviceId } from './device-ids.ts';
import { isCalendarDate, shanghaiDateOf } from './periods.ts';
import { accountPostage, postageLegs, postageOutstanding, postagePayers, postageSettleMethods, type PostageAccount, type PostageCharge, type PostageSettleMethod } from './postage.ts';
import { accessoryKinds, clauseOf, faultConfirmers, resaleMarks, sendItems, type FaultConfirmer, type Remedy, type ResaleMark, type SendItem, type WarrantyPolicy } from './policy.ts';

export const sendBackStatuses = [
  /** opened by the buyer or an agent; the terms are shown, not yet accepted */
  'requested',
  /** the buyer accepted the testing terms (S4.3): the phone may be sent */
  'terms_accepted',
  /** the warehouse has the parcel; what arrived is recorded */
  'received',
  /** tested, by us or at the manufacturer's authorised centre */
  'tested',
  /** the test report: fault confirmed, no fault or human damage, with photos */
  'reported',
  /** the outcome from the policy (decideWarranty), and the remedy chosen */
  'decided',
  /** sent back: repaired, exchanged (host only) or as it came */
  'shipped_back',
  /** done (final) */
  'closed',
  /** withdrawn before the parcel arrived (final) */
  'cancelled',
] as const;
export type SendBackStatus = (typeof sendBackStatuses)[number];

export const sendBackActions = ['accept_terms', 'receive', 'record_test', 'report', 'decide', 'ship_back', 'close', 'cancel', 'record_postage', 'settle_postage'] as const;
export type SendBackAction = (typeof sendBackActions)[number];

export const sendBackTransitions = {
  requested: { accept_terms: 'terms_accepted', cancel: 'cancelled' },
  terms_accepted: { receive: 'received', cancel: 'cancelled' },
  received: { record_test: 'tested' },
  tested: { report: 'reported' },
  reported: { decide: 'decided' },
  // close straight from decided only for a return: the goods stay, the refund follows (S2)
  // the postage (S4.3) is recorded once the split is decided, and settled whenever the money changes hands, after closing too
  decided: { ship_back: 'shipped_back', close: 'closed', record_postage: 'decided', settle_postage: 'decided' },
  shipped_back: { close: 'closed', record_postage: 'shipped_back', settle_postage: 'shipped_back' },
  closed: { settle_postage: 'closed' },
  cancelled: {},
} as const satisfies TransitionTable<SendBackStatus, SendBackAction>;

/** Who may take each action; a supervisor may act as an agent. */
export const sendBackActionRoles = {
  // the buyer in the portal, or an agent recording the buyer's consent from a chat or call
  accept_terms: ['buyer', 'agent', 'supervisor'],
  receive: ['warehouse'],
  record_test: ['agent', 'supervisor'],
  report: ['agent', 'supervisor'],
  decide: ['agent', 'supervisor'],
  ship_back: ['warehouse'],
  close: ['agent', 'supervisor'],
  cancel: ['buyer', 'agent', 'supervisor'],
  // the warehouse has the courier's receipts; finance pays or collects the balance
  record_postage: ['warehouse', 'agent', 'supervisor', 'finance'],
  settle_postage: ['finance', 'agent', 'supervisor'],
} as const satisfies Record<SendBackAction, readonly Role[]>;

/** Who may open a send-back. */
export const sendBackOpenRoles = ['buyer', 'agent', 'supervisor'] as const satisfies readonly Role[];

export const testResults = [
  /** 故障属实: a non-human performance fault */
  'fault_confirmed',
  /** 无质量问题 */
  'no_fault',
  /** 人为损坏 */
  'human_damage',
] as const;
export type TestResult = (typeof testResults)[number];

/** Where the buyer first reported the fault: the day the periods are counted to (S4.4: contact us first). */
export const reportChannels = [
  /** the buyer's own request in the portal (that day) */
  'portal',
  'wangwang',
  'phone',
  /** at a manufacturer's service centre (S4.6), with its record */
  'service_centre',
] as const;
export type ReportChannel = (typeof reportChannels)[number];

export const consentChannels = [
  /** the buyer clicked accept in the portal */
  'portal',
  /** the buyer agreed in a Wangwang chat; the agent records it */
  'wangwang',
  /** the buyer agreed on the phone; the agent records it */
  'phone',
] as const;
export type ConsentChannel = (typeof consentChannels)[number];

export interface SendBackInput {
  orderNo: string;
  /** the IMEI or MEID as typed */
  deviceId: string;
  brand: string;
  model: string;
  item: WarrantyItem;
  /** 'YYYY-MM-DD' */
  purchaseDate: string;
  deliveryDate?: string | null | undefined;
  /** 开具发票之日, when the sale has one: the periods count from it */
  invoiceDate?: string | null | undefined;
  /** an exchanged host: the exchange day, from which its periods start again */
  hostPeriodsFrom?: string | null | undefined;
  /** 标注手机原因: the fault as the buyer describes it */
  faultDescription: string;
  /** the day the buyer first reported the fault ('YYYY-MM-DD'); today when absent */
  faultReportedOn?: string | null | undefined;
  /** where it was reported; required (not portal) for a day before today */
  faultReportedVia?: ReportChannel | null | undefined;
  /** the written trace of an earlier report: the chat, the call, the centre's record */
  faultReportedNote?: string | null | undefined;
}

/** S4.2/S4.3 a return decided under 三包 reaches the refund engine: the order's refund it opened or attached (set by the app layer). */
export interface SendBackRefundLink {
  /**
   * opened: applied here by the system on the buyer's behalf; attached: the order's open refund;
   * platform: the order is a platform's, the refund is handled there (linked when the platform has one);
   * blocked: the refund engine refused (the problem says why)
   */
  state: 'opened' | 'attached' | 'platform' | 'blocked';
  refundId: number | null;
  /** the amount the decision gives */
  amountFen: Fen;
  /** the linked refund's own amount, which may differ for an attached one */
  refundAmountFen: Fen | null;
  refundStatus: string | null;
  platform: 'taobao' | 'tmall' | null;
  problem: { code: string; message: string } | null;
  at: string;
}

export interface SendBack {
  status: SendBackStatus;
  /** the policy whose terms the buyer accepts and which decides the outcome */
  policy: { id: string; version: number };
  orderNo: string;
  device: DeviceId;
  brand: string;
  model: string;
  item: WarrantyItem;
  purchaseDate: string;
  deliveryDate: string | null;
  /** absent on send-backs opened before issue 13 */
  invoiceDate?: string | null;
  hostPeriodsFrom?: string | null;
  /** the day the buyer first reported the fault: the date the periods are counted to */
  requestDate: string;
  /** where and when the fault was first reported (absent on send-backs opened before issue 13: requestDate was the opening day) */
  reported?: { on: string; via: ReportChannel | null; note: string | null; recordedBy: Role; recordedAt: string };
  faultDescription: string;
  terms: {
    clauseId: string;
    textZh: string;
    accepted: { at: string; via: ConsentChannel; by: Role; evidence: string | null } | null;
  };
  received: { at: string; trackingNo: string; itemsReceived: SendItem[]; missing: SendItem[] } | null;
  test: { at: string; testedBy: FaultConfirmer; centreName: string | null; notes: string | null } | null;
  report: { at: string; result: TestResult; photos: string[]; summary: string; condition: ItemCondition; faultCode: string | null } | null;
  decision: WarrantyDecision | null;
  chosenRemedy: Remedy | null;
  /** a return: the amount to refund */
  refundAmountFen?: Fen | null;
  /** a return: the order's refund it reached (set by the app layer) */
  refund?: SendBackRefundLink | null;
  shipment: {
    at: string;
    trackingNo: string;
    courier: string;
    /** S4.5: the host exchanged; the box keeps the old identifier; the new host is a device of its own (its row id, set by the app layer) */
    exchange: { old: DeviceId; new: DeviceId; boxNoticeZh: string; newDeviceRowId?: number | null } | null;
  } | null;
  /** S4.3 the courier's charges, each side's share and the settlement */
  postage?: PostageAccount | null;
  closed: { at: string; note: string | null } | null;
  cancelled: { at: string; reason: string; by: Role } | null;
  openedAt: string;
  updatedAt: string;
}

export type SendBackCommand =
  /** the buyer accepts the terms of the policy version shown; an agent names the channel and the evidence */
  | { action: 'accept_terms'; policyVersion: number; via?: ConsentChannel | undefined; evidence?: string | null | undefined }
  | { action: 'receive'; trackingNo: string; itemsReceived: SendItem[] }
  | { action: 'record_test'; testedBy: FaultConfirmer; centreName?: string | null | undefined; notes?: string | null | undefined }
  | {
      action: 'report';
      result: TestResult;
      /** evidence ids of the photos, at least one */
      photos: string[];
      summary: string;
      condition: { scratches: boolean; accessoriesIntact: boolean; resaleMarks?: ResaleMark[] | undefined };
      faultCode?: string | null | undefined;
    }
  /** the remedy the buyer chose among the decision's options; the best one when absent; a return names the amount to refund */
  | { action: 'decide'; chosenRemedy?: Remedy | null | undefined; refundFen?: Fen | null | undefined }
  | { action: 'ship_back'; trackingNo: string; courier: string; exchange?: { oldDeviceId: string; newDeviceId: string } | null | undefined }
  | { action: 'close'; note?: string | null | undefined }
  | { action: 'cancel'; reason: string }
  /** the courier's charges of the legs (replacing what was recorded) */
  | { action: 'record_postage'; legs: { leg: PostageCharge['leg']; chargedFen: Fen; paidBy: PostageCharge['paidBy']; trackingNo?: string | null | undefined }[] }
  | { action: 'settle_postage'; method: PostageSettleMethod; reference?: string | null | undefined; note?: string | null | undefined };

export interface SendBackContext {
  now: Date;
  /** the actor's role: each action names who may take it */
  role: Role;
  /** the shop's warranty policy; it must be the version the send-back was opened under */
  policy: WarrantyPolicy;
  /** decide: the device's 三包 repairs before this send-back */
  repairs?: readonly PriorRepair[] | undefined;
  /** decide: the official calendar (the policy may move a last day off a holiday) */
  calendar?: WorkingCalendar | null | undefined;
  /** decide, a return: what is still refundable on the order (the default and the cap of the amount) */
  refundable?: { defaultFen: Fen; maxFen: Fen } | null | undefined;
}

export type SendBackChange = RecordChange<SendBack, SendBackStatus, SendBackAction>;

function readDeviceIdField(issues: FieldIssue[], value: unknown, field: string, label: string): DeviceId | null {
  if (typeof value !== 'string' || value.trim().length === 0) {
    issues.push(issue(field, 'required', `${label} is required.`));
    return null;
  }
  const parsed = parseDeviceId(value);
  if (!parsed.ok) {
    issues.push(issue(field, parsed.reason, `${label}: ${parsed.message}`));
    return null;
  }
  return { kind: parsed.kind, value: parsed.value };
}

function readItem(issues: FieldIssue[], item: WarrantyItem | undefined): WarrantyItem | null {
  const part = item?.part;
  const ok = part === 'host' || (accessoryKinds as readonly string[]).includes(part as string);
  if (!ok) issues.push(issue('item.part', 'unknown_value', `The item is the host or one of ${accessoryKinds.join(', ')}.`));
  const origin = readChoice(issues, item?.origin, itemOrigins, { field: 'item.origin', label: 'The origin of the item (原装 or 赠品)' });
  return ok && origin ? { part: part as WarrantyItem['part'], origin } : null;
}

function readDate(issues: FieldIssue[], value: unknown, field: string, label: string, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) issues.push(issue(field, 'required', `${label} is required.`));
    return null;
  }
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    issues.push(issue(field, 'invalid', `${label} must be a calendar date (YYYY-MM-DD).`));
    return null;
  }
  return value;
}

/** S4.3: opens a send-back with the terms of the policy to accept; the periods count to the day the buyer first reported the fault (today when not given). */
export function openSendBack(input: SendBackInput, ctx: { now: Date; role: Role; policy: WarrantyPolicy }): SendBack {
  requireRole(sendBackOpenRoles, ctx.role, 'open');
  const issues: FieldIssue[] = [];
  const orderNo = readText(issues, input.orderNo, { field: 'orderNo', label: 'The order number (订单编号)', min: 1, max: 64 });
  const device = readDeviceIdField(issues, input.deviceId, 'deviceId', 'The IMEI or MEID (串号)');
  const brand = readText(issues, input.brand, { field: 'brand', label: 'The brand', min: 1, max: 40 });
  const model = readText(issues, input.model, { field: 'model', label: 'The model (型号)', min: 1, max: 60 });
  const item = readItem(issues, input.item);
  const purchaseDate = readDate(issues, input.purchaseDate, 'purchaseDate', 'The purchase date', true);
  const deliveryDate = readDate(issues, input.deliveryDate, 'deliveryDate', 'The delivery date', false);
  const faultDescription = readText(issues, input.faultDescription, {
    field: 'faultDescription',
    label: 'The fault (标注手机原因)',
    min: 2,
    max: 500,
  });
  const invoiceDate = readDate(issues, input.invoiceDate, 'invoiceDate', 'The invoice date', false);
  const hostPeriodsFrom = readDate(issues, input.hostPeriodsFrom, 'hostPeriodsFrom', 'The exchange date', false);
  const today = shanghaiDateOf(ctx.now);
  if (purchaseDate && purchaseDate > today) {
    issues.push(issue('purchaseDate', 'in_future', `The purchase date ${purchaseDate} is after today (${today}).`));
  }
  if (purchaseDate && deliveryDate && deliveryDate < purchaseDate) {
    issues.push(issue('deliveryDate', 'before_purchase', `The delivery (${deliveryDate}) cannot come before the purchase (${purchaseDate}).`));
  }
  const reported = readReport(issues, input, { today, role: ctx.role, after: [purchaseDate, deliveryDate, input.item?.part === 'host' ? hostPeriodsFrom : null] });
  throwIfIssues('S4.3 the send-back request', issues);
  const terms = clauseOf(ctx.policy, ctx.policy.sendBackTermsClauseId);
  const at = ctx.now.toISOString();
  return {
    status: 'requested',
    policy: { id: ctx.policy.id, version: ctx.policy.version },
    orderNo: orderNo as string,
    device: device as DeviceId,
    brand: brand as string,
    model: model as string,
    item: item as WarrantyItem,
    purchaseDate: purchaseDate as string,
    deliveryDate,
    invoiceDate,
    hostPeriodsFrom,
    requestDate: reported.on,
    reported: { ...reported, recordedBy: ctx.role, recordedAt: at },
    faultDescription: faultDescription as string,
    terms: { clauseId: terms.id, textZh: terms.textZh, accepted: null },
    received: null,
    test: null,
    report: null,
    decision: null,
    chosenRemedy: null,
    refundAmountFen: null,
    refund: null,
    shipment: null,
    postage: null,
    closed: null,
    cancelled: null,
    openedAt: at,
    updatedAt: at,
  };
}

/**
 * The day the buyer first reported the fault (S4.4: contact us first): today in the portal; an agent may record
 * an earlier day, with where it was reported and the written trace, never a day after today or before the sale.
 */
function readReport(
  issues: FieldIssue[],
  input: SendBackInput,
  o: { today: string; role: Role; after: (string | null)[] },
): { on: string; via: ReportChannel | null; note: string | null } {
  const given = readDate(issues, input.faultReportedOn, 'faultReportedOn', 'The day the fault was first reported', false);
  const on = given ?? o.today;
  if (on > o.today) issues.push(issue('faultReportedOn', 'in_future', `The fault cannot have been reported after today (${o.today}).`));
  for (const before of o.after) {
    if (before && on < before) issues.push(issue('faultReportedOn', 'before_sale', `The fault cannot have been reported (${on}) before ${before}, the sale or the exchange it is about.`));
  }
  if (o.role === 'buyer') {
    // the buyer reports it here and now; an earlier report on another channel is the agent's to record
    if (on !== o.today) issues.push(issue('faultReportedOn', 'buyer_reports_today', 'A buyer reports the fault in the portal today; an earlier report by chat or phone is recorded by our agent.'));
    if (input.faultReportedVia && input.faultReportedVia !== 'portal') issues.push(issue('faultReportedVia', 'buyer_in_portal', 'A buyer reports the fault in the portal.'));
    return { on, via: 'portal', note: null };
  }
  const via = input.faultReportedVia ?? (on === o.today ? null : undefined);
  const note = readText(issues, input.faultReportedNote, { field: 'faultReportedNote', label: 'Where the buyer first reported the fault (a chat quote, a call note)', min: on < o.today ? 2 : 0, max: 500 });
  if (via === undefined || via === 'portal') {
    issues.push(issue('faultReportedVia', 'required', 'An earlier report needs where it was made: Wangwang, phone or a service centre.'));
  } else if (via !== null && !(reportChannels as readonly string[]).includes(via)) {
    issues.push(issue('faultReportedVia', 'unknown_value', `The report came by one of ${reportChannels.join(', ')}.`));
  }
  // opened today without saying where: the report is this request itself
  return { on, via: via ?? null, note };
}

function requireRole(allowed: readonly Role[], role: Role, action: string): void {
  if (!allowed.includes(role)) {
    throw new AppError('FORBIDDEN', `The role ${role} may not ${action.replace('_', ' ')} a send-back (allowed: ${allowed.join(', ')}).`, {
      reason: 'role_not_allowed',
      allowedRoles: allowed,
      permission: `send_back.${action}`,
    });
  }
}

function refuse(reason: string, message: string, details: Record<string, unknown> = {}): never {
  throw new AppError('ACTION_NOT_ALLOWED', message, { reason, ...details });
}

/** The items a send-back should contain: the whole set for a phone (S4.4), the accessory and its papers for an accessory. */
export function expectedItems(sendBack: Pick<SendBack, 'item'>, policy: WarrantyPolicy): readonly SendItem[] {
  return sendBack.item.part === 'host' ? policy.mustSend.testing.items : policy.mustSend.exchange_accessory.items;
}

function faultOf(result: TestResult): 'performance' | 'none' | 'human_damage' {
  return result === 'fault_confirmed' ? 'performance' : result === 'no_fault' ? 'none' : 'human_damage';
}

/** Moves a send-back along S4.3–S4.5: checks the role, the transition and the action's input. */
export function applySendBackAction(sendBack: SendBack, command: SendBackCommand, ctx: SendBackContext): SendBackChange {
  const allowedRoles: readonly Role[] | undefined = Object.prototype.hasOwnProperty.call(sendBackActionRoles, command.action)
    ? sendBackActionRoles[command.action]
    : undefined;
  if (!allowedRoles) refuse('unknown_action', `A send-back has no action ${String(command.action)}.`, { allowedActions: sendBackActions });
  requireRole(allowedRoles, ctx.role, command.action);
  const to = requireTransition('send-back', sendBackTransitions, sendBack.status, command.action);
  const at = ctx.now.toISOString();
  const moved: SendBack = { ...sendBack, status: to, updatedAt: at };
  const change = (record: SendBack, data: Record<string, unknown> = {}): SendBackChange => ({
    record,
    action: command.action,
    from: sendBack.status,
    to,
    data,
  });
  const issues: FieldIssue[] = [];
  switch (command.action) {
    case 'accept_terms': {
      if (command.policyVersion !== sendBack.policy.version) {
        issues.push(
          issue(
            'policyVersion',
            'stale',
            `The terms shown were of policy version ${String(command.policyVersion)}; this send-back is under version ${sendBack.policy.version}. Show the current terms again.`,
          ),
        );
      }
      let via: ConsentChannel | null;
      let evidence: string | null = null;
      if (ctx.role === 'buyer') {
        via = command.via ?? 'portal';
        if (via !== 'portal') issues.push(issue('via', 'buyer_in_portal', 'A buyer accepts the terms in the portal.'));
      } else {
        via = readChoice(issues, command.via, ['wangwang', 'phone'] as const, { field: 'via', label: 'Where the buyer agreed (Wangwang or phone)' });
        evidence = readText(issues, command.evidence, {
          field: 'evidence',
          label: "The buyer's words of consent (a chat quote or a call note)",
          min: 2,
          max: 500,
        });
      }
      throwIfIssues('S4.3 accepting the testing terms', issues);
      const accepted = { at, via: via as ConsentChannel, by: ctx.role, evidence };
      return change({ ...moved, terms: { ...sendBack.terms, accepted } }, { ...accepted, clauseId: sendBack.terms.clauseId });
    }
    case 'receive': {
      const trackingNo = readTrackingNo(issues, command.trackingNo, { field: 'trackingNo', label: "The buyer's tracking number (物流单号)" });
      const list = Array.isArray(command.itemsReceived) ? command.itemsReceived : [];
      if (!Array.isArray(command.itemsReceived)) issues.push(issue('itemsReceived', 'required', 'The list of what arrived is required.'));
      for (const item of list) {
        if (!(sendItems as readonly string[]).includes(item)) issues.push(issue('itemsReceived', 'unknown_value', `${String(item)} is not an item of the list.`));
      }
      throwIfIssues('S4.4 receiving the parcel', issues);
      const itemsReceived = [...new Set(list)];
      const missing = expectedItems(sendBack, ctx.policy).filter((i) => !itemsReceived.includes(i));
      const received = { at, trackingNo: trackingNo as string, itemsReceived, missing };
      return change({ ...moved, received }, received);
    }
    case 'record_test': {
      const testedBy = readChoice(issues, command.testedBy, faultConfirmers, { field: 'testedBy', label: 'Who tested (our test or the authorised centre)' });
      const centreName = readText(issues, command.centreName, {
        field: 'centreName',
        label: 'The authorised centre (厂家维修中心或特约维修点)',
        min: testedBy === 'authorised_centre' ? 2 : 0,
        max: 100,
      });
      const notes = readText(issues, command.notes, { field: 'notes', label: 'The notes', min: 0, max: 1000 });
      throwIfIssues('S4.3 the test', issues);
      const test = { at, testedBy: testedBy as FaultConfirmer, centreName: testedBy === 'authorised_centre' ? centreName : null, notes };
      return change({ ...moved, test }, test);
    }
    case 'report': {
      const result = readChoice(issues, command.result, testResults, { field: 'result', label: 'The result of the test' });
      const photos = Array.isArray(command.photos) ? command.photos.map((p) => (typeof p === 'string' ? p.trim() : '')) : [];
      if (photos.length === 0) issues.push(issue('photos', 'required', 'The report needs at least one photo.'));
      if (photos.length > 20) issues.push(issue('photos', 'too_many', 'A report has at most 20 photos.', 20));
      if (photos.some((p) => p.length === 0 || p.length > 200)) issues.push(issue('photos', 'invalid', 'Each photo is an evidence id of 1 to 200 characters.'));
      const summary = readText(issues, command.summary, { field: 'summary', label: 'The summary of the report', min: 2, max: 1000 });
      const c = command.condition;
      if (typeof c?.scratches !== 'boolean') issues.push(issue('condition.scratches', 'required', 'Whether the casing is scratched (外观划伤) is required.'));
      if (typeof c?.accessoriesIntact !== 'boolean') {
        issues.push(issue('condition.accessoriesIntact', 'required', 'Whether the accessories are intact (附件无损坏) is required.'));
      }
      // S4.2 附件无损坏: the report cannot call the accessories intact when the warehouse found them missing
      const missingAccessories = (sendBack.received?.missing ?? []).filter((i) => i === 'accessories');
      if (c?.accessoriesIntact === true && missingAccessories.length > 0) {
        issues.push(
          issue(
            'condition.accessoriesIntact',
            'contradicts_receipt',
            `The warehouse recorded the parcel without ${missingAccessories.join(', ')} (received ${sendBack.received?.at ?? ''}): the accessories cannot be reported intact. Report them as not intact, or have the warehouse correct what arrived.`,
          ),
        );
      }
      const marks = c?.resaleMarks ?? [];
      for (const m of marks) {
        if (!(resaleMarks as readonly string[]).includes(m)) issues.push(issue('condition.resaleMarks', 'unknown_value', `${String(m)} is none of the marks of S4.4.`));
      }
      const faultCode = command.faultCode ?? null;
      if (faultCode !== null) {
        const known = ctx.policy.performanceFaults.find((f) => f.code === faultCode);
        if (!known || !known.parts.includes(sendBack.item.part)) {
          issues.push(issue('faultCode', 'unknown_value', `${faultCode} is no performance fault of the ${sendBack.item.part} on the policy's list.`));
        }
        if (result !== 'fault_confirmed') issues.push(issue('faultCode', 'not_a_performance_fault', 'A fault code goes with a confirmed fault only.'));
      }
      throwIfIssues('S4.3 the test report', issues);
      const report = {
        at,
        result: result as TestResult,
        photos,
        summary: summary as string,
        condition: { scratches: c.scratches, accessoriesIntact: c.accessoriesIntact, resaleMarks: [...new Set(marks)] },
        faultCode,
      };
      return change({ ...moved, report }, report);
    }
    case 'decide': {
      if (ctx.policy.id !== sendBack.policy.id || ctx.policy.version !== sendBack.policy.version) {
        refuse(
          'policy_version_mismatch',
          `This send-back was accepted under policy ${sendBack.policy.id} v${sendBack.policy.version}; decide it with that version, not ${ctx.policy.id} v${ctx.policy.version}.`,
          { policy: sendBack.policy },
        );
      }
      const { test, report } = sendBack;
      if (!test || !report) refuse('report_missing', 'A send-back is decided on its test report.');
      const decision = decideWarranty(sendBackWarrantyInput(sendBack, test, report, ctx.repairs), ctx.policy, { today: ctx.now, calendar: ctx.calendar });
      const chosenRemedy = command.chosenRemedy ?? decision.remedy;
      if (!decision.options.includes(chosenRemedy)) {
        issues.push(
          issue('chosenRemedy', 'not_an_option', `The policy gives ${decision.options.join(' or ')} here (${decision.clause.titleEn}); ${chosenRemedy} is not among them.`),
        );
      }
      let refundAmountFen: Fen | null = null;
      if (chosenRemedy === 'return') {
        // the national rules refund the price (按发货票价格一次退清货款): by default what is still refundable on the order
        const amount = command.refundFen ?? ctx.refundable?.defaultFen;
        if (amount === undefined || amount === null) {
          issues.push(issue('refundFen', 'required', 'A return refunds the buyer: give the amount (refundFen, in fen).'));
        } else if (!Number.isSafeInteger(amount) || amount <= 0) {
          issues.push(issue('refundFen', 'invalid', 'The amount to refund is a positive whole number of fen.'));
        } else if (ctx.refundable && amount > ctx.refundable.maxFen) {
          issues.push(issue('refundFen', 'over_cap', `The amount ${amount} fen is more than the ${ctx.refundable.maxFen} fen still refundable on the order.`, ctx.refundable.maxFen));
        } else {
          refundAmountFen = amount;
        }
      } else if (command.refundFen !== undefined && command.refundFen !== null) {
        issues.push(issue('refundFen', 'not_expected', `The outcome is ${chosenRemedy}, not a return: nothing is refunded.`));
      }
      throwIfIssues('S4.3 deciding the outcome', issues);
      return change(
        { ...moved, decision, chosenRemedy, refundAmountFen },
        { remedy: decision.remedy, chosenRemedy, clauseId: decision.clause.id, options: decision.options, refundAmountFen },
      );
    }
    case 'ship_back': {
      if (sendBack.chosenRemedy === 'return') {
        refuse('return_not_shipped_back', 'A returned phone stays with us: close the send-back once the refund is done, nothing is shipped back.');
      }
      const trackingNo = readTrackingNo(issues, command.trackingNo, { field: 'trackingNo', label: 'The tracking number of the parcel back (物流单号)' });
      const courier = readText(issues, command.courier, { field: 'courier', label: 'The courier (物流公司)', min: 1, max: 30 });
      let exchange: NonNullable<SendBack['shipment']>['exchange'] = null;
      if (sendBack.chosenRemedy === 'exchange_host') {
        if (!command.exchange) {
          issues.push(issue('exchange', 'required', 'S4.5: a host exchange records the old and the new IMEI/MEID.'));
        } else {
          const old = readDeviceIdField(issues, command.exchange.oldDeviceId, 'exchange.oldDeviceId', 'The old host’s IMEI/MEID');
          const fresh = readDeviceIdField(issues, command.exchange.newDeviceId, 'exchange.newDeviceId', 'The new host’s IMEI/MEID');
          if (old && !sameDeviceId(old, sendBack.device)) {
            issues.push(
              issue('exchange.oldDeviceId', 'not_this_device', `The old host is ${sendBack.device.kind.toUpperCase()} ${sendBack.device.value}, the one this send-back received; ${old.value} is another.`),
            );
          }
          if (old && fresh && fresh.kind !== old.kind) {
            issues.push(issue('exchange.newDeviceId', 'kind_mismatch', `Record the new host's ${old.kind.toUpperCase()}, as for the old one, so the two compare.`));
          } else if (old && fresh && sameDeviceId(old, fresh)) {
            issues.push(issue('exchange.newDeviceId', 'same_as_old', 'The new host has the old host’s identifier: an exchange gives a different host.'));
          }
          if (old && fresh && issues.length === 0) {
            exchange = { old, new: fresh, boxNoticeZh: clauseOf(ctx.policy, ctx.policy.boxIdNoticeClauseId).textZh };
          }
        }
      } else if (command.exchange) {
        issues.push(issue('exchange', 'not_expected', `The outcome is ${sendBack.chosenRemedy ?? 'undecided'}, not a host exchange: no new IMEI/MEID to record.`));
      }
      throwIfIssues('S4.5 shipping back', issues);
      const shipment = { at, trackingNo: trackingNo as string, courier: courier as string, exchange };
      return change({ ...moved, shipment }, shipment);
    }
    case 'close': {
      if (sendBack.status === 'decided' && sendBack.chosenRemedy !== 'return') {
        refuse('ship_back_first', `The outcome is ${sendBack.chosenRemedy ?? 'undecided'}: ship the parcel back before closing.`, {
          chosenRemedy: sendBack.chosenRemedy,
        });
      }
      const note = readText(issues, command.note, { field: 'note', label: 'The note', min: 0, max: 500 });
      throwIfIssues('S4.3 closing the send-back', issues);
      return change({ ...moved, closed: { at, note } }, { note });
    }
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('S4.3 cancelling the send-back', issues);
      return change({ ...moved, cancelled: { at, reason: reason as string, by: ctx.role } }, { reason });
    }
    case 'record_postage': {
      if (sendBack.postage?.settled) refuse('postage_settled', 'The postage of this send-back was settled already; its charges stay as they were settled.');
      const decision = sendBack.decision;
      if (!decision) refuse('not_decided', 'The postage split comes with the decision: decide first.');
      const legs = Array.isArray(command.legs) ? command.legs : [];
      if (legs.length === 0 || legs.length > 2) issues.push(issue('legs', 'invalid', 'Record one or both legs of the round trip.'));
      const seen = new Set<string>();
      const charges: PostageCharge[] = [];
      legs.forEach((l, i) => {
        const field = `legs[${i}]`;
        const leg = readChoice(issues, l?.leg, postageLegs, { field: `${field}.leg`, label: 'The leg (buyer_to_shop or shop_to_buyer)' });
        const paidBy = readChoice(issues, l?.paidBy, postagePayers, { field: `${field}.paidBy`, label: 'Who paid the courier (buyer or shop)' });
        if (!Number.isSafeInteger(l?.chargedFen) || l.chargedFen < 0 || l.chargedFen > 1_000_000) {
          issues.push(issue(`${field}.chargedFen`, 'invalid', "The courier's charge is a whole number of fen, 0 to 1,000,000."));
        }
        const trackingNo = readText(issues, l?.trackingNo, { field: `${field}.trackingNo`, label: 'The tracking number', min: 0, max: 40 });
        if (leg && seen.has(leg)) issues.push(issue(`${field}.leg`, 'duplicate', `The leg ${leg} is given twice.`));
        if (leg) seen.add(leg);
        if (leg === 'shop_to_buyer' && sendBack.chosenRemedy !== 'return' && !sendBack.shipment) {
          issues.push(issue(`${field}.leg`, 'not_shipped', 'The parcel back has not been shipped yet: record its charge when it goes.'));
        }
        if (leg && paidBy && issues.length === 0) charges.push({ leg, chargedFen: l.chargedFen, paidBy, trackingNo });
      });
      throwIfIssues('S4.3 recording the postage', issues);
      const split = decision.postage.legs.map((l) => ({ leg: l.leg, buyerPercent: l.buyerPercent }));
      const postage: PostageAccount = {
        ...accountPostage({ clauseId: decision.postage.clauseId, split, charges }),
        recordedAt: at,
        recordedBy: ctx.role,
        settled: null,
      };
      return change({ ...moved, postage }, { legs: postage.legs, shopOwesBuyerFen: postage.shopOwesBuyerFen });
    }
    case 'settle_postage': {
      const account = sendBack.postage;
      if (!account) refuse('postage_not_recorded', "Record the courier's charges first (record_postage).");
      if (account.settled) refuse('postage_settled', 'The postage was settled already.');
      if (account.shopOwesBuyerFen === 0) refuse('nothing_owed', 'Neither side owes the other anything for the postage.');
      const method = readChoice(issues, command.method, postageSettleMethods, { field: 'method', label: 'How it was settled' });
      const reference = readText(issues, command.reference, { field: 'reference', label: 'The transfer number', min: 0, max: 64 });
      const note = readText(issues, command.note, { field: 'note', label: 'The note', min: method === 'waived' ? 2 : 0, max: 500 });
      throwIfIssues('S4.3 settling the postage', issues);
      const owed = Math.abs(account.shopOwesBuyerFen);
      const settled = {
        at,
        by: ctx.role,
        method: method as PostageSettleMethod,
        amountFen: method === 'waived' ? 0 : owed,
        direction: account.shopOwesBuyerFen > 0 ? ('shop_to_buyer' as const) : ('buyer_to_shop' as const),
        reference,
        note,
      };
      return change({ ...moved, postage: { ...account, settled } }, settled);
    }
  }
}

/** What decides a send-back: its facts as opened, the test report, and the device's 三包 repairs before it. */
export function sendBackWarrantyInput(
  sendBack: SendBack,
  test: NonNullable<SendBack['test']>,
  report: NonNullable<SendBack['report']>,
  repairs: readonly PriorRepair[] | undefined,
): Parameters<typeof decideWarranty>[0] {
  return {
    item: sendBack.item,
    request: 'warranty',
    purchaseDate: sendBack.purchaseDate,
    deliveryDate: sendBack.deliveryDate,
    invoiceDate: sendBack.invoiceDate ?? null,
    hostPeriodsFrom: sendBack.hostPeriodsFrom ?? null,
    repairs,
    requestDate: sendBack.requestDate,
    fault: faultOf(report.result),
    faultCode: report.faultCode,
    confirmedBy: report.result === 'fault_confirmed' ? test.testedBy : 'none',
    condition: report.condition,
    contactedFirst: true,
  };
}

/** The actions a role may take on a send-back in its status now (before checking each action's input). */
export function sendBackActionsFor(sendBack: SendBack, role: Role): SendBackAction[] {
  return (Object.keys(sendBackTransitions[sendBack.status]) as SendBackAction[]).filter((a) => {
    if (!(sendBackActionRoles[a] as readonly Role[]).includes(role)) return false;
    if (a === 'close' && sendBack.status === 'decided') return sendBack.chosenRemedy === 'return';
    if (a === 'ship_back') return sendBack.chosenRemedy !== 'return';
    if (a === 'record_postage') return !sendBack.postage?.settled;
    if (a === 'settle_postage') return postageOutstanding(sendBack.postage);
    return true;
  });
}
