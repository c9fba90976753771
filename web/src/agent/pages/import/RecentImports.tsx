/** 最近的导入: the shop's last 20 imports, each opened again on the page (a preview waiting for its confirmation, a result to download). */
import { Button, Card, Table, Tag, Typography } from 'antd';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { importMessages } from './messages.ts';
import { jobStatusColour as statusColour, word, type ImportJob } from './model.ts';

export function RecentImports({ jobs, current, onOpen }: { jobs: ImportJob[]; current: number | null; onOpen: (id: number) => void }) {
  const m = useMessages(importMessages);
  const { lang } = useLang();
  return (
    <Card size="small" title={m.recentTitle} data-testid="recent-imports">
      <Table<ImportJob>
        size="small"
        rowKey="id"
        dataSource={jobs}
        pagination={false}
        locale={{ emptyText: m.noImports }}
        scroll={{ x: 640 }}
        rowClassName={(j) => (j.id === current ? 'ant-table-row-selected' : '')}
        columns={[
          { title: m.time, key: 'time', width: 150, render: (_, j) => dateTime(j.createdAt, lang) },
          {
            title: m.file,
            key: 'file',
            render: (_, j) => (
              <span>
                <Typography.Text>{j.fileName}</Typography.Text>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {word(m, `kind_${j.kind}`)} · {fmt(m.by, { name: j.createdBy })}
                </Typography.Text>
              </span>
            ),
          },
          { title: m.status, key: 'status', width: 96, render: (_, j) => <Tag color={statusColour[j.status] ?? 'default'}>{word(m, `status_${j.status}`, j.status)}</Tag> },
          {
            title: m.result,
            key: 'result',
            render: (_, j) =>
              j.status === 'cancelled' || j.status === 'uploaded'
                ? '—'
                : [
                    `${m.outcome_new} ${j.counts.new}`,
                    `${m.outcome_updated} ${j.counts.updated}`,
                    `${m.outcome_unchanged} ${j.counts.unchanged}`,
                    ...(j.counts.error > 0 ? [`${m.outcome_error} ${j.counts.error}`] : []),
                  ].join(lang === 'en' ? ', ' : '，'),
          },
          {
            title: '',
            key: 'open',
            width: 72,
            render: (_, j) =>
              j.status === 'cancelled' ? null : (
                <Button type="link" size="small" onClick={() => onOpen(j.id)} aria-label={`${m.open} ${j.fileName}`}>
                  {m.open}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}
