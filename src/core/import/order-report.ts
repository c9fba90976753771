/**
 * The order report (订单报表) read as the platform's orders (issue 14 §1): the
 * rows of one 订单编号 are the lines of one order, each order is a
 * PlatformOrder for the one upsert path the live sync uses, or the errors that
 * refuse it — a whole order or nothing, never half a record.
 *
 * An export is a snapshot taken when it was made (`exportedAt`): that is the
 * order's modified time, so a newer export updates what changed and the same
 * file again changes nothing.
 */
import type { TradeStatus } from '../refund/refund-model.ts';
import type { PlatformOrder, PlatformOrderLine } from '../../platform/connector.ts';
import { sizeFromProperties } from '../../platform/taobao/top-mapping.ts';
import { readAddress, readAmount, readId, readPhone, readQuantity, readRequiredText, readText, readTime, type Read, type SheetCell } from './cell-values.ts';
import { rowError, type RowError } from './import-errors.ts';
import type { ImportMapping } from './header-match.ts';

/** One data row of the file: its number as the spreadsheet shows it, and its cells by field. */
export interface ImportRow {
  rowNo: number;
  cells: Readonly<Record<string, SheetCell>>;
}

/** Status words as compared: NFKC (full-width commas become half-width), no spaces, no note in brackets at the end. */
export function statusKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\([^()]*\)$/, '')
    .replace(/[，、;；]/g, ',')
    .replace(/[。.]$/, '');
}

/**
 * 订单状态 → ours (null: not paid, nothing for after-sales). The words of Taobao's export and the TOP codes
 * (the same as the connector's mapping of taobao.trade.fullinfo.get).
 */
const orderStatusWords: Record<string, TradeStatus | null> = {
  等待买家付款: null,
  '买家已付款,等待卖家发货': 'WAIT_SELLER_SEND_GOODS',
  买家已付款: 'WAIT_SELLER_SEND_GOODS',
  等待卖家发货: 'WAIT_SELLER_SEND_GOODS',
  卖家部分发货: 'WAIT_SELLER_SEND_GOODS',
  '卖家已发货,等待买家确认': 'WAIT_BUYER_CONFIRM_GOODS',
  卖家已发货: 'WAIT_BUYER_CONFIRM_GOODS',
  等待买家确认收货: 'WAIT_BUYER_CONFIRM_GOODS',
  买家已签收: 'WAIT_BUYER_CONFIRM_GOODS',
  交易成功: 'TRADE_FINISHED',
  交易关闭: 'TRADE_CLOSED',
  WAIT_BUYER_PAY: null,
  TRADE_NO_CREATE_PAY: null,
  PAY_PENDING: null,
  WAIT_PRE_AUTH_CONFIRM: null,
  WAIT_SELLER_SEND_GOODS: 'WAIT_SELLER_SEND_GOODS',
  SELLER_CONSIGNED_PART: 'WAIT_SELLER_SEND_GOODS',
  PAID_FORBID_CONSIGN: 'WAIT_SELLER_SEND_GOODS',
  WAIT_BUYER_CONFIRM_GOODS: 'WAIT_BUYER_CONFIRM_GOODS',
  TRADE_BUYER_SIGNED: 'WAIT_BUYER_CONFIRM_GOODS',
  TRADE_FINISHED: 'TRADE_FINISHED',
  TRADE_CLOSED: 'TRADE_CLOSED',
  TRADE_CLOSED_BY_TAOBAO: 'TRADE_CLOSED',
};

/** Our status of an 订单状态 as written; undefined when it is not one we know. */
export function orderStatusOf(text: string): TradeStatus | null | undefined {
  const key = statusKey(text);
  return key in orderStatusWords ? orderStatusWords[key] : orderStatusWords[key.toUpperCase()];
}

const orderLevel = ['orderNo', 'buyerNick', 'paid', 'goods', 'postage', 'status', 'receiverName', 'phone', 'address', 'createdAt', 'paidAt', 'shippedAt', 'finishedAt', 'sellerMemo'] as const;

/** Collects the errors of one row while reading its fields. */
class RowReader {
  readonly errors: RowError[] = [];
  constructor(
    private readonly row: ImportRow,
    private readonly columns: ImportMapping,
  ) {}
  column(key: string): string {
    return this.columns[key] ?? '';
  }
  mapped(key: string): boolean {
    return this.columns[key] !== undefined;
  }
  read<T>(key: string, reader: (cell: SheetCell, column: string) => Read<T>, fallback: T): T {
    if (!this.mapped(key)) return fallback;
    const r = reader(this.row.cells[key] ?? null, this.column(key));
    if ('error' in r) {
      this.errors.push(r.error);
      return fallback;
    }
    return r.ok;
  }
}

/** withoutPrice: the lines (by line id) whose unit price the file does not give: the held order's, else the order is refused. */
export type GroupResult = { ok: true; order: PlatformOrder; withoutPrice: string[] } | { ok: false; errors: Map<number, RowError[]> };

/** The order number of a row (null when it has none or it is not one): how rows are grouped into orders. */
export function orderNoOf(row: ImportRow, columns: ImportMapping): Read<string | null> {
  return readId(row.cells.orderNo ?? null, columns.orderNo ?? '订单编号', true);
}

/**
 * The rows of one order as the platform's order; every row of it refused when one is (the row at fault
 * with its reasons, the others pointing to it). A line without a price (several lines, no 价格 column)
 * is named in `withoutPrice`: the order held keeps its price, a new order cannot go in.
 */
