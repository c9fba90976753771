/**
 * One history of everything that happened: the refund's events, the order's
 * events, the records of the work (contacts, reason corrections, the
 * warehouse's arrival, claims…) and the order remarks — merged and sorted by
 * time, newest first (S1.21: read the remarks and chats before anything else).
 */
import { noteInWords } from '../supervisor/audit-details.ts';
import { Button, Card, Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { reasonLabels, refundStatusLabels, refundTypeLabels, tradeStatusLabels, type Label } from '../../../../../src/contract/labels.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import type { OrderDetail, RefundDetail } from '../../../shared/types.ts';
import { roleNames } from '../../messages.ts';
import { EvidenceList } from './Evidence.tsx';
import { detailMessages, timelineMessages } from './messages.ts';
import { recordSummary } from './records.ts';
import type { WorkRecord } from './types.ts';

export interface TimelineEntry {
  key: string;
  at: string;
  source: 'refund' | 'order' | 'record' | 'remark';
  title: string;
  details: string[];
  evidence?: string[];
  actor: string;
  color: string;
}

const PAGE = 30;

function label(map: Record<string, Label>, code: unknown, lang: Lang): string {
  return typeof code === 'string' ? labelOf(map[code], lang, code) : '';
}

/** The merged history, newest first. */
export function buildTimeline(options: {
  refund: RefundDetail;
  order: OrderDetail | undefined;
  records: WorkRecord[];
  lang: Lang;
  t: Record<string, string>;
  roles: Record<string, string>;
}): TimelineEntry[] {
  const { refund, order, records, lang, t, roles } = options;
  const role = (r: string) => roles[r] ?? r;
  const out: TimelineEntry[] = [];

  for (const e of refund.events) {
    const details: string[] = [];
    if (e.fromStatus && e.fromStatus !== e.toStatus) {
      details.push(fmt(t.statusChange!, { from: label(refundStatusLabels, e.fromStatus, lang), to: label(refundStatusLabels, e.toStatus, lang) }));
    }
    const d = e.data;
    const c = e.changes;
    if (e.action === 'apply' && typeof d.type === 'string') {
      details.push(`${label(refundTypeLabels, d.type, lang)} · ${label(reasonLabels, d.reason, lang)} · ${yuan(typeof d.amountFen === 'number' ? d.amountFen : null)}`);
    }
    if (c.reason) details.push(fmt(t.reasonTo!, { from: label(reasonLabels, c.reason.from, lang), to: label(reasonLabels, c.reason.to, lang) }));
    if (c.type) details.push(fmt(t.reasonTo!, { from: label(refundTypeLabels, c.type.from, lang), to: label(refundTypeLabels, c.type.to, lang) }));
    if (c.amountFen && e.action !== 'apply') {
      details.push(fmt(t.reasonTo!, { from: yuan(c.amountFen.from as number), to: yuan(c.amountFen.to as number) }));
    }
    if (e.action === 'modify' && typeof c.description?.to === 'string' && c.description.to) details.push(c.description.to);
    if (e.action === 'refuse' && typeof d.reason === 'string') details.push(d.reason);
    if (typeof d.returnAddress === 'string') details.push(d.returnAddress);
    if (typeof d.courier === 'string' && typeof d.trackingNo === 'string') details.push(fmt(t.trackingInfo!, { courier: d.courier, trackingNo: d.trackingNo }));
    // issue 15 §4: the server's English shipping notes in the page's language
    if (typeof d.note === 'string' && d.note) details.push(noteInWords(d.note, lang));
    if (typeof d.message === 'string' && e.action === 'expire_blocked') details.push(d.message);
    // a platform refund: where the change came from, and a decision on its way there
    if (d.source === 'taobao' || d.source === 'tmall') details.push(fmt(t.fromPlatform!, { platform: d.source === 'tmall' ? t.platformTmall! : t.platformTaobao! }));
    if (d.platform === 'queued') details.push(t.sentToPlatform!);
    out.push({
      key: `r${e.version}`,
      at: e.at,
      source: 'refund',
      title: t[`refund.${e.action}`] ?? e.action,
      details,
      evidence: Array.isArray(d.evidence) ? (d.evidence as string[]) : undefined,
      actor: role(e.actorRole),
      color: e.toStatus === 'SUCCESS' ? 'green' : e.toStatus === 'SELLER_REFUSE_BUYER' || e.toStatus === 'CLOSED' ? 'red' : 'blue',
    });
  }

  for (const [i, e] of (order?.events ?? []).entries()) {
    // a remark's event: the remark itself is in the history
    if (e.action === 'remark') continue;
    const details: string[] = [];
    if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) {
      details.push(fmt(t.statusChange!, { from: label(tradeStatusLabels, e.fromStatus, lang), to: label(tradeStatusLabels, e.toStatus, lang) }));
    }
    const shipment = (e.data.changes as { shipment?: { to?: { courier?: string; trackingNo?: string } } } | undefined)?.shipment?.to;
    if (e.action === 'ship' && shipment?.courier) details.push(fmt(t.trackingInfo!, { courier: shipment.courier, trackingNo: shipment.trackingNo ?? '' }));
    if (typeof e.data.reason === 'string') details.push(e.data.reason);
    // S1.15: a sign time read from the parcel's trace says so, with the courier's words of the signing scan
    const fromTrace = e.action === 'sign' && e.data.source === 'parcel_trace';
    if (fromTrace && typeof e.data.scan === 'string' && e.data.scan) details.push(e.data.scan);
    const title = fromTrace ? t['order.sign_from_trace']! : (t[`order.${e.action}`] ?? e.action);
    out.push({ key: `o${i}`, at: e.at, source: 'order', title, details, actor: role(e.actorRole), color: 'gray' });
  }

  for (const r of records) {
    const summary = recordSummary(r, lang);
    const kindKey = r.kind === 'contact' ? `record.contact.${String(r.data.channel)}` : `record.${r.kind}`;
    out.push({
      key: `w${r.id}`,
      at: r.createdAt,
      source: 'record',
      title: t[kindKey] ?? r.kind,
      details: summary,
      evidence: Array.isArray(r.data.photos) ? (r.data.photos as string[]) : undefined,
      actor: '',
      color: r.kind === 'return_arrival' ? 'green' : 'orange',
    });
  }

  for (const r of order?.remarks ?? []) {
    out.push({ key: `m${r.id}`, at: r.createdAt, source: 'remark', title: t.remark!, details: [r.text], actor: r.author, color: 'purple' });
  }

  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key.localeCompare(b.key)));
}

