/**
 * S5.3–S5.8 the service and repair record (售后服务及维修记录单): the clerk
 * records the hotline call, the system answers at once whether the product is
 * in warranty and why (S5.1), and the record then travels:
 *
 *   solved during the call (S5.8)                 → closed_on_phone
 *   in warranty (S5.4)        → awaiting_assignment → assigned → finish_work → work_done
 *   out of warranty (S5.5)    → awaiting_decision → leadership decides
 *       free → awaiting_assignment → as in warranty
 *       paid → awaiting_assignment → assigned (inspect on site first) → quote → quoted
 *              → customer declines → work_done
 *              → customer accepts → repairing → finish_work → settling
 *                (payment collected and invoice issued, in either order) → return
 *   work_done | settling → return_to_clerk → returned (follow-up due, S5.7)
 *                        → archive → archived (dispatches marked complete, S5.6)
 *
 * S5.8 emergencies: the work starts before the paperwork. An emergency record
 * opens straight in `assigned` with whatever is known; what is missing
 * (caller, fault, product, leadership's decision) is its paperwork gaps, the
 * record is incomplete until they are filled, `remindersDue` names who must be
 * reminded, and it cannot return to the clerk before it is complete.
 */
import { AppError } from '../errors.ts';
import type { Fen } from '../money.ts';
import type { Role } from '../roles.ts';
import { charCount, issue, normalizeCode, readChoice, readFen, readText, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { requireTransition, type RecordChange, type TransitionTable } from '../workbench/record-machine.ts';
import { readPhone, warrantyStatus, type Market, type ServiceArchive, type WarrantyState, type WarrantyStatus } from './archive.ts';
import { isCalendarDate, shanghaiDate, type CalendarDate } from './dates.ts';
import { followUpDueAt, followUpTask, validateFollowUpOutcome, type FollowUpAttempt, type FollowUpOutcomeInput, type FollowUpPolicy } from './follow-up.ts';
import {
  readPastInstant,
  readStaffRef,
  requireServiceRole,
  type Bilingual,
  type ServiceActor,
  type ServiceContext,
  type StaffRef,
} from './service-context.ts';

export const repairStatuses = [
  /** S5.8: solved during the call itself (final) */
  'closed_on_phone',
  /** S5.4: the clerk is to hand the record to a project lead or an R&D/production lead */
  'awaiting_assignment',
  /** S5.5: out of warranty; leadership decides whether the repair is free (请示领导) */
  'awaiting_decision',
  /** a lead owns it: free work → contact the customer and repair; paid work → inspect on site first */
  'assigned',
  /** S5.5: paid: the findings and the fees (收费标准) were stated; the customer decides */
  'quoted',
  /** S5.5: paid: the customer accepted; the lead repairs */
  'repairing',
  /** S5.5: paid and repaired: the lead collects payment and issues the invoice (收款及开具发票) */
  'settling',
  /** the lead's part is done and filled in; the record goes back to the clerk */
  'work_done',
  /** S5.6: back with the clerk; the follow-up call is due three days later (S5.7) */
  'returned',
  /** S5.6: filed by the clerk; its dispatches marked complete (final; follow-up calls are still logged) */
  'archived',
  /** withdrawn before any work (a duplicate call, the customer withdrew) (final) */
  'cancelled',
] as const;
export type RepairStatus = (typeof repairStatuses)[number];

export const repairActions = [
  'assign',
  'reassign',
  'decide',
  'quote',
  'accept_quote',
  'decline_quote',
  'finish_work',
  'collect_payment',
  'issue_invoice',
  'return_to_clerk',
  'archive',
  'log_follow_up',
  'complete_paperwork',
  'cancel',
] as const;
export type RepairAction = (typeof repairActions)[number];

/** from → action → to. Guards that depend on the record (billing, emergency, settlement) live in `applyRepairAction`. */
export const repairTransitions = {
  closed_on_phone: {},
  awaiting_assignment: { assign: 'assigned', cancel: 'cancelled' },
  awaiting_decision: { decide: 'awaiting_assignment', cancel: 'cancelled' },
  assigned: {
    reassign: 'assigned',
    decide: 'assigned',
    quote: 'quoted',
    finish_work: 'work_done',
    complete_paperwork: 'assigned',
    cancel: 'cancelled',
  },
  quoted: { reassign: 'quoted', accept_quote: 'repairing', decline_quote: 'work_done', complete_paperwork: 'quoted' },
  repairing: { reassign: 'repairing', finish_work: 'settling', complete_paperwork: 'repairing' },
  settling: { collect_payment: 'settling', issue_invoice: 'settling', return_to_clerk: 'returned', complete_paperwork: 'settling' },
  work_done: { return_to_clerk: 'returned', complete_paperwork: 'work_done' },
  returned: { archive: 'archived', log_follow_up: 'returned' },
  archived: { log_follow_up: 'archived' },
  cancelled: {},
} as const satisfies TransitionTable<RepairStatus, RepairAction>;

/**
 * Who may take each action. The clerk routes, files and calls back (S5.3,
 * S5.6, S5.7); leadership decides free or paid (S5.5); the lead the record is
 * assigned to does the work and its paperwork (S5.4, S5.5), finance may record
 * the payment and invoice for them; a supervisor may stand in for the clerk.
 */
export const repairActionRoles = {
  assign: ['clerk', 'supervisor'],
  reassign: ['clerk', 'supervisor'],
  decide: ['leadership'],
  quote: ['field_lead'],
  accept_quote: ['field_lead'],
  decline_quote: ['field_lead'],
  finish_work: ['field_lead'],
  collect_payment: ['field_lead', 'finance'],
  issue_invoice: ['field_lead', 'finance'],
  return_to_clerk: ['field_lead'],
  archive: ['clerk', 'supervisor'],
  log_follow_up: ['clerk', 'supervisor'],
  complete_paperwork: ['clerk', 'field_lead', 'supervisor'],
  cancel: ['clerk', 'supervisor'],
} as const satisfies Record<RepairAction, readonly Role[]>;

/** Who may open a record: the clerk answers the hotline (S5.3); in an emergency a lead may open it himself (S5.8). */
export const repairOpenRoles = {
  call: ['clerk', 'supervisor'],
  emergency: ['clerk', 'field_lead', 'supervisor'],
} as const satisfies Record<'call' | 'emergency', readonly Role[]>;

export const finalRepairStatuses = ['closed_on_phone', 'archived', 'cancelled'] as const satisfies readonly RepairStatus[];

export function isOpenRepairStatus(status: RepairStatus): boolean {
  return !(finalRepairStatuses as readonly RepairStatus[]).includes(status);
}

// ───────────────────────── the record ─────────────────────────

export const leadUnits = [
  /** 项目负责人 */
  'project',
  /** 研发生产部负责人 */
  'rnd_production',
] as const;
export type LeadUnit = (typeof leadUnits)[number];

export interface Assignee extends StaffRef {
  unit: LeadUnit;
}

export interface AssigneeInput {
  userId: number;
  name: string;
  /** the user's role; only a field_lead takes repairs */
  role: Role;
  unit: LeadUnit;
}

/** S5.5: who pays. In warranty: free. Out of warranty: leadership's decision; null until made. */
export const billings = ['free', 'paid'] as const;
export type Billing = (typeof billings)[number];

/** The warranty on the call's date, or unknown while the product is not identified (an emergency). */
export type Coverage = WarrantyState | 'unknown';

export interface RepairCall {
  /** when the call came in: the dispatch clock starts here (S5.8) */
  at: string;
  receivedBy: StaffRef & { role: Role };
  callerName: string | null;
  callerPhone: string | null;
  /** the fault as the caller describes it (故障描述) */
  fault: string | null;
}

/** The archive's facts as they were when linked: the record prints them, later amendments do not rewrite history. */
export interface RepairProduct {
  archiveId: number;
  product: string;
  serialNo: string;
  contractNo: string;
  market: Market;
  organisation: string;
  contact: string;
  phone: string;
  siteAddress: string;
}

export interface FeeItem {
  description: string;
  /** the item's code in the fee standard, when it has one */
  standardCode: string | null;
  quantity: number;
  unitPriceFen: Fen;
  amountFen: Fen;
}

export interface Quote {
  /** what the on-site inspection found (排查出的问题) */
  findings: string;
  /** the fee standard stated to the customer (收费标准), e.g. its name and version */
  feeStandard: string;
  items: FeeItem[];
  totalFen: Fen;
  note: string | null;
  at: string;
  by: StaffRef;
}

export const workMethods = ['on_site', 'phone'] as const;
export type WorkMethod = (typeof workMethods)[number];

export interface Part {
  name: string;
  model: string | null;
  quantity: number;
}

/** S5.4, S5.6: what the lead fills in: work done, parts, time. */
export interface WorkReport {
  /** on site, or by phone (S5.8: a small problem solved by the lead on the phone) */
  method: WorkMethod;
  workDone: string;
  parts: Part[];
  /** the time the work took, in minutes (工时) */
  labourMinutes: number;
  finishedAt: string;
  by: StaffRef;
  /** photos of the work taken on site (issue 15 §7): evidence refs `evidence:<id>`, at most 9; absent on older reports */
  photos?: string[];
}

/** At most this many photos per work report. */
export const MAX_WORK_PHOTOS = 9;
const WORK_PHOTO_REF = /^evidence:[1-9]\d{0,9}$/;

export const paymentMethods = ['bank_transfer', 'cash', 'wechat_pay', 'alipay', 'other'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export interface Payment {
  amountFen: Fen;
  method: PaymentMethod;
  receivedOn: CalendarDate;
  note: string | null;
  at: string;
  by: StaffRef;
}

export interface RepairInvoice {
  number: string;
  issueDate: CalendarDate;
  amountFen: Fen;
  at: string;
  by: StaffRef;
}

export interface RepairRecord {
  status: RepairStatus;
  call: RepairCall;
  product: RepairProduct | null;
  /** the warranty on the call's Shanghai date, with its reason; null while the product is unknown */
  warranty: WarrantyStatus | null;
  coverage: Coverage;
  billing: Billing | null;
  decision: { billing: Billing; note: string | null; by: StaffRef; at: string } | null;
  phoneSolution: { solution: string; at: string } | null;
  emergency: { startedAt: string; declaredBy: StaffRef; note: string | null } | null;
  assignee: Assignee | null;
  assignments: { to: Assignee; by: StaffRef; at: string; reason: string | null }[];
  quote: Quote | null;
  customerDecision: { accepted: boolean; note: string | null; at: string; by: StaffRef } | null;
  work: WorkReport | null;
  payment: Payment | null;
  invoice: RepairInvoice | null;
  returnedAt: string | null;
  archived: { at: string; by: StaffRef } | null;
  followUps: FollowUpAttempt[];
  cancelled: { reason: string; at: string; by: StaffRef } | null;
  createdAt: string;
  updatedAt: string;
}

/** What the app does next beside saving the record. */
export type RepairNext =
  /** S5.4: register the dispatch (售后派出登记) */
  | 'register_dispatch'
  /** S5.7: the follow-up call is scheduled (see `followUpDueAt` in the change) */
  | 'schedule_follow_up'
  /** S5.6: mark this record's dispatches complete */
  | 'complete_dispatches'
  /** no visit will happen: cancel this record's open dispatches */
  | 'cancel_open_dispatches';

export interface RepairChange extends RecordChange<RepairRecord, RepairStatus, RepairAction> {
  next: RepairNext[];
}

// ───────────────────────── opening a record ─────────────────────────

export interface LinkedArchive {
  id: number;
  archive: ServiceArchive;
}

export interface RepairCallInput {
  /** when the call came in; defaults to now (an emergency: to the start of the work) */
  calledAt?: string | null | undefined;
  callerName?: string | null | undefined;
  callerPhone?: string | null | undefined;
  fault?: string | null | undefined;
  /** the product's archive, found by customer, serial or site (`searchArchives`) */
  archive?: LinkedArchive | null | undefined;
  /** S5.8: solved during this call */
  solvedOnPhone?: { solution: string } | null | undefined;
  /** S5.8: the work starts before the paperwork */
  emergency?: { startedAt?: string | null | undefined; note?: string | null | undefined; assignee: AssigneeInput } | null | undefined;
}

export interface RepairOpened {
  record: RepairRecord;
  next: RepairNext[];
}

const labels = {
  callerName: 'Who called (来电人)',
  callerPhone: "The caller's phone (来电号码)",
  fault: 'The fault (故障描述)',
} as const;

function readAssignee(issues: FieldIssue[], value: unknown, field: string): Assignee | null {
  const ref = readStaffRef(issues, value, { field, label: 'The lead (负责人)' });
  if (ref === null) return null;
  const v = value as Partial<AssigneeInput>;
  const unit = readChoice(issues, v.unit, leadUnits, { field: `${field}.unit`, label: 'The lead\'s department (项目 or 研发生产部)' });
  if (v.role !== 'field_lead') {
    throw new AppError(
      'ASSIGNEE_NOT_ELIGIBLE',
      `S5.4: a repair goes to a project lead or an R&D/production lead (role field_lead); ${ref.name} has the role ${String(v.role)}.`,
      { reason: 'assignee_not_field_lead', userId: ref.userId, role: v.role ?? null },
    );
  }
  return unit === null ? null : { ...ref, unit };
}

function snapshotProduct(linked: LinkedArchive): RepairProduct {
  const a = linked.archive;
  return {
    archiveId: linked.id,
    product: a.product,
    serialNo: a.serialNo,
    contractNo: a.contractNo,
    market: a.market,
    organisation: a.customer.organisation,
    contact: a.customer.contact,
    phone: a.customer.phone,
    siteAddress: a.customer.siteAddress,
  };
}

function readLinkedArchive(issues: FieldIssue[], value: unknown, required: boolean): LinkedArchive | null {
  if (value === undefined || value === null) {
    if (required) issues.push(issue('archive', 'required', 'S5.3: find the product in the service archives (by customer, serial number or site) first.'));
    return null;
  }
  const v = value as Partial<LinkedArchive>;
  if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id) || v.id <= 0 || typeof v.archive !== 'object' || v.archive === null) {
    issues.push(issue('archive', 'invalid', 'The archive is { id, archive } as loaded from the service archives.'));
    return null;
  }
  return v as LinkedArchive;
}

