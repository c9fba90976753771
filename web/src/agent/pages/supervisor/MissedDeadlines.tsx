/**
 * The seller's deadlines that passed unanswered in the range (the statistics'
 * "missed deadlines", one row each): the sweeper's audit entries — an
 * application agreed automatically, a return refunded automatically, or one
 * it could not apply. Read from GET /audit (supervisor and admin read it).
 */
import { Alert, Card, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { deadlineLabels, refundStatusLabels } from '../../../../../src/contract/labels.ts';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { addDays, shanghaiStart } from './dates.ts';
import { statsMessages } from './stats-messages.ts';
import type { AuditEntry } from './audit-types.ts';

const PAGE = 500;
const MAX_PAGES = 4;
const SELLER_DEADLINE_OF_STATUS: Record<string, 'seller_answer' | 'seller_confirm'> = {
  WAIT_SELLER_AGREE: 'seller_answer',
  WAIT_SELLER_CONFIRM_GOODS: 'seller_confirm',
};

interface Missed {
  id: number;
  at: string;
  refundId: string | null;
  deadline: 'seller_answer' | 'seller_confirm';
  from: string | null;
  to: string | null;
  blocked: boolean;
}

/** The entries of one audit action from `start` on, newest first, a few pages at most. */
async function entriesSince(action: string, start: number, signal: AbortSignal): Promise<{ items: AuditEntry[]; cut: boolean }> {
  const items: AuditEntry[] = [];
  let beforeId: number | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await get<AuditEntry[]>('/audit', { action, limit: PAGE, beforeId }, signal);
    items.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last || Date.parse(last.at) < start) return { items, cut: false };
    beforeId = last.id;
  }
  return { items, cut: true };
}

export function MissedDeadlines({ from, to, linkRefunds }: { from: string; to: string; linkRefunds: boolean }) {
  const m = useMessages(statsMessages);
  const { lang } = useLang();
  const { data, error, loading } = useLoad(
    async (signal) => {
      const start = shanghaiStart(from);
      const end = shanghaiStart(addDays(to, 1));
      const [expired, blocked] = await Promise.all([entriesSince('refund.expire', start, signal), entriesSince('refund.expire_blocked', start, signal)]);
      const rows: Missed[] = [];
      for (const e of [...expired.items, ...blocked.items]) {
        const at = Date.parse(e.at);
        if (at < start || at >= end) continue;
        const isBlocked = e.action === 'refund.expire_blocked';
        const fromStatus = typeof e.details.from === 'string' ? e.details.from : null;
        const kind = isBlocked ? (e.details.deadline as string | undefined) : fromStatus ? SELLER_DEADLINE_OF_STATUS[fromStatus] : undefined;
        if (kind !== 'seller_answer' && kind !== 'seller_confirm') continue;
        rows.push({
          id: e.id,
          at: e.at,
          refundId: e.targetId,
          deadline: kind,
          from: fromStatus,
          to: typeof e.details.to === 'string' ? e.details.to : null,
          blocked: isBlocked,
        });
      }
      rows.sort((a, b) => b.id - a.id);
      return { rows, cut: expired.cut || blocked.cut };
    },
    [from, to],
  );

  return (
    <Card title={m.missedTitle} size="small" data-testid="missed-deadlines">
      <Typography.Paragraph type="secondary">{m.missedIntro}</Typography.Paragraph>
      {error !== undefined && <Alert type="error" showIcon title={errorText(error, lang)} />}
      {data?.cut && <Alert type="info" showIcon title={fmt(m.missedMore, { n: data.rows.length })} style={{ marginBottom: 8 }} />}
      <Table<Missed>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.rows ?? []}
        locale={{ emptyText: m.missedEmpty }}
        pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
        columns={[
          { title: m.at, dataIndex: 'at', render: (at: string) => dateTime(at, lang) },
          {
            title: m.refund,
            dataIndex: 'refundId',
            render: (id: string | null) => (id === null ? '—' : linkRefunds ? <Link to={`/refunds/${id}`}>#{id}</Link> : `#${id}`),
          },
          { title: m.deadline, dataIndex: 'deadline', render: (k: Missed['deadline']) => labelOf(deadlineLabels[k], lang) },
          {
            title: m.outcome,
            key: 'outcome',
            render: (_, r) =>
              r.blocked ? (
                <Tag color="error">{m.blocked}</Tag>
              ) : (
                <span>
                  {labelOf(refundStatusLabels[r.from as keyof typeof refundStatusLabels], lang, r.from ?? '')} →{' '}
                  {labelOf(refundStatusLabels[r.to as keyof typeof refundStatusLabels], lang, r.to ?? '')}
                </span>
              ),
          },
        ]}
      />
    </Card>
  );
}
