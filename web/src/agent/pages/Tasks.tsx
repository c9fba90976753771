/**
 * The department-task inbox (S1.10): design and merchandise verify a "not as
 * described" shoe against the page photos, fix the page, and answer; the
 * supervisor watches every task, opens one, or cancels one. Open tasks come
 * oldest first (work from the oldest); answered and cancelled ones newest
 * first, a page at a time. Design and merchandise see what was sent to their
 * department. The open list refreshes every minute while the page is shown.
 */
import { Alert, Button, Empty, Pagination, Segmented, Space, Spin, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { tasksMessages } from './tasks/messages.ts';
import { createRoles, isForRole, taskStatuses, type DepartmentTask, type DepartmentTaskStatus, type TaskRecord } from './tasks/model.ts';
import { NewTaskForm } from './tasks/NewTaskForm.tsx';
import { listAllRecords, listRecords } from './tasks/records.ts';
import { TaskCard } from './tasks/TaskCard.tsx';

const PAGE_SIZE = 10;
const HISTORY_PAGE = 30;
const REFRESH_MS = 60_000;

export default function Tasks() {
  const m = useMessages(tasksMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status: DepartmentTaskStatus = (taskStatuses as readonly string[]).includes(statusParam ?? '') ? (statusParam as DepartmentTaskStatus) : 'open';
  const [items, setItems] = useState<TaskRecord[]>([]);
  const [complete, setComplete] = useState(true);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [fetchedAt, setFetchedAt] = useState(() => Date.now());
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const load =
      status === 'open'
        ? listAllRecords<DepartmentTask>('department_task', 'open', controller.signal).then(({ items: all, complete: whole }) => {
            setItems(all);
            setComplete(whole);
            setMore(false);
          })
        : listRecords<DepartmentTask>('department_task', { status, limit: HISTORY_PAGE }, controller.signal).then((first) => {
            setItems(first);
            setComplete(true);
            setMore(first.length === HISTORY_PAGE);
          });
    load
      .then(() => {
        if (controller.signal.aborted) return;
        setError(null);
        setFetchedAt(Date.now());
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted && (err as Error)?.name !== 'AbortError') setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [status, tick]);

  // the open inbox refreshes itself every minute while the tab is visible
  useEffect(() => {
    if (status !== 'open') return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [status, reload]);

  const loadMore = async () => {
    const last = items[items.length - 1];
    if (!last) return;
    setLoading(true);
    try {
      const next = await listRecords<DepartmentTask>('department_task', { status, limit: HISTORY_PAGE, beforeId: last.id });
      setItems((before) => [...before, ...next]);
      setMore(next.length === HISTORY_PAGE);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  const setStatus = (next: DepartmentTaskStatus) => {
    setPage(1);
    setParams(next === 'open' ? {} : { status: next });
  };

  const visible = items.filter((t) => isForRole(t.data, session.role));
  // after an answer the last page may be gone: show the last one there is
  const current = Math.min(page, Math.max(1, Math.ceil(visible.length / PAGE_SIZE)));
  const pages = status === 'open' ? visible.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE) : visible;
  const mayCreate = createRoles.includes(session.role);

  return (
    <div style={{ maxWidth: 1100 }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      <Space wrap className="no-print" style={{ marginBottom: 16 }}>
        <Segmented<DepartmentTaskStatus>
          aria-label={m.filter}
          value={status}
          onChange={setStatus}
          options={taskStatuses.map((s) => ({ value: s, label: m[`status_${s}`] }))}
        />
        <Button onClick={reload} loading={loading}>
          {m.reload}
        </Button>
        {mayCreate ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            {m.newTask}
          </Button>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} style={{ marginBottom: 16 }} role="alert" /> : null}
      {!complete ? <Alert type="warning" showIcon title={fmt(m.notComplete, { n: items.length })} style={{ marginBottom: 16 }} /> : null}
      <Typography.Text type="secondary" aria-live="polite" data-testid="task-count">
        {status === 'open' ? fmt(m.countOpen, { n: visible.length }) : fmt(m.countOther, { n: visible.length })}
      </Typography.Text>
      <Spin spinning={loading && items.length > 0}>
        <Space orientation="vertical" size={12} style={{ width: '100%', marginTop: 8 }}>
          {loading && items.length === 0 ? <Spin aria-label={m.reload} /> : null}
          {!loading && visible.length === 0 ? <Empty description={m[`empty_${status}`]} /> : null}
          {pages.map((task) => (
            <TaskCard key={task.id} task={task} role={session.role} now={fetchedAt} onChanged={reload} />
          ))}
        </Space>
      </Spin>
      {status === 'open' && visible.length > PAGE_SIZE ? (
        <Pagination style={{ marginTop: 16 }} current={current} pageSize={PAGE_SIZE} total={visible.length} onChange={setPage} showSizeChanger={false} />
      ) : null}
      {status !== 'open' && more ? (
        <Button style={{ marginTop: 16 }} onClick={() => void loadMore()} loading={loading}>
          {m.loadMore}
        </Button>
      ) : null}
      {mayCreate ? (
        <NewTaskForm
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            if (status === 'open') reload();
            else setStatus('open');
          }}
        />
      ) : null}
    </div>
  );
}