function coverageOf(warranty: WarrantyStatus | null): Coverage {
  return warranty === null ? 'unknown' : warranty.state;
}

/**
 * S5.3: records the hotline call. The warranty is checked on the call's
 * Shanghai date; the record opens in the status the seed's routing gives.
 */
export function openRepairRecord(input: RepairCallInput, ctx: ServiceContext): RepairOpened {
  const emergencyInput = input.emergency ?? null;
  requireServiceRole('repair record', repairOpenRoles, emergencyInput ? 'emergency' : 'call', ctx.actor);
  const issues: FieldIssue[] = [];
  const required = emergencyInput === null;
  let startedAt: Date | null = null;
  let assignee: Assignee | null = null;
  let emergencyNote: string | null = null;
  if (emergencyInput !== null) {
    if (input.solvedOnPhone) issues.push(issue('solvedOnPhone', 'with_emergency', 'A call solved on the phone is no emergency; choose one.'));
    startedAt = readPastInstant(issues, emergencyInput.startedAt, { field: 'emergency.startedAt', label: 'When the work started', now: ctx.now, fallback: ctx.now });
    emergencyNote = readText(issues, emergencyInput.note, { field: 'emergency.note', label: 'The emergency note', min: 0, max: 500 });
    assignee = readAssignee(issues, emergencyInput.assignee, 'emergency.assignee');
  }
  const calledAt = readPastInstant(issues, input.calledAt, {
    field: 'calledAt',
    label: 'When the call came in',
    now: ctx.now,
    fallback: startedAt ?? ctx.now,
  });
  if (calledAt && startedAt && startedAt.getTime() < calledAt.getTime()) {
    issues.push(issue('emergency.startedAt', 'before_call', 'The work cannot start before the call came in.'));
  }
  const callerName = readText(issues, input.callerName, { field: 'callerName', label: labels.callerName, min: required ? 1 : 0, max: 40 });
  const callerPhone = readPhone(issues, input.callerPhone, { field: 'callerPhone', label: labels.callerPhone, required });
  const fault = readText(issues, input.fault, { field: 'fault', label: labels.fault, min: required ? 2 : 0, max: 1000 });
  if (!required && fault !== null && charCount(fault) < 2) issues.push(issue('fault', 'too_short', `${labels.fault} needs at least 2 characters.`, 2));
  const linked = readLinkedArchive(issues, input.archive, required);
  let phoneSolution: { solution: string; at: string } | null = null;
  if (input.solvedOnPhone) {
    const solution = readText(issues, input.solvedOnPhone.solution, { field: 'solvedOnPhone.solution', label: 'How it was solved on the phone', min: 2, max: 1000 });
    if (solution !== null) phoneSolution = { solution, at: ctx.now.toISOString() };
  }
  throwIfIssues(emergencyInput ? 'S5.8 emergency repair record' : 'S5.3 service and repair record (售后服务及维修记录单)', issues);

  const callAt = calledAt as Date;
  const warranty = linked ? warrantyStatus(linked.archive, shanghaiDate(callAt)) : null;
  const coverage = coverageOf(warranty);
  const at = ctx.now.toISOString();
  const by: StaffRef = { userId: ctx.actor.userId, name: ctx.actor.name };
  const status: RepairStatus = phoneSolution
    ? 'closed_on_phone'
    : emergencyInput
      ? 'assigned'
      : coverage === 'in_warranty'
        ? 'awaiting_assignment'
        : 'awaiting_decision';
  const record: RepairRecord = {
    status,
    call: { at: callAt.toISOString(), receivedBy: { ...by, role: ctx.actor.role }, callerName, callerPhone, fault },
    product: linked ? snapshotProduct(linked) : null,
    warranty,
    coverage,
    billing: coverage === 'in_warranty' && !phoneSolution ? 'free' : null,
    decision: null,
    phoneSolution,
    emergency: startedAt ? { startedAt: startedAt.toISOString(), declaredBy: by, note: emergencyNote } : null,
    assignee,
    assignments: assignee ? [{ to: assignee, by, at, reason: null }] : [],
    quote: null,
    customerDecision: null,
    work: null,
    payment: null,
    invoice: null,
    returnedAt: null,
    archived: null,
    followUps: [],
    cancelled: null,
    createdAt: at,
    updatedAt: at,
  };
  return { record, next: emergencyInput ? ['register_dispatch'] : [] };
}

