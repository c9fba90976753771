/**
 * Small tasks the workbench hands out and tracks:
 * - courier tasks: S1.6 ask the courier for the trace (查件); S1.19 recall a
 *   parcel the buyer refused (追件);
 * - department tasks: S1.10 design and merchandise verify a "not as
 *   described" shoe against the page photos and fix the page;
 * - complaint records: S1.17; S4.7 the phone case (dead on arrival, our
 *   report rejected), S4.8 the escalation to malicious with what, why and the
 *   demands, and the coordination with the telecom operator
 *   (complaint-scripts.ts holds what is said for each).
 */
import { AppError } from '../errors.ts';
import type { Role } from '../roles.ts';
import { charCount, issue, readChoice, readText, readTrackingNo, throwIfIssues, type FieldIssue } from './fields.ts';
import { requireTransition, type RecordChange, type TransitionTable, type WorkbenchContext } from './record-machine.ts';
import { complaintPhoneCases, type ComplaintPhoneCase } from './complaint-scripts.ts';

const orderNoSpec = { field: 'orderNo', label: 'The order number (订单编号)', min: 1, max: 64 } as const;

function readRefundId(issues: FieldIssue[], value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    issues.push(issue('refundId', 'invalid', 'The refund id is a positive whole number.'));
    return null;
  }
  return value;
}

// ───────────────────────── courier tasks (S1.6, S1.19) ─────────────────────────

export const courierTaskKinds = [
  /** S1.6 查件: refund-only + not received; ask the courier for the latest trace */
  'trace',
  /** S1.19 追件: the buyer refused delivery; ask the courier to bring the parcel back */
  'recall',
] as const;
export type CourierTaskKind = (typeof courierTaskKinds)[number];

export const taskStatuses = [
  /** to do */
  'open',
  /** done, with its outcome (final) */
  'done',
  /** not needed after all (final) */
  'cancelled',
] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const courierTaskActions = ['complete', 'cancel'] as const;
export type CourierTaskAction = (typeof courierTaskActions)[number];

export const courierTaskTransitions = {
  open: { complete: 'done', cancel: 'cancelled' },
  done: {},
  cancelled: {},
} as const satisfies TransitionTable<TaskStatus, CourierTaskAction>;

export const courierTaskActionRoles = {
  complete: ['agent', 'supervisor', 'warehouse'],
  cancel: ['agent', 'supervisor', 'warehouse'],
} as const satisfies Record<CourierTaskAction, readonly Role[]>;

/** How the buyer was told the outcome (S1.6: phone or Wangwang). */
export const buyerContactChannels = ['phone', 'wangwang'] as const;
export type BuyerContactChannel = (typeof buyerContactChannels)[number];

export interface CourierTaskInput {
  kind: CourierTaskKind;
  orderNo: string;
  courier: string;
  trackingNo: string;
  note?: string | null | undefined;
}

export interface CourierTask {
  kind: CourierTaskKind;
  orderNo: string;
  courier: string;
  trackingNo: string;
  note: string | null;
  status: TaskStatus;
  openedAt: string;
  done: {
    outcome: string;
    /** the remark for the next shift (对班) and pre-sales */
    handoverRemark: string | null;
    buyerToldVia: BuyerContactChannel;
    /** the courier lost it (掉件): open a claim form (S1.7) */
    parcelLost: boolean;
    at: string;
  } | null;
  cancelled: { reason: string; at: string } | null;
  updatedAt: string;
}

export type CourierTaskCommand =
  | {
      action: 'complete';
      /** what the courier said: the latest trace, or the recall's result */
      outcome: string;
      buyerToldVia: BuyerContactChannel;
      /** optional for a trace; required for a recall (S1.19 remarks it for the next shift and pre-sales) */
      handoverRemark?: string | null | undefined;
      parcelLost?: boolean | undefined;
    }
  | { action: 'cancel'; reason: string };

export interface CourierTaskChange extends RecordChange<CourierTask, TaskStatus, CourierTaskAction> {
  /** the order remark this change adds (the handover remark), else null */
  orderRemark: string | null;
  /** S1.6: a lost parcel opens a claim form */
  next: 'open_claim' | null;
}

