/**
 * An endpoint's delivery log (GET /webhooks/:id/deliveries, newest first, 50 at a time): time, notice,
 * status, attempts, the answer's code and its first 1 KB (expandable), the next try and why it failed
 * in words; 重新发送 per row, 发送测试通知 at the top. Refreshed every 3 s while something is on its way
 * (not while the tab is hidden; the drawer's content goes when it closes, and its polling with it).
 */
import { Alert, App as AntApp, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useRef, useState } from 'react';
import { get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { usePolling } from '../../../shared/use-polling.ts';
import { webhookMessages } from './messages.ts';
import { eventName, type Delivery, type DeliveryStatus, type Endpoint } from './model.ts';
import { failureWords } from './words.ts';

const PAGE = 50;
const POLL_MS = 3000;
const statusColour: Record<DeliveryStatus, string> = { pending: 'blue', sending: 'processing', delivered: 'green', failed: 'red' };

export function DeliveriesDrawer({ endpoint, onClose }: { endpoint: Endpoint | null; onClose: () => void }) {
  const m = useMessages(webhookMessages);
  return (
    <Drawer
      open={endpoint !== null}
      onClose={onClose}
      size="min(1180px, 100vw)"
      title={endpoint ? `${m.drawerTitle}：${endpoint.url}` : m.drawerTitle}
      destroyOnHidden
      closable={{ 'aria-label': m.close }}
    >
      {endpoint && <DeliveryLog endpoint={endpoint} />}
    </Drawer>
  );
}

function DeliveryLog({ endpoint }: { endpoint: Endpoint }) {
  const m = useMessages(webhookMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<Delivery[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | 'test' | null>(null);
  const loaded = useRef(false);

  /** The newest page again; the older pages already shown stay below it. */
  const loadFirst = useCallback(
    (signal?: AbortSignal) => {
      const first = !loaded.current;
      if (first) setLoading(true);
      return get<Delivery[]>(`/webhooks/${endpoint.id}/deliveries`, { limit: PAGE }, signal)
        .then((list) => {
          loaded.current = true;
          setItems((old) => {
            const oldest = list[list.length - 1]?.id ?? Infinity;
            return [...list, ...old.filter((d) => d.id < oldest)];
          });
          // older pages are asked for by "加载更多"; a refresh only brings the newest in
          if (first) setHasMore(list.length === PAGE);
          setError(null);
        })
        .catch((err: unknown) => {
          if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
        })
        .finally(() => {
          if (!signal?.aborted) setLoading(false);
        });
    },
    [endpoint.id, lang],
  );

  useEffect(() => {
    const controller = new AbortController();
    void loadFirst(controller.signal);
    return () => controller.abort();
  }, [loadFirst]);

  const onTheirWay = items.some((d) => d.status === 'pending' || d.status === 'sending');
  usePolling(onTheirWay && endpoint.enabled, () => void loadFirst(), POLL_MS);

  const more = async () => {
    const last = items[items.length - 1];
    if (!last) return;
    setLoading(true);
    try {
      const list = await get<Delivery[]>(`/webhooks/${endpoint.id}/deliveries`, { limit: PAGE, beforeId: last.id });
      setItems((old) => [...old, ...list.filter((d) => !old.some((o) => o.id === d.id))]);
      setHasMore(list.length === PAGE);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoading(false);
    }
  };

  const sendTest = async () => {
    setBusy('test');
    try {
      await post(`/webhooks/${endpoint.id}/test`, {}, newIdempotencyKey());
      message.success(m.testSent);
      await loadFirst();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const redeliver = async (d: Delivery) => {
    setBusy(d.id);
    try {
      await post(`/webhooks/${endpoint.id}/deliveries/${d.id}/redeliver`, {}, newIdempotencyKey());
      message.success(m.redelivered);
      await loadFirst();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<Delivery> = [
    { title: m.time, key: 'time', width: 150, render: (_, d) => dateTime(d.createdAt, lang, true) },
    { title: m.event, key: 'event', render: (_, d) => eventName(d.eventType, lang, m.testNotice) },
    {
      title: m.deliveryStatus,
      key: 'status',
      width: 220,
      render: (_, d) => {
        // why it did not get through, in words, under its status
        const words = d.status === 'delivered' ? null : failureWords(m, d.error, d.responseStatus);
        return (
          <div style={{ maxWidth: 220 }}>
            <Tag color={statusColour[d.status]} data-testid={`delivery-status-${d.id}`}>
              {m[`st_${d.status}`]}
            </Tag>
            {words && (
              <Typography.Text type={d.status === 'failed' ? 'danger' : 'warning'} style={{ display: 'block', marginTop: 4, fontSize: 13 }} title={d.error ?? undefined} data-testid={`delivery-why-${d.id}`}>
                {words}
              </Typography.Text>
            )}
          </div>
        );
      },
    },
    { title: m.attempts, key: 'attempts', align: 'right', render: (_, d) => d.attempts },
    { title: m.responseStatus, key: 'code', align: 'right', render: (_, d) => d.responseStatus ?? '—' },
    {
      title: m.responseBody,
      key: 'body',
      width: 230,
      render: (_, d) =>
        d.responseBody === null ? (
          '—'
        ) : d.responseBody.trim() === '' ? (
          <Typography.Text type="secondary">{m.emptyBody}</Typography.Text>
        ) : (
          <Typography.Paragraph
            ellipsis={{ rows: 2, expandable: 'collapsible', symbol: (expanded: boolean) => (expanded ? m.collapse : m.expand) }}
            style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontSize: 12, marginBottom: 0, width: 230, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
            data-testid={`delivery-body-${d.id}`}
          >
            {d.responseBody}
          </Typography.Paragraph>
        ),
    },
    {
      title: m.nextTry,
      key: 'next',
      width: 150,
      render: (_, d) =>
        d.status === 'pending' && d.nextAttemptAt ? (
          dateTime(d.nextAttemptAt, lang, true)
        ) : d.status === 'failed' ? (
          <Typography.Text type="secondary">{m.gaveUp}</Typography.Text>
        ) : (
          '—'
        ),
    },
    {
      title: m.actions,
      key: 'actions',
      render: (_, d) =>
        d.status === 'sending' ? null : (
          <Button size="small" disabled={!endpoint.enabled} loading={busy === d.id} onClick={() => void redeliver(d)} aria-label={`${m.redeliver} #${d.id}`}>
            {m.redeliver}
          </Button>
        ),
    },
  ];

  return (
    <div data-testid="deliveries-drawer">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Button type="primary" onClick={() => void sendTest()} loading={busy === 'test'} disabled={!endpoint.enabled} data-testid="send-test">
          {m.sendTest}
        </Button>
        {onTheirWay && endpoint.enabled && (
          <Typography.Text type="secondary" role="status">
            {m.polling}
          </Typography.Text>
        )}
      </Space>
      <Typography.Paragraph type="secondary">{m.drawerIntro}</Typography.Paragraph>
      {!endpoint.enabled && <Alert type="warning" showIcon title={m.offNoSend} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Delivery>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        locale={{ emptyText: m.noDeliveries }}
        scroll={{ x: 'max-content' }}
        data-testid="deliveries-table"
      />
      {hasMore && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void more()} loading={loading}>
            {m.loadMore}
          </Button>
        </div>
      )}
    </div>
  );
}
