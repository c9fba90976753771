/**
 * S5.1–S5.3: the service archives: a search by customer, serial number or
 * site (debounced), each archive with its warranty and why, its repair
 * records; the clerk opens new archives, the leads complete them.
 */
import { RecordDrawerFrame } from '../../../shared/RecordDrawerFrame.tsx';
import { Alert, Button, Descriptions, Empty, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState } from 'react';
import { marketLabels, periodLabel } from '../../../../../src/core/service/archive.ts';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { ArchiveForm } from './ArchiveForm.tsx';
import { ContactReveal } from './ContactReveal.tsx';
import { useDebounced } from './ArchivePicker.tsx';
import { ArchiveLink, RecordLink, useDeskLinks } from './links.tsx';
import { serviceMessages } from './messages.ts';
import { ARCHIVE_AMENDERS, ARCHIVE_CREATORS, CALL_TAKERS, type ArchiveContact, type ArchiveDetail, type ArchivePage, type ArchiveView, type RecordSummary } from './model.ts';
import { StatusTag, WarrantyTag } from './parts.tsx';

const PAGE = 20;

export function ArchivesTab() {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { role } = useSignedIn();
  const links = useDeskLinks();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [items, setItems] = useState<ArchiveView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [tick, setTick] = useState(0);

  // the newest archives until something is typed; then the matches, best first
  useEffect(() => {
    if ([...q].length === 1) return;
    const controller = new AbortController();
    setLoading(true);
    get<ArchivePage>('/service/archives', { q: q || undefined, limit: PAGE }, controller.signal)
      .then((page) => {
        setItems(page.items);
        setCursor(page.nextCursor ?? null);
        setError(null);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [q, lang, tick]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await get<ArchivePage>('/service/archives', { q: q || undefined, limit: PAGE, cursor });
      setItems((old) => [...old, ...page.items]);
      setCursor(page.nextCursor ?? null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoading(false);
    }
  };

  const columns: ColumnsType<ArchiveView> = [
    {
      title: m.colCustomer,
      key: 'customer',
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          <ArchiveLink id={a.id}>{a.customer.organisation}</ArchiveLink>
          <Typography.Text type="secondary">
            {a.customer.contact} · {a.customer.phone}
          </Typography.Text>
        </Space>
      ),
    },
    { title: m.colProduct, dataIndex: 'product', key: 'product' },
    { title: m.colSerial, dataIndex: 'serialNo', key: 'serial', render: (s: string) => <Typography.Text code>{s}</Typography.Text> },
    { title: m.siteAddress, key: 'site', render: (_, a) => a.customer.siteAddress, responsive: ['lg'] },
    { title: m.colWarranty, key: 'warranty', render: (_, a) => <WarrantyTag warranty={a.warranty} /> },
    { title: m.warrantyEnd, dataIndex: 'warrantyEnd', key: 'end', render: (d: string | null) => d ?? m.none, responsive: ['md'] },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Input.Search
          aria-label={m.archiveSearch}
          placeholder={m.archiveSearchPlaceholder}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => setText(v)}
          allowClear
          style={{ width: 420, maxWidth: '100%' }}
          data-testid="archive-search"
        />
        {ARCHIVE_CREATORS.includes(role) && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {m.newArchive}
          </Button>
        )}
      </Space>
      <Typography.Text type="secondary">{m.archiveSearchHint}</Typography.Text>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<ArchiveView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={loading}
        pagination={false}
        locale={{ emptyText: <Empty description={m.noArchives} /> }}
        onRow={(a) => ({ onDoubleClick: () => links.openArchive(a.id) })}
        data-testid="archive-table"
      />
      {cursor && (
        <Button onClick={() => void more()} loading={loading}>
          {m.moreResults}
        </Button>
      )}
      <ArchiveForm
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(a) => {
          setCreating(false);
          setTick((t) => t + 1);
          links.openArchive(a.id);
        }}
      />
      <ArchiveDrawer id={links.archiveId} onClose={links.closeArchive} onChanged={() => setTick((t) => t + 1)} />
    </Space>
  );
}

