/**
 * The records of one kind, newest first, 20 at a time ("load more" pages by
 * id): a status filter (finance opens on what it has to do), a search by
 * order number, and the record's drawer for its actions.
 */
import { Alert, App, Button, Form, Input, Select, Space, Typography } from 'antd';
import { Labelled, ResponsiveTable } from '../../../shared/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../../shared/api.ts';
import { downloadFile } from '../../../shared/download.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useKeysetList } from '../../../shared/use-keyset-list.ts';
import { buyerChoiceText, postageBasis, StatusTag, statusText } from './describe.tsx';
import { financeMessages } from './messages.ts';
import { RecordDrawer } from './RecordDrawer.tsx';
import { statusesOf, type Claim, type Invoice, type Kind, type PostageRequest, type SideRecord } from './records.ts';

const PAGE = 20;
const mono = { fontFamily: 'ui-monospace, Menlo, Consolas, monospace' } as const;

export function RecordTable({
  kind,
  intro,
  defaultStatus,
  toolbar,
  reloadKey,
}: {
  kind: Kind;
  intro: string;
  defaultStatus: string | undefined;
  toolbar?: ReactNode;
  /** changes when a record was opened elsewhere on the page */
  reloadKey: number;
}) {
  const m = useMessages(financeMessages);
  const { lang } = useLang();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | undefined>(defaultStatus);
  const [orderNo, setOrderNo] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const [exporting, setExporting] = useState(false);
  const { message } = App.useApp();

  const { items, hasMore, loading, error, more, reload } = useKeysetList<SideRecord>(`/records/${kind}`, { status, orderNo: orderNo.trim() || undefined }, lang, [kind, status, orderNo, reloadKey], PAGE);


  // issue 15 §2: the file holds every record the current filter holds, not only the pages loaded
  const exportFiltered = async () => {
    setExporting(true);
    try {
      await downloadFile(`/records/${kind}/export`, { status, orderNo: orderNo.trim() || undefined }, `${kind}s.xlsx`);
      message.success(m.exportStarted);
    } catch (err) {
      const d = err instanceof ApiError && err.code === 'EXPORT_TOO_LARGE' ? err.details : null;
      message.error(
        d && typeof d.count === 'number' && typeof d.maxRows === 'number'
          ? fmt(m.exportTooLarge, { count: d.count.toLocaleString('en-US'), max: d.maxRows.toLocaleString('en-US') })
          : errorText(err, lang),
      );
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<SideRecord> = [
    { title: '#', dataIndex: 'id', key: 'id', width: 64 },
    { title: m.orderNo, dataIndex: 'orderNo', key: 'orderNo', render: (v: string | null) => v ?? '—' },
    ...kindColumns(kind, m),
    { title: m.status, dataIndex: 'status', key: 'status', render: (s: string) => <StatusTag kind={kind} status={s} m={m} /> },
    { title: m.created, dataIndex: 'createdAt', key: 'createdAt', render: (v: string) => dateTime(v, lang) },
    {
      title: m.actions,
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space>
          <Button size="small" type="primary" ghost onClick={() => setOpenId(r.id)} aria-label={fmt(m.handleOf, { id: r.id })}>
            {m.handle}
          </Button>
          {kind === 'claim' && (
            <Button size="small" onClick={() => navigate(`/finance/claims/${r.id}/print`)} aria-label={fmt(m.printOf, { id: r.id })}>
              {m.print}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
        <Form layout="inline">
          <Form.Item label={m.status} htmlFor={`records-${kind}-status`}>
            <Select
              id={`records-${kind}-status`}
              style={{ minWidth: 180 }}
              value={status ?? ''}
              onChange={(v: string) => setStatus(v || undefined)}
              options={[{ value: '', label: m.allStatuses }, ...statusesOf[kind].map((s) => ({ value: s, label: statusText(kind, s, m) }))]}
            />
          </Form.Item>
          <Form.Item label={m.orderNo} htmlFor={`records-${kind}-order`}>
            <Input.Search id={`records-${kind}-order`} allowClear placeholder={m.orderNoSearch} enterButton={lang === 'en' ? 'Find' : '查找'} onSearch={(v) => setOrderNo(v)} style={{ width: 240 }} />
          </Form.Item>
        </Form>
        <Space wrap>
          {toolbar}
          <Button onClick={() => void exportFiltered()} loading={exporting} data-testid={`records-${kind}-export`}>
            {m.exportExcel}
          </Button>
          <Button onClick={reload} loading={loading}>
            {m.refresh}
          </Button>
        </Space>
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <ResponsiveTable<SideRecord>
        rowKey="id"
        size="middle"
        columns={columns}
        card={(r) => ({
          title: `#${r.id} ${r.orderNo ?? ''}`,
          tags: <StatusTag kind={kind} status={r.status} m={m} />,
          lines: [
            r.amountFen !== null ? yuan(r.amountFen) : null,
            <Labelled key="at" label={m.created}>
              {dateTime(r.createdAt, lang)}
            </Labelled>,
          ],
          onOpen: () => setOpenId(r.id),
          openLabel: m.handle,
          openAriaLabel: fmt(m.handleOf, { id: r.id }),
          actions:
            kind === 'claim' ? (
              <Button onClick={() => navigate(`/finance/claims/${r.id}/print`)} aria-label={fmt(m.printOf, { id: r.id })}>
                {m.print}
              </Button>
            ) : null,
          testId: `record-card-${r.id}`,
        })}
        dataSource={items}
        loading={loading}
        pagination={false}
        locale={{ emptyText: m.empty }}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ onDoubleClick: () => setOpenId(r.id) })}
        data-testid={`records-${kind}`}
      />
      {hasMore && (
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          <Button onClick={() => void more()} loading={loading}>
            {m.loadMore}
          </Button>
        </div>
      )}
      <RecordDrawer kind={kind} id={openId} onClose={() => setOpenId(null)} onChanged={reload} />
    </>
  );
}

type M = (typeof financeMessages)['zh-CN'];

function kindColumns(kind: Kind, m: M): ColumnsType<SideRecord> {
  if (kind === 'claim') {
    const c = (r: SideRecord) => r.data as Claim;
    return [
      { title: `${m.sku} / ${m.size}`, key: 'sku', render: (_: unknown, r) => `${c(r).sku} / ${c(r).size}` },
      { title: m.courierTracking, key: 'tracking', render: (_: unknown, r) => <span style={mono}>{`${c(r).courier} ${c(r).trackingNo}`}</span> },
      { title: m.itemPrice, key: 'price', align: 'right', render: (_: unknown, r) => yuan(c(r).itemPriceFen) },
      { title: m.buyerChoice, key: 'choice', render: (_: unknown, r) => buyerChoiceText(c(r).buyerChoice, m) },
    ];
  }
  if (kind === 'invoice') {
    const i = (r: SideRecord) => r.data as Invoice;
    return [
      { title: m.titleType, key: 'titleType', render: (_: unknown, r) => (i(r).titleType === 'company' ? m.company : m.individual) },
      { title: m.invoiceTitle, key: 'title', render: (_: unknown, r) => i(r).title },
      { title: m.taxId, key: 'taxId', render: (_: unknown, r) => <span style={mono}>{i(r).taxId ?? '—'}</span> },
      { title: m.invoiceAmount, key: 'amount', align: 'right', render: (_: unknown, r) => yuan(i(r).amountFen) },
      { title: m.invoiceNumber, key: 'number', render: (_: unknown, r) => i(r).issued?.number ?? '—' },
    ];
  }
  const p = (r: SideRecord) => r.data as PostageRequest;
  return [
    {
      title: m.refund,
      key: 'refund',
      render: (_: unknown, r) => (r.refundId !== null ? <Link to={`/refunds/${r.refundId}`}>{fmt(m.refundNo, { id: r.refundId })}</Link> : '—'),
    },
    { title: m.payee, key: 'payee', render: (_: unknown, r) => `${p(r).realName} · ${p(r).alipayAccount}` },
    { title: m.postageAmount, key: 'amount', align: 'right', render: (_: unknown, r) => <strong>{yuan(p(r).amountFen)}</strong> },
    { title: m.basis, key: 'basis', render: (_: unknown, r) => <Typography.Text type="secondary">{postageBasis(p(r), m)}</Typography.Text> },
    { title: m.paymentRef, key: 'ref', render: (_: unknown, r) => p(r).paid?.paymentRef ?? '—' },
  ];
}
