/** Domain objects → API answers (dates as ISO strings, labels in the caller's language). */
import type { RefundEvent } from '../db/refund-repository.ts';
import type { OrderEvent, OrderRemark } from '../db/order-repository.ts';
import type { DeadlineView } from '../app/refunds.ts';
import type { Assignee } from '../app/workbench/assignments.ts';
import type { Order, Refund } from '../core/refund/refund-model.ts';
import { lineCapsFen } from '../core/refund/refund-amounts.ts';
import { deadlineLabels, reasonLabels, refundStatusLabels, syncStateLabels, tradeStatusLabels } from '../contract/labels.ts';

export type Lang = 'zh-CN' | 'en';

export function langOf(acceptLanguage: string | undefined): Lang {
  return acceptLanguage && /^\s*en\b/i.test(acceptLanguage) ? 'en' : 'zh-CN';
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** 13812341234 → 138****1234 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** Personal data in full, or masked: phone 138****1234, address down to the district. */
export type PiiView = 'full' | 'masked';

export function buyerDto(buyer: Order['buyer'], pii: PiiView): Order['buyer'] {
  if (pii === 'full') return buyer;
  return { ...buyer, phone: maskPhone(buyer.phone), address: { ...buyer.address, detail: '****' } };
}

export function orderDto(o: Order, lang: Lang, pii: PiiView) {
  const caps = lineCapsFen(o);
  return {
    orderNo: o.orderNo,
    buyer: buyerDto(o.buyer, pii),
    lines: o.lines.map((l) => ({ ...l, paidFen: caps.get(l.lineNo) ?? 0 })),
    paidFen: o.paidFen,
    postageFen: o.postageFen,
    escrow: o.escrow,
    status: o.status,
    statusLabel: tradeStatusLabels[o.status][lang],
    shipment: o.shipment
      ? {
          courier: o.shipment.courier,
          trackingNo: o.shipment.trackingNo,
          shippedAt: o.shipment.shippedAt.toISOString(),
          signedAt: iso(o.shipment.signedAt),
        }
      : null,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
    finishedAt: iso(o.finishedAt),
    version: o.version,
  };
}

export function remarkDto(r: OrderRemark) {
  return { id: r.id, author: r.author, flag: r.flag, text: r.text, createdAt: r.createdAt.toISOString() };
}

export function orderEventDto(e: OrderEvent) {
  return { at: e.at.toISOString(), actorRole: e.actorRole, action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, data: e.data };
}

/** A refund as answered; `assignee` is who works it, as the caller may see it (null for the buyer and the platform). */
export function refundDto(r: Refund, deadline: DeadlineView | null, lang: Lang, assignee: Assignee | null) {
  return {
    id: r.id,
    orderNo: r.orderNo,
    lineNo: r.lineNo,
    type: r.type,
    goodsStatus: r.goodsStatus,
    phase: r.phase,
    reason: r.reason,
    reasonLabel: reasonLabels[r.reason][lang],
    amountFen: r.amountFen,
    description: r.description,
    evidence: r.evidence,
    status: r.status,
    statusLabel: refundStatusLabels[r.status][lang],
    intervention: {
      state: r.intervention.state,
      requestedAt: iso(r.intervention.requestedAt),
      outcome: r.intervention.outcome,
      decidedAt: iso(r.intervention.decidedAt),
      note: r.intervention.note,
    },
    returnAddress: r.returnAddress,
    returnShipment: r.returnShipment
      ? { courier: r.returnShipment.courier, trackingNo: r.returnShipment.trackingNo, shippedAt: r.returnShipment.shippedAt.toISOString() }
      : null,
    refusal: r.refusal ? { reason: r.refusal.reason, evidence: r.refusal.evidence, at: r.refusal.at.toISOString() } : null,
    deadline: deadline
      ? {
          kind: r.deadline!.kind,
          label: deadlineLabels[r.deadline!.kind][lang],
          effect: r.deadline!.effect,
          at: deadline.at,
          timeLeftMs: deadline.timeLeftMs,
          overdue: deadline.overdue,
          problem: deadline.problem,
        }
      : null,
    closeReason: r.closeReason,
    assignee,
    platform: r.platform
      ? {
          refundId: r.platform.refundId,
          status: r.platform.status,
          version: r.platform.version,
          modifiedAt: iso(r.platform.modifiedAt),
          timeoutAt: iso(r.platform.timeout?.at),
          reasonText: r.platform.reasonText,
          sync: r.platform.sync ? { state: r.platform.sync.state, label: syncStateLabels[r.platform.sync.state][lang], message: r.platform.sync.message } : null,
        }
      : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    version: r.version,
  };
}

export function refundEventDto(e: RefundEvent) {
  return {
    version: e.version,
    at: e.at.toISOString(),
    actorRole: e.actorRole,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    changes: e.changes,
    data: e.data,
  };
}