export function validateCourierTask(input: CourierTaskInput): Omit<CourierTask, 'status' | 'openedAt' | 'done' | 'cancelled' | 'updatedAt'> {
  const issues: FieldIssue[] = [];
  const kind = readChoice(issues, input.kind, courierTaskKinds, { field: 'kind', label: 'The task kind' });
  const orderNo = readText(issues, input.orderNo, orderNoSpec);
  const courier = readText(issues, input.courier, { field: 'courier', label: 'The courier (快递公司)', min: 1, max: 30 });
  const trackingNo = readTrackingNo(issues, input.trackingNo, { field: 'trackingNo', label: 'The tracking number (运单号)' });
  const note = readText(issues, input.note, { field: 'note', label: 'The note', min: 0, max: 500 });
  throwIfIssues(kind === 'recall' ? 'S1.19 recall (追件)' : 'S1.6 courier trace (查件)', issues);
  return { kind: kind as CourierTaskKind, orderNo: orderNo as string, courier: courier as string, trackingNo: trackingNo as string, note };
}

export function openCourierTask(input: CourierTaskInput, ctx: WorkbenchContext): CourierTask {
  const task = validateCourierTask(input);
  const at = ctx.now.toISOString();
  return { ...task, status: 'open', openedAt: at, done: null, cancelled: null, updatedAt: at };
}

export function applyCourierTaskAction(task: CourierTask, command: CourierTaskCommand, ctx: WorkbenchContext): CourierTaskChange {
  const to = requireTransition(task.kind === 'recall' ? 'recall task' : 'trace task', courierTaskTransitions, task.status, command.action);
  const at = ctx.now.toISOString();
  const moved: CourierTask = { ...task, status: to, updatedAt: at };
  const issues: FieldIssue[] = [];
  const rule = task.kind === 'recall' ? 'S1.19' : 'S1.6';
  switch (command.action) {
    case 'complete': {
      const outcome = readText(issues, command.outcome, { field: 'outcome', label: 'The outcome (what the courier said)', min: 2, max: 500 });
      const buyerToldVia = readChoice(issues, command.buyerToldVia, buyerContactChannels, {
        field: 'buyerToldVia',
        label: 'How the buyer was told (phone or Wangwang)',
      });
      const handoverRemark = readText(issues, command.handoverRemark, {
        field: 'handoverRemark',
        label: task.kind === 'recall' ? 'S1.19: the remark for the next shift (对班) and pre-sales' : 'The remark for the next shift (对班)',
        min: task.kind === 'recall' ? 2 : 0,
        max: 200,
      });
      throwIfIssues(`${rule} completing the task`, issues);
      const parcelLost = command.parcelLost === true;
      const done = { outcome: outcome as string, handoverRemark, buyerToldVia: buyerToldVia as BuyerContactChannel, parcelLost, at };
      return {
        record: { ...moved, done },
        action: command.action,
        from: task.status,
        to,
        data: { outcome, handoverRemark, buyerToldVia, parcelLost },
        orderRemark: handoverRemark,
        next: parcelLost ? 'open_claim' : null,
      };
    }
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues(`${rule} cancelling the task`, issues);
      return {
        record: { ...moved, cancelled: { reason: reason as string, at } },
        action: command.action,
        from: task.status,
        to,
        data: { reason },
        orderRemark: null,
        next: null,
      };
    }
  }
}

// ───────────────────────── department tasks (S1.10) ─────────────────────────

export const departments = ['design', 'merchandise'] as const satisfies readonly Role[];
export type Department = (typeof departments)[number];

export const shoeProblems = ['heel', 'upper_pattern', 'toe', 'wrong_item', 'other'] as const;
export type ShoeProblem = (typeof shoeProblems)[number];

/** S1.10: the seed's words for what differs from the page photos. */
export const shoeProblemLabels = {
  heel: { 'zh-CN': '鞋跟', en: 'Heel' },
  upper_pattern: { 'zh-CN': '鞋面花纹', en: 'Upper pattern' },
  toe: { 'zh-CN': '鞋头', en: 'Toe' },
  wrong_item: { 'zh-CN': '发错货', en: 'Wrong item sent' },
  other: { 'zh-CN': '其他', en: 'Other' },
} as const satisfies Record<ShoeProblem, { 'zh-CN': string; en: string }>;

