/** The records of the work on a refund (GET /refunds/{id}/records), summarised in words for the history and the contacts list. */
import { reasonLabels, refundTypeLabels } from '../../../../../src/contract/labels.ts';
import { shoeProblemLabels } from '../../../../../src/core/workbench/tasks.ts';
import { yuan } from '../../../shared/format.ts';
import { labelOf, type Lang } from '../../../shared/i18n.tsx';
import type { WorkRecord } from './types.ts';

type Pair = readonly [zh: string, en: string];

export const contactOutcomes: Record<string, Pair> = {
  reached: ['已联系上', 'reached'],
  not_reached: ['没联系上', 'not reached'],
  agreed: ['买家同意', 'buyer agreed'],
  refused: ['买家不同意', 'buyer refused'],
  pending: ['等待答复', 'waiting for an answer'],
};
const channels: Record<string, Pair> = { phone: ['电话', 'phone'], wangwang: ['旺旺', 'Wangwang'] };
const answers: Record<string, Pair> = { agreed: ['买家同意', 'agreed'], refused: ['买家不同意', 'refused'], pending: ['等待答复', 'pending'] };
const offers: Record<string, Pair> = { other_style: ['推荐别的款式', 'another style'], promotion: ['店铺活动', 'the promotion'], exchange: ['换货', 'an exchange'] };
const retentionOutcomes: Record<string, Pair> = {
  kept: ['买家保留', 'kept'],
  exchanged: ['换货', 'exchanged'],
  refunded: ['仍然退款', 'still refunding'],
  pending: ['考虑中', 'thinking it over'],
};
const courierTaskKinds: Record<string, Pair> = { trace: ['查件', 'trace'], recall: ['追件', 'recall'] };
const conditions: Record<string, Pair> = { resellable: ['不影响二次销售', 'can be resold'], not_resellable: ['影响二次销售', 'cannot be resold'] };
const recordStatuses: Record<string, Pair> = {
  logged: ['已记录', 'logged'],
  open: ['进行中', 'open'],
  closed: ['已结束', 'closed'],
  done: ['已完成', 'done'],
  answered: ['已答复', 'answered'],
  cancelled: ['已取消', 'cancelled'],
};

function say(map: Record<string, Pair>, code: unknown, lang: Lang): string {
  const pair = typeof code === 'string' ? map[code] : undefined;
  return pair ? (lang === 'en' ? pair[1] : pair[0]) : String(code ?? '');
}

/** One record as a few lines of text. */
export function recordSummary(r: WorkRecord, lang: Lang): string[] {
  const d = r.data;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
  switch (r.kind) {
    case 'contact':
      return [`${say(channels, d.channel, lang)} · ${say(contactOutcomes, d.outcome, lang)}`, str(d.content)].filter((x): x is string => !!x);
    case 'reason_correction': {
      const lines = [
        `${labelOf(reasonLabels[d.fromReason as keyof typeof reasonLabels], lang, String(d.fromReason))} → ${labelOf(reasonLabels[d.toReason as keyof typeof reasonLabels], lang, String(d.toReason))}`,
      ];
      if (d.toType && d.toType !== d.fromType) {
        lines.push(
          `${labelOf(refundTypeLabels[d.fromType as keyof typeof refundTypeLabels], lang)} → ${labelOf(refundTypeLabels[d.toType as keyof typeof refundTypeLabels], lang)}`,
        );
      }
      lines.push(`${say(channels, d.askedVia, lang)} · ${say(answers, d.buyerAnswer, lang)}`);
      if (str(d.note)) lines.push(str(d.note)!);
      return lines;
    }
    case 'retention':
      return [`${say(offers, d.offer, lang)} · ${say(retentionOutcomes, d.outcome, lang)}`, str(d.detail)].filter((x): x is string => !!x);
    case 'return_arrival':
      return [say(conditions, d.condition, lang), str(d.trackingNo), str(d.note)].filter((x): x is string => !!x);
    case 'send_back': {
      // issue 13: a return decided under 三包 reached this refund (web/src/agent/pages/warranty/RefundSendBacks.tsx shows the link)
      const refund = d.refund as { amountFen?: number } | null | undefined;
      const decision = d.decision as { clause?: { titleZh?: string } } | null | undefined;
      return [
        lang === 'en' ? `send-back #${r.id}: a return, ${yuan(refund?.amountFen ?? null)}` : `送检单 #${r.id}：判定退货，${yuan(refund?.amountFen ?? null)}`,
        decision?.clause?.titleZh ? (lang === 'en' ? `clause: ${decision.clause.titleZh}` : `依据：${decision.clause.titleZh}`) : null,
      ].filter((x): x is string => !!x);
    }
    case 'courier_task': {
      // S1.6 查件 / S1.19 追件: the courier, the number, and once answered what the courier said
      const done = d.done as { outcome?: string; parcelLost?: boolean } | null | undefined;
      return [
        [say(courierTaskKinds, d.kind, lang), say(recordStatuses, r.status, lang), [str(d.courier), str(d.trackingNo)].filter(Boolean).join(' ')].filter(Boolean).join(' · '),
        done?.outcome ? (lang === 'en' ? `courier: ${done.outcome}` : `快递答复：${done.outcome}`) : null,
        done?.parcelLost ? (lang === 'en' ? 'the parcel is lost: open a claim form' : '掉件：开索赔单') : null,
      ].filter((x): x is string => !!x);
    }
    case 'department_task': {
      const problem = shoeProblemLabels[d.problem as keyof typeof shoeProblemLabels];
      return [[say(recordStatuses, r.status, lang), problem ? labelOf(problem, lang) : null].filter(Boolean).join(' · '), str(d.description)].filter((x): x is string => !!x);
    }
    default: {
      // the side processes (claim, invoice, postage, courier and department tasks, complaints): their status and the gist
      const gist = [str(d.description), str(d.content), str(d.title)].filter((x): x is string => !!x);
      const amount = r.amountFen !== null ? yuan(r.amountFen) : null;
      return [[say(recordStatuses, r.status, lang), amount].filter(Boolean).join(' · '), ...gist.slice(0, 2)].filter((x) => x.length > 0);
    }
  }
}

/** The warehouse's arrival record (S1.13), if there is one. */
export function arrivalOf(records: WorkRecord[]): WorkRecord | undefined {
  return records.filter((r) => r.kind === 'return_arrival').at(-1);
}

export function conditionText(r: WorkRecord, lang: Lang): string {
  return say(conditions, r.data.condition, lang);
}