// ───────────────────────── paperwork gaps and reminders (S5.8) ─────────────────────────

export const paperworkItems = ['caller', 'fault', 'product', 'decision'] as const;
export type PaperworkItem = (typeof paperworkItems)[number];

export const paperworkItemLabels = {
  caller: { 'zh-CN': '来电人及电话', en: 'who called and their phone' },
  fault: { 'zh-CN': '故障描述', en: 'the fault' },
  product: { 'zh-CN': '对应的售后档案（产品、序列号）', en: "the product's service archive (product, serial number)" },
  decision: { 'zh-CN': '领导是否无偿维修的决定', en: "leadership's decision whether the repair is free" },
} as const satisfies Record<PaperworkItem, Bilingual>;

export interface Remindee {
  role: Role;
  /** a named person, or null: anyone with the role */
  userId: number | null;
  name: string | null;
}

export interface PaperworkGap {
  item: PaperworkItem;
  remind: Remindee;
  label: Bilingual;
}

function ownerOrClerk(record: RepairRecord): Remindee {
  return record.assignee
    ? { role: 'field_lead', userId: record.assignee.userId, name: record.assignee.name }
    : { role: 'clerk', userId: null, name: null };
}

/**
 * S5.8: what an emergency record still lacks, and who must supply it: the
 * record's owner (the lead) for the call's facts and the product, leadership
 * for the free-or-paid decision out of warranty. A record opened the normal way
 * has no gaps: its form required everything.
 */
