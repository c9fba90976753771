/**
 * The refund report (退款报表) read as the platform's refunds (issue 14 §1):
 * each row one refund, for the one upsert path the live sync uses, or the
 * errors that refuse it. An export has no refund_version: it never overrides
 * what the live sync brought (apply.ts), and its modified time is when it was
 * exported.
 */
import type { GoodsStatus, RefundPhase, RefundStatus, RefundType } from '../refund/refund-model.ts';
import type { PlatformRefund } from '../../platform/connector.ts';
import { reasonCode } from '../../platform/taobao/top-mapping.ts';
import { readAmount, readId, readRequiredText, readText, readTime, type Read, type SheetCell } from './cell-values.ts';
import { rowError, type RowError } from './import-errors.ts';
import type { ImportMapping } from './header-match.ts';
import { statusKey, type ImportRow } from './order-report.ts';

/** 退款状态 → ours: the words of Taobao's export and the TOP codes. */
const refundStatusWords: Record<string, RefundStatus> = {
  '买家已经申请退款,等待卖家同意': 'WAIT_SELLER_AGREE',
  '买家已申请退款,等待卖家同意': 'WAIT_SELLER_AGREE',
  等待卖家同意: 'WAIT_SELLER_AGREE',
  待卖家同意: 'WAIT_SELLER_AGREE',
  '卖家已经同意退款,等待买家退货': 'WAIT_BUYER_RETURN_GOODS',
  '卖家已同意退款,等待买家退货': 'WAIT_BUYER_RETURN_GOODS',
  '退款协议达成,等待买家退货': 'WAIT_BUYER_RETURN_GOODS',
  等待买家退货: 'WAIT_BUYER_RETURN_GOODS',
  '买家已经退货,等待卖家确认收货': 'WAIT_SELLER_CONFIRM_GOODS',
  '买家已退货,等待卖家确认收货': 'WAIT_SELLER_CONFIRM_GOODS',
  等待卖家确认收货: 'WAIT_SELLER_CONFIRM_GOODS',
  卖家拒绝退款: 'SELLER_REFUSE_BUYER',
  退款关闭: 'CLOSED',
  退款成功: 'SUCCESS',
  WAIT_SELLER_AGREE: 'WAIT_SELLER_AGREE',
  WAIT_BUYER_RETURN_GOODS: 'WAIT_BUYER_RETURN_GOODS',
  WAIT_SELLER_CONFIRM_GOODS: 'WAIT_SELLER_CONFIRM_GOODS',
  SELLER_REFUSE_BUYER: 'SELLER_REFUSE_BUYER',
  CLOSED: 'CLOSED',
  SUCCESS: 'SUCCESS',
};

/** TOP's statuses of an exchange (换货): not a refund of money. */
const exchangeStatuses = new Set(['WAIT_BUYER_CONFIRM_EXCHANGE_SELLER_SEND_GOODS', 'EXCHANGE_TRANSFORM_TO_REFUND', 'WAIT_SELLER_CONSIGN_GOODS']);
const exchangeWords = /换货|维修|补寄/;

/** Our status of a 退款状态 as written: a status, 'exchange' (not handled), or undefined (unknown). */
export function refundStatusOf(text: string): RefundStatus | 'exchange' | undefined {
  const key = statusKey(text);
  if (exchangeStatuses.has(key.toUpperCase()) || exchangeWords.test(key)) return 'exchange';
  return refundStatusWords[key] ?? refundStatusWords[key.toUpperCase()];
}

const yes = /^(是|需要|要|有|y|yes|true|1)$/i;
const no = /^(否|不需要|不要|无|n|no|false|0)$/i;

function typeOf(text: string): RefundType | 'exchange' | undefined {
  const t = statusKey(text).toUpperCase();
  if (exchangeWords.test(t) || /EXCHANGE|REPAIR|RESHIPPING/.test(t)) return 'exchange';
  if (t === 'REFUND_AND_RETURN' || t.includes('退货')) return 'return_and_refund';
  if (t === 'REFUND' || t.includes('退款')) return 'refund_only';
  return undefined;
}

function phaseOf(text: string): RefundPhase | undefined {
  const t = statusKey(text).toLowerCase();
  if (t === '售中' || t === 'onsale' || t === 'on_sale') return 'on_sale';
  if (t === '售后' || t === 'aftersale' || t === 'after_sale') return 'after_sale';
  return undefined;
}

function goodsStatusOf(text: string): GoodsStatus | undefined {
  const t = statusKey(text).toUpperCase();
  if (t === 'BUYER_NOT_RECEIVED' || /未收到货|未收货|没收到/.test(t)) return 'not_received';
  if (t === 'BUYER_RETURNED_GOODS' || /已退货/.test(t)) return 'returned';
  if (t === 'BUYER_RECEIVED' || /已收到货|已收货/.test(t)) return 'received';
  return undefined;
}

function interventionOf(text: string): PlatformRefund['intervention'] | undefined {
  const t = statusKey(text);
  if (t === '' || /不需要|无需|未介入|^无$|^否$/.test(t)) return { state: 'none', outcome: null };
  if (/介入|是|处理中/.test(t)) return { state: 'requested', outcome: null };
  return undefined;
}

