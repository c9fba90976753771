import { describe, expect, it } from 'vitest';
import type { PlatformOrder, PlatformRefund } from '../../platform/connector.ts';
import { keepHeldOrderFields, keepHeldRefundFields, type HeldOrder, type HeldRefund } from './keep-held.ts';

const at = (iso: string) => new Date(iso);
const read: PlatformOrder = {
  platformOrderId: '3900000000000000001',
  status: 'TRADE_FINISHED',
  platformStatus: '交易成功',
  buyer: { nick: '', name: '', phone: '', address: { province: '', city: '', district: '', detail: '' } },
  lines: [
    { platformLineId: '3900000000000000001-1', sku: '', title: '', style: '', size: '', properties: '', unitPriceFen: 0, quantity: 1, paidFen: null, courier: null, trackingNo: null },
    { platformLineId: '3900000000000000001-2', sku: '', title: '', style: '', size: '', properties: '', unitPriceFen: 0, quantity: 1, paidFen: null, courier: null, trackingNo: null },
  ],
  paidFen: 32_800,
  postageFen: 0,
  shipment: { courier: '', trackingNo: '', shippedAt: at('2026-11-20T01:00:00Z'), signedAt: null },
  createdAt: at('2026-11-20T01:00:00Z'),
  paidAt: null,
  modifiedAt: at('2026-11-21T01:00:00Z'),
  finishedAt: at('2026-11-21T01:00:00Z'),
  sellerMemo: null,
};
const held: HeldOrder = {
  buyer: { nick: 'tb_小美', name: '李小美', phone: '13812341234', address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 1 号' } },
  postageFen: 1000,
  shipment: { courier: '中通快递', trackingNo: 'ZT1', shippedAt: at('2026-11-11T01:00:00Z') },
  finishedAt: null,
  lines: [
    { platformLineId: '3900000000000000001-1', sku: 'XZ-2061', title: '单鞋', size: '37', unitPriceFen: 19_900, quantity: 1, paidFen: null },
    { platformLineId: '3900000000000000001-2', sku: 'XZ-3110', title: '板鞋', size: '38', unitPriceFen: 12_900, quantity: 1, paidFen: null },
  ],
};

describe('issue 14 §1: a column the file does not have keeps what is held', () => {
  it('a file of three columns updates the status and the amount, and keeps the buyer, the parcel and the lines', () => {
    const mapped = { orderNo: '单号', paid: '实付', status: '交易状态' };
    const { order, withoutPrice } = keepHeldOrderFields(read, held, mapped, new Set(['3900000000000000001-1', '3900000000000000001-2']));
    expect(withoutPrice).toEqual([]);
    expect(order).toMatchObject({ status: 'TRADE_FINISHED', paidFen: 32_800, postageFen: 1000, buyer: held.buyer, shipment: { courier: '中通快递', trackingNo: 'ZT1', shippedAt: at('2026-11-11T01:00:00Z') } });
    expect(order.lines.map((l) => [l.sku, l.title, l.size, l.unitPriceFen])).toEqual([
      ['XZ-2061', '单鞋', '37', 19_900],
      ['XZ-3110', '板鞋', '38', 12_900],
    ]);
    // a mapped column, even empty, is what the file says
    expect(keepHeldOrderFields(read, held, { ...mapped, address: '地址' }, new Set()).order.buyer.address.detail).toBe('');
    // nothing held: the lines without a price are named
    expect(keepHeldOrderFields(read, null, mapped, new Set(['3900000000000000001-2'])).withoutPrice).toEqual(['3900000000000000001-2']);
  });

  it('a refund keeps its reason, parcel, timeout and phase when the file has no such column', () => {
    const refund = { platformRefundId: '1', platformOrderId: '2', platformLineId: null, status: 'SUCCESS', platformStatus: '退款成功', type: 'refund_only', goodsStatus: 'received', phase: 'on_sale', reason: 'other', reasonText: '', description: '', amountFen: 100, buyerNick: '', returnShipment: null, returnAddress: null, platformVersion: null, createdAt: at('2026-11-01T00:00:00Z'), modifiedAt: at('2026-11-02T00:00:00Z'), platformTimeout: null, intervention: { state: 'none', outcome: null } } satisfies PlatformRefund;
    const h: HeldRefund = { platformLineId: '77', type: 'return_and_refund', goodsStatus: 'returned', phase: 'after_sale', reason: 'quality', reasonText: '商品质量问题', description: '鞋底开胶', returnShipment: { courier: '圆通速递', trackingNo: 'YT1' }, platformTimeout: { at: at('2026-11-05T00:00:00Z'), kind: '' }, intervention: { state: 'requested', outcome: null } };
    const kept = keepHeldRefundFields(refund, h, { refundId: '退款编号', orderNo: '订单编号', status: '退款状态', amount: '退款金额', refundType: '退款类型' });
    expect(kept).toMatchObject({ status: 'SUCCESS', type: 'refund_only', platformLineId: '77', phase: 'after_sale', reason: 'quality', reasonText: '商品质量问题', description: '鞋底开胶', returnShipment: { trackingNo: 'YT1' }, intervention: { state: 'requested' } });
  });
});