export function paperworkGaps(record: RepairRecord): PaperworkGap[] {
  if (record.emergency === null || !isOpenRepairStatus(record.status)) return [];
  const gaps: PaperworkGap[] = [];
  const owner = ownerOrClerk(record);
  const add = (item: PaperworkItem, remind: Remindee): void => {
    gaps.push({ item, remind, label: paperworkItemLabels[item] });
  };
  if (record.call.callerName === null || record.call.callerPhone === null) add('caller', owner);
  if (record.call.fault === null) add('fault', owner);
  if (record.product === null) add('product', owner);
  else if (record.billing === null && record.coverage !== 'in_warranty') add('decision', { role: 'leadership', userId: null, name: null });
  return gaps;
}

/** S5.8: the record is flagged incomplete while paperwork is missing. */
export function isIncomplete(record: RepairRecord): boolean {
  return paperworkGaps(record).length > 0;
}

export interface ReminderPolicy {
  /** the first reminder, this long after the emergency work started (the work comes first) */
  firstAfterHours: number;
  /** then again every this many hours until complete */
  everyHours: number;
}

export const defaultReminderPolicy: ReminderPolicy = { firstAfterHours: 4, everyHours: 24 };

export interface Reminder {
  item: PaperworkItem;
  remind: Remindee;
  /** the reminder slot this belongs to: send once per key */
  slotAt: string;
  key: string;
  /** what is missing, in a few words (来电人及电话) */
  label: Bilingual;
  message: Bilingual;
}

/**
 * S5.8: the reminders due at `now` for an incomplete emergency record. Pure
 * and repeatable: the same slot gives the same key, so the caller sends each
 * (record, key) once and asks again later.
 */
export function remindersDue(record: RepairRecord, now: Date, policy: ReminderPolicy = defaultReminderPolicy): Reminder[] {
  const ok = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= 24 * 30;
  if (!ok(policy.firstAfterHours) || !ok(policy.everyHours) || policy.everyHours <= 0) {
    throw new AppError('VALIDATION_FAILED', 'S5.8: reminder hours must be between 0 and 720 (every > 0).', { reason: 'reminder_policy_invalid' });
  }
  if (record.emergency === null) return [];
  const gaps = paperworkGaps(record);
  if (gaps.length === 0) return [];
  const first = new Date(record.emergency.startedAt).getTime() + policy.firstAfterHours * 3_600_000;
  if (now.getTime() < first) return [];
  const every = policy.everyHours * 3_600_000;
  const slotAt = new Date(first + Math.floor((now.getTime() - first) / every) * every).toISOString();
  return gaps.map((g) => ({
    item: g.item,
    remind: g.remind,
    slotAt,
    key: `${g.item}@${slotAt}`,
    label: g.label,
    message: {
      'zh-CN': `紧急维修已先行处理，请补充手续：${g.label['zh-CN']}。（S5.8 手续的补充要主动）`,
      en: `The emergency work went first; please complete the paperwork: ${g.label.en}. (S5.8)`,
    },
  }));
}

// ───────────────────────── who holds it ─────────────────────────

export interface RecordOwner extends Remindee {
  waitingFor: Bilingual;
}

