import { describe, expect, it } from 'vitest';
import { recommendedStep, type StepKey } from './next-step.ts';

const all = new Set<StepKey>(['agree', 'refuse', 'confirm', 'call', 'message', 'correction', 'retention', 'rootCause']);

describe('issue 15 §1: the primary button is the step the playbook recommends, never the refusal', () => {
  it('S1.18 a 7-day no-reason return leads with the retention offer, then the agreement', () => {
    const offered = new Set(['contact.phone', 'contact.wangwang', 'retention.offer', 'reason.correction', 'refund.agree', 'refund.refuse']);
    const guards = ['GUARD_REFUSAL_FACTS_MISSING'];
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards, records: [] })).toBe('retention');
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards, records: [{ kind: 'retention', data: {} }] })).toBe('agree');
  });
  it('S1.5 a quality refund: the call, then the recorded correction, then agree', () => {
    const offered = new Set(['contact.phone', 'contact.wangwang', 'reason.correction', 'refund.agree']);
    const guards = ['GUARD_REASON_NEEDS_CHANGE'];
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards, records: [] })).toBe('call');
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards, records: [{ kind: 'contact', data: { channel: 'phone' } }] })).toBe('correction');
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards, records: [{ kind: 'contact', data: { channel: 'phone' } }, { kind: 'reason_correction', data: {} }] })).toBe('agree');
  });
  it('S1.6 / S1.10: where the checklist asks for a call not yet logged, the call comes before the agreement', () => {
    const offered = new Set(['contact.phone', 'contact.wangwang', 'courier.trace', 'claim.open', 'refund.agree']);
    const checklist = [
      { done: false, doneWhen: 'contact.phone' },
      { done: false, doneWhen: 'courier.traced' },
    ];
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards: [], records: [], checklist })).toBe('call');
    const called = [{ kind: 'contact', data: { channel: 'phone' } }];
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards: [], records: called, checklist })).toBe('agree');
    // the item done otherwise (ticked by hand): no call asked for
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: all, offered, guards: [], records: [], checklist: [{ done: true, doneWhen: 'contact.phone' }] })).toBe('agree');
  });
  it('a return that arrived is confirmed; a finished refund asks for its root cause; the refusal is never the primary step', () => {
    expect(recommendedStep({ status: 'WAIT_SELLER_CONFIRM_GOODS', shown: all, offered: new Set(['refund.refuse']), guards: [], records: [] })).toBe('confirm');
    expect(recommendedStep({ status: 'SUCCESS', shown: all, offered: new Set(['root.cause']), guards: [], records: [] })).toBe('rootCause');
    expect(recommendedStep({ status: 'WAIT_SELLER_AGREE', shown: new Set<StepKey>(['refuse']), offered: new Set(['refund.refuse']), guards: [], records: [] })).toBeNull();
  });
});
