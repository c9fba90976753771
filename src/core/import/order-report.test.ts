import { describe, expect, it } from 'vitest';
import { matchPreset } from './header-match.ts';
import { orderStatusOf, readOrderGroup, type ImportRow } from './order-report.ts';
import { readRefundRow, refundStatusOf } from './refund-report.ts';

const exportedAt = new Date('2026-11-20T02:00:00.000Z');
const orderHeaders = ['订单编号', '买家会员名', '买家实际支付金额', '买家应付邮费', '订单状态', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '商家编码', '销售属性', '购买数量', '价格', '物流公司', '物流单号', '订单付款时间'];
const orderColumns = matchPreset('orders', orderHeaders).mapping;

function orderRow(rowNo: number, cells: Record<string, unknown>): ImportRow {
  return {
    rowNo,
    cells: {
      orderNo: '3900000000000000001',
      buyerNick: 'tb_小美',
      paid: '328.00',
      postage: '0',
      status: '卖家已发货，等待买家确认',
      receiverName: '李小美',
      phone: '13812341234',
      address: '浙江省 杭州市 西湖区 文三路 100 号',
      title: '春季新款真皮单鞋',
      sku: 'XZ-2061',
      properties: '颜色:黑色;尺码:37',
      quantity: '1',
      price: '199.00',
      unitPrice: '199.00',
      courier: '中通快递',
      trackingNo: 'ZT100001',
      paidAt: '2026-11-01 10:30:00',
      ...cells,
    } as ImportRow['cells'],
  };
}

describe('issue 14 §1: the order report', () => {
  it('Taobao\'s status words and the TOP codes are ours; anything else is unknown', () => {
    expect(orderStatusOf('买家已付款，等待卖家发货')).toBe('WAIT_SELLER_SEND_GOODS');
    expect(orderStatusOf('卖家已发货, 等待买家确认')).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(orderStatusOf('交易成功')).toBe('TRADE_FINISHED');
    expect(orderStatusOf('交易关闭（付款以后用户退款成功，交易自动关闭）')).toBe('TRADE_CLOSED');
    expect(orderStatusOf('等待买家付款')).toBeNull();
    expect(orderStatusOf('trade_finished')).toBe('TRADE_FINISHED');
    expect(orderStatusOf('已完成')).toBeUndefined();
    expect(refundStatusOf('买家已经申请退款，等待卖家同意')).toBe('WAIT_SELLER_AGREE');
    expect(refundStatusOf('卖家已经同意退款，等待买家退货')).toBe('WAIT_BUYER_RETURN_GOODS');
    expect(refundStatusOf('买家已经退货，等待卖家确认收货')).toBe('WAIT_SELLER_CONFIRM_GOODS');
    expect(refundStatusOf('卖家拒绝退款')).toBe('SELLER_REFUSE_BUYER');
    expect(refundStatusOf('退款关闭')).toBe('CLOSED');
    expect(refundStatusOf('退款成功')).toBe('SUCCESS');
    expect(refundStatusOf('换货中')).toBe('exchange');
    expect(refundStatusOf('退款中')).toBeUndefined();
  });

  it('the rows of one order are its lines: sizes from the SKU properties, the export time as its modified time', () => {
    const r = readOrderGroup({
      rows: [orderRow(2, {}), orderRow(3, { title: '休闲平底小白鞋', sku: 'XZ-3110', properties: '颜色:白色;尺码:38', unitPrice: '129.00' })],
      columns: orderColumns,
      exportedAt,
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order).toMatchObject({
      platformOrderId: '3900000000000000001',
      status: 'WAIT_BUYER_CONFIRM_GOODS',
      platformStatus: '卖家已发货，等待买家确认',
      paidFen: 32_800,
      buyer: { nick: 'tb_小美', name: '李小美', phone: '13812341234', address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号' } },
      shipment: { courier: '中通快递', trackingNo: 'ZT100001', shippedAt: new Date('2026-11-01T02:30:00.000Z') },
      modifiedAt: exportedAt,
    });
    expect(r.order.lines.map((l) => [l.platformLineId, l.sku, l.size, l.unitPriceFen])).toEqual([
      ['3900000000000000001-1', 'XZ-2061', '37', 19_900],
      ['3900000000000000001-2', 'XZ-3110', '38', 12_900],
    ]);
  });

  it('one bad row refuses the whole order: the row with its reasons, the others pointing to it', () => {
    const r = readOrderGroup({ rows: [orderRow(5, {}), orderRow(6, { unitPrice: '12.3.4' })], columns: orderColumns, exportedAt });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // the order's own columns are read from its first row; a line's from its own
    expect(r.errors.get(6)!.map((e) => [e.code, e.column])).toEqual([['bad_amount', '价格']]);
    expect(r.errors.get(5)!.map((e) => e.code)).toEqual(['same_order_error']);
    expect(r.errors.get(5)![0]!.message['zh-CN']).toBe('同一订单的第 6 行有错误，整个订单都没有导入。');
    const bad = readOrderGroup({ rows: [orderRow(7, { status: '已完成', address: '13812341234', paidAt: '2026-13-45' })], columns: orderColumns, exportedAt });
    expect(bad.ok ? [] : bad.errors.get(7)!.map((e) => [e.code, e.column])).toEqual([
      ['unknown_status', '订单状态'],
      ['phone_in_address', '收货地址'],
      ['bad_date', '订单付款时间'],
    ]);
  });

  it('a refund row reads its status, type, phase, reason code and return parcel; no version: an export', () => {
    const columns = matchPreset('refunds', ['退款编号', '订单编号', '退款状态', '退款类型', '买家申请退款金额', '退款原因', '申请时间', '超时时间', '物流公司', '物流单号', '售中或售后']).mapping;
    const row: ImportRow = {
      rowNo: 2,
      cells: {
        refundId: '200000000000000123',
        orderNo: '3900000000000000001',
        status: '买家已经退货，等待卖家确认收货',
        refundType: '退货退款',
        amount: '199.00',
        reason: '七天无理由退换货',
        createdAt: '2026-11-10 09:00:00',
        timeout: '2026-11-20 09:00:00',
        courier: '圆通速递',
        trackingNo: 'YT2000001',
        phase: '售后',
      },
    };
    const r = readRefundRow({ row, columns, exportedAt });
    expect(r).toMatchObject({
      ok: true,
      refund: {
        status: 'WAIT_SELLER_CONFIRM_GOODS',
        type: 'return_and_refund',
        goodsStatus: 'returned',
        phase: 'after_sale',
        reason: 'no_reason_7d',
        amountFen: 19_900,
        returnShipment: { courier: '圆通速递', trackingNo: 'YT2000001' },
        platformVersion: null,
        modifiedAt: exportedAt,
        platformTimeout: { at: new Date('2026-11-20T01:00:00.000Z') },
      },
    });
    const bad = readRefundRow({ row: { rowNo: 3, cells: { ...row.cells, status: '等等看', refundType: '换货', amount: '-1', phase: '售前' } }, columns, exportedAt });
    expect(bad.ok ? [] : bad.errors.map((e) => e.code)).toEqual(['unknown_status', 'exchange_not_supported', 'bad_amount', 'unknown_value']);
  });
});
