/**
 * Issue 15 §1: the refund page's one primary button is the step the shop's SOP
 * wants next, never the refusal. In the SOP's order:
 * - a return that arrived: confirm it (S1.13's looks are in the dialog);
 * - waiting for the seller: first the retention offer where the playbook makes
 *   one (S1.18: 7 天无理由 and the like: 退变换 before agreeing), then the call
 *   where the checklist asks for one not yet logged (S1.6, S1.10), then, where a
 *   guard waits for the buyer to change the reason (S1.5 / S1.3), the call and
 *   the recorded correction, then agree;
 * - over: record the real cause (S1.2).
 * Pure: the page passes what it shows and what was recorded.
 */
export type StepKey = 'agree' | 'refuse' | 'confirm' | 'call' | 'message' | 'correction' | 'retention' | 'rootCause';

export interface NextStepInput {
  status: string;
  /** the buttons the page shows (allowed and not waiting for the platform) */
  shown: ReadonlySet<StepKey>;
  /** the playbook's suggested actions (refund.agree, retention.offer, reason.correction, contact.phone …) */
  offered: ReadonlySet<string>;
  /** the guards the playbook holds for it (GUARD_REASON_NEEDS_CHANGE …) */
  guards: readonly string[];
  /** the workbench records of this refund: their kind and, for contacts, their channel */
  records: readonly { kind: string; data: Record<string, unknown> }[];
  /** the playbook's checklist: an open item that a logged call completes makes the call the next step (S1.6, S1.10, S1.16 …) */
  checklist?: readonly { done: boolean; doneWhen: string | null }[];
}

export function recommendedStep(input: NextStepInput): StepKey | null {
  const { status, shown, offered, records, guards, checklist = [] } = input;
  const has = (kind: string, channel?: string) => records.some((r) => r.kind === kind && (channel === undefined || r.data.channel === channel));
  const pick = (key: StepKey) => (shown.has(key) ? key : null);
  if (status === 'WAIT_SELLER_CONFIRM_GOODS') return pick('confirm');
  if (status === 'WAIT_SELLER_AGREE') {
    if (offered.has('retention.offer') && !has('retention') && shown.has('retention')) return 'retention';
    // the SOP asks to phone the buyer first (S1.6 未收到货, S1.10 收到商品不符 …) and no call is logged yet
    const callWanted = checklist.some((c) => !c.done && c.doneWhen === 'contact.phone');
    if (callWanted && !has('contact', 'phone') && shown.has('call')) return 'call';
    // a guard holds the agreement until the buyer changed the reason (S1.5, S1.3): the call, then the correction
    const needsChange = guards.includes('GUARD_REASON_NEEDS_CHANGE') || guards.includes('GUARD_UNSHIPPED_REASON_NEEDS_CHANGE');
    if (needsChange && !has('reason_correction')) {
      if (offered.has('contact.phone') && !has('contact', 'phone') && shown.has('call')) return 'call';
      if (shown.has('correction')) return 'correction';
    }
    return pick('agree');
  }
  if (status === 'SUCCESS' || status === 'CLOSED') return offered.has('root.cause') ? pick('rootCause') : null;
  return null;
}