export const departmentAnswers = [
  /** the page was wrong and is fixed */
  'page_fixed',
  /** checked: the shoe matches the page */
  'no_difference',
] as const;
export type DepartmentAnswer = (typeof departmentAnswers)[number];

export const departmentAnswerLabels = {
  page_fixed: { 'zh-CN': '已修改页面', en: 'Page fixed' },
  no_difference: { 'zh-CN': '核实无差异', en: 'No difference' },
} as const satisfies Record<DepartmentAnswer, { 'zh-CN': string; en: string }>;

export const departmentTaskStatuses = [
  /** waiting for design / merchandise */
  'open',
  /** verified, with the answer (final) */
  'answered',
  /** not needed after all (final) */
  'cancelled',
] as const;
export type DepartmentTaskStatus = (typeof departmentTaskStatuses)[number];

export const departmentTaskActions = ['answer', 'cancel'] as const;
export type DepartmentTaskAction = (typeof departmentTaskActions)[number];

export const departmentTaskTransitions = {
  open: { answer: 'answered', cancel: 'cancelled' },
  answered: {},
  cancelled: {},
} as const satisfies TransitionTable<DepartmentTaskStatus, DepartmentTaskAction>;

export const departmentTaskActionRoles = {
  answer: ['design', 'merchandise'],
  cancel: ['agent', 'supervisor'],
} as const satisfies Record<DepartmentTaskAction, readonly Role[]>;

export const maxPhotos = 9;

export interface DepartmentTaskInput {
  orderNo: string;
  refundId?: number | null | undefined;
  /** who verifies; both by default (S1.10: 设计部和货品部门) */
  departments?: readonly Department[] | undefined;
  problem: ShoeProblem;
  /** the shoe's exact problem, as the buyer described it */
  description: string;
  /** URLs or uploaded file ids, at most 9 */
  photos?: readonly string[] | undefined;
}

export interface DepartmentTask {
  orderNo: string;
  refundId: number | null;
  departments: Department[];
  problem: ShoeProblem;
  description: string;
  photos: string[];
  status: DepartmentTaskStatus;
  openedAt: string;
  answer: { answer: DepartmentAnswer; note: string; at: string } | null;
  cancelled: { reason: string; at: string } | null;
  updatedAt: string;
}

export type DepartmentTaskCommand = { action: 'answer'; answer: DepartmentAnswer; note: string } | { action: 'cancel'; reason: string };
export type DepartmentTaskChange = RecordChange<DepartmentTask, DepartmentTaskStatus, DepartmentTaskAction>;

/** a file id, or an uploaded file's ref (`evidence:<id>`, POST /api/v1/evidence) */
const fileId = /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,127}|evidence:[1-9]\d{0,9})$/;
const photoUrl = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

function readPhotos(issues: FieldIssue[], value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    issues.push(issue('photos', 'not_list', 'The photos are a list of URLs or file ids.'));
    return [];
  }
  const photos: string[] = [];
  value.forEach((p: unknown, i) => {
    const text = typeof p === 'string' ? p.trim() : '';
    if (!(text.length <= 2048 && (photoUrl.test(text) || fileId.test(text)))) {
      issues.push(issue(`photos[${i}]`, 'invalid', `Photo ${i + 1} is neither an http(s) URL nor a file id.`));
    } else if (!photos.includes(text)) photos.push(text);
  });
  if (photos.length > maxPhotos) {
    issues.push(issue('photos', 'too_many', `At most ${maxPhotos} photos; there are ${photos.length}.`, maxPhotos));
  }
  return photos;
}

export function validateDepartmentTask(input: DepartmentTaskInput): Omit<DepartmentTask, 'status' | 'openedAt' | 'answer' | 'cancelled' | 'updatedAt'> {
  const issues: FieldIssue[] = [];
  const orderNo = readText(issues, input.orderNo, orderNoSpec);
  const refundId = readRefundId(issues, input.refundId);
  let to: Department[] = [...departments];
  if (input.departments !== undefined) {
    const given = Array.isArray(input.departments) ? input.departments : [];
    to = departments.filter((d) => given.includes(d));
    if (to.length === 0 || given.some((d) => !(departments as readonly string[]).includes(d))) {
      issues.push(issue('departments', 'invalid', 'S1.10: the task goes to design (设计部), merchandise (货品部门), or both.'));
    }
  }
  const problem = readChoice(issues, input.problem, shoeProblems, { field: 'problem', label: 'The problem （鞋跟 / 鞋面花纹 / 鞋头 / 发错货 / 其他）' });
  const description = readText(issues, input.description, { field: 'description', label: "The shoe's exact problem", min: 2, max: 500 });
  const photos = readPhotos(issues, input.photos);
  throwIfIssues('S1.10 task for design and merchandise', issues);
  return { orderNo: orderNo as string, refundId, departments: to, problem: problem as ShoeProblem, description: description as string, photos };
}

