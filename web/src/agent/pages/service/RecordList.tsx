/**
 * Repair records in a table (GET /service/records): all of them for the
 * clerk, "mine" for a lead, the decisions waiting for leadership (S5.5);
 * filtered by status, owner and incomplete paperwork (S5.8), 50 at a time.
 */
import { Alert, Button, Checkbox, Select, Space, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { Labelled, ResponsiveTable } from '../../../shared/ResponsiveTable.tsx';
import { roleNames } from '../../messages.ts';
import { listOf } from './CallForm.tsx';
import { RecordLink, useDeskLinks } from './links.tsx';
import { serviceMessages } from './messages.ts';
import { statusOrder, type RecordView, type RepairStatus } from './model.ts';
import { StatusTag, WarrantyTag } from './parts.tsx';

const PAGE = 50;

export function RecordList({
  fixedStatus,
  fixedOwner,
  defaultStatus,
  showFilters = true,
  reloadKey = 0,
  testId,
}: {
  fixedStatus?: RepairStatus | 'open';
  fixedOwner?: 'me';
  defaultStatus?: RepairStatus | 'open';
  showFilters?: boolean;
  reloadKey?: number;
  testId?: string;
}) {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const roles = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const links = useDeskLinks();
  const [status, setStatus] = useState<RepairStatus | 'open' | undefined>(fixedStatus ?? defaultStatus);
  const [incomplete, setIncomplete] = useState(false);
  const [items, setItems] = useState<RecordView[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const query = useMemo(
    () => ({ status: fixedStatus ?? status, owner: fixedOwner, incomplete: incomplete ? 'true' : undefined, limit: PAGE }),
    [fixedStatus, status, fixedOwner, incomplete],
  );

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    get<RecordView[] | { items: RecordView[] }>('/service/records', query, controller.signal)
      .then((answer) => {
        const list = listOf(answer);
        setItems(list);
        setHasMore(list.length === PAGE);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, lang, reloadKey]);

  const more = async () => {
    const last = items[items.length - 1];
    if (!last) return;
    setLoading(true);
    try {
      const list = listOf(await get<RecordView[] | { items: RecordView[] }>('/service/records', { ...query, beforeId: last.id }));
      setItems((old) => [...old, ...list]);
      setHasMore(list.length === PAGE);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoading(false);
    }
  };

  const columns: ColumnsType<RecordView> = [
    { title: m.colId, dataIndex: 'id', key: 'id', width: 72, render: (id: number) => <RecordLink id={id} /> },
    {
      title: m.colStatus,
      key: 'status',
      render: (_, v) => (
        <Space size={2} wrap>
          <StatusTag status={v.status} />
          {v.record.emergency && <Tag color="red">{m.emergencyBadge}</Tag>}
          {v.incomplete && <Tag color="error">{m.incompleteBadge}</Tag>}
        </Space>
      ),
    },
    {
      title: m.colCustomer,
      key: 'customer',
      render: (_, v) => (
        <Space orientation="vertical" size={0}>
          <span>{v.record.product?.organisation ?? v.callerOrganisation ?? m.coverageUnknown}</span>
          {v.record.product && <Typography.Text type="secondary">{`${v.record.product.product} · ${v.record.product.serialNo}`}</Typography.Text>}
        </Space>
      ),
    },
    { title: m.fault, key: 'fault', ellipsis: true, render: (_, v) => v.record.call.fault ?? m.none, responsive: ['lg'] },
    { title: m.colWarranty, key: 'warranty', render: (_, v) => <WarrantyTag warranty={v.record.warranty} /> },
    {
      title: m.colOwner,
      key: 'owner',
      render: (_, v) => v.record.assignee?.name ?? v.owner?.name ?? (v.owner ? fmt(m.anyone, { role: roles[v.owner.role] ?? v.owner.role }) : m.none),
    },
    { title: m.colCalledAt, key: 'at', render: (_, v) => dateTime(v.record.call.at, lang), responsive: ['md'] },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={testId}>
      {showFilters && (
        <Space wrap>
          {!fixedStatus && (
            <Select<string>
              aria-label={m.filterStatus}
              value={status ?? ''}
              onChange={(v) => setStatus(v === '' ? undefined : (v as RepairStatus | 'open'))}
              style={{ minWidth: 200 }}
              options={[
                { value: '', label: m.allStatuses },
                { value: 'open', label: m.statusOpen },
                ...statusOrder.map((s) => ({ value: s, label: mm[`st_${s}`] ?? s })),
              ]}
            />
          )}
          <Checkbox checked={incomplete} onChange={(e) => setIncomplete(e.target.checked)}>
            {m.onlyIncomplete}
          </Checkbox>
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      <ResponsiveTable<RecordView>
        rowKey="id"
        size="small"
        columns={columns}
        card={(v) => ({
          title: `#${v.id} ${v.record.product?.organisation ?? v.callerOrganisation ?? m.coverageUnknown}`,
          tags: (
            <>
              <StatusTag status={v.status} />
              {v.record.emergency && <Tag color="red">{m.emergencyBadge}</Tag>}
              {v.incomplete && <Tag color="error">{m.incompleteBadge}</Tag>}
            </>
          ),
          lines: [
            v.record.call.fault,
            v.record.product && `${v.record.product.product} · ${v.record.product.serialNo}`,
            <WarrantyTag key="w" warranty={v.record.warranty} />,
            <Labelled key="o" label={m.colOwner}>
              {v.record.assignee?.name ?? v.owner?.name ?? (v.owner ? fmt(m.anyone, { role: roles[v.owner.role] ?? v.owner.role }) : m.none)}
            </Labelled>,
            <Labelled key="t" label={m.colCalledAt}>
              {dateTime(v.record.call.at, lang)}
            </Labelled>,
          ],
          onOpen: () => links.openRecord(v.id),
          openLabel: fmt(m.reminderOpen, { id: v.id }),
          urgent: v.incomplete,
          testId: `record-card-${v.id}`,
        })}
        dataSource={items}
        loading={loading}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: m.noRecordsHere }}
        onRow={(v) => ({ onDoubleClick: () => links.openRecord(v.id) })}
      />
      {hasMore && (
        <Button onClick={() => void more()} loading={loading}>
          {m.moreResults}
        </Button>
      )}
    </Space>
  );
}
