/** 回传记录 (GET /platform/outbox): the decisions sent to the platform, newest first; a failed one may be sent again. */
import { App as AntApp, Button, Card, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { Link } from 'react-router';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { KeysetTable } from '../../../shared/KeysetTable.tsx';
import { useKeysetList } from '../../../shared/use-keyset-list.ts';
import { platformMessages } from './messages.ts';
import { outboxStatuses, type OutboxRow } from './model.ts';

const statusColour: Record<string, string> = { pending: 'blue', sending: 'processing', sent: 'green', failed: 'red' };
/** the worker's own words when the shop cannot send (src/app/platform/outbox.ts) */
const BINDING_INACTIVE = 'binding_not_active';

export function OutboxCard({ mayAct, counts, reloadKey }: { mayAct: boolean; counts: { pending: number; failed: number }; reloadKey: string }) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState<number | null>(null);
  const t = m as Record<string, string>;

  const list = useKeysetList<OutboxRow>('/platform/outbox', { status: status || undefined }, lang, [status, reloadKey]);

  const resend = async (row: OutboxRow) => {
    setBusy(row.id);
    try {
      await post(`/platform/outbox/${row.id}/retry`, {}, newIdempotencyKey());
      message.success(m.resent);
      list.reload();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<OutboxRow> = [
    { title: m.time, key: 'time', width: 150, render: (_, r) => dateTime(r.createdAt, lang) },
    { title: m.kind, key: 'kind', render: (_, r) => t[`kind_${r.kind}`] ?? r.kind },
    {
      title: m.refund,
      key: 'refund',
      render: (_, r) =>
        r.refundId !== null ? (
          <span>
            <Link to={`/refunds/${r.refundId}`}>{fmt(m.refundLink, { id: r.refundId })}</Link>
            {r.orderNo && (
              <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                {r.orderNo}
              </Typography.Text>
            )}
          </span>
        ) : (
          (r.orderNo ?? '—')
        ),
    },
    {
      title: m.outboxStatus,
      key: 'status',
      render: (_, r) => (
        <Tag color={statusColour[r.status]} data-testid={`outbox-status-${r.id}`}>
          {t[`out_${r.status}`] ?? r.status}
        </Tag>
      ),
    },
    { title: m.attempts, key: 'attempts', align: 'right', render: (_, r) => r.attempts },
    {
      title: m.lastErrorCol,
      key: 'error',
      render: (_, r) =>
        r.lastError ? (
          <Typography.Text type={r.status === 'failed' ? 'danger' : 'secondary'} style={{ maxWidth: 360, display: 'inline-block', wordBreak: 'break-word' }}>
            {r.lastError === BINDING_INACTIVE ? m.bindingInactive : r.lastError}
          </Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: m.actions,
      key: 'actions',
      render: (_, r) =>
        mayAct && r.status === 'failed' ? (
          <Button size="small" loading={busy === r.id} onClick={() => void resend(r)} aria-label={`${m.resend} #${r.id}`}>
            {m.resend}
          </Button>
        ) : null,
    },
  ];

  return (
    <Card
      size="small"
      title={
        <Space>
          {m.outboxTitle}
          {counts.failed > 0 && <Tag color="red">{fmt(m.outboxFailed, { n: counts.failed })}</Tag>}
          {counts.pending > 0 && <Tag color="blue">{fmt(m.outboxPending, { n: counts.pending })}</Tag>}
        </Space>
      }
      data-testid="outbox-card"
      extra={
        <Select
          aria-label={`${m.outboxTitle} · ${m.outboxStatus}`}
          size="small"
          value={status}
          onChange={(v: string) => setStatus(v)}
          style={{ width: 120 }}
          options={[{ value: '', label: m.allStatuses }, ...outboxStatuses.map((s) => ({ value: s, label: t[`out_${s}`] ?? s }))]}
        />
      }
    >
      <Typography.Paragraph type="secondary">{m.outboxIntro}</Typography.Paragraph>
      <KeysetTable<OutboxRow> list={list} columns={columns} emptyText={m.noOutbox} loadMoreText={m.loadMore} testId="outbox-table" />
    </Card>
  );
}
