/**
 * A refund of Taobao/Tmall (issue 12): which platform (the refund's own events
 * say so; else just 平台退款), its refund number there, and whether the
 * seller's last decision reached the platform — 同步中 (the actions wait),
 * 已同步, or 同步失败 with the platform's words and what to do next.
 */
import { Alert, Button, Space, Spin, Tag, Typography } from 'antd';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import type { RefundDetail } from '../../../shared/types.ts';
import { platformRefundMessages } from './messages.ts';

export type PlatformName = 'taobao' | 'tmall';

/** The platform the refund came from, as its latest synced event names it (null: not told). */
export function platformOf(refund: Pick<RefundDetail, 'events'>): PlatformName | null {
  for (let i = refund.events.length - 1; i >= 0; i--) {
    const source = refund.events[i]!.data.source;
    if (source === 'taobao' || source === 'tmall') return source;
  }
  return null;
}

export function PlatformTag({ refund }: { refund: RefundDetail }) {
  const m = useMessages(platformRefundMessages);
  if (!refund.platform) return null;
  const platform = platformOf(refund);
  return (
    <>
      <Tag color="orange" data-testid="platform-tag">
        {platform ? m[platform] : m.platformRefund}
      </Tag>
      <Typography.Text type="secondary">
        {m.platformRefundId}{' '}
        <Typography.Text copyable style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }} data-testid="platform-refund-id">
          {refund.platform.refundId}
        </Typography.Text>
      </Typography.Text>
    </>
  );
}

/** The sync state of the last decision sent; nothing before the first one. */
export function SyncBanner({ refund, onReload, reloading }: { refund: RefundDetail; onReload: () => void; reloading: boolean }) {
  const m = useMessages(platformRefundMessages);
  const sync = refund.platform?.sync;
  if (!sync) return null;
  if (sync.state === 'pending') {
    return (
      <div data-testid="sync-state" data-state="pending" style={{ marginBottom: 12 }}>
        <Alert
          type="info"
          title={
            <Space>
              <Spin size="small" />
              <strong>{m.syncPending}</strong>
              <span>{m.syncPendingText}</span>
            </Space>
          }
        />
      </div>
    );
  }
  if (sync.state === 'failed') {
    return (
      <div data-testid="sync-state" data-state="failed" style={{ marginBottom: 12 }}>
        <Alert
          type="error"
          showIcon
          role="alert"
          title={<strong>{m.syncFailed}</strong>}
          description={
            <>
              <div>{sync.message ? fmt(m.syncFailedText, { message: sync.message }) : m.syncFailedNoWords}</div>
              <div>{m.syncFailedHint}</div>
            </>
          }
          action={
            <Button size="small" onClick={onReload} loading={reloading}>
              {m.reload}
            </Button>
          }
        />
      </div>
    );
  }
  return (
    <div data-testid="sync-state" data-state="synced" style={{ marginBottom: 12 }}>
      <Space size={8}>
        <Tag color="green">{m.syncSynced}</Tag>
        <Typography.Text type="secondary">{m.syncSyncedText}</Typography.Text>
      </Space>
    </div>
  );
}
