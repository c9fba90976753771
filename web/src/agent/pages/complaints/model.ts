/**
 * S1.17 complaints (投诉) as the page shows them: the record's data
 * (src/core/workbench/tasks.ts Complaint) and the choices of its forms,
 * checked against the engine's types so the two cannot drift apart.
 */
import type { Complaint, ComplaintAction, ComplaintSeverity, ComplaintSource, ComplaintStatus } from '../../../../../src/core/workbench/tasks.ts';
import type { SideRecord } from '../tasks/records.ts';

export type { Complaint, ComplaintAction, ComplaintSeverity, ComplaintSource, ComplaintStatus };
/** S4.7/S4.8: the phone cases and what is said for each, straight from the engine's data. */
export { complaintPhoneCases, complaintScriptsFor, type ComplaintPhoneCase, type ComplaintScript } from '../../../../../src/core/workbench/complaint-scripts.ts';

export type ComplaintRecord = SideRecord<Complaint>;

export const complaintSources = ['platform', 'phone', 'wangwang', 'other'] as const satisfies readonly ComplaintSource[];
export const complaintStatuses = ['open', 'replied', 'closed'] as const satisfies readonly ComplaintStatus[];
export const complaintSeverities = ['ordinary', 'malicious'] as const satisfies readonly ComplaintSeverity[];

/** Who opens one (permission workbench.refund.work) and acts on it (complaintActionRoles). */
export const complaintRoles: readonly string[] = ['agent', 'supervisor'];

/** The engine's bounds (validateComplaint, applyComplaintAction). */
export const limits = {
  /** S1.17 "reply to the platform briefly, nothing superfluous" (complaintReplyLimit) */
  reply: 200,
  type: 50,
  content: 2000,
  buyerDemands: 500,
  orderNo: 64,
  noteMin: 2,
  note: 500,
  /** S4.8 what / why / demands, and what the operator agreed (escalationTextLimit) */
  escalation: 500,
  /** S4.8 the operator's hall and the contact person */
  operator: 60,
  contact: 40,
} as const;
