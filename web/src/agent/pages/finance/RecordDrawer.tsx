/**
 * One record: its fields, its history, and the actions the server says are
 * open to the caller now (`allowedActions`); each action is sent with the
 * record's version and a conflict reloads it.
 */
import { RecordDrawerFrame } from '../../../shared/RecordDrawerFrame.tsx';
import { Button, Descriptions, Space, Timeline, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { get } from '../../../shared/api.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { ActionModal } from './ActionModal.tsx';
import { actionText, kindText, recordFields, StatusTag, statusText } from './describe.tsx';
import { financeMessages } from './messages.ts';
import type { Kind, SideRecordDetail } from './records.ts';

export function RecordDrawer({ kind, id, onClose, onChanged }: { kind: Kind; id: number | null; onClose: () => void; onChanged: () => void }) {
  const m = useMessages(financeMessages);
  const roles = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const navigate = useNavigate();
  const [action, setAction] = useState<string | null>(null);
  const loaded = useLoad((signal) => (id === null ? Promise.resolve(null) : get<SideRecordDetail>(`/records/${kind}/${id}`, undefined, signal)), [kind, id]);
  const record = loaded.data ?? null;
  /** after an action the buttons change: focus goes back into the drawer (Escape still closes it, Tab goes on from there) */
  const topRef = useRef<HTMLDivElement>(null);
  const [refocus, setRefocus] = useState(false);
  useEffect(() => {
    if (refocus && record && !loaded.loading) {
      topRef.current?.focus();
      setRefocus(false);
    }
  }, [refocus, record, loaded.loading]);

  const reloadAll = () => {
    setAction(null);
    setRefocus(true);
    loaded.reload();
    onChanged();
  };

  return (
    <RecordDrawerFrame
      open={id !== null}
      onClose={onClose}
      width={736}
      title={id !== null ? fmt(m.detailTitle, { kind: kindText(kind, m), id }) : ''}
      extra={
        record && kind === 'claim' ? (
          <Button onClick={() => navigate(`/finance/claims/${record.id}/print`)} aria-label={fmt(m.printOf, { id: record.id })}>
            {m.print}
          </Button>
        ) : null
      }
      loading={loaded.loading}
      error={loaded.error}
      ready={!!record && record.id === id}
    >
      {record && record.id === id && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="record-detail">
          <Space wrap ref={topRef} tabIndex={-1} style={{ outline: 'none' }}>
            <StatusTag kind={kind} status={record.status} m={m} />
            <Typography.Text type="secondary">{dateTime(record.createdAt, lang)}</Typography.Text>
          </Space>
          <Descriptions bordered size="small" column={1} items={recordFields(record, m, lang).map((f) => ({ key: f.label, label: f.label, children: f.value }))} />
          <div>
            <Typography.Title level={5}>{m.actions}</Typography.Title>
            {record.allowedActions.length === 0 ? (
              <Typography.Text type="secondary">{m.noActions}</Typography.Text>
            ) : (
              <Space wrap>
                {record.allowedActions.map((a, i) => (
                  <Button key={a} type={i === 0 && a !== 'cancel' ? 'primary' : 'default'} danger={a === 'cancel'} onClick={() => setAction(a)}>
                    {actionText(kind, a, m)}
                  </Button>
                ))}
              </Space>
            )}
          </div>
          <div>
            <Typography.Title level={5}>{m.history}</Typography.Title>
            <Timeline
              items={[...record.events].reverse().map((e) => ({
                key: e.version,
                content: (
                  <Space orientation="vertical" size={0}>
                    <span>
                      <strong>{actionText(kind, e.action, m)}</strong> → {statusText(kind, e.toStatus, m)}
                    </span>
                    <Typography.Text type="secondary">
                      {dateTime(e.at, lang)} · {roles[e.actorRole] ?? e.actorRole}
                    </Typography.Text>
                  </Space>
                ),
              }))}
            />
          </div>
          <ActionModal record={record} action={action} onClose={() => setAction(null)} onDone={reloadAll} onConflict={reloadAll} />
        </Space>
      )}
    </RecordDrawerFrame>
  );
}