export function readOrderGroup(options: { rows: readonly ImportRow[]; columns: ImportMapping; exportedAt: Date }): GroupResult {
  const { rows, columns, exportedAt } = options;
  const errors = new Map<number, RowError[]>();
  const readers = rows.map((row) => new RowReader(row, columns));
  const first = readers[0]!;
  const firstRow = rows[0]!;

  const orderNo = first.read('orderNo', (c, col) => readId(c, col, true), null) ?? '';
  const statusText = first.read('status', readRequiredText, '');
  let status: TradeStatus | null = null;
  if (statusText !== '') {
    const s = orderStatusOf(statusText);
    if (s === undefined) first.errors.push(rowError('unknown_status', { column: first.column('status'), value: statusText, expected: '交易成功', expectedEn: '交易成功 (TRADE_FINISHED)' }));
    else status = s;
  }
  const paid = first.read('paid', readAmount, null);
  if (paid === null && first.mapped('paid') && !first.errors.some((e) => e.column === first.column('paid'))) first.errors.push(rowError('required', { column: first.column('paid') }));
  const goods = first.read('goods', readAmount, null);
  const postage = first.read('postage', readAmount, null) ?? 0;
  const buyerNick = first.read('buyerNick', readText, '');
  const receiverName = first.read('receiverName', readText, '');
  const phone = first.read('phone', readPhone, '');
  const address = first.read('address', readAddress, { province: '', city: '', district: '', detail: '' });
  const createdAt = first.read('createdAt', readTime, null);
  const paidAt = first.read('paidAt', readTime, null);
  const shippedAt = first.read('shippedAt', readTime, null);
  const finishedAt = first.read('finishedAt', readTime, null);
  const memo = first.read('sellerMemo', (c, col) => readText(c, col, { maxLength: 1000 }), '');

  // the order's own columns on its other rows: read (a bad cell refuses the order), and the same as on the first
  for (const [i, r] of readers.entries()) {
    if (i === 0) continue;
    for (const key of orderLevel) {
      if (!r.mapped(key)) continue;
      const mine = readText(rows[i]!.cells[key] ?? null, r.column(key));
      if ('error' in mine) {
        r.errors.push(mine.error);
        continue;
      }
      const theirs = readText(firstRow.cells[key] ?? null, r.column(key));
      if (!('error' in theirs) && mine.ok !== '' && theirs.ok !== '' && mine.ok !== theirs.ok && (key === 'status' || key === 'paid' || key === 'orderNo')) {
        r.errors.push(rowError('order_values_differ', { column: r.column(key), row: firstRow.rowNo, value: mine.ok, other: theirs.ok }));
      }
    }
  }

  const lines: PlatformOrderLine[] = [];
  const withoutPrice: string[] = [];
  for (const [i, r] of readers.entries()) {
    const lineId = r.read('lineId', (c, col) => readId(c, col, false), null);
    const title = r.read('title', readText, '');
    const sku = r.read('sku', readText, '');
    const properties = r.read('properties', readText, '');
    const quantity = r.read('quantity', readQuantity, null) ?? 1;
    const unitPrice = r.read('unitPrice', readAmount, null);
    const linePaid = r.read('linePaid', readAmount, null);
    const courier = r.read('courier', readText, '');
    const trackingNo = r.read('trackingNo', readText, '');
    let unitPriceFen = unitPrice;
    if (unitPriceFen === null && linePaid !== null) unitPriceFen = Math.floor(linePaid / quantity);
    if (unitPriceFen === null && rows.length === 1 && paid !== null) unitPriceFen = Math.floor(Math.max(0, goods ?? paid - postage) / quantity);
    // without the platform's line id, the line's place in the order: the same file gives the same ids
    const platformLineId = lineId ?? `${orderNo}-${i + 1}`;
    if (unitPriceFen === null) withoutPrice.push(platformLineId);
    lines.push({
      platformLineId,
      sku,
      title,
      style: '',
      size: sizeFromProperties(properties),
      properties,
      unitPriceFen: unitPriceFen ?? 0,
      quantity,
      paidFen: linePaid,
      courier: courier || null,
      trackingNo: trackingNo || null,
    });
  }

  const faulty = readers.findIndex((r) => r.errors.length > 0);
  if (faulty >= 0) {
    const at = rows[faulty]!.rowNo;
    for (const [i, r] of readers.entries()) {
      errors.set(rows[i]!.rowNo, r.errors.length > 0 ? r.errors : [rowError('same_order_error', { column: '', row: at })]);
    }
    return { ok: false, errors };
  }

  const parcel = lines.find((l) => l.trackingNo !== null);
  const shipped = status === 'WAIT_BUYER_CONFIRM_GOODS' || status === 'TRADE_FINISHED' || (status === 'TRADE_CLOSED' && parcel !== undefined);
  // times the report does not have are taken from the file's own (stable: the same file gives the same order)
  const shipment: PlatformOrder['shipment'] = shipped
    ? { courier: parcel?.courier ?? '', trackingNo: parcel?.trackingNo ?? '', shippedAt: shippedAt ?? paidAt ?? createdAt ?? exportedAt, signedAt: null }
    : null;
  return {
    ok: true,
    withoutPrice,
    order: {
      platformOrderId: orderNo,
      status,
      platformStatus: statusText,
      buyer: { nick: buyerNick, name: receiverName, phone, address },
      lines,
      paidFen: paid ?? 0,
      postageFen: postage,
      shipment,
      createdAt: createdAt ?? paidAt ?? exportedAt,
      paidAt,
      modifiedAt: exportedAt,
      finishedAt: status === 'TRADE_FINISHED' ? (finishedAt ?? shippedAt ?? paidAt ?? createdAt ?? exportedAt) : null,
      sellerMemo: memo ? { text: memo, flag: 0 } : null,
    },
  };
}

