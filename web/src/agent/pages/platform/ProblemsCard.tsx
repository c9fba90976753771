/**
 * 同步问题 (GET /platform/problems): newest first, open ones by default, 50 at
 * a time; retry (read the object again, or send a refused decision again) and
 * dismiss (platform.sync.act); a drawer with the masked payload as JSON.
 */
import { App as AntApp, Button, Card, Descriptions, Drawer, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { KeysetTable } from '../../../shared/KeysetTable.tsx';
import { useKeysetList } from '../../../shared/use-keyset-list.ts';
import { platformMessages } from './messages.ts';
import { formatPayload, platformWordsOf, problemStatuses, type Problem, type ProblemStatus } from './model.ts';

type M = (typeof platformMessages)['zh-CN'];

const label = (m: M, prefix: string, key: string | null) => (key ? ((m as Record<string, string>)[`${prefix}_${key}`] ?? key) : '—');
const statusColour: Record<string, string> = { open: 'red', resolved: 'green', dismissed: 'default' };

/** The platform's id of what the problem is about: a refused decision names its refund in its payload (its own id is the outbox row's). */
function platformIdOf(p: Problem): string | null {
  if (p.objectType !== 'outbox') return p.platformId;
  const payload = p.payload as { platformRefundId?: unknown; platformOrderId?: unknown } | null;
  const id = payload?.platformRefundId ?? payload?.platformOrderId;
  return typeof id === 'string' ? id : null;
}
const statusLabel = (m: M, s: string) => (s === 'open' ? m.problemOpen : s === 'resolved' ? m.problemResolved : s === 'dismissed' ? m.problemDismissed : s);

/** What went wrong, in words: the platform's own when it gave some, else what the code means. */
function ProblemText({ p, m, inDrawer = false }: { p: Problem; m: M; inDrawer?: boolean }) {
  const { lang } = useLang();
  const summary = (m as Record<string, string>)[`code_${p.code}`] ?? m.code_other;
  const words = platformWordsOf(p);
  return (
    <div style={{ maxWidth: 420 }}>
      <div>{summary}</div>
      {words ? (
        <Typography.Text type="secondary">{fmt(m.platformSaid, { words })}</Typography.Text>
      ) : lang === 'en' && !inDrawer ? (
        <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>
          {p.message}
        </Typography.Text>
      ) : inDrawer ? null : (
        <Typography.Text type="secondary">{m.seeDetails}</Typography.Text>
      )}
    </div>
  );
}

export function ProblemsCard({ mayAct, openCount, reloadKey }: { mayAct: boolean; openCount: number; reloadKey: string }) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [status, setStatus] = useState<ProblemStatus>('open');
  const [busy, setBusy] = useState<number | null>(null);
  const [shown, setShown] = useState<Problem | null>(null);

  const list = useKeysetList<Problem>('/platform/problems', { status }, lang, [status, reloadKey]);

  const act = async (p: Problem, action: 'retry' | 'dismiss') => {
    setBusy(p.id);
    try {
      if (action === 'retry') {
        const after = await post<Problem>(`/platform/problems/${p.id}/retry`, {}, newIdempotencyKey());
        if (after.status === 'open') message.warning(m.retriedStill);
        else message.success(m.retried);
      } else {
        await post(`/platform/problems/${p.id}/dismiss`, {}, newIdempotencyKey());
        message.success(m.dismissed);
      }
      setShown(null);
      list.reload();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const actions = (p: Problem, withView = true) => (
    <Space size={0} wrap>
      {withView && (
        <Button type="link" size="small" onClick={() => setShown(p)} aria-label={`${m.view} #${p.id}`}>
          {m.view}
        </Button>
      )}
      {mayAct && p.status === 'open' && (
        <>
          <Button type="link" size="small" loading={busy === p.id} onClick={() => void act(p, 'retry')} aria-label={`${m.retry} #${p.id}`}>
            {m.retry}
          </Button>
          <Button type="link" size="small" disabled={busy === p.id} onClick={() => void act(p, 'dismiss')} aria-label={`${m.dismiss} #${p.id}`}>
            {m.dismiss}
          </Button>
        </>
      )}
    </Space>
  );

  const columns: ColumnsType<Problem> = [
    { title: m.time, key: 'time', render: (_, p) => dateTime(p.updatedAt, lang), width: 150 },
    { title: m.source, key: 'source', render: (_, p) => <Tag>{label(m, 'source', p.source)}</Tag> },
    {
      title: m.object,
      key: 'object',
      render: (_, p) => {
        const id = platformIdOf(p);
        return (
          <span>
            {label(m, 'object', p.objectType)}
            {id && (
              <Typography.Text copyable={{ text: id }} style={{ display: 'block', fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 12 }}>
                {id}
              </Typography.Text>
            )}
          </span>
        );
      },
    },
    { title: m.problem, key: 'problem', render: (_, p) => <ProblemText p={p} m={m} /> },
    { title: m.occurrences, key: 'n', align: 'right', render: (_, p) => p.occurrences },
    ...(status === 'open' ? [] : [{ title: m.status, key: 'status', render: (_: unknown, p: Problem) => <Tag color={statusColour[p.status]}>{statusLabel(m, p.status)}</Tag> }]),
    { title: m.actions, key: 'actions', render: (_, p) => actions(p) },
  ];

  const payload = shown ? formatPayload(shown.payload) : null;

  return (
    <Card
      size="small"
      title={
        <Space>
          {m.problemsTitle}
          {openCount > 0 && <Tag color="red">{fmt(m.problemsOpenCount, { n: openCount })}</Tag>}
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid="problems-card"
      extra={
        <Select
          aria-label={`${m.problemsTitle} · ${m.filterStatus}`}
          size="small"
          value={status}
          onChange={(v: ProblemStatus) => setStatus(v)}
          style={{ width: 110 }}
          options={problemStatuses.map((s) => ({ value: s, label: statusLabel(m, s) }))}
        />
      }
    >
      <Typography.Paragraph type="secondary">{m.problemsIntro}</Typography.Paragraph>
      <KeysetTable<Problem> list={list} columns={columns} emptyText={m.noProblems} loadMoreText={m.loadMore} testId="problems-table" />

      <Drawer
        open={shown !== null}
        onClose={() => setShown(null)}
        size="min(720px, 100vw)"
        title={shown ? fmt(m.problemDetail, { id: shown.id }) : ''}
        destroyOnHidden
        closable={{ 'aria-label': m.close }}
        extra={shown && mayAct && shown.status === 'open' ? actions(shown, false) : null}
      >
        {shown && (
          <div data-testid="problem-drawer">
            <Descriptions
              size="small"
              column={1}
              bordered
              items={[
                { key: 'problem', label: m.problem, children: <ProblemText p={shown} m={m} inDrawer /> },
                { key: 'source', label: m.source, children: label(m, 'source', shown.source) },
                { key: 'object', label: m.object, children: `${label(m, 'object', shown.objectType)}${platformIdOf(shown) ? ` ${platformIdOf(shown)}` : ''}` },
                { key: 'n', label: m.occurrences, children: shown.occurrences },
                { key: 'first', label: m.firstSeen, children: dateTime(shown.createdAt, lang, true) },
                { key: 'last', label: m.lastSeen, children: dateTime(shown.updatedAt, lang, true) },
                { key: 'status', label: m.status, children: <Tag color={statusColour[shown.status]}>{statusLabel(m, shown.status)}</Tag> },
                ...(shown.resolvedAt
                  ? [{ key: 'resolved', label: m.resolvedAt, children: `${dateTime(shown.resolvedAt, lang, true)}${shown.resolvedBy ? ` · ${shown.resolvedBy}` : ''}` }]
                  : []),
                {
                  key: 'technical',
                  label: m.technical,
                  children: (
                    <Typography.Text type="secondary" style={{ wordBreak: 'break-word' }}>
                      {shown.message}
                    </Typography.Text>
                  ),
                },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {m.payload}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{m.payloadMasked}</Typography.Paragraph>
            {payload ? (
              <Typography.Paragraph copyable={{ text: payload }} style={{ marginBottom: 0 }}>
                <pre
                  data-testid="problem-payload"
                  style={{ maxHeight: '60vh', overflow: 'auto', background: '#fafafa', border: '1px solid #f0f0f0', padding: 12, fontSize: 12, margin: 0, whiteSpace: 'pre' }}
                >
                  {payload}
                </pre>
              </Typography.Paragraph>
            ) : (
              <Typography.Text type="secondary">{m.payloadEmpty}</Typography.Text>
            )}
          </div>
        )}
      </Drawer>
    </Card>
  );
}