/** Who the record waits on in its status (S5.6 review), or null when final. */
export function recordOwner(record: RepairRecord): RecordOwner | null {
  const clerk = (): Remindee =>
    record.call.receivedBy.role === 'clerk'
      ? { role: 'clerk', userId: record.call.receivedBy.userId, name: record.call.receivedBy.name }
      : { role: 'clerk', userId: null, name: null };
  const lead = ownerOrClerk(record);
  switch (record.status) {
    case 'awaiting_assignment':
      return { ...clerk(), waitingFor: { 'zh-CN': '交给项目负责人或研发生产部负责人', en: 'assigning a project or R&D/production lead' } };
    case 'awaiting_decision':
      return { role: 'leadership', userId: null, name: null, waitingFor: { 'zh-CN': '领导决定是否无偿维修', en: "leadership's free-or-paid decision" } };
    case 'assigned':
      return {
        ...lead,
        waitingFor:
          record.billing === 'paid'
            ? { 'zh-CN': '现场检查并报价', en: 'the on-site inspection and the quote' }
            : { 'zh-CN': '联系客户并维修', en: 'contacting the customer and repairing' },
      };
    case 'quoted':
      return { ...lead, waitingFor: { 'zh-CN': '客户是否维修的选择', en: "the customer's decision on the quote" } };
    case 'repairing':
      return { ...lead, waitingFor: { 'zh-CN': '维修并填写记录单', en: 'the repair and its report' } };
    case 'settling':
      return { ...lead, waitingFor: { 'zh-CN': '收款及开具发票', en: 'collecting payment and issuing the invoice' } };
    case 'work_done':
      return { ...lead, waitingFor: { 'zh-CN': '将记录单交给市场部内勤', en: 'returning the record to the clerk' } };
    case 'returned':
      return { ...clerk(), waitingFor: { 'zh-CN': '存档并将派出登记标注完成', en: 'filing the record and completing the dispatch' } };
    case 'closed_on_phone':
    case 'archived':
    case 'cancelled':
      return null;
  }
}

// ───────────────────────── actions ─────────────────────────

export interface FeeItemInput {
  description: string;
  standardCode?: string | null | undefined;
  quantity: number;
  unitPriceFen: Fen;
}

export interface PartInput {
  name: string;
  model?: string | null | undefined;
  quantity: number;
}

export interface WorkReportInput {
  method: WorkMethod;
  workDone: string;
  parts?: PartInput[] | null | undefined;
  labourMinutes: number;
  /** when the work finished; defaults to now */
  finishedAt?: string | null | undefined;
  /** photos of the work, uploaded first (POST /api/v1/evidence): `evidence:<id>` */
  photos?: string[] | null | undefined;
}

export type RepairCommand =
  | { action: 'assign'; assignee: AssigneeInput }
  | { action: 'reassign'; assignee: AssigneeInput; reason: string }
  | { action: 'decide'; billing: Billing; note?: string | null | undefined }
  | { action: 'quote'; findings: string; feeStandard: string; items: FeeItemInput[]; note?: string | null | undefined }
  | { action: 'accept_quote'; note?: string | null | undefined }
  /** the inspection is the work done: its report is filled here */
  | { action: 'decline_quote'; note?: string | null | undefined; work: WorkReportInput }
  | { action: 'finish_work'; work: WorkReportInput }
  /** a note is required when the amount differs from the quote */
  | { action: 'collect_payment'; amountFen: Fen; method: PaymentMethod; receivedOn: string; note?: string | null | undefined }
  /** amountFen defaults to the payment, else the quote */
  | { action: 'issue_invoice'; number: string; issueDate: string; amountFen?: Fen | null | undefined }
  | { action: 'return_to_clerk' }
  | { action: 'archive' }
  | { action: 'log_follow_up'; outcome: FollowUpOutcomeInput }
  | {
      action: 'complete_paperwork';
      callerName?: string | null | undefined;
      callerPhone?: string | null | undefined;
      fault?: string | null | undefined;
      archive?: LinkedArchive | null | undefined;
    }
  | { action: 'cancel'; reason: string };

export interface RepairActionOptions {
  /** S5.7: the follow-up policy for `log_follow_up` and the due time on return */
  followUp?: FollowUpPolicy | undefined;
}

function notAllowed(message: string, details: Record<string, unknown>): AppError {
  return new AppError('ACTION_NOT_ALLOWED', message, details);
}

const leadOnlyActions: readonly RepairAction[] = [
  'quote',
  'accept_quote',
  'decline_quote',
  'finish_work',
  'collect_payment',
  'issue_invoice',
  'return_to_clerk',
  'complete_paperwork',
];

function requireAssignee(record: RepairRecord, action: RepairAction, actor: ServiceActor): void {
  if (actor.role !== 'field_lead' || !leadOnlyActions.includes(action)) return;
  if (record.assignee === null || record.assignee.userId !== actor.userId) {
    throw new AppError('FORBIDDEN', `S5.4: only the lead the record is assigned to (${record.assignee?.name ?? 'nobody'}) may ${action.replace(/_/g, ' ')}.`, {
      reason: 'not_assignee',
      action,
      assigneeUserId: record.assignee?.userId ?? null,
    });
  }
}

