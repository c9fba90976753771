import { describe, expect, it } from 'vitest';
import { isPlatformError, isUnreadable, type PlatformCommand, type PlatformOrder, type PlatformRefund, type Unreadable } from '../connector.ts';
import { commandToCall, idText, interventionOf, mapRefund, mapTmcMessage, mapTrace, mapTrade, reasonCode, sizeFromProperties } from './top-mapping.ts';
import { parseTopJson } from './top-json.ts';

type Obj = Record<string, unknown>;

/** Parses fixture text the way the client parses TOP answers and returns the inner record. */
function answer(text: string, key: string, field: string): Obj {
  const parsed = parseTopJson(text) as Obj;
  return (parsed[key] as Obj)[field] as Obj;
}

// ids of 19 digits written as raw JSON numbers: JSON.parse would round them
const TRADE_TEXT = `{
  "trade_fullinfo_get_response": {
    "trade": {
      "tid": 4012345678901234567,
      "status": "WAIT_BUYER_CONFIRM_GOODS",
      "buyer_nick": "t**小明",
      "payment": "338.00",
      "post_fee": "10.00",
      "created": "2026-02-27 21:15:03",
      "pay_time": "2026-02-27 21:16:10",
      "modified": "2026-02-28 10:02:44",
      "consign_time": "2026-02-28 10:02:40",
      "receiver_name": "王*",
      "receiver_state": "浙江省",
      "receiver_city": "杭州市",
      "receiver_district": "西湖区",
      "receiver_town": "文新街道",
      "receiver_address": "文一西路**号",
      "receiver_mobile": "138****0000",
      "receiver_phone": "0571-8888****",
      "seller_memo": "老客户，加急",
      "seller_flag": 2,
      "orders": {
        "order": [
          {
            "oid": 4012345678901234568,
            "title": "女士真皮短靴 秋冬新款",
            "price": "199.00",
            "num": 1,
            "num_iid": 712345678901,
            "sku_id": "5123456789012",
            "outer_iid": "BOOT-2026",
            "outer_sku_id": "BOOT-2026-BLK-37",
            "sku_properties_name": "颜色分类:黑色;尺码:37",
            "payment": "189.00",
            "divide_order_fee": "179.50",
            "logistics_company": "中通快递",
            "invoice_no": "78912345678901",
            "status": "WAIT_BUYER_CONFIRM_GOODS",
            "refund_status": "NO_REFUND"
          },
          {
            "oid": 4012345678901234569,
            "title": "羊毛袜 三双装",
            "price": "49.50",
            "num": 3,
            "num_iid": 712345678902,
            "sku_id": "5123456789013",
            "sku_properties_name": "颜色:灰色;规格:均码",
            "payment": "148.50",
            "logistics_company": "中通快递",
            "invoice_no": "78912345678901"
          }
        ]
      }
    },
    "request_id": "15rs6f0ba6yeb"
  }
}`;

const REFUND_TEXT = `{
  "refund_get_response": {
    "refund": {
      "refund_id": "9876543210987654321",
      "tid": 4012345678901234567,
      "oid": 4012345678901234568,
      "status": "WAIT_SELLER_AGREE",
      "dispute_type": "REFUND_AND_RETURN",
      "has_good_return": true,
      "good_status": "BUYER_RECEIVED",
      "refund_phase": "onsale",
      "refund_version": 1772244164123,
      "refund_fee": "179.50",
      "reason": "7天无理由退换货",
      "desc": "尺码偏小，想退货",
      "buyer_nick": "t**小明",
      "company_name": "",
      "sid": "",
      "address": "",
      "created": "2026-03-01 09:00:00",
      "modified": "2026-03-01 09:00:05",
      "refund_remind_timeout": { "exist_timeout": true, "remind_type": 1, "timeout": "2026-03-03 09:00:00" },
      "cs_status": 1
    },
    "request_id": "2nqlc3bq2gdu"
  }
}`;

function trade(overrides: Obj = {}): Obj {
  return { ...answer(TRADE_TEXT, 'trade_fullinfo_get_response', 'trade'), ...overrides };
}
function refund(overrides: Obj = {}): Obj {
  return { ...answer(REFUND_TEXT, 'refund_get_response', 'refund'), ...overrides };
}
function order(raw: unknown): PlatformOrder {
  const o = mapTrade(raw);
  if (isUnreadable(o)) throw new Error(`unreadable: ${o.problem}`);
  return o;
}
function refundOf(raw: unknown): PlatformRefund {
  const r = mapRefund(raw);
  if (isUnreadable(r)) throw new Error(`unreadable: ${r.problem}`);
  return r;
}
function problemOf(x: unknown): Unreadable {
  if (!isUnreadable(x)) throw new Error('expected an Unreadable');
  return x;
}