export function openDepartmentTask(input: DepartmentTaskInput, ctx: WorkbenchContext): DepartmentTask {
  const task = validateDepartmentTask(input);
  const at = ctx.now.toISOString();
  return { ...task, status: 'open', openedAt: at, answer: null, cancelled: null, updatedAt: at };
}

/** S1.10 "remark the shoe's exact problem": the order remark for a department task. */
export function departmentTaskRemark(task: Pick<DepartmentTask, 'problem' | 'description'>): string {
  return `收到商品不符（${shoeProblemLabels[task.problem]['zh-CN']}）：${task.description}`;
}

export function applyDepartmentTaskAction(task: DepartmentTask, command: DepartmentTaskCommand, ctx: WorkbenchContext): DepartmentTaskChange {
  const to = requireTransition('department task', departmentTaskTransitions, task.status, command.action);
  const at = ctx.now.toISOString();
  const moved: DepartmentTask = { ...task, status: to, updatedAt: at };
  const issues: FieldIssue[] = [];
  switch (command.action) {
    case 'answer': {
      const answer = readChoice(issues, command.answer, departmentAnswers, { field: 'answer', label: 'The answer (page fixed or no difference)' });
      const note = readText(issues, command.note, { field: 'note', label: 'The note on what was checked', min: 2, max: 500 });
      throwIfIssues('S1.10 answering the task', issues);
      const answered = { answer: answer as DepartmentAnswer, note: note as string, at };
      return { record: { ...moved, answer: answered }, action: command.action, from: task.status, to, data: { answer, note } };
    }
    case 'cancel': {
      const reason = readText(issues, command.reason, { field: 'reason', label: 'The reason for cancelling', min: 2, max: 200 });
      throwIfIssues('S1.10 cancelling the task', issues);
      return { record: { ...moved, cancelled: { reason: reason as string, at } }, action: command.action, from: task.status, to, data: { reason } };
    }
  }
}

// ───────────────────────── complaints (S1.17; S4.7/S4.8) ─────────────────────────

export const complaintSources = ['platform', 'phone', 'wangwang', 'other'] as const;
export type ComplaintSource = (typeof complaintSources)[number];

export const complaintSeverities = [
  /** S4.7: soothe, ask, point to the rules */
  'ordinary',
  /** S4.8: an escalated ordinary complaint; never goes back */
  'malicious',
] as const;
export type ComplaintSeverity = (typeof complaintSeverities)[number];

export const complaintStatuses = [
  /** recorded, not yet answered */
  'open',
  /** answered to the platform (may be answered again) */
  'replied',
  /** settled, with the outcome (final) */
  'closed',
] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

export const complaintActions = ['reply', 'escalate', 'coordinate_operator', 'close'] as const;
export type ComplaintAction = (typeof complaintActions)[number];

export const complaintTransitions = {
  open: { reply: 'replied', escalate: 'open', coordinate_operator: 'open' },
  replied: { reply: 'replied', escalate: 'replied', coordinate_operator: 'replied', close: 'closed' },
  closed: {},
} as const satisfies TransitionTable<ComplaintStatus, ComplaintAction>;

export const complaintActionRoles = {
  reply: ['agent', 'supervisor'],
  escalate: ['agent', 'supervisor'],
  /** S4.8 最后沟通电信协调解决: only once the complaint is malicious */
  coordinate_operator: ['agent', 'supervisor'],
  close: ['agent', 'supervisor'],
} as const satisfies Record<ComplaintAction, readonly Role[]>;

/** S4.8: the most each of what / why / demands (and what the operator agreed) may say. */
export const escalationTextLimit = 500;