function readWorkReport(issues: FieldIssue[], value: unknown, ctx: ServiceContext, calledAt: Date): WorkReport | null {
  if (value === undefined || value === null || typeof value !== 'object') {
    issues.push(issue('work', 'required', 'S5.6: the lead fills in the work done, the parts and the time.'));
    return null;
  }
  const v = value as Partial<WorkReportInput>;
  const method = readChoice(issues, v.method, workMethods, { field: 'work.method', label: 'How the work was done (on site or by phone)' });
  const workDone = readText(issues, v.workDone, { field: 'work.workDone', label: 'The work done (维修内容)', min: 2, max: 2000 });
  const parts: Part[] = [];
  if (v.parts !== undefined && v.parts !== null && !Array.isArray(v.parts)) issues.push(issue('work.parts', 'not_list', 'The parts are a list.'));
  const rawParts = Array.isArray(v.parts) ? v.parts : [];
  if (rawParts.length > 50) issues.push(issue('work.parts', 'too_many', 'At most 50 parts per record.', 50));
  rawParts.slice(0, 50).forEach((p, i) => {
    const field = `work.parts[${i}]`;
    const name = readText(issues, p?.name, { field: `${field}.name`, label: `Part ${i + 1}: the name (配件名称)`, min: 1, max: 100 });
    const model = readText(issues, p?.model, { field: `${field}.model`, label: `Part ${i + 1}: the model (型号)`, min: 0, max: 100 });
    const q = p?.quantity;
    if (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 1 || q > 9999) {
      issues.push(issue(`${field}.quantity`, 'invalid', `Part ${i + 1}: the quantity is a whole number from 1 to 9999.`));
    } else if (name !== null) parts.push({ name, model, quantity: q });
  });
  const minutes = v.labourMinutes;
  if (typeof minutes !== 'number' || !Number.isSafeInteger(minutes) || minutes < 1 || minutes > 43_200) {
    issues.push(issue('work.labourMinutes', 'invalid', 'The time the work took (工时) is a whole number of minutes from 1 to 43200 (30 days).'));
  }
  const finishedAt = readPastInstant(issues, v.finishedAt, { field: 'work.finishedAt', label: 'When the work finished', now: ctx.now, notBefore: calledAt, fallback: ctx.now });
  const photos: string[] = [];
  if (v.photos !== undefined && v.photos !== null) {
    if (!Array.isArray(v.photos)) issues.push(issue('work.photos', 'not_list', 'The photos are a list of evidence refs.'));
    else if (v.photos.length > MAX_WORK_PHOTOS) issues.push(issue('work.photos', 'too_many', `At most ${MAX_WORK_PHOTOS} photos per work report.`, MAX_WORK_PHOTOS));
    else {
      v.photos.forEach((p, i) => {
        if (typeof p !== 'string' || !WORK_PHOTO_REF.test(p)) issues.push(issue(`work.photos[${i}]`, 'invalid', `Photo ${i + 1} is not an uploaded file (evidence:<id>).`));
        else if (!photos.includes(p)) photos.push(p);
      });
    }
  }
  if (method === null || workDone === null || finishedAt === null || typeof minutes !== 'number') return null;
  return {
    method,
    workDone,
    parts,
    labourMinutes: minutes,
    finishedAt: finishedAt.toISOString(),
    by: { userId: ctx.actor.userId, name: ctx.actor.name },
    ...(photos.length > 0 ? { photos } : {}),
  };
}

function readFeeItems(issues: FieldIssue[], value: unknown): FeeItem[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push(issue('items', 'required', 'S5.5: the quote lists at least one fee item from the fee standard.'));
    return [];
  }
  if (value.length > 30) {
    issues.push(issue('items', 'too_many', 'A quote has at most 30 items.', 30));
    return [];
  }
  const items: FeeItem[] = [];
  (value as Partial<FeeItemInput>[]).forEach((it, i) => {
    const field = `items[${i}]`;
    const description = readText(issues, it?.description, { field: `${field}.description`, label: `Item ${i + 1}: the description`, min: 1, max: 200 });
    const code = typeof it?.standardCode === 'string' ? normalizeCode(it.standardCode) : null;
    if (code !== null && code.length > 32) issues.push(issue(`${field}.standardCode`, 'too_long', `Item ${i + 1}: the fee standard code has at most 32 characters.`, 32));
    const q = it?.quantity;
    if (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 1 || q > 9999) {
      issues.push(issue(`${field}.quantity`, 'invalid', `Item ${i + 1}: the quantity is a whole number from 1 to 9999.`));
    }
    const unit = readFen(issues, it?.unitPriceFen, { field: `${field}.unitPriceFen`, label: `Item ${i + 1}: the unit price`, min: 0 });
    if (description !== null && typeof q === 'number' && Number.isSafeInteger(q) && q >= 1 && q <= 9999 && unit !== null) {
      const amountFen = q * unit;
      if (!Number.isSafeInteger(amountFen)) issues.push(issue(`${field}.unitPriceFen`, 'too_large', `Item ${i + 1}: the amount is too large.`));
      else items.push({ description, standardCode: code || null, quantity: q, unitPriceFen: unit, amountFen });
    }
  });
  return items;
}

function readFactDate(issues: FieldIssue[], value: unknown, spec: { field: string; label: string; notBefore: CalendarDate; today: CalendarDate }): CalendarDate | null {
  const d = typeof value === 'string' ? value.trim() : '';
  if (!isCalendarDate(d)) {
    issues.push(issue(spec.field, 'invalid_date', `${spec.label} must be a date like 2026-03-01.`));
    return null;
  }
  if (d > spec.today) {
    issues.push(issue(spec.field, 'in_future', `${spec.label} cannot be later than today (${spec.today}).`));
    return null;
  }
  if (d < spec.notBefore) {
    issues.push(issue(spec.field, 'before_call', `${spec.label} cannot be before the call (${spec.notBefore}).`));
    return null;
  }
  return d;
}

/**
 * Moves a record along S5.3–S5.8. Checks the actor's role (and, for a lead,
 * that the record is his), the transition table, the record's own guards and
 * the command's data; returns the new record and what the app does next.
 */