export function ArchiveDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { role } = useSignedIn();
  const links = useDeskLinks();
  const [editing, setEditing] = useState(false);
  const loaded = useLoad((signal) => (id === null ? Promise.resolve(null) : get<ArchiveDetail>(`/service/archives/${id}`, undefined, signal)), [id]);
  // the phone and address come masked; revealed (with a reason, audited) for the roles that need them
  const [revealed, setRevealed] = useState<{ id: number; contact: ArchiveContact } | null>(null);
  const loadedArchive = loaded.data ?? null;
  const contact = loadedArchive && revealed?.id === loadedArchive.id ? revealed.contact : null;
  // one object per answer and reveal: the edit form fills itself again when its archive changes
  const a = useMemo<ArchiveDetail | null>(
    () =>
      loadedArchive && contact
        ? {
            ...loadedArchive,
            customer: { ...loadedArchive.customer, phone: contact.phone ?? loadedArchive.customer.phone, siteAddress: contact.address ?? loadedArchive.customer.siteAddress },
          }
        : loadedArchive,
    [loadedArchive, contact],
  );

  const recordColumns: ColumnsType<RecordSummary> = [
    { title: m.colId, dataIndex: 'id', key: 'id', render: (rid: number) => <RecordLink id={rid} /> },
    { title: m.colStatus, dataIndex: 'status', key: 'status', render: (s) => <StatusTag status={s} /> },
    { title: m.colCalledAt, key: 'at', render: (_, r) => dateTime(r.calledAt, lang) },
    { title: m.callerName, dataIndex: 'callerName', key: 'caller', render: (c: string | null) => c ?? m.none },
    { title: m.fault, key: 'fault', ellipsis: true, render: (_, r) => r.fault ?? m.none },
    { title: m.billing, key: 'billing', render: (_, r) => (r.billing ? (m as Record<string, string>)[`billing_${r.billing}`] : m.none) },
  ];

  return (
    <RecordDrawerFrame
      open={id !== null}
      onClose={onClose}
      width={736}
      title={a ? fmt(m.archiveTitle, { serial: a.serialNo }) : m.archiveSearch}
      loading={loaded.loading}
      error={loaded.error}
      ready={!!a}
      extra={
        a ? (
          <Space>
            {ARCHIVE_AMENDERS.includes(role) && <Button onClick={() => setEditing(true)}>{m.editArchive}</Button>}
            {CALL_TAKERS.includes(role) && (
              <Button type="primary" onClick={() => links.callForArchive(a.id)}>
                {m.recordCallFor}
              </Button>
            )}
          </Space>
        ) : null
      }
    >
      {a && a.id === id && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="archive-detail">
          <Alert
            type={a.warranty.inWarranty ? 'success' : a.warranty.state === 'expired' ? 'error' : 'warning'}
            showIcon
            title={<WarrantyTag warranty={a.warranty} />}
            description={lang === 'en' ? a.warranty.reason.en : a.warranty.reason['zh-CN']}
            data-testid="archive-warranty"
          />
          <Descriptions
            bordered
            size="small"
            column={1}
            title={<span style={{ fontSize: 14 }}>{m.customer}</span>}
            extra={
              <ContactReveal<ArchiveContact>
                url={`/service/archives/${a.id}/reveal`}
                revealed={contact !== null}
                onRevealed={(answer) => setRevealed({ id: a.id, contact: answer })}
              />
            }
            items={[
              { key: 'org', label: m.organisation, children: a.customer.organisation },
              {
                key: 'contact',
                label: m.contact,
                children: (
                  <span>
                    {a.customer.contact} · <span data-testid="archive-phone">{a.customer.phone}</span>
                  </span>
                ),
              },
              { key: 'site', label: m.siteAddress, children: <span data-testid="archive-site">{a.customer.siteAddress}</span> },
              { key: 'product', label: m.product, children: a.product },
              { key: 'serial', label: m.serialNo, children: a.serialNo },
              { key: 'contract', label: m.contractNo, children: a.contractNo },
              ...(a.projectName ? [{ key: 'project', label: m.projectName, children: a.projectName }] : []),
              { key: 'market', label: m.market, children: labelOf(marketLabels[a.market], lang) },
              { key: 'delivered', label: m.deliveredOn, children: a.deliveredOn ?? m.none },
              { key: 'accepted', label: a.market === 'government_procurement' ? m.acceptedOnGov : m.acceptedOnConsumer, children: a.acceptedOn ?? m.none },
              { key: 'period', label: m.warrantyPeriod, children: labelOf(periodLabel(a.warrantyPeriod), lang) },
              { key: 'start', label: m.warrantyStart, children: a.warrantyStart ?? m.none },
              { key: 'end', label: m.warrantyEnd, children: a.warrantyEnd ?? m.none },
              ...(a.notes ? [{ key: 'notes', label: m.notes, children: a.notes }] : []),
              { key: 'by', label: m.createdBy, children: `${a.createdBy?.name ?? ''} · ${dateTime(a.createdAt, lang)}` },
            ]}
          />
          <div>
            <Typography.Title level={5}>{m.records}</Typography.Title>
            <Table<RecordSummary>
              rowKey="id"
              size="small"
              columns={recordColumns}
              dataSource={a.records}
              pagination={a.records.length > 10 ? { pageSize: 10 } : false}
              locale={{ emptyText: m.noRecords }}
            />
          </div>
          <ArchiveForm
            open={editing}
            archive={a}
            onClose={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              setRevealed(null);
              loaded.reload();
              onChanged();
            }}
          />
        </Space>
      )}
    </RecordDrawerFrame>
  );
}