/** S1.17 "reply to the platform briefly, nothing superfluous". */
export const complaintReplyLimit = 200;

export interface ComplaintInput {
  source: ComplaintSource;
  /** the complaint type as the platform or buyer names it */
  type: string;
  content: string;
  /** what the buyer asks for */
  buyerDemands: string;
  orderNo?: string | null | undefined;
  refundId?: number | null | undefined;
  severity?: ComplaintSeverity | undefined;
  /** S4.7: which of the two common phone complaints, when it is one */
  phoneCase?: ComplaintPhoneCase | null | undefined;
}

/** S4.8: what was established before escalating (明确用户投诉内容, 用户为何投诉, 投诉要求如何). */
export interface ComplaintEscalation {
  what: string;
  why: string;
  demands: string;
  at: string;
}

/** S4.8 最后沟通电信协调解决: one coordination with the telecom operator. */
export interface OperatorCoordination {
  /** the operator and its business hall (营业厅), e.g. 中国电信石家庄裕华营业厅 */
  operator: string;
  /** the person there */
  contact: string;
  /** what was agreed */
  agreed: string;
  at: string;
}

export interface Complaint {
  source: ComplaintSource;
  type: string;
  content: string;
  buyerDemands: string;
  orderNo: string | null;
  refundId: number | null;
  severity: ComplaintSeverity;
  /** S4.7; absent on complaints recorded before it existed */
  phoneCase?: ComplaintPhoneCase | null;
  status: ComplaintStatus;
  openedAt: string;
  replies: { text: string; at: string }[];
  /** complaints escalated before S4.8's three questions carry a single note */
  escalation: ComplaintEscalation | { note: string; at: string } | null;
  /** S4.8; absent on complaints recorded before it existed */
  operatorCoordinations?: OperatorCoordination[];
  outcome: string | null;
  closedAt: string | null;
  updatedAt: string;
}

export type ComplaintCommand =
  | { action: 'reply'; text: string }
  /** ordinary → malicious (S4.8), with what was established: what, why, the demands */
  | { action: 'escalate'; what: string; why: string; demands: string }
  /** S4.8: the telecom operator's hall, the person, what was agreed; malicious complaints only */
  | { action: 'coordinate_operator'; operator: string; contact: string; agreed: string }
  | { action: 'close'; outcome: string };

export type ComplaintChange = RecordChange<Complaint, ComplaintStatus, ComplaintAction>;

export function validateComplaint(
  input: ComplaintInput,
): Omit<Complaint, 'status' | 'openedAt' | 'replies' | 'escalation' | 'operatorCoordinations' | 'outcome' | 'closedAt' | 'updatedAt'> {
  const issues: FieldIssue[] = [];
  const source = readChoice(issues, input.source, complaintSources, { field: 'source', label: 'The source' });
  const type = readText(issues, input.type, { field: 'type', label: 'The complaint type (投诉类型)', min: 1, max: 50 });
  const content = readText(issues, input.content, { field: 'content', label: 'The complaint (投诉内容)', min: 1, max: 2000 });
  const buyerDemands = readText(issues, input.buyerDemands, { field: 'buyerDemands', label: "The buyer's demands (买家诉求)", min: 1, max: 500 });
  const orderNo = readText(issues, input.orderNo, { ...orderNoSpec, min: 0 });
  const refundId = readRefundId(issues, input.refundId);
  const severity = input.severity === undefined ? 'ordinary' : readChoice(issues, input.severity, complaintSeverities, { field: 'severity', label: 'The severity' });
  const phoneCase =
    input.phoneCase === undefined || input.phoneCase === null
      ? null
      : readChoice(issues, input.phoneCase, complaintPhoneCases, { field: 'phoneCase', label: 'S4.7: the phone case (dead_on_arrival 开箱即坏 or report_rejected 不认可检测报告)' });
  throwIfIssues('S1.17 complaint (投诉)', issues);
  return {
    source: source as ComplaintSource,
    type: type as string,
    content: content as string,
    buyerDemands: buyerDemands as string,
    orderNo,
    refundId,
    severity: severity as ComplaintSeverity,
    phoneCase: phoneCase as ComplaintPhoneCase | null,
  };
}