describe('idText and the lossless parse', () => {
  it('keeps 19-digit ids exact', () => {
    const parsed = parseTopJson('{"a":4012345678901234567,"b":9007199254740993,"c":12,"d":1.5,"e":"x"}') as Obj;
    expect(parsed).toEqual({ a: '4012345678901234567', b: '9007199254740993', c: 12, d: 1.5, e: 'x' });
    expect(JSON.parse('{"a":4012345678901234567}').a).not.toBe(4012345678901234567n.toString()); // why it matters
  });

  it.each([
    [12, '12'],
    [0, '0'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    ['4012345678901234567', '4012345678901234567'],
    [' 42 ', '42'],
    ['007', '7'],
    [4012345678901234567n, '4012345678901234567'],
  ])('%s → %s', (value, text) => {
    expect(idText(value)).toBe(text);
  });

  it.each([2 ** 60, -1, 1.5, NaN, '', '-5', '1.0', '1e5', 'abc', null, undefined, {}, [], true, -3n])('%s is not an id', (value) => {
    expect(idText(value)).toBeNull();
  });
});

describe('mapTrade', () => {
  it('maps a shipped trade, ids exact', () => {
    const o = order(trade());
    expect(o.platformOrderId).toBe('4012345678901234567');
    expect(o.status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(o.platformStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(o.buyer).toEqual({
      nick: 't**小明',
      name: '王*',
      phone: '138****0000',
      address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文新街道文一西路**号' },
    });
    expect(o.paidFen).toBe(33800);
    expect(o.postageFen).toBe(1000);
    expect(o.createdAt.toISOString()).toBe('2026-02-27T13:15:03.000Z');
    expect(o.paidAt?.toISOString()).toBe('2026-02-27T13:16:10.000Z');
    expect(o.modifiedAt.toISOString()).toBe('2026-02-28T02:02:44.000Z');
    expect(o.finishedAt).toBeNull();
    expect(o.shipment).toEqual({ courier: '中通快递', trackingNo: '78912345678901', shippedAt: new Date('2026-02-28T02:02:40Z'), signedAt: null });
    expect(o.sellerMemo).toEqual({ text: '老客户，加急', flag: 2 });
    expect(o.lines).toEqual([
      {
        platformLineId: '4012345678901234568',
        sku: 'BOOT-2026-BLK-37',
        title: '女士真皮短靴 秋冬新款',
        style: '',
        size: '37',
        properties: '颜色分类:黑色;尺码:37',
        unitPriceFen: 19900,
        quantity: 1,
        paidFen: 17950,
        courier: '中通快递',
        trackingNo: '78912345678901',
      },
      {
        platformLineId: '4012345678901234569',
        sku: '5123456789013',
        title: '羊毛袜 三双装',
        style: '',
        size: '均码',
        properties: '颜色:灰色;规格:均码',
        unitPriceFen: 4950,
        quantity: 3,
        paidFen: 14850,
        courier: '中通快递',
        trackingNo: '78912345678901',
      },
    ]);
  });

  it('prefers tid_str and oid_str when present', () => {
    const raw = trade({ tid_str: '4012345678901234999' });
    const orders = raw.orders as { order: Obj[] };
    orders.order[0] = { ...orders.order[0], oid_str: '4012345678901234998' };
    const o = order(raw);
    expect(o.platformOrderId).toBe('4012345678901234999');
    expect(o.lines[0]?.platformLineId).toBe('4012345678901234998');
  });

  it.each([
    ['WAIT_BUYER_PAY', null],
    ['TRADE_NO_CREATE_PAY', null],
    ['PAY_PENDING', null],
    ['WAIT_PRE_AUTH_CONFIRM', null],
    ['WAIT_SELLER_SEND_GOODS', 'WAIT_SELLER_SEND_GOODS'],
    ['SELLER_CONSIGNED_PART', 'WAIT_SELLER_SEND_GOODS'],
    ['PAID_FORBID_CONSIGN', 'WAIT_SELLER_SEND_GOODS'],
    ['WAIT_BUYER_CONFIRM_GOODS', 'WAIT_BUYER_CONFIRM_GOODS'],
    ['TRADE_BUYER_SIGNED', 'WAIT_BUYER_CONFIRM_GOODS'],
    ['TRADE_FINISHED', 'TRADE_FINISHED'],
    ['TRADE_CLOSED', 'TRADE_CLOSED'],
    ['TRADE_CLOSED_BY_TAOBAO', 'TRADE_CLOSED'],
  ])('trade status %s → %s', (status, ours) => {
    const o = order(trade({ status, end_time: '2026-03-10 08:00:00' }));
    expect(o.status).toBe(ours);
    expect(o.platformStatus).toBe(status);
  });

  it('a signed trade: signedAt is its modified time; a finished one: finishedAt is end_time', () => {
    expect(order(trade({ status: 'TRADE_BUYER_SIGNED' })).shipment?.signedAt?.toISOString()).toBe('2026-02-28T02:02:44.000Z');
    const finished = order(trade({ status: 'TRADE_FINISHED', end_time: '2026-03-10 08:00:00' }));
    expect(finished.finishedAt?.toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(finished.shipment?.trackingNo).toBe('78912345678901');
  });

  it('no trade-level shipment before the seller ships; lines keep their parcels', () => {
    const o = order(trade({ status: 'SELLER_CONSIGNED_PART' }));
    expect(o.shipment).toBeNull();
    expect(o.lines[0]?.trackingNo).toBe('78912345678901');
  });

  it('falls back: phone to receiver_phone, city to district, sku codes in order, paid to payment or null, no memo', () => {
    const raw = trade({ receiver_mobile: '', receiver_city: undefined, seller_memo: '', seller_flag: 0 });
    const orders = raw.orders as { order: Obj[] };
    orders.order[0] = { ...orders.order[0], outer_sku_id: '', divide_order_fee: undefined };
    orders.order[1] = { ...orders.order[1], sku_id: '', payment: undefined, invoice_no: '', logistics_company: '' };
    const o = order(raw);
    expect(o.buyer.phone).toBe('0571-8888****');
    expect(o.buyer.address.city).toBe('西湖区');
    expect(o.buyer.address.district).toBe('西湖区');
    expect(o.lines[0]?.sku).toBe('BOOT-2026');
    expect(o.lines[0]?.paidFen).toBe(18900);
    expect(o.lines[1]?.sku).toBe('712345678902');
    expect(o.lines[1]?.paidFen).toBeNull();
    expect(o.lines[1]?.courier).toBeNull();
    expect(o.sellerMemo).toBeNull();
    expect(order(trade({ seller_memo: undefined, seller_flag: 4 })).sellerMemo).toEqual({ text: '', flag: 4 });
  });

  it('an unpaid trade maps with status null', () => {
    const o = order(trade({ status: 'WAIT_BUYER_PAY', pay_time: undefined, consign_time: undefined }));
    expect(o.status).toBeNull();
    expect(o.paidAt).toBeNull();
    expect(o.shipment).toBeNull();
  });

  const bad: [string, Obj | ((raw: Obj) => void), RegExp][] = [
    ['an unknown status', { status: 'TRADE_SOMETHING_NEW' }, /unknown trade status "TRADE_SOMETHING_NEW"/],
    ['no status', { status: undefined }, /unknown trade status ""/],
    ['a negative payment', { payment: '-1.00' }, /payment is not an amount/],
    ['a malformed payment', { payment: '33.8.0' }, /payment is not an amount/],
    ['a non-numeric post_fee', { post_fee: 'free' }, /post_fee is not an amount/],
    ['a payment as a float number', { payment: 338.5 }, /payment is not an amount/],
    ['no payment', { payment: undefined }, /payment is missing/],
    ['a bad created', { created: '2026/02/27 21:15:03' }, /created is not a time/],
    ['no modified', { modified: undefined }, /modified is missing/],
    ['a bad pay_time', { pay_time: '2026-02-30 00:00:00' }, /pay_time is not a time/],
    ['a bad consign_time', { consign_time: 'yesterday' }, /consign_time is not a time/],
    ['a shipped trade without consign_time', { consign_time: undefined }, /consign_time is missing/],
    ['a finished trade without end_time', { status: 'TRADE_FINISHED', end_time: undefined }, /end_time is missing/],
    ['a flag out of range', { seller_flag: 9 }, /seller_flag/],
    ['orders that are not a list', { orders: 'none' }, /orders is not a list/],
    [
      "a line's malformed price",
      (raw) => {
        (raw.orders as { order: Obj[] }).order[1] = { ...(raw.orders as { order: Obj[] }).order[1], price: '49.505' };
      },
      /orders\.order\[1\]\.price is not an amount/,
    ],
    [
      "a line's negative divide_order_fee",
      (raw) => {
        (raw.orders as { order: Obj[] }).order[0] = { ...(raw.orders as { order: Obj[] }).order[0], divide_order_fee: '-3.00' };
      },
      /orders\.order\[0\]\.divide_order_fee is not an amount/,
    ],
    [
      'a line without oid',
      (raw) => {
        (raw.orders as { order: Obj[] }).order[0] = { ...(raw.orders as { order: Obj[] }).order[0], oid: undefined };
      },
      /orders\.order\[0\]\.oid/,
    ],
    [
      'a line with a quantity of 0',
      (raw) => {
        (raw.orders as { order: Obj[] }).order[0] = { ...(raw.orders as { order: Obj[] }).order[0], num: 0 };
      },
      /orders\.order\[0\]\.num/,
    ],
  ];

  it.each(bad)('%s → Unreadable naming the field', (_name, change, problem) => {
    let raw: Obj;
    if (typeof change === 'function') {
      raw = trade();
      change(raw);
    } else raw = trade(change);
    const u = problemOf(mapTrade(raw));
    expect(u.problem).toMatch(problem);
    expect(u.platformId).toBe('4012345678901234567');
    expect(u.raw).toBe(raw);
  });

  it('no tid or not an object → Unreadable without an id', () => {
    expect(problemOf(mapTrade(trade({ tid: undefined }))).platformId).toBeNull();
    expect(problemOf(mapTrade(trade({ tid: 2 ** 62 }))).problem).toMatch(/tid/);
    expect(problemOf(mapTrade('x')).problem).toMatch(/not an object/);
  });
});

describe('sizeFromProperties', () => {
  it.each([
    ['颜色:黑色;尺码:37', '37'],
    ['颜色分类:白色;鞋码:40', '40'],
    ['尺寸:M;尺码:L', 'L'],
    ['码数:XL;规格:大号', 'XL'],
    ['机身颜色:黑色;手机套餐:官方标配', ''],
    ['', ''],
    ['颜色：红色；尺码：S', 'S'],
  ])('%s → %s', (props, size) => {
    expect(sizeFromProperties(props)).toBe(size);
  });
});

describe('mapRefund', () => {
  it('maps a refund, ids exact and version as text', () => {
    expect(refundOf(refund())).toEqual({
      platformRefundId: '9876543210987654321',
      platformOrderId: '4012345678901234567',
      platformLineId: '4012345678901234568',
      status: 'WAIT_SELLER_AGREE',
      platformStatus: 'WAIT_SELLER_AGREE',
      type: 'return_and_refund',
      goodsStatus: 'received',
      phase: 'on_sale',
      reason: 'no_reason_7d',
      reasonText: '7天无理由退换货',
      description: '尺码偏小，想退货',
      amountFen: 17950,
      buyerNick: 't**小明',
      returnShipment: null,
      returnAddress: null,
      platformVersion: '1772244164123',
      createdAt: new Date('2026-03-01T01:00:00Z'),
      modifiedAt: new Date('2026-03-01T01:00:05Z'),
      platformTimeout: { at: new Date('2026-03-03T01:00:00Z'), kind: '1' },
      intervention: { state: 'none', outcome: null },
    } satisfies PlatformRefund);
  });

  it.each(['WAIT_SELLER_AGREE', 'WAIT_BUYER_RETURN_GOODS', 'WAIT_SELLER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER', 'CLOSED', 'SUCCESS'])('status %s keeps its name', (status) => {
    expect(refundOf(refund({ status })).status).toBe(status);
  });

  it('maps type, goods status, phase, line, return parcel and address', () => {
    const r = refundOf(
      refund({ has_good_return: false, good_status: 'BUYER_NOT_RECEIVED', refund_phase: 'aftersale', oid: '4012345678901234567', company_name: '顺丰速运', sid: 'SF1234567890123', address: '浙江省杭州市余杭区仓前街道**号，李*，1380000****' }),
    );
    expect(r.type).toBe('refund_only');
    expect(r.goodsStatus).toBe('not_received');
    expect(r.phase).toBe('after_sale');
    expect(r.platformLineId).toBeNull();
    expect(r.returnShipment).toEqual({ courier: '顺丰速运', trackingNo: 'SF1234567890123' });
    expect(r.returnAddress).toBe('浙江省杭州市余杭区仓前街道**号，李*，1380000****');
    expect(refundOf(refund({ good_status: 'BUYER_RETURNED_GOODS' })).goodsStatus).toBe('returned');
    expect(refundOf(refund({ good_status: undefined })).goodsStatus).toBe('received');
    expect(refundOf(refund({ oid: undefined })).platformLineId).toBeNull();
    expect(refundOf(refund({ has_good_return: undefined })).type).toBe('refund_only');
  });

  it('no platform timeout unless one exists', () => {
    expect(refundOf(refund({ refund_remind_timeout: { exist_timeout: false, remind_type: 1, timeout: '2026-03-03 09:00:00' } })).platformTimeout).toBeNull();
    expect(refundOf(refund({ refund_remind_timeout: undefined })).platformTimeout).toBeNull();
    expect(refundOf(refund({ refund_remind_timeout: { exist_timeout: true, remind_type: 4, timeout: '2026-03-05 00:00:00' } })).platformTimeout).toEqual({
      at: new Date('2026-03-04T16:00:00Z'),
      kind: '4',
    });
  });

  it.each([
    [undefined, 'none', null],
    [1, 'none', null],
    [2, 'requested', null],
    [3, 'requested', null],
    [4, 'requested', null],
    [5, 'requested', null],
    [6, 'decided', null],
    [7, 'none', null],
    [8, 'decided', 'refund'],
    [9, 'decided', 'reject'],
    [10, 'requested', null],
    [11, 'requested', null],
    ['8', 'decided', 'refund'],
  ])('cs_status %s → %s/%s', (cs, state, outcome) => {
    expect(interventionOf(cs)).toEqual({ state, outcome });
    expect(refundOf(refund({ cs_status: cs })).intervention).toEqual({ state, outcome });
  });

  const bad: [string, Obj, RegExp][] = [
    ['an exchange status', { status: 'WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS' }, /换货 is not handled yet/],
    ['EXCHANGE_TRANSFORM_TO_REFUND', { status: 'EXCHANGE_TRANSFORM_TO_REFUND' }, /换货 is not handled yet/],
    ['WAIT_SELLER_CONSIGN_GOODS', { status: 'WAIT_SELLER_CONSIGN_GOODS' }, /换货 is not handled yet/],
    ['an exchange dispute', { dispute_type: 'TMALL_EXCHANGE' }, /换货 is not handled yet/],
    ['a repair', { dispute_type: 'REPAIR' }, /维修\/补寄/],
    ['an unknown status', { status: 'REFUND_SOMETHING' }, /unknown status "REFUND_SOMETHING"/],
    ['a negative refund_fee', { refund_fee: '-179.50' }, /refund_fee is not an amount/],
    ['a non-numeric refund_fee', { refund_fee: '一百' }, /refund_fee is not an amount/],
    ['a malformed refund_fee', { refund_fee: '179.505' }, /refund_fee is not an amount/],
    ['no refund_fee', { refund_fee: undefined }, /refund_fee is missing/],
    ['a bad created', { created: '2026-03-01' }, /created is not a time/],
    ['a bad modified', { modified: '2026-03-01 25:00:00' }, /modified is not a time/],
    ['a bad timeout', { refund_remind_timeout: { exist_timeout: true, remind_type: 1, timeout: 'soon' } }, /refund_remind_timeout\.timeout is not a time/],
    ['a timeout without its time', { refund_remind_timeout: { exist_timeout: true, remind_type: 1 } }, /refund_remind_timeout\.timeout is missing/],
    ['an unknown good_status', { good_status: 'BUYER_LOST_IT' }, /unknown good_status/],
    ['no refund_phase', { refund_phase: undefined }, /refund_phase is missing/],
    ['an unknown refund_phase', { refund_phase: 'presale' }, /unknown refund_phase/],
    ['no refund_version', { refund_version: undefined }, /refund_version/],
    ['no tid', { tid: undefined }, /tid is missing/],
    ['a bad oid', { oid: 'x' }, /oid is not an id/],
  ];

  it.each(bad)('%s → Unreadable', (_name, change, problem) => {
    const raw = refund(change);
    const u = problemOf(mapRefund(raw));
    expect(u.problem).toMatch(problem);
    expect(u.platformId).toBe('9876543210987654321');
    expect(u.raw).toBe(raw);
  });

  it('no refund_id → Unreadable without an id', () => {
    expect(problemOf(mapRefund(refund({ refund_id: undefined }))).platformId).toBeNull();
    expect(problemOf(mapRefund(null)).problem).toMatch(/not an object/);
  });
});

describe('reasonCode', () => {
  it.each([
    ['7天无理由退换货', 'no_reason_7d'],
    ['七天无理由退货', 'no_reason_7d'],
    ['７天无理由退换货', 'no_reason_7d'], // full-width digit
    ['商品与描述不符', 'not_as_described'],
    ['商品不符', 'not_as_described'],
    ['质量问题', 'quality'],
    ['收到商品破损', 'damaged'],
    ['退运费', 'postage'],
    ['未收到货', 'not_received'],
    ['快递一直未收到', 'not_received'],
    ['没收到货', 'not_received'],
    ['发票问题', 'invoice'],
    ['拍错了', 'wrong_order'],
    ['多拍/拍错/不想要', 'wrong_order'],
    ['不想要了', 'unwanted'],
    ['不喜欢/效果不好', 'unwanted'],
    ['未按约定时间发货', 'late_shipment'],
    ['延迟发货', 'late_shipment'],
    ['卖家缺货', 'out_of_stock'],
    ['协商一致退款', 'negotiated'],
    ['退差价', 'price_difference'],
    ['价格变化', 'price_difference'],
    ['卖家发错货', 'other'],
    ['', 'other'],
  ])('%s → %s', (text, code) => {
    expect(reasonCode(text)).toBe(code);
  });

  it('keeps the text as written', () => {
    expect(refundOf(refund({ reason: '卖家发错货' }))).toMatchObject({ reason: 'other', reasonText: '卖家发错货' });
  });
});

describe('mapTmcMessage', () => {
  const CONSUME_TEXT = `{"tmc_messages_consume_response":{"messages":{"tmc_message":[
    {"id":5432109876543210987,"user_id":2200123456789,"user_nick":"某某旗舰店","topic":"taobao_refund_RefundCreated","pub_app_key":"12497914","pub_time":"2026-03-01 09:00:01",
     "content":"{\\"refund_id\\":9876543210987654321,\\"tid\\":4012345678901234567,\\"oid\\":4012345678901234568,\\"refund_fee\\":\\"179.50\\",\\"buyer_nick\\":\\"t**小明\\",\\"seller_nick\\":\\"某某旗舰店\\",\\"modified\\":\\"2026-03-01 09:00:00\\"}"},
    {"id":5432109876543210988,"topic":"taobao_trade_TradeMemoModified","pub_time":"2026-03-01 09:05:00",
     "content":"{\\"tid\\":4012345678901234567,\\"oid\\":4012345678901234567,\\"seller_flag\\":2}"},
    {"id":5432109876543210989,"topic":"taobao_item_ItemAdd","pub_time":"2026-03-01 09:06:00","content":"{\\"num_iid\\":1}"},
    {"id":5432109876543210990,"topic":"taobao_refund_RefundSuccess","pub_time":"2026-03-01 09:07:00","content":"<refund_id>1</refund_id>"},
    {"id":5432109876543210991,"topic":"taobao_refund_RefundableMarked","pub_time":"2026-03-01 09:08:00","content":"{\\"modified\\":\\"2026-03-01 09:08:00\\"}"}
  ]}}}`;
  const messages = ((parseTopJson(CONSUME_TEXT) as Obj).tmc_messages_consume_response as { messages: { tmc_message: Obj[] } }).messages.tmc_message;

  it('a refund topic: the refund id from the content (a number there), exact', () => {
    const m = mapTmcMessage(messages[0]);
    expect(m).toEqual({
      id: '5432109876543210987',
      topic: 'taobao_refund_RefundCreated',
      kind: 'refund',
      platformRefundId: '9876543210987654321',
      platformOrderId: '4012345678901234567',
      publishedAt: new Date('2026-03-01T01:00:01Z'),
      raw: (messages[0] as Obj).content,
      problem: null,
    });
  });

  it('a trade topic: the order id', () => {
    expect(mapTmcMessage(messages[1])).toMatchObject({ id: '5432109876543210988', kind: 'order', platformOrderId: '4012345678901234567', platformRefundId: null, problem: null });
  });

  it('an unknown topic, content that does not parse, content without the id: kind unknown with a problem', () => {
    expect(mapTmcMessage(messages[2])).toMatchObject({ id: '5432109876543210989', kind: 'unknown', problem: 'unknown topic "taobao_item_ItemAdd"' });
    expect(mapTmcMessage(messages[3])).toMatchObject({ id: '5432109876543210990', kind: 'unknown', problem: 'the content is not JSON', raw: '<refund_id>1</refund_id>' });
    expect(mapTmcMessage(messages[4])).toMatchObject({ kind: 'unknown', problem: 'the content has no refund_id' });
    expect(mapTmcMessage({ id: 1, topic: 'taobao_trade_TradeMemoModified', content: '{"oid":1}' })).toMatchObject({ kind: 'unknown', problem: 'the content has no tid' });
    expect(mapTmcMessage({ id: 1, topic: 'taobao_trade_TradeMemoModified', content: '[1]' })).toMatchObject({ kind: 'unknown', problem: 'the content is not a JSON object' });
    expect(mapTmcMessage({ topic: 'taobao_trade_TradeMemoModified', content: '{"tid":1}' })).toMatchObject({ id: '', kind: 'unknown', problem: 'the message has no id' });
    expect(mapTmcMessage('junk')).toMatchObject({ kind: 'unknown', problem: 'the message is not an object' });
  });

  it('a bad pub_time is null, not a failure', () => {
    expect(mapTmcMessage({ ...messages[1], pub_time: 'x' })).toMatchObject({ kind: 'order', publishedAt: null });
  });
});

describe('mapTrace', () => {
  it('maps the trace, keeping steps whose time is not a TOP time', () => {
    const text = `{"logistics_trace_search_response":{"tid":4012345678901234567,"out_sid":"78912345678901","company_name":"中通快递","status":"运输中",
      "trace_list":{"transit_step_info":[
        {"status_time":"2026-02-28 18:20:11","status_desc":"【杭州市】快件已揽收","action":"GOT"},
        {"status_time":"2026-03-01 06:02","status_desc":"【上海市】快件已到达","action":"ARRIVAL"}
      ]}}}`;
    const raw = (parseTopJson(text) as Obj).logistics_trace_search_response;
    expect(mapTrace(raw)).toEqual({
      courier: '中通快递',
      trackingNo: '78912345678901',
      status: '运输中',
      steps: [
        { at: new Date('2026-02-28T10:20:11Z'), text: '【杭州市】快件已揽收', action: 'GOT' },
        { at: null, text: '【上海市】快件已到达', action: 'ARRIVAL' },
      ],
    });
  });

  it('no trace list: no steps', () => {
    expect(mapTrace({ out_sid: '1', company_name: 'x' }).steps).toEqual([]);
  });
});

describe('commandToCall', () => {
  const proof = { bytes: Buffer.from([1, 2, 3]), contentType: 'image/jpeg', fileName: 'proof.jpg' };

  it('agree_refund: refund_infos id|fen|version, plus the phase on Tmall', () => {
    const command: PlatformCommand = { kind: 'agree_refund', platformRefundId: '9876543210987654321', platformVersion: '1772244164123', phase: 'on_sale', amountFen: 17950 };
    expect(commandToCall(command, 'taobao')).toEqual({ method: 'taobao.rp.refunds.agree', params: { refund_infos: '9876543210987654321|17950|1772244164123' } });
    expect(commandToCall(command, 'tmall')).toEqual({ method: 'taobao.rp.refunds.agree', params: { refund_infos: '9876543210987654321|17950|1772244164123|onsale' } });
    expect(commandToCall({ ...command, phase: 'after_sale' }, 'tmall').params.refund_infos).toBe('9876543210987654321|17950|1772244164123|aftersale');
  });

  it('agree_return', () => {
    const command: PlatformCommand = {
      kind: 'agree_return',
      platformRefundId: '9876543210987654321',
      platformVersion: '1772244164123',
      phase: 'after_sale',
      address: { name: '李*', phone: '13800000000', address: '浙江省杭州市余杭区仓前街道**号' },
      remark: '请附上订单号',
      postageBy: 'seller',
    };
    const expected = {
      method: 'taobao.rp.returngoods.agree',
      params: {
        refund_id: '9876543210987654321',
        refund_phase: 'aftersale',
        refund_version: '1772244164123',
        remark: '请附上订单号',
        address: '浙江省杭州市余杭区仓前街道**号',
        name: '李*',
        mobile: '13800000000',
        post_fee_bear_role: 0,
      },
    };
    expect(commandToCall(command, 'taobao')).toEqual(expected);
    expect(commandToCall(command, 'tmall')).toEqual(expected);
    expect(commandToCall({ ...command, postageBy: 'buyer' }, 'tmall').params.post_fee_bear_role).toBe(1);
  });

  it('refuse: message, proof as a file, phase, version, reason id', () => {
    const command: PlatformCommand = { kind: 'refuse', platformRefundId: '9876543210987654321', platformVersion: '1772244164123', phase: 'on_sale', message: ' 商品已发出，物流显示已签收 ', proof, reasonId: '12' };
    expect(commandToCall(command, 'tmall')).toEqual({
      method: 'taobao.refund.refuse',
      params: { refund_id: '9876543210987654321', refuse_message: '商品已发出，物流显示已签收', refund_phase: 'onsale', refund_version: '1772244164123', refuse_reason_id: '12' },
      files: { refuse_proof: proof },
    });
    const taobao = commandToCall({ ...command, proof: null, reasonId: null }, 'taobao');
    expect(taobao.files).toBeUndefined();
    expect(taobao.params.refuse_reason_id).toBeUndefined();
  });

  it('refuse: checks the message length (characters) and Tmall proof before calling', () => {
    const base: PlatformCommand = { kind: 'refuse', platformRefundId: '1', platformVersion: '2', phase: 'on_sale', message: '', proof, reasonId: null };
    for (const message of ['', '好', ' 好 ', '字'.repeat(201)]) {
      const e = (() => {
        try {
          commandToCall({ ...base, message }, 'taobao');
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(isPlatformError(e) && e.kind === 'business').toBe(true);
    }
    expect(() => commandToCall({ ...base, message: '好的' }, 'taobao')).not.toThrow();
    expect(() => commandToCall({ ...base, message: '字'.repeat(200) }, 'taobao')).not.toThrow(); // 200 characters, 600 bytes
    expect(() => commandToCall({ ...base, message: '😀'.repeat(200) }, 'taobao')).not.toThrow(); // characters, not UTF-16 units
    expect(() => commandToCall({ ...base, message: '好的', proof: null }, 'tmall')).toThrow(/proof/);
  });

  it('memo: tid, memo, flag; 1000 UTF-8 bytes at most; flag 0–5; an empty memo resets', () => {
    expect(commandToCall({ kind: 'memo', platformOrderId: '4012345678901234567', text: '已联系买家', flag: 3 }, 'taobao')).toEqual({
      method: 'taobao.trade.memo.update',
      params: { tid: '4012345678901234567', memo: '已联系买家', flag: 3, reset: undefined },
    });
    expect(commandToCall({ kind: 'memo', platformOrderId: '1', text: '', flag: 0 }, 'taobao').params.reset).toBe(true);
    expect(() => commandToCall({ kind: 'memo', platformOrderId: '1', text: '字'.repeat(333) + 'a', flag: 0 }, 'taobao')).not.toThrow(); // 1000 bytes
    expect(() => commandToCall({ kind: 'memo', platformOrderId: '1', text: '字'.repeat(334), flag: 0 }, 'taobao')).toThrow(/1000 bytes/);
    expect(() => commandToCall({ kind: 'memo', platformOrderId: '1', text: 'x', flag: 6 }, 'taobao')).toThrow(/0–5/);
    expect(() => commandToCall({ kind: 'memo', platformOrderId: '1', text: 'x', flag: -1 }, 'taobao')).toThrow(/0–5/);
  });

  it('message: content ≤ 400 bytes, image as a file', () => {
    expect(commandToCall({ kind: 'message', platformRefundId: '9876543210987654321', text: '请提供照片', image: proof }, 'tmall')).toEqual({
      method: 'taobao.refund.message.add',
      params: { refund_id: '9876543210987654321', content: '请提供照片' },
      files: { image: proof },
    });
    expect(commandToCall({ kind: 'message', platformRefundId: '1', text: 'hi', image: null }, 'taobao').files).toBeUndefined();
    expect(() => commandToCall({ kind: 'message', platformRefundId: '1', text: '字'.repeat(134), image: null }, 'taobao')).toThrow(/400 bytes/);
    expect(() => commandToCall({ kind: 'message', platformRefundId: '1', text: '  ', image: null }, 'taobao')).toThrow(/empty/);
  });

  it('refuses ids that are not ids', () => {
    expect(() => commandToCall({ kind: 'agree_refund', platformRefundId: 'R-1', platformVersion: '1', phase: 'on_sale', amountFen: 1 }, 'taobao')).toThrow(/refund id/);
    expect(() => commandToCall({ kind: 'agree_refund', platformRefundId: '1', platformVersion: '1', phase: 'on_sale', amountFen: 1.5 }, 'taobao')).toThrow(/fen/);
  });
});
