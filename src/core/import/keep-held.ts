/**
 * A column the file does not have says nothing (issue 14 §1): an export of
 * another layout, or one mapped with fewer columns, updates what it carries
 * and leaves the rest as shouhou holds it. Pure: the record read from the
 * file and what is held go in, the snapshot for the upsert path comes out.
 */
import type { Address, GoodsStatus, ReasonCode, RefundPhase, RefundType } from '../refund/refund-model.ts';
import type { PlatformOrder, PlatformRefund } from '../../platform/connector.ts';
import type { ImportMapping } from './header-match.ts';

export interface HeldOrder {
  buyer: { nick: string; name: string; phone: string; address: Address };
  postageFen: number;
  shipment: { courier: string; trackingNo: string; shippedAt: Date } | null;
  finishedAt: Date | null;
  lines: { platformLineId: string | null; sku: string; title: string; size: string; unitPriceFen: number; quantity: number; paidFen: number | null }[];
}

/**
 * The order as the file has it, the unmapped fields as held. Lines whose price the file cannot give
 * (`withoutPrice`, by line id) take the held line's; those still without one are returned.
 */
export function keepHeldOrderFields(order: PlatformOrder, held: HeldOrder | null, mapped: ImportMapping, withoutPrice: ReadonlySet<string>): { order: PlatformOrder; withoutPrice: string[] } {
  const has = (key: string) => mapped[key] !== undefined;
  if (!held) return { order, withoutPrice: [...withoutPrice] };
  const missing: string[] = [];
  const lines = order.lines.map((line) => {
    const h = held.lines.find((l) => l.platformLineId === line.platformLineId);
    if (!h) {
      if (withoutPrice.has(line.platformLineId)) missing.push(line.platformLineId);
      return line;
    }
    return {
      ...line,
      sku: has('sku') ? line.sku : h.sku,
      title: has('title') ? line.title : h.title,
      size: has('properties') ? line.size : h.size,
      quantity: has('quantity') ? line.quantity : h.quantity,
      unitPriceFen: has('unitPrice') ? line.unitPriceFen : h.unitPriceFen,
      paidFen: has('linePaid') ? line.paidFen : h.paidFen,
    };
  });
  const shipment = order.shipment
    ? {
        ...order.shipment,
        courier: has('courier') ? order.shipment.courier : (held.shipment?.courier ?? order.shipment.courier),
        trackingNo: has('trackingNo') ? order.shipment.trackingNo : (held.shipment?.trackingNo ?? order.shipment.trackingNo),
        shippedAt: has('shippedAt') || !held.shipment ? order.shipment.shippedAt : held.shipment.shippedAt,
      }
    : null;
  return {
    order: {
      ...order,
      buyer: {
        nick: has('buyerNick') ? order.buyer.nick : held.buyer.nick,
        name: has('receiverName') ? order.buyer.name : held.buyer.name,
        phone: has('phone') ? order.buyer.phone : held.buyer.phone,
        address: has('address') ? order.buyer.address : held.buyer.address,
      },
      postageFen: has('postage') ? order.postageFen : held.postageFen,
      shipment,
      finishedAt: order.finishedAt && !has('finishedAt') && held.finishedAt ? held.finishedAt : order.finishedAt,
      lines,
    },
    withoutPrice: missing,
  };
}

export interface HeldRefund {
  platformLineId: string | null;
  type: RefundType;
  goodsStatus: GoodsStatus;
  phase: RefundPhase;
  reason: ReasonCode;
  reasonText: string;
  description: string;
  returnShipment: { courier: string; trackingNo: string } | null;
  platformTimeout: { at: Date; kind: string } | null;
  intervention: PlatformRefund['intervention'];
}

/** The refund as the file has it, the unmapped fields as held. */
export function keepHeldRefundFields(refund: PlatformRefund, held: HeldRefund | null, mapped: ImportMapping): PlatformRefund {
  if (!held) return refund;
  const has = (key: string) => mapped[key] !== undefined;
  const parcel = has('courier') || has('trackingNo');
  return {
    ...refund,
    platformLineId: has('lineId') ? refund.platformLineId : held.platformLineId,
    type: has('refundType') || has('needsReturn') ? refund.type : held.type,
    goodsStatus: has('goodsStatus') || parcel ? refund.goodsStatus : held.goodsStatus,
    phase: has('phase') ? refund.phase : held.phase,
    reason: has('reason') ? refund.reason : held.reason,
    reasonText: has('reason') ? refund.reasonText : held.reasonText,
    description: has('description') ? refund.description : held.description,
    returnShipment: parcel ? refund.returnShipment : held.returnShipment,
    platformTimeout: has('timeout') ? refund.platformTimeout : held.platformTimeout,
    intervention: has('intervention') ? refund.intervention : held.intervention,
  };
}