export type RefundResult = { ok: true; refund: PlatformRefund } | { ok: false; errors: RowError[] };

/** One row of the refund report as the platform's refund, or why it is refused. */
export function readRefundRow(options: { row: ImportRow; columns: ImportMapping; exportedAt: Date }): RefundResult {
  const { row, columns, exportedAt } = options;
  const errors: RowError[] = [];
  const col = (key: string) => columns[key] ?? '';
  const mapped = (key: string) => columns[key] !== undefined;
  function read<T>(key: string, reader: (cell: SheetCell, column: string) => Read<T>, fallback: T): T {
    if (!mapped(key)) return fallback;
    const r = reader(row.cells[key] ?? null, col(key));
    if ('error' in r) {
      errors.push(r.error);
      return fallback;
    }
    return r.ok;
  }

  const refundId = read('refundId', (c, k) => readId(c, k, true), null) ?? '';
  const orderNo = read('orderNo', (c, k) => readId(c, k, true), null) ?? '';
  const lineId = read('lineId', (c, k) => readId(c, k, false), null);

  let status: RefundStatus = 'WAIT_SELLER_AGREE';
  const statusText = read('status', readRequiredText, '');
  if (statusText !== '') {
    const s = refundStatusOf(statusText);
    if (s === 'exchange') errors.push(rowError('exchange_not_supported', { column: col('status'), value: statusText }));
    else if (s === undefined) errors.push(rowError('unknown_status', { column: col('status'), value: statusText, expected: '买家已经申请退款，等待卖家同意', expectedEn: '退款成功 (SUCCESS)' }));
    else status = s;
  }

  let type: RefundType = 'refund_only';
  const typeText = read('refundType', readText, '');
  const returnText = read('needsReturn', readText, '');
  if (typeText !== '') {
    const t = typeOf(typeText);
    if (t === 'exchange') errors.push(rowError('exchange_not_supported', { column: col('refundType'), value: typeText }));
    else if (t === undefined) errors.push(rowError('unknown_value', { column: col('refundType'), value: typeText, expected: '仅退款、退货退款', expectedEn: '仅退款 (refund only), 退货退款 (return and refund)' }));
    else type = t;
  } else if (returnText !== '') {
    if (yes.test(returnText)) type = 'return_and_refund';
    else if (!no.test(returnText)) errors.push(rowError('unknown_value', { column: col('needsReturn'), value: returnText, expected: '是、否', expectedEn: '是 (yes), 否 (no)' }));
  } else {
    const which = mapped('refundType') ? 'refundType' : 'needsReturn';
    if (mapped(which)) errors.push(rowError('required', { column: col(which) }));
  }

  const amount = read('amount', readAmount, null);
  if (amount === null && mapped('amount') && !errors.some((e) => e.column === col('amount'))) errors.push(rowError('required', { column: col('amount') }));

  const phaseText = read('phase', readText, '');
  let phase: RefundPhase = 'on_sale';
  if (phaseText !== '') {
    const p = phaseOf(phaseText);
    if (p === undefined) errors.push(rowError('unknown_value', { column: col('phase'), value: phaseText, expected: '售中、售后', expectedEn: '售中 (on sale), 售后 (after sale)' }));
    else phase = p;
  }

  const courier = read('courier', readText, '');
  const trackingNo = read('trackingNo', readText, '');
  const goodsText = read('goodsStatus', readText, '');
  let goodsStatus: GoodsStatus = trackingNo !== '' ? 'returned' : 'received';
  if (goodsText !== '') {
    const g = goodsStatusOf(goodsText);
    if (g === undefined) errors.push(rowError('unknown_value', { column: col('goodsStatus'), value: goodsText, expected: '买家未收到货、买家已收到货、买家已退货', expectedEn: '买家未收到货 (not received), 买家已收到货 (received), 买家已退货 (returned)' }));
    else goodsStatus = g;
  }
  const interventionText = read('intervention', readText, '');
  const intervention = interventionOf(interventionText);
  if (intervention === undefined) errors.push(rowError('unknown_value', { column: col('intervention'), value: interventionText, expected: '不需要客服介入、需要客服介入', expectedEn: '不需要客服介入 (none), 需要客服介入 (requested)' }));

  const reasonText = read('reason', readText, '');
  const description = read('description', (c, k) => readText(c, k, { maxLength: 1000 }), '');
  const buyerNick = read('buyerNick', readText, '');
  const createdAt = read('createdAt', readTime, null);
  const timeout = read('timeout', readTime, null);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    refund: {
      platformRefundId: refundId,
      platformOrderId: orderNo,
      platformLineId: lineId,
      status,
      platformStatus: statusText,
      type,
      goodsStatus,
      phase,
      reason: reasonText ? reasonCode(reasonText) : 'other',
      reasonText,
      description,
      amountFen: amount ?? 0,
      buyerNick,
      returnShipment: trackingNo !== '' ? { courier, trackingNo } : null,
      returnAddress: null,
      platformVersion: null,
      createdAt: createdAt ?? exportedAt,
      modifiedAt: exportedAt,
      platformTimeout: timeout ? { at: timeout, kind: '' } : null,
      intervention: intervention ?? { state: 'none', outcome: null },
    },
  };
}