export function openComplaint(input: ComplaintInput, ctx: WorkbenchContext): Complaint {
  const complaint = validateComplaint(input);
  const at = ctx.now.toISOString();
  return { ...complaint, status: 'open', openedAt: at, replies: [], escalation: null, operatorCoordinations: [], outcome: null, closedAt: null, updatedAt: at };
}

/** S1.17: a reply to the platform, trimmed, at most 200 characters (code points). */
export function validateComplaintReply(text: unknown): string {
  const reply = typeof text === 'string' ? text.trim() : '';
  const n = charCount(reply);
  if (n === 0) {
    throw new AppError('VALIDATION_FAILED', 'S1.17: the reply to the platform is empty.', { reason: 'reply_required', field: 'text' });
  }
  if (n > complaintReplyLimit) {
    throw new AppError(
      'VALIDATION_FAILED',
      `S1.17: reply to the platform briefly, nothing superfluous: at most ${complaintReplyLimit} characters; this reply has ${n}.`,
      { reason: 'reply_too_long', field: 'text', limit: complaintReplyLimit, length: n },
    );
  }
  return reply;
}

export function applyComplaintAction(complaint: Complaint, command: ComplaintCommand, ctx: WorkbenchContext): ComplaintChange {
  const to = requireTransition('complaint', complaintTransitions, complaint.status, command.action);
  const at = ctx.now.toISOString();
  const moved: Complaint = { ...complaint, status: to, updatedAt: at };
  const issues: FieldIssue[] = [];
  const change = (record: Complaint, data: Record<string, unknown>): ComplaintChange => ({ record, action: command.action, from: complaint.status, to, data });
  switch (command.action) {
    case 'reply': {
      const text = validateComplaintReply(command.text);
      return change({ ...moved, replies: [...complaint.replies, { text, at }] }, { text });
    }
    case 'escalate': {
      if (complaint.severity === 'malicious') {
        throw new AppError('ACTION_NOT_ALLOWED', 'The complaint is already malicious (恶意投诉); severity only goes up.', {
          reason: 'already_malicious',
          severity: complaint.severity,
        });
      }
      const what = readText(issues, command.what, { field: 'what', label: 'S4.8: what the complaint is (明确用户投诉内容)', min: 2, max: escalationTextLimit });
      const why = readText(issues, command.why, { field: 'why', label: 'S4.8: why the buyer complains (用户为何投诉)', min: 2, max: escalationTextLimit });
      const demands = readText(issues, command.demands, { field: 'demands', label: 'S4.8: what the buyer demands (投诉要求如何)', min: 2, max: escalationTextLimit });
      throwIfIssues('S4.8 escalating the complaint', issues);
      const escalation = { what: what as string, why: why as string, demands: demands as string, at };
      return change({ ...moved, severity: 'malicious', escalation }, { from: complaint.severity, to: 'malicious', what, why, demands });
    }
    case 'coordinate_operator': {
      if (complaint.severity !== 'malicious') {
        throw new AppError('ACTION_NOT_ALLOWED', 'S4.8: the telecom operator is brought in for a malicious complaint (恶意投诉); escalate it first.', {
          reason: 'not_malicious',
          severity: complaint.severity,
        });
      }
      const operator = readText(issues, command.operator, { field: 'operator', label: 'S4.8: the operator and its business hall (运营商营业厅)', min: 2, max: 60 });
      const contact = readText(issues, command.contact, { field: 'contact', label: 'The contact person there (对接人)', min: 1, max: 40 });
      const agreed = readText(issues, command.agreed, { field: 'agreed', label: 'What was agreed (协调结果)', min: 2, max: escalationTextLimit });
      throwIfIssues('S4.8 coordinating with the telecom operator', issues);
      const entry = { operator: operator as string, contact: contact as string, agreed: agreed as string, at };
      return change({ ...moved, operatorCoordinations: [...(complaint.operatorCoordinations ?? []), entry] }, { operator, contact, agreed });
    }
    case 'close': {
      const outcome = readText(issues, command.outcome, { field: 'outcome', label: 'The outcome (处理结果)', min: 2, max: 500 });
      throwIfIssues('S1.17 closing the complaint', issues);
      return change({ ...moved, outcome, closedAt: at }, { outcome });
    }
  }
}