export function Timeline({ refund, order, records }: { refund: RefundDetail; order: OrderDetail | undefined; records: WorkRecord[] }) {
  const m = useMessages(detailMessages);
  const t = useMessages(timelineMessages);
  const roles = useMessages(roleNames);
  const { lang } = useLang();
  const [shown, setShown] = useState(PAGE);
  const entries = useMemo(() => buildTimeline({ refund, order, records, lang, t, roles }), [refund, order, records, lang, t, roles]);
  const sourceName = { refund: m.kindRefund, order: m.kindOrder, record: m.kindRecord, remark: m.kindRemark };

  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.timeline}</h2>} style={{ marginBottom: 12 }} data-testid="timeline">
      {entries.length === 0 ? (
        <Typography.Text type="secondary">{m.timelineEmpty}</Typography.Text>
      ) : (
        <AntTimeline
          items={entries.slice(0, shown).map((e) => ({
            key: e.key,
            color: e.color,
            title: (
              <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                {dateTime(e.at, lang)}
              </Typography.Text>
            ),
            content: (
              <div data-source={e.source}>
                <div>
                  <Tag>{sourceName[e.source]}</Tag>
                  <Typography.Text strong>{e.title}</Typography.Text>
                  {e.actor && <Typography.Text type="secondary"> · {e.actor}</Typography.Text>}
                </div>
                {e.details.map((line, i) => (
                  <div key={i} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {line}
                  </div>
                ))}
                {e.evidence && e.evidence.length > 0 && <EvidenceList items={e.evidence} compact />}
              </div>
            ),
          }))}
        />
      )}
      {entries.length > shown && (
        <Button onClick={() => setShown((n) => n + PAGE)} className="no-print">
          {fmt('{shown} / {all} ▾', { shown, all: entries.length })}
        </Button>
      )}
    </Card>
  );
}
