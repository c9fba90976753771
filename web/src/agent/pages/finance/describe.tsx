/** How a claim, an invoice or a postage compensation reads: its status, its actions and its fields, in the page's words. */
import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, type Lang } from '../../../shared/i18n.tsx';
import type { financeMessages } from './messages.ts';
import { statusColour, type Claim, type Invoice, type Kind, type PostageRequest, type SideRecord } from './records.ts';

type M = (typeof financeMessages)['zh-CN'];

export function statusText(kind: Kind, status: string, m: M): string {
  return (m as Record<string, string>)[`st_${kind}_${status}`] ?? status;
}

export function StatusTag({ kind, status, m }: { kind: Kind; status: string; m: M }) {
  return <Tag color={statusColour[status] ?? 'default'}>{statusText(kind, status, m)}</Tag>;
}

export function actionText(kind: Kind, action: string, m: M): string {
  return (m as Record<string, string>)[`act_${kind}_${action}`] ?? (m as Record<string, string>)[`act_${action}`] ?? action;
}

export function kindText(kind: Kind, m: M): string {
  return kind === 'claim' ? m.kindClaim : kind === 'invoice' ? m.kindInvoice : m.kindPostage;
}

export function buyerChoiceText(choice: Claim['buyerChoice'], m: M): string {
  if (!choice) return '—';
  if (choice.choice === 'refund') return m.choiceRefund;
  return `${m.choiceReship} ${choice.courier ? `${choice.courier} ` : ''}${choice.trackingNo}`;
}

export function postageBasis(p: PostageRequest, m: M): string {
  const d = p.decision;
  if (d.source === 'table') return fmt(m.sourceTable, { province: d.province, style: d.styleCategory });
  if (d.source === 'default') return fmt(m.sourceDefault, { province: d.province, style: d.styleCategory });
  return fmt(m.sourceOverride, { reason: d.overrideReason ?? '', table: yuan(d.tableFen) });
}

const mono = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace' } as const;

/** Every field of a record as label → value, for the detail drawer. */
export function recordFields(record: SideRecord, m: M, lang: Lang): { label: string; value: ReactNode }[] {
  const common = [
    { label: m.orderNo, value: record.orderNo ?? '—' },
    ...(record.refundId !== null ? [{ label: m.refund, value: <Link to={`/refunds/${record.refundId}`}>{fmt(m.refundNo, { id: record.refundId })}</Link> }] : []),
  ];
  if (record.kind === 'claim') {
    const c = record.data as Claim;
    return [
      ...common,
      { label: m.sku, value: c.sku },
      { label: m.size, value: c.size },
      { label: m.courierTracking, value: <span style={mono}>{`${c.courier} ${c.trackingNo}`}</span> },
      { label: m.itemPrice, value: yuan(c.itemPriceFen) },
      { label: m.buyerChoice, value: buyerChoiceText(c.buyerChoice, m) },
      { label: m.stampedAt, value: dateTime(c.stampedAt, lang) },
      { label: m.filed, value: c.filed ? fmt(m.filedText, { at: dateTime(c.filed.at, lang) }) : '—' },
      { label: m.compensation, value: c.compensation ? `${yuan(c.compensation.amountFen)}${c.compensation.note ? ` · ${c.compensation.note}` : ''}` : '—' },
      ...(c.closed ? [{ label: m.closedAt, value: `${dateTime(c.closed.at, lang)}${c.closed.note ? ` · ${c.closed.note}` : ''}` }] : []),
      ...(c.cancelled ? [{ label: m.cancelledReason, value: c.cancelled.reason }] : []),
    ];
  }
  if (record.kind === 'invoice') {
    const i = record.data as Invoice;
    return [
      ...common,
      { label: m.titleType, value: i.titleType === 'company' ? m.company : m.individual },
      { label: m.invoiceTitle, value: i.title },
      { label: m.taxId, value: i.taxId ? <span style={mono}>{i.taxId}</span> : '—' },
      { label: m.invoiceAmount, value: yuan(i.amountFen) },
      { label: m.sentAt, value: dateTime(i.sentToFinanceAt, lang) },
      { label: m.issued, value: i.issued ? fmt(m.issuedText, { number: i.issued.number, date: i.issued.issueDate }) : '—' },
      ...(i.cancelled ? [{ label: m.cancelledReason, value: i.cancelled.reason }] : []),
    ];
  }
  const p = record.data as PostageRequest;
  return [
    ...common,
    { label: m.payee, value: <Typography.Text copyable={{ text: p.alipayAccount }}>{`${p.realName} · ${p.alipayAccount}`}</Typography.Text> },
    { label: m.postageAmount, value: <strong>{yuan(p.amountFen)}</strong> },
    { label: m.basis, value: postageBasis(p, m) },
    { label: m.paid, value: p.paid ? fmt(m.paidText, { ref: p.paid.paymentRef, at: dateTime(p.paid.at, lang) }) : '—' },
    ...(p.cancelled ? [{ label: m.cancelledReason, value: p.cancelled.reason }] : []),
  ];
}
