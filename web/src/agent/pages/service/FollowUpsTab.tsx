/**
 * S5.7 the follow-up calls (回访): three days after a record comes back to
 * the clerk the call is due; unreached customers get a retry the next day.
 * Lists by state (due / scheduled / unreached / done); the call's outcome
 * (reached?, satisfaction 1–5, comments) is logged in the record.
 */
import { Alert, Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { listOf } from './CallForm.tsx';
import { ContactReveal } from './ContactReveal.tsx';
import { RecordLink } from './links.tsx';
import { serviceMessages } from './messages.ts';
import type { FollowUpRow, RecordContacts, RecordDetail } from './model.ts';
import { RecordActionModal } from './RecordActions.tsx';

const states = ['due', 'scheduled', 'unreached', 'done'] as const;
type State = (typeof states)[number];
const LOGGERS = ['clerk', 'supervisor'];

export function FollowUpsTab() {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const { lang } = useLang();
  const { role } = useSignedIn();
  const [state, setState] = useState<State>('due');
  const [logging, setLogging] = useState<RecordDetail | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  // the customer's phone comes masked; the clerk who calls reveals it (with a reason, audited), one record at a time
  const [phones, setPhones] = useState<Record<number, RecordContacts>>({});
  const loaded = useLoad((signal) => get<FollowUpRow[] | { items: FollowUpRow[] }>('/service/follow-ups', { state }, signal).then(listOf), [state]);

  /** the record at its current version, then the call's form */
  const logFor = async (recordId: number) => {
    setOpenError(null);
    try {
      setLogging(await get<RecordDetail>(`/service/records/${recordId}`));
    } catch (err) {
      setOpenError(errorText(err, lang));
    }
  };

  const columns: ColumnsType<FollowUpRow> = [
    { title: m.colId, dataIndex: 'recordId', key: 'id', width: 72, render: (id: number) => <RecordLink id={id} /> },
    {
      title: m.customer,
      key: 'customer',
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.archive?.organisation ?? m.none}</span>
          {r.archive && (
            <Space size={4} wrap>
              <Typography.Text type="secondary">
                {r.archive.contact} · <span data-testid="follow-up-phone">{phones[r.recordId]?.phone ?? r.archive.phone}</span>
              </Typography.Text>
              <ContactReveal<RecordContacts>
                url={`/service/records/${r.recordId}/reveal`}
                fields={['phone']}
                revealed={phones[r.recordId] !== undefined}
                onRevealed={(answer) => setPhones((old) => ({ ...old, [r.recordId]: answer }))}
                ariaLabel={fmt(m.revealContactFor, { id: r.recordId })}
              />
            </Space>
          )}
        </Space>
      ),
    },
    { title: m.colProduct, key: 'product', render: (_, r) => (r.archive ? `${r.archive.product} · ${r.archive.serialNo}` : m.none), responsive: ['md'] },
    { title: m.returnedAt, key: 'returned', render: (_, r) => dateTime(r.returnedAt, lang), responsive: ['lg'] },
    {
      title: m.dueAt,
      key: 'due',
      render: (_, r) => (
        <Space size={4}>
          <span>{dateTime(r.dueAt, lang)}</span>
          {r.task?.overdue && <Tag color="error">{m.overdue}</Tag>}
        </Space>
      ),
    },
    { title: m.attempts, key: 'attempts', render: (_, r) => fmt(m.attemptsN, { n: r.attempts }) },
    {
      title: m.satisfaction,
      key: 'satisfaction',
      render: (_, r) => (r.task?.satisfaction ? `${r.task.satisfaction} / 5` : m.none),
      hidden: state !== 'done',
    },
    {
      title: m.actions,
      key: 'actions',
      className: 'no-print',
      hidden: !LOGGERS.includes(role) || state === 'done' || state === 'unreached',
      render: (_, r) => (
        <Button size="small" type={state === 'due' ? 'primary' : 'default'} onClick={() => void logFor(r.recordId)} aria-label={fmt(m.logCallFor, { id: r.recordId })}>
          {m.logCall}
        </Button>
      ),
    },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="follow-ups">
      <Typography.Paragraph type="secondary">{m.followUpIntro}</Typography.Paragraph>
      <Segmented<State>
        aria-label={m.tabFollowUps}
        value={state}
        onChange={setState}
        options={states.map((s) => ({ value: s, label: mm[`fu_${s}`] }))}
      />
      {(loaded.error != null || openError) && <Alert type="error" showIcon title={openError ?? errorText(loaded.error, lang)} />}
      <Table<FollowUpRow>
        rowKey="recordId"
        size="small"
        columns={columns}
        dataSource={loaded.data ?? []}
        loading={loaded.loading}
        pagination={(loaded.data?.length ?? 0) > 30 ? { pageSize: 30 } : false}
        scroll={{ x: true }}
        onRow={(r) => ({ style: r.task?.overdue ? { background: '#fff7e6' } : undefined })}
        locale={{ emptyText: m.noFollowUps }}
      />
      {logging && (
        <RecordActionModal
          view={logging}
          action="log_follow_up"
          onClose={() => setLogging(null)}
          onDone={() => {
            setLogging(null);
            loaded.reload();
          }}
          onConflict={() => {
            setLogging(null);
            loaded.reload();
          }}
        />
      )}
    </Space>
  );
}
