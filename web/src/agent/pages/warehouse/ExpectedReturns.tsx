/** The returns the warehouse expects: refunds whose buyer sent the goods back (WAIT_SELLER_CONFIRM_GOODS), soonest deadline first. */
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { reasonLabels, refundTypeLabels } from '../../../../../src/contract/labels.ts';
import { get } from '../../../shared/api.ts';
import { Countdown } from '../../../shared/Countdown.tsx';
import { Labelled, ResponsiveTable } from '../../../shared/ResponsiveTable.tsx';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Refund, RefundPage } from '../../../shared/types.ts';
import { warehouseMessages } from './messages.ts';

const PAGE = 20;

/** issue 15 §2: the warehouse registered this return's arrival (the row's mark), shown at once after it is registered */
const arrived = (r: Refund) => r.row?.marks.includes('arrived') ?? false;

export function ExpectedReturns({ reloadKey, onPick }: { reloadKey: number; onPick: (refund: Refund) => void }) {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const [items, setItems] = useState<Refund[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [fetchedAt, setFetchedAt] = useState(Date.now());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    get<RefundPage>('/refunds', { status: 'WAIT_SELLER_CONFIRM_GOODS', limit: PAGE }, controller.signal)
      .then((page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setFetchedAt(Date.now());
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [reloadKey, tick, lang]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await get<RefundPage>('/refunds', { status: 'WAIT_SELLER_CONFIRM_GOODS', limit: PAGE, cursor });
      setItems((old) => [...old, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoading(false);
    }
  };

  const columns: ColumnsType<Refund> = [
    {
      title: m.trackingNo,
      key: 'trackingNo',
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong copyable={!!r.returnShipment} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}>
            {r.returnShipment?.trackingNo ?? '—'}
          </Typography.Text>
          <Typography.Text type="secondary">{r.returnShipment?.courier}</Typography.Text>
          {arrived(r) && (
            <Tag color="green" data-testid="arrived-mark">
              {m.arrivedMark}
            </Tag>
          )}
        </Space>
      ),
    },
    { title: m.shippedAt, key: 'shippedAt', render: (_: unknown, r) => dateTime(r.returnShipment?.shippedAt, lang) },
    {
      title: m.orderNo,
      key: 'orderNo',
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.orderNo}</span>
          <Link to={`/refunds/${r.id}`}>{fmt(m.refundNo, { id: r.id })}</Link>
        </Space>
      ),
    },
    {
      title: m.typeReason,
      key: 'typeReason',
      render: (_: unknown, r) => `${labelOf(refundTypeLabels[r.type], lang)} / ${labelOf(reasonLabels[r.reason], lang)}`,
    },
    { title: m.amount, dataIndex: 'amountFen', key: 'amount', align: 'right', render: (v: number) => yuan(v) },
    {
      title: m.confirmDeadline,
      key: 'deadline',
      render: (_: unknown, r) => (r.deadline?.timeLeftMs != null ? <Countdown timeLeftMs={r.deadline.timeLeftMs} fetchedAt={fetchedAt} /> : '—'),
    },
    {
      title: m.lineActions,
      key: 'actions',
      render: (_: unknown, r) => (
        <Button size="small" onClick={() => onPick(r)} aria-label={fmt(m.registerArrivalOf, { no: r.returnShipment?.trackingNo ?? r.orderNo })}>
          {m.registerArrival}
        </Button>
      ),
    },
  ];

  return (
    <Card
      title={m.expectedTitle}
      extra={
        <Button onClick={() => setTick((t) => t + 1)} loading={loading}>
          {m.refresh}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{m.expectedHint}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<Refund>
        rowKey="id"
        size="middle"
        columns={columns}
        card={(r) => ({
          title: (
            <Typography.Text strong copyable={!!r.returnShipment} style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace' }}>
              {r.returnShipment?.trackingNo ?? '—'}
            </Typography.Text>
          ),
          tags: (
            <>
              <Typography.Text type="secondary">{r.returnShipment?.courier}</Typography.Text>
              {arrived(r) && (
                <Tag color="green" data-testid="arrived-mark">
                  {m.arrivedMark}
                </Tag>
              )}
            </>
          ),
          lines: [
            `${labelOf(refundTypeLabels[r.type], lang)} / ${labelOf(reasonLabels[r.reason], lang)} · ${yuan(r.amountFen)}`,
            <Labelled key="sent" label={m.shippedAt}>
              {dateTime(r.returnShipment?.shippedAt, lang)}
            </Labelled>,
            r.deadline?.timeLeftMs != null && (
              <Labelled key="left" label={m.confirmDeadline}>
                <Countdown timeLeftMs={r.deadline.timeLeftMs} fetchedAt={fetchedAt} />
              </Labelled>
            ),
            <Link key="refund" to={`/refunds/${r.id}`}>
              {r.orderNo} · {fmt(m.refundNo, { id: r.id })}
            </Link>,
          ],
          onOpen: () => onPick(r),
          openLabel: m.registerArrival,
          openAriaLabel: fmt(m.registerArrivalOf, { no: r.returnShipment?.trackingNo ?? r.orderNo }),
          testId: `expected-${r.id}`,
        })}
        dataSource={items}
        loading={loading}
        pagination={false}
        locale={{ emptyText: m.expectedEmpty }}
        scroll={{ x: 'max-content' }}
        data-testid="expected-returns"
      />
      {cursor && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void more()} loading={loading}>
            {m.loadMore}
          </Button>
        </div>
      )}
    </Card>
  );
}
