/**
 * Complaints (S1.17; S4.7/S4.8 build on them): the shop's complaints newest
 * first, by state (server-side), source and order number; recording a new one
 * (?new=1&orderNo=…&refundId=… opens the form filled in, e.g. from a refund);
 * one complaint in a drawer (?id=…, so it can be linked) with the reply to the
 * platform (at most 200 characters), escalation and closing.
 */
import { Alert, Button, Input, Select, Space, Tag, Typography } from 'antd';
import { Labelled, ResponsiveTable } from '../../shared/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../shared/errors.ts';
import { dateTime } from '../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { ComplaintDrawer, statusColours } from './complaints/ComplaintDrawer.tsx';
import { complaintsMessages } from './complaints/messages.ts';
import { complaintRoles, complaintSources, complaintStatuses, type Complaint, type ComplaintRecord, type ComplaintSource, type ComplaintStatus } from './complaints/model.ts';
import { NewComplaintForm } from './complaints/NewComplaintForm.tsx';
import { listRecords } from './tasks/records.ts';

const PAGE = 50;

export default function Complaints() {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const status = (complaintStatuses as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as ComplaintStatus) : undefined;
  const source = (complaintSources as readonly string[]).includes(params.get('source') ?? '') ? (params.get('source') as ComplaintSource) : undefined;
  const orderNo = params.get('orderNo')?.trim() || undefined;
  const openId = Number(params.get('id')) || null;
  const creating = params.get('new') === '1';
  const [items, setItems] = useState<ComplaintRecord[]>([]);
  const [more, setMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [search, setSearch] = useState(orderNo ?? '');
  const reload = () => setTick((t) => t + 1);
  const mayWork = complaintRoles.includes(session.role);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    listRecords<Complaint>('complaint', { limit: PAGE, ...(status ? { status } : {}), ...(orderNo ? { orderNo } : {}) }, controller.signal)
      .then((first) => {
        setItems(first);
        setMore(first.length === PAGE);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted && (err as Error)?.name !== 'AbortError') setError(err);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [status, orderNo, tick]);

  const loadMore = async () => {
    const last = items[items.length - 1];
    if (!last) return;
    setLoading(true);
    try {
      const next = await listRecords<Complaint>('complaint', { limit: PAGE, beforeId: last.id, ...(status ? { status } : {}), ...(orderNo ? { orderNo } : {}) });
      setItems((before) => [...before, ...next]);
      setMore(next.length === PAGE);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  /** Changes some search params, keeping the others. */
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const rows = source ? items.filter((c) => c.data.source === source) : items;

  const columns: ColumnsType<ComplaintRecord> = [
    { key: 'id', title: m.colId, dataIndex: 'id', width: 70, render: (id: number) => `#${id}` },
    { key: 'opened', title: m.colOpened, width: 150, render: (_, c) => dateTime(c.data.openedAt, lang) },
    { key: 'source', title: m.colSource, width: 90, render: (_, c) => m[`source_${c.data.source}`] },
    { key: 'type', title: m.colType, render: (_, c) => c.data.type, ellipsis: true },
    {
      key: 'severity',
      title: m.colSeverity,
      width: 100,
      render: (_, c) => <Tag color={c.data.severity === 'malicious' ? 'red' : undefined}>{m[`severity_${c.data.severity}`]}</Tag>,
    },
    {
      key: 'status',
      title: m.colStatus,
      width: 90,
      render: (_, c) => <Tag color={statusColours[c.status]}>{m[`status_${c.status}` as 'status_open'] ?? c.status}</Tag>,
    },
    { key: 'order', title: m.colOrder, width: 190, render: (_, c) => c.orderNo ?? c.data.orderNo ?? '—' },
    { key: 'demands', title: m.colDemands, render: (_, c) => c.data.buyerDemands, ellipsis: true },
    { key: 'replies', title: m.colReplies, width: 80, align: 'right', render: (_, c) => c.data.replies.length },
    {
      key: 'actions',
      title: m.colActions,
      width: 80,
      className: 'no-print',
      render: (_, c) => (
        <Button size="small" onClick={() => update({ id: String(c.id) })} aria-label={fmt(m.openAria, { id: c.id })}>
          {m.open}
        </Button>
      ),
    },
  ];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 900 }}>
        {m.intro}
      </Typography.Paragraph>
      <Space wrap className="no-print" style={{ marginBottom: 16 }}>
        <Select<ComplaintStatus | ''>
          aria-label={m.filterStatus}
          style={{ minWidth: 130 }}
          value={status ?? ''}
          onChange={(v) => update({ status: v || null })}
          options={[{ value: '', label: m.allStatuses }, ...complaintStatuses.map((s) => ({ value: s, label: m[`status_${s}`] }))]}
        />
        <Select<ComplaintSource | ''>
          aria-label={m.filterSource}
          style={{ minWidth: 130 }}
          value={source ?? ''}
          onChange={(v) => update({ source: v || null })}
          options={[{ value: '', label: m.allSources }, ...complaintSources.map((s) => ({ value: s, label: m[`source_${s}`] }))]}
        />
        <Input.Search
          aria-label={m.filterOrderNo}
          placeholder={m.filterOrderNo}
          enterButton={lang === 'en' ? 'Find' : '查找'}
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(v) => update({ orderNo: v.trim() || null })}
          style={{ width: 240 }}
        />
        <Button onClick={reload} loading={loading}>
          {m.reload}
        </Button>
        {mayWork ? (
          <Button type="primary" onClick={() => update({ new: '1' })}>
            {m.newComplaint}
          </Button>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon title={errorText(error, lang)} role="alert" style={{ marginBottom: 16 }} /> : null}
      <ResponsiveTable<ComplaintRecord>
        rowKey="id"
        size="middle"
        columns={columns}
        card={(c) => ({
          title: `#${c.id} ${c.data.type}`,
          tags: (
            <>
              <Tag color={statusColours[c.status]}>{m[`status_${c.status}` as 'status_open'] ?? c.status}</Tag>
              <Tag color={c.data.severity === 'malicious' ? 'red' : undefined}>{m[`severity_${c.data.severity}`]}</Tag>
            </>
          ),
          lines: [
            c.data.buyerDemands,
            <Labelled key="src" label={m.colSource}>
              {m[`source_${c.data.source}`]}
            </Labelled>,
            <Labelled key="order" label={m.colOrder}>
              {c.orderNo ?? c.data.orderNo ?? '—'}
            </Labelled>,
            <Labelled key="at" label={m.colOpened}>
              {dateTime(c.data.openedAt, lang)}
            </Labelled>,
          ],
          onOpen: () => update({ id: String(c.id) }),
          openLabel: m.open,
          openAriaLabel: fmt(m.openAria, { id: c.id }),
          urgent: c.data.severity === 'malicious',
        })}
        dataSource={rows}
        loading={loading}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: m.empty }}
        onRow={(c) => ({ onDoubleClick: () => update({ id: String(c.id) }) })}
        data-testid="complaints-table"
      />
      <Space style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{fmt(m.shown, { n: rows.length })}</Typography.Text>
        {more ? (
          <Button onClick={() => void loadMore()} loading={loading}>
            {m.loadMore}
          </Button>
        ) : null}
      </Space>
      {mayWork ? (
        <NewComplaintForm
          open={creating}
          prefill={{ orderNo: params.get('orderNo') ?? undefined, refundId: params.get('refundId') ?? undefined }}
          onClose={() => update({ new: null, refundId: null })}
          onCreated={(id) => {
            update({ new: null, refundId: null, id: String(id) });
            reload();
          }}
        />
      ) : null}
      <ComplaintDrawer id={openId} onClose={() => update({ id: null })} onChanged={reload} />
    </div>
  );
}
