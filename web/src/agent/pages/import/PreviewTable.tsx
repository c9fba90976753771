/**
 * The rows of an import (GET /imports/{id}/rows): filtered by outcome, 50 a
 * page from the server, each with its outcome tag and, for a row in error,
 * every reason in words with the column it is about.
 */
import { Alert, Segmented, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { importMessages } from './messages.ts';
import { outcomeColour, outcomes, word, type ImportJob, type ImportRow, type ImportRows, type Outcome } from './model.ts';

const PAGE = 50;

export function PreviewTable({ job }: { job: ImportJob }) {
  const m = useMessages(importMessages);
  const { lang } = useLang();
  // the rows in error first, when there are any: they are what needs a look
  const [filter, setFilter] = useState<Outcome | 'all'>(job.counts.error > 0 ? 'error' : 'all');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ImportRows | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    get<ImportRows>(`/imports/${job.id}/rows`, { outcome: filter === 'all' ? undefined : filter, offset: (page - 1) * PAGE, limit: PAGE }, controller.signal)
      .then((rows) => {
        setData(rows);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [job.id, job.status, filter, page, lang]);

  const total = Object.values(job.counts).reduce((s, n) => s + n, 0);
  const columns: ColumnsType<ImportRow> = [
    { title: m.rowNo, dataIndex: 'rowNo', width: 72 },
    {
      title: m.outcome,
      key: 'outcome',
      width: 88,
      render: (_, r) => (
        <Tag color={outcomeColour[r.outcome]} data-testid="row-outcome">
          {word(m, `outcome_${r.outcome}`, r.outcome)}
        </Tag>
      ),
    },
    { title: job.kind === 'orders' ? m.platformId_orders : m.platformId_refunds, key: 'id', width: 200, render: (_, r) => (r.platformId ? <Typography.Text style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 12 }}>{r.platformId}</Typography.Text> : '—') },
    {
      title: m.details,
      key: 'details',
      render: (_, r) =>
        r.errors.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="row-errors">
            {r.errors.map((e, i) => (
              <li key={i}>
                {e.column ? <Typography.Text strong>{e.column}{lang === 'en' ? ': ' : '：'}</Typography.Text> : null}
                {e.message[lang]}
              </li>
            ))}
          </ul>
        ) : r.note ? (
          <Typography.Text type="secondary">{r.note[lang]}</Typography.Text>
        ) : null,
    },
  ];

  return (
    <div data-testid="preview-table">
      <Segmented<Outcome | 'all'>
        value={filter}
        onChange={(v) => {
          setFilter(v);
          setPage(1);
        }}
        options={[
          { value: 'all', label: `${m.all} ${total}` },
          ...outcomes.filter((o) => o !== 'skipped' || job.counts.skipped > 0).map((o) => ({ value: o, label: `${word(m, `outcome_${o}`)} ${job.counts[o]}` })),
        ]}
        style={{ marginBottom: 12, flexWrap: 'wrap' }}
        aria-label={m.outcome}
      />
      {error && <Alert type="error" showIcon title={m.loadFailed} description={error} style={{ marginBottom: 12 }} />}
      <Table<ImportRow>
        size="small"
        rowKey="rowNo"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        locale={{ emptyText: m.noRows }}
        scroll={{ x: 640 }}
        pagination={{ current: page, pageSize: PAGE, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage, hideOnSinglePage: true }}
      />
    </div>
  );
}