export function applyRepairAction(record: RepairRecord, command: RepairCommand, ctx: ServiceContext, options: RepairActionOptions = {}): RepairChange {
  requireServiceRole('repair record', repairActionRoles, command.action, ctx.actor);
  const to = requireTransition('repair record', repairTransitions, record.status, command.action);
  requireAssignee(record, command.action, ctx.actor);
  const at = ctx.now.toISOString();
  const by: StaffRef = { userId: ctx.actor.userId, name: ctx.actor.name };
  const moved: RepairRecord = { ...record, status: to, updatedAt: at };
  const calledAt = new Date(record.call.at);
  const callDate = shanghaiDate(calledAt);
  const today = shanghaiDate(ctx.now);
  const issues: FieldIssue[] = [];
  const change = (next: RepairRecord, data: Record<string, unknown> = {}, nextSteps: RepairNext[] = []): RepairChange => ({
    record: next,
    action: command.action,
    from: record.status,
    to,
    data,
    next: nextSteps,
  });

  switch (command.action) {
    case 'assign':
    case 'reassign': {
      if (command.action === 'assign' && record.billing === null) {
        throw notAllowed('S5.5: out of warranty, leadership decides free or paid before the record goes to a lead.', { reason: 'decision_missing' });
      }
      const assignee = readAssignee(issues, command.assignee, 'assignee');
      const reason =
        command.action === 'reassign' ? readText(issues, command.reason, { field: 'reason', label: 'The reason for reassigning', min: 2, max: 200 }) : null;
      if (command.action === 'reassign' && assignee && record.assignee && assignee.userId === record.assignee.userId) {
        issues.push(issue('assignee', 'same_lead', `The record is already assigned to ${assignee.name}.`));
      }
      throwIfIssues('S5.4 assigning the record', issues);
      const a = assignee as Assignee;
      return change(
        { ...moved, assignee: a, assignments: [...record.assignments, { to: a, by, at, reason }] },
        { assignee: a, previous: record.assignee, reason },
        command.action === 'assign' ? ['register_dispatch'] : [],
      );
    }
    case 'decide': {
      if (record.billing !== null) {
        throw notAllowed(`S5.5: this repair is already ${record.billing}${record.decision ? ' by leadership\'s decision' : ' (in warranty)'}.`, {
          reason: 'already_decided',
          billing: record.billing,
        });
      }
      if (record.status === 'assigned' && record.emergency === null) {
        throw notAllowed('S5.5: leadership decides before the record goes to a lead.', { reason: 'not_emergency' });
      }
      if (record.coverage === 'unknown') {
        throw notAllowed('S5.5: identify the product in the archives first; the warranty decides whether leadership is asked.', { reason: 'product_missing' });
      }
      if (record.coverage === 'in_warranty') {
        throw notAllowed('S5.4: in warranty the repair is free; there is nothing to decide.', { reason: 'in_warranty' });
      }
      const billing = readChoice(issues, command.billing, billings, { field: 'billing', label: "Leadership's decision (free or paid)" });
      const note = readText(issues, command.note, { field: 'note', label: 'The note on the decision', min: 0, max: 500 });
      throwIfIssues('S5.5 leadership\'s decision', issues);
      const b = billing as Billing;
      return change({ ...moved, billing: b, decision: { billing: b, note, by, at } }, { billing: b, note });
    }
    case 'quote': {
      if (record.billing !== 'paid') {
        throw notAllowed('S5.5: only paid work is quoted; free work is simply repaired.', { reason: 'not_paid_work', billing: record.billing });
      }
      const findings = readText(issues, command.findings, { field: 'findings', label: 'What the inspection found (排查出的问题)', min: 2, max: 2000 });
      const feeStandard = readText(issues, command.feeStandard, { field: 'feeStandard', label: 'The fee standard stated to the customer (收费标准)', min: 2, max: 200 });
      const items = readFeeItems(issues, command.items);
      const note = readText(issues, command.note, { field: 'note', label: 'The note', min: 0, max: 500 });
      const totalFen = items.reduce((s, i) => s + i.amountFen, 0);
      if (items.length > 0 && totalFen === 0) issues.push(issue('items', 'zero_total', 'S5.5: a paid repair\'s quote totals more than 0; a free repair is leadership\'s decision.'));
      if (!Number.isSafeInteger(totalFen)) issues.push(issue('items', 'too_large', 'The quote total is too large.'));
      throwIfIssues('S5.5 the quote', issues);
      const quote: Quote = { findings: findings as string, feeStandard: feeStandard as string, items, totalFen, note, at, by };
      return change({ ...moved, quote }, { findings, feeStandard, items, totalFen, note });
    }
    case 'accept_quote':
    case 'decline_quote': {
      const accepted = command.action === 'accept_quote';
      const note = readText(issues, command.note, { field: 'note', label: "The customer's words", min: 0, max: 500 });
      const work = accepted ? null : readWorkReport(issues, command.work, ctx, calledAt);
      throwIfIssues(accepted ? 'S5.5 the customer accepts the quote' : 'S5.5 the customer declines the quote', issues);
      const customerDecision = { accepted, note, at, by };
      return change(
        { ...moved, customerDecision, ...(work ? { work } : {}) },
        { accepted, note, ...(work ? { work } : {}) },
        accepted ? [] : ['cancel_open_dispatches'],
      );
    }
    case 'finish_work': {
      if (record.status === 'assigned' && record.billing !== 'free') {
        if (record.billing === 'paid') {
          throw notAllowed('S5.5: paid work is inspected and quoted first; the customer decides before the repair.', { reason: 'quote_first' });
        }
        throw notAllowed(
          record.product === null
            ? 'S5.8: identify the product in the archives before the work is reported done.'
            : "S5.5: out of warranty: leadership's decision, free or paid, is needed before the work is reported done.",
          { reason: record.product === null ? 'product_missing' : 'decision_missing' },
        );
      }
      const work = readWorkReport(issues, command.work, ctx, calledAt);
      throwIfIssues('S5.6 the work report', issues);
      const w = work as WorkReport;
      return change({ ...moved, work: w }, { work: w }, w.method === 'phone' ? ['cancel_open_dispatches'] : []);
    }
    case 'collect_payment': {
      if (record.payment !== null) throw notAllowed('S5.5: the payment is already recorded.', { reason: 'already_collected' });
      const amountFen = readFen(issues, command.amountFen, { field: 'amountFen', label: 'The amount collected', min: 1 });
      const method = readChoice(issues, command.method, paymentMethods, { field: 'method', label: 'How it was paid' });
      const receivedOn = readFactDate(issues, command.receivedOn, { field: 'receivedOn', label: 'The day the payment was received', notBefore: callDate, today });
      const differs = amountFen !== null && record.quote !== null && amountFen !== record.quote.totalFen;
      const note = readText(issues, command.note, {
        field: 'note',
        label: differs ? `The amount differs from the quote (${record.quote?.totalFen} fen): the note saying why` : 'The note',
        min: differs ? 2 : 0,
        max: 500,
      });
      throwIfIssues('S5.5 collecting payment (收款)', issues);
      const payment: Payment = { amountFen: amountFen as Fen, method: method as PaymentMethod, receivedOn: receivedOn as string, note, at, by };
      return change({ ...moved, payment }, { amountFen, method, receivedOn, note });
    }
    case 'issue_invoice': {
      if (record.invoice !== null) throw notAllowed('S5.5: the invoice is already recorded.', { reason: 'already_invoiced' });
      const raw = typeof command.number === 'string' ? normalizeCode(command.number) : '';
      if (!raw) issues.push(issue('number', 'required', 'The invoice number (发票号码) is required.'));
      else if (!/^[0-9A-Z]{8,20}$/.test(raw)) {
        issues.push(issue('number', 'invalid_format', 'The invoice number (发票号码) has 8 to 20 letters or digits (8 on a paper invoice, 20 on a 数电票).'));
      }
      const issueDate = readFactDate(issues, command.issueDate, { field: 'issueDate', label: 'The issue date (开票日期)', notBefore: callDate, today });
      // the invoice is for what was paid, else for the quote, unless an amount is given
      const amountFen =
        command.amountFen === undefined || command.amountFen === null
          ? (record.payment?.amountFen ?? record.quote?.totalFen ?? readFen(issues, null, { field: 'amountFen', label: 'The invoice amount', min: 1 }))
          : readFen(issues, command.amountFen, { field: 'amountFen', label: 'The invoice amount', min: 1 });
      throwIfIssues('S5.5 issuing the invoice (开具发票)', issues);
      const invoice: RepairInvoice = { number: raw, issueDate: issueDate as string, amountFen: amountFen as Fen, at, by };
      return change({ ...moved, invoice }, { number: raw, issueDate, amountFen });
    }
    case 'return_to_clerk': {
      const gaps = paperworkGaps(record);
      if (gaps.length > 0) {
        throw notAllowed(`S5.8: complete the paperwork first: ${gaps.map((g) => g.label.en).join('; ')}.`, {
          reason: 'paperwork_incomplete',
          missing: gaps.map((g) => g.item),
        });
      }
      if (record.status === 'settling') {
        const missing = [...(record.payment === null ? ['payment'] : []), ...(record.invoice === null ? ['invoice'] : [])];
        if (missing.length > 0) {
          throw notAllowed(`S5.5: the lead follows a paid repair through payment and invoice before it ends; missing: ${missing.join(', ')}.`, {
            reason: missing[0] === 'payment' ? 'payment_missing' : 'invoice_missing',
            missing,
          });
        }
      }
      const dueAt = followUpDueAt(ctx.now, { calendar: options.followUp?.calendar });
      return change({ ...moved, returnedAt: at }, { followUpDueAt: dueAt.toISOString() }, ['schedule_follow_up']);
    }
    case 'archive':
      return change({ ...moved, archived: { at, by } }, {}, ['complete_dispatches']);
    case 'log_follow_up': {
      const attempt = validateFollowUpOutcome(record, command.outcome ?? ({} as FollowUpOutcomeInput), { now: ctx.now, by }, options.followUp);
      return change({ ...moved, followUps: [...record.followUps, attempt] }, { ...attempt });
    }
    case 'complete_paperwork': {
      if (record.emergency === null) {
        throw notAllowed('S5.8: only an emergency record completes its paperwork afterwards; this record was complete from the call.', { reason: 'not_emergency' });
      }
      const gaps = paperworkGaps(record);
      if (gaps.length === 0) throw notAllowed('S5.8: the paperwork is already complete.', { reason: 'paperwork_complete' });
      const callerName = readText(issues, command.callerName, { field: 'callerName', label: labels.callerName, min: 0, max: 40 });
      const callerPhone = readPhone(issues, command.callerPhone, { field: 'callerPhone', label: labels.callerPhone, required: false });
      const fault = readText(issues, command.fault, { field: 'fault', label: labels.fault, min: 0, max: 1000 });
      if (fault !== null && charCount(fault) < 2) issues.push(issue('fault', 'too_short', `${labels.fault} needs at least 2 characters.`, 2));
      const linked = readLinkedArchive(issues, command.archive, false);
      if (linked !== null && record.product !== null) {
        issues.push(issue('archive', 'already_linked', `The record is already linked to the archive of ${record.product.serialNo}.`));
      }
      const given = [callerName, callerPhone, fault, linked].filter((v) => v !== null).length;
      if (issues.length === 0 && given === 0) issues.push(issue('callerName', 'nothing_given', 'S5.8: fill in at least one missing item.'));
      throwIfIssues('S5.8 completing the paperwork', issues);
      const call = {
        ...record.call,
        ...(callerName !== null ? { callerName } : {}),
        ...(callerPhone !== null ? { callerPhone } : {}),
        ...(fault !== null ? { fault } : {}),
      };
      let next: RepairRecord = { ...moved, call };
      if (linked !== null) {
        const warranty = warrantyStatus(linked.archive, callDate);
        const coverage = coverageOf(warranty);
        next = { ...next, product: snapshotProduct(linked), warranty, coverage, billing: coverage === 'in_warranty' ? 'free' : record.billing };
      }
      const filled = paperworkItems.filter((item) => gaps.some((g) => g.item === item) && !paperworkGaps(next).some((g) => g.item === item));
      return change(next, { callerName, callerPhone, fault, archiveId: linked?.id ?? null, coverage: next.coverage, filled });
    }
    case 'cancel': {
      if (record.status === 'assigned' && (record.work !== null || record.emergency !== null)) {
        throw notAllowed('Work has started on this record; finish and return it instead of cancelling.', { reason: 'work_started' });
      }
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('Cancelling the repair record', issues);
      return change({ ...moved, cancelled: { reason: reason as string, at, by } }, { reason }, ['cancel_open_dispatches']);
    }
  }
}

/** The actions the record's status allows, for the actor's role (what the form offers). */
export function availableRepairActions(record: RepairRecord, actor: ServiceActor): RepairAction[] {
  return (Object.keys(repairTransitions[record.status]) as RepairAction[]).filter((a) => {
    if (!(repairActionRoles[a] as readonly Role[]).includes(actor.role)) return false;
    if (actor.role === 'field_lead' && leadOnlyActions.includes(a)) return record.assignee?.userId === actor.userId;
    // S5.7: once the follow-up is over (the customer reached, or the calls used up) there is nothing left to log
    if (a === 'log_follow_up') {
      // (whether the task is over does not depend on the time asked at)
      const task = followUpTask(record, new Date(0));
      return task?.status !== 'done' && task?.status !== 'unreached';
    }
    return true;
  });
}
