/**
 * The refund queue: open refunds by time left (the server sorts by deadline),
 * live countdowns, filters and saved views (the four of the SOP and the
 * agent's own, each with how many refunds it holds), claim and assign, and keyboard work: j/k, Enter, c, x, /, 1–9, r, ?.
 * Rows are selected with their checkboxes (or x) for the batch actions (queue/BatchBar.tsx); the current
 * filter exports to XLSX.
 * A Taobao/Tmall refund carries a 平台 tag, and its sync state while a decision
 * is on its way or was refused (from the list's own answer: no request per row).
 */
import { ColumnChooser, loadColumns, MarkChips, ProductCell, RemarkFlag, type ChoosableColumn } from './queue/columns.tsx';
import { columnMessages } from './queue/column-messages.ts';
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { deadlineLabels, phaseLabels, reasonLabels, refundStatusLabels, refundTypeLabels } from '../../../../src/contract/labels.ts';
import { ApiError, get, post, type Query } from '../../shared/api.ts';
import { Countdown } from '../../shared/Countdown.tsx';
import { errorText } from '../../shared/errors.ts';
import { dateTime, deadlineText, yuan } from '../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import type { Refund, RefundPage } from '../../shared/types.ts';
import { downloadFile, exportQuery } from './queue/batch-model.ts';
import { phoneSearchKey } from '../../../../src/core/refund/buyer-phone.ts';
import { queueMessages } from './queue/messages.ts';
import { builtinViews, loadSavedViews, storeSavedViews, viewQuery, type SavedView, type ViewKey } from './queue/views.ts';

/** The batch toolbar shows only once rows are ticked: its own chunk, kept off the queue's first render. */
const loadBatchBar = () => import('./queue/BatchBar.tsx');
const BatchBar = lazy(() => loadBatchBar().then((module) => ({ default: module.BatchBar })));

const FILTER_KEYS = ['status', 'type', 'reason', 'phase', 'assignee', 'orderNo', 'phone'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

interface StaffMember {
  userId: number;
  username: string;
  displayName: string;
  roles: string[];
  /** may be given refunds (agent, supervisor) */
  assignable: boolean;
}

/**
 * The default view's first page, asked for as soon as this chunk loads (alongside the session,
 * not after the page has rendered): the queue is where most people land.
 */
const DEFAULT_QUERY_KEY = JSON.stringify({ open: 'true', limit: 50 });
let prefetched: { key: string; at: number; page: Promise<RefundPage> } | null =
  typeof location !== 'undefined' && location.pathname === '/queue' && location.search === ''
    ? { key: DEFAULT_QUERY_KEY, at: Date.now(), page: get<RefundPage>('/refunds', { open: 'true', limit: 50 }) }
    : null;
prefetched?.page.catch(() => {});

function takePrefetched(key: string): Promise<RefundPage> | null {
  const found = prefetched && prefetched.key === key && Date.now() - prefetched.at < 10_000 ? prefetched.page : null;
  prefetched = null;
  return found;
}

/** The row the keyboard was on, kept while the agent opens a refund and comes back (Esc). */
let rememberedActiveId: number | null = null;

/** About a screenful: rendered at once; the rest of the page follows in the next task. */
const FIRST_ROWS = 10;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  // a row's checkbox keeps the focus after a click: the queue's keys still work there
  if (el.tagName === 'INPUT' && ['checkbox', 'radio'].includes((el as HTMLInputElement).type)) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.getAttribute('role') === 'combobox';
}

export default function Queue() {
  const m = useMessages(queueMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = (params.get('view') ?? 'all') as ViewKey | `saved:${string}`;
  const [savedViews, setSavedViews] = useState<SavedView[]>(() => loadSavedViews(session.user?.id ?? 0));
  const [items, setItems] = useState<Refund[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [fetchedAt, setFetchedAt] = useState(Date.now());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [activeId, setActiveIdState] = useState<number | null>(rememberedActiveId);
  const setActiveId = (id: number | null) => {
    rememberedActiveId = id;
    setActiveIdState(id);
  };
  /** set when the keyboard moved: the row's link takes the focus (a screen reader reads it) */
  const focusActive = useRef(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const [assignFor, setAssignFor] = useState<Refund | null>(null);
  /** the first screenful renders first, the rest of the page a moment later (the queue's first render) */
  const [shown, setShown] = useState(FIRST_ROWS);
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [tick, setTick] = useState(0);
  /** issue 15 §2: the columns this person chose, in their order */
  const [shownColumns, setShownColumns] = useState<ChoosableColumn[]>(() => loadColumns(session.user?.id ?? 0));
  const cm = useMessages(columnMessages);
  /** the rows ticked for a batch action (ids; those not on the page are left out) */
  const [selectedIds, setSelectedIds] = useState<number[]>([]);
  /** how many refunds each view holds, asked once the first page is on screen */
  const [viewCounts, setViewCounts] = useState<Record<string, number>>({});
  const [firstLoaded, setFirstLoaded] = useState(false);
  const [exporting, setExporting] = useState(false);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const tableRef = useRef<HTMLDivElement | null>(null);
  const mayWork = session.role === 'agent' || session.role === 'supervisor';
  /** issue 16 §1: the roles that may see a buyer's number in full may find refunds by it (the server's rule) */
  const mayFindByPhone = mayWork || session.role === 'warehouse';
  // the active row follows its refund through reloads (the queue refreshes every minute)
  const active = Math.max(0, items.findIndex((r) => r.id === activeId));

  const filters = useMemo(() => {
    const f: Partial<Record<FilterKey, string | string[]>> = {};
    for (const key of FILTER_KEYS) {
      const all = params.getAll(key);
      if (all.length > 1) f[key] = all;
      else if (all[0]) f[key] = all[0];
    }
    return f;
  }, [params]);

  const query = useMemo((): Query => {
    const saved = view.startsWith('saved:') ? savedViews.find((v) => `saved:${v.id}` === view) : undefined;
    const base = viewQuery(saved ? saved.baseView : (view as ViewKey), new Date());
    return { ...base, ...saved?.filters, ...filters, limit: 50 };
  }, [view, filters, savedViews]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    (takePrefetched(JSON.stringify(query)) ?? get<RefundPage>('/refunds', query, controller.signal))
      .then((page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setFetchedAt(Date.now());
        setError(null);
        setFirstLoaded(true);
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setError(errorText(err, lang));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [query, lang, tick]);

  useEffect(() => {
    if (items.length <= shown) return;
    const timer = setTimeout(() => setShown(items.length), 0);
    return () => clearTimeout(timer);
  }, [items, shown]);

  // the queue stays fresh while it is open (another agent claims, a deadline passes)
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 60_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!mayWork) return;
    get<StaffMember[]>('/staff')
      .then((answer) => setStaff(answer.filter((s) => s.assignable)))
      .catch(() => setStaff([]));
  }, [mayWork]);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await get<RefundPage>('/refunds', { ...query, cursor: nextCursor });
      setItems((old) => [...old, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setError(errorText(err, lang));
    }
  };

  const assign = useCallback(
    async (refund: Refund, userId: number | null) => {
      try {
        const answer = await post<Refund>(`/refunds/${refund.id}/assign`, { userId });
        setItems((old) => old.map((r) => (r.id === refund.id ? { ...r, assignee: answer.assignee ?? null } : r)));
        message.success(userId === null ? m.unassign : m.claimed);
      } catch (err) {
        message.error(errorText(err, lang));
      }
    },
    [lang, m, message],
  );

  const setView = (key: string) => {
    const next = new URLSearchParams();
    if (key !== 'all') next.set('view', key);
    setParams(next);
    setActiveId(null);
    setSelectedIds([]);
  };
  const setFilter = (key: FilterKey, value: string | string[] | undefined) => {
    const next = new URLSearchParams(params);
    next.delete(key);
    for (const v of [value ?? []].flat()) if (v) next.append(key, v);
    setParams(next);
    setActiveId(null);
    setSelectedIds([]);
  };

  const selected = useMemo(() => {
    const ids = new Set(selectedIds);
    return items.filter((r) => ids.has(r.id));
  }, [items, selectedIds]);
  const toggleSelected = (id: number) => setSelectedIds((old) => (old.includes(id) ? old.filter((x) => x !== id) : [...old, id]));

  const exportFiltered = async () => {
    setExporting(true);
    try {
      await downloadFile('/refunds/export', exportQuery(query));
      message.success(m.exportStarted);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setExporting(false);
    }
  };

  const allViews: { key: string; label: string }[] = useMemo(
    () => [
      ...builtinViews.map((key) => ({ key, label: m[`view${key[0]!.toUpperCase()}${key.slice(1)}` as keyof typeof m] })),
      ...savedViews.map((v) => ({ key: `saved:${v.id}`, label: v.name })),
    ],
    [m, savedViews],
  );

  // the views' counts: one cheap count each (the list's indexes), a moment after the first page is on screen
  // (never competing with the queue's first render), with the batch toolbar's chunk
  useEffect(() => {
    if (!firstLoaded) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      if (mayWork) void loadBatchBar().catch(() => {});
      const now = new Date();
      for (const v of allViews) {
        const saved = v.key.startsWith('saved:') ? savedViews.find((s) => `saved:${s.id}` === v.key) : undefined;
        const q: Query = { ...viewQuery(saved ? saved.baseView : (v.key as ViewKey), now), ...saved?.filters };
        get<{ count: number }>('/refunds/count', q, controller.signal)
          .then((answer) => setViewCounts((old) => ({ ...old, [v.key]: answer.count })))
          .catch(() => {});
      }
    }, 500);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [firstLoaded, allViews, savedViews, tick, mayWork]);

  // keyboard: the queue works without a mouse
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
      const current = items[active];
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          if (e.key === 'ArrowDown' && !(tableRef.current?.contains(document.activeElement) ?? false)) return;
          focusActive.current = true;
          setActiveId(items[Math.min(items.length - 1, active + 1)]?.id ?? null);
          e.preventDefault();
          break;
        case 'k':
        case 'ArrowUp':
          if (e.key === 'ArrowUp' && !(tableRef.current?.contains(document.activeElement) ?? false)) return;
          focusActive.current = true;
          setActiveId(items[Math.max(0, active - 1)]?.id ?? null);
          e.preventDefault();
          break;
        case 'Enter':
          if (current && !(document.activeElement instanceof HTMLAnchorElement || document.activeElement instanceof HTMLButtonElement)) {
            navigate(`/refunds/${current.id}`);
            e.preventDefault();
          }
          break;
        case 'c':
          // claims a refund nobody has; taking a colleague's is a deliberate "assign to"
          if (current && !current.assignee && mayWork && session.user) void assign(current, session.user.id);
          break;
        case '/':
          searchRef.current?.focus();
          e.preventDefault();
          break;
        case 'x':
          // ticks the row the keyboard is on for a batch action
          if (current && mayWork) toggleSelected(current.id);
          break;
        case 'r':
          setTick((t) => t + 1);
          break;
        case '?':
          setHelpOpen(true);
          break;
        default:
          if (/^[1-9]$/.test(e.key)) {
            const target = allViews[Number(e.key) - 1];
            if (target) setView(target.key);
          }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // the active row stays in sight; moved by the keyboard, its link takes the focus
  useEffect(() => {
    const row = tableRef.current?.querySelector<HTMLElement>(`[data-row-key="${items[active]?.id}"]`);
    if (!row) return;
    if (focusActive.current) {
      focusActive.current = false;
      row.querySelector<HTMLElement>('a')?.focus();
    }
    row.scrollIntoView({ block: 'nearest' });
  }, [active, items]);

  const allColumns: ColumnsType<Refund> = [
    {
      title: m.timeLeft,
      key: 'deadline',
      width: 150,
      render: (_, r) =>
        r.deadline?.timeLeftMs != null ? (
          <span title={`${r.platform ? m.platformTimeout : labelOf(deadlineLabels[r.deadline.kind], lang, r.deadline.label)} · ${deadlineText(r.deadline.at, lang)}`}>
            <Countdown timeLeftMs={r.deadline.timeLeftMs} fetchedAt={fetchedAt} />
          </span>
        ) : r.deadline?.problem ? (
          <Tag color="warning" title={errorText(new ApiError(0, r.deadline.problem.code, r.deadline.problem.message), lang)}>
            {m.deadlineUnknown}
          </Tag>
        ) : (
          <Typography.Text type="secondary">{m.noDeadline}</Typography.Text>
        ),
    },
    {
      title: m.orderNo,
      key: 'orderNo',
      render: (_, r) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <RemarkFlag flag={r.row?.remarkFlag} />
          <Link to={`/refunds/${r.id}`} aria-label={`${m.orderNo} ${r.orderNo} #${r.id}`}>
            {r.orderNo}
            {r.lineNo ? ` · ${r.lineNo}` : ''}
          </Link>
        </span>
      ),
    },
    { title: cm.col_product, key: 'product', render: (_, r) => <ProductCell refund={r} /> },
    { title: cm.col_buyer, key: 'buyer', render: (_, r) => r.row?.buyerNick ?? '—' },
    { title: cm.col_marks, key: 'marks', render: (_, r) => <MarkChips refund={r} /> },
    {
      title: m.status,
      key: 'status',
      render: (_, r) => (
        <>
          <Tag>{labelOf(refundStatusLabels[r.status], lang)}</Tag>
          {r.platform && (
            <Tag color="orange" title={fmt(m.platformTitle, { id: r.platform.refundId })} data-testid="queue-platform-tag">
              {m.platform}
            </Tag>
          )}
          {r.platform?.sync?.state === 'pending' && <Tag color="processing">{m.syncPending}</Tag>}
          {r.platform?.sync?.state === 'failed' && (
            <Tag color="error" title={r.platform.sync.message ?? undefined}>
              {m.syncFailed}
            </Tag>
          )}
        </>
      ),
    },
    { title: m.type, key: 'type', render: (_, r) => labelOf(refundTypeLabels[r.type], lang) },
    { title: m.reason, key: 'reason', render: (_, r) => labelOf(reasonLabels[r.reason], lang) },
    { title: m.amount, key: 'amount', align: 'right', render: (_, r) => yuan(r.amountFen) },
    { title: m.phase, key: 'phase', render: (_, r) => labelOf(phaseLabels[r.phase], lang) },
    {
      title: m.assignee,
      key: 'assignee',
      render: (_, r) => (
        <Space size={4}>
          {r.assignee ? (
            <span>{r.assignee.displayName}</span>
          ) : mayWork && session.user ? (
            <Button size="small" onClick={() => void assign(r, session.user!.id)} aria-label={`${m.claim} ${r.orderNo}`}>
              {m.claim}
            </Button>
          ) : (
            <Typography.Text type="secondary">{m.assigneeNone}</Typography.Text>
          )}
          {mayWork && staff.length > 0 && (
            // one dialog for the whole queue (a menu per row would cost the first render)
            <Button size="small" type="text" onClick={() => setAssignFor(r)} aria-label={`${m.assignTo} ${r.orderNo}`}>
              {m.assignTo}…
            </Button>
          )}
        </Space>
      ),
    },
    { title: m.created, key: 'created', render: (_, r) => dateTime(r.createdAt, lang) },
  ];
  // the time left and the order number lead; the rest as chosen
  const byKey = new Map(allColumns.map((c) => [String(c.key), c]));
  const columns: ColumnsType<Refund> = [
    byKey.get('deadline')!,
    byKey.get('orderNo')!,
    ...shownColumns.map((k) => byKey.get(k)).filter((c): c is NonNullable<typeof c> => c !== undefined),
  ];

  const reasonOptions = Object.entries(reasonLabels).map(([value, label]) => ({ value, label: labelOf(label, lang) }));
  const hasFilters = FILTER_KEYS.some((k) => params.has(k));

  return (
    <section aria-labelledby="queue-title">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title id="queue-title" level={2} style={{ margin: 0, fontSize: 20 }}>
          {m.title}
        </Typography.Title>
        <Space>
          {mayWork && (
            <Button onClick={() => void exportFiltered()} loading={exporting} data-testid="export-filtered">
              {m.exportFiltered}
            </Button>
          )}
          <ColumnChooser userId={session.user?.id ?? 0} value={shownColumns} onChange={setShownColumns} />
          <Button onClick={() => setTick((t) => t + 1)}>{m.reload}</Button>
          <Button onClick={() => setHelpOpen(true)} aria-label={m.shortcuts}>
            ?
          </Button>
        </Space>
      </Space>

      <nav aria-label={m.views} style={{ marginBottom: 12 }}>
        <Space wrap>
          {allViews.map((v, i) => (
            <Button
              key={v.key}
              type={view === v.key ? 'primary' : 'default'}
              aria-pressed={view === v.key}
              onClick={() => setView(v.key)}
              title={i < 9 ? `${i + 1}` : undefined}
              data-testid={`view-${v.key}`}
            >
              {v.label}
              {viewCounts[v.key] !== undefined && (
                <span
                  className="view-count"
                  aria-label={fmt(m.viewCount, { n: viewCounts[v.key]! })}
                  data-testid={`view-count-${v.key}`}
                  style={{ marginLeft: 6, padding: '0 6px', borderRadius: 10, fontSize: 12, lineHeight: '18px', background: view === v.key ? 'rgba(255,255,255,0.25)' : 'rgba(0,0,0,0.06)' }}
                >
                  {viewCounts[v.key]}
                </span>
              )}
            </Button>
          ))}
          {view.startsWith('saved:') && (
            <Button
              danger
              type="text"
              onClick={() => {
                const next = savedViews.filter((v) => `saved:${v.id}` !== view);
                setSavedViews(next);
                storeSavedViews(session.user?.id ?? 0, next);
                setView('all');
              }}
            >
              {fmt(m.deleteView, { name: allViews.find((v) => v.key === view)?.label ?? '' })}
            </Button>
          )}
        </Space>
      </nav>

      <Space wrap style={{ marginBottom: 12 }} role="search">
        <Input.Search
          ref={(el) => {
            searchRef.current = el?.input ?? null;
          }}
          aria-label={m.orderNoSearch}
          placeholder={m.orderNoSearch}
          enterButton={m.find}
          onKeyDown={(e) => {
            if (e.key === 'Escape') (e.target as HTMLElement).blur();
          }}
          allowClear
          defaultValue={typeof filters.orderNo === 'string' ? filters.orderNo : ''}
          onSearch={(v) => setFilter('orderNo', v.trim() || undefined)}
          style={{ width: 260 }}
        />
        {mayFindByPhone && (
          <Input.Search
            aria-label={m.phoneSearch}
            placeholder={m.phoneSearch}
            enterButton={m.find}
            inputMode="tel"
            allowClear
            defaultValue={typeof filters.phone === 'string' ? filters.phone : ''}
            onSearch={(v) => {
              // the caller's number as typed (138 1234 5678, +86 …); what is no phone number is said here, not sent
              if (v.trim() && phoneSearchKey(v) === null) message.error(m.phoneInvalid);
              else setFilter('phone', v.trim() || undefined);
            }}
            style={{ width: 240 }}
          />
        )}
        <Select
          aria-label={m.status}
          placeholder={m.status}
          allowClear
          mode="multiple"
          style={{ minWidth: 180 }}
          value={[filters.status ?? []].flat()}
          onChange={(v: string[]) => setFilter('status', v)}
          options={Object.entries(refundStatusLabels).map(([value, label]) => ({ value, label: labelOf(label, lang) }))}
        />
        <Select
          aria-label={m.type}
          placeholder={m.type}
          allowClear
          style={{ width: 130 }}
          value={(filters.type as string | undefined) ?? null}
          onChange={(v: string | null) => setFilter('type', v ?? undefined)}
          options={Object.entries(refundTypeLabels).map(([value, label]) => ({ value, label: labelOf(label, lang) }))}
        />
        <Select
          aria-label={m.reason}
          placeholder={m.reason}
          allowClear
          mode="multiple"
          style={{ minWidth: 160 }}
          value={[filters.reason ?? []].flat()}
          onChange={(v: string[]) => setFilter('reason', v)}
          options={reasonOptions}
        />
        <Select
          aria-label={m.phase}
          placeholder={m.phase}
          allowClear
          style={{ width: 110 }}
          value={(filters.phase as string | undefined) ?? null}
          onChange={(v: string | null) => setFilter('phase', v ?? undefined)}
          options={Object.entries(phaseLabels).map(([value, label]) => ({ value, label: labelOf(label, lang) }))}
        />
        <Select
          aria-label={m.assignee}
          style={{ width: 140 }}
          value={(filters.assignee as string | undefined) ?? ''}
          onChange={(v: string) => setFilter('assignee', v || undefined)}
          options={[
            { value: '', label: m.assigneeAny },
            { value: 'me', label: m.assigneeMe },
            { value: 'none', label: m.assigneeNone },
            ...staff.map((s) => ({ value: String(s.userId), label: s.displayName })),
          ]}
        />
        {hasFilters && (
          <>
            <Button onClick={() => setParams(view === 'all' ? new URLSearchParams() : new URLSearchParams({ view }))}>{m.clearFilters}</Button>
            <Button onClick={() => setSaveOpen(true)}>{m.saveView}</Button>
          </>
        )}
      </Space>

      {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 12 }} />}

      {mayWork && selected.length > 0 && (
        <Suspense fallback={null}>
          <BatchBar selected={selected} staff={staff} onClear={() => setSelectedIds([])} onDone={() => setTick((t) => t + 1)} />
        </Suspense>
      )}

      <div ref={tableRef} className="queue-compact">
        <Table<Refund>
          aria-label={m.queueTable}
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={items.length > shown ? items.slice(0, shown) : items}
          pagination={false}
          locale={{ emptyText: m.empty }}
          scroll={{ x: 'max-content' }}
          rowClassName={(_, index) => (index === active ? 'row-active' : '')}
          rowSelection={
            mayWork
              ? {
                  selectedRowKeys: selectedIds,
                  onChange: (keys) => setSelectedIds(keys.map(Number)),
                  columnWidth: 40,
                  getCheckboxProps: (r) => ({ 'aria-label': fmt(m.selectRow, { orderNo: r.orderNo }) }) as object,
                }
              : undefined
          }
          onRow={(record) => ({
            onClick: (e) => {
              setActiveId(record.id);
              if ((e.target as HTMLElement).closest('a,button,.ant-select,.ant-dropdown,.ant-checkbox-wrapper,.ant-table-selection-column')) return;
              navigate(`/refunds/${record.id}`);
            },
            style: { cursor: 'pointer' },
          })}
        />
      </div>
      <Space style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">
          {fmt(m.count, { n: items.length })} · {fmt(m.lastUpdated, { time: dateTime(new Date(fetchedAt).toISOString(), lang, true) })}
        </Typography.Text>
        {nextCursor && <Button onClick={() => void loadMore()}>{m.loadMore}</Button>}
      </Space>

      <Modal open={helpOpen} title={m.shortcuts} onCancel={() => setHelpOpen(false)} footer={null}>
        <p>{m.shortcutsHelp}</p>
        <ol>
          {allViews.map((v) => (
            <li key={v.key}>{v.label}</li>
          ))}
        </ol>
      </Modal>

      <Modal
        open={assignFor !== null}
        title={assignFor ? `${m.assignTo} · ${assignFor.orderNo}` : m.assignTo}
        onCancel={() => setAssignFor(null)}
        footer={null}
        destroyOnHidden
      >
        {assignFor && (
          <Select
            autoFocus
            defaultOpen
            aria-label={`${m.assignTo} ${assignFor.orderNo}`}
            style={{ width: '100%' }}
            value={assignFor.assignee?.userId ?? null}
            onChange={(v: number | null) => {
              const target = assignFor;
              setAssignFor(null);
              void assign(target, v);
            }}
            options={[...staff.map((s) => ({ value: s.userId as number | null, label: s.displayName })), ...(assignFor.assignee ? [{ value: null, label: m.unassign }] : [])]}
          />
        )}
      </Modal>

      <SaveViewModal
        open={saveOpen}
        onClose={() => setSaveOpen(false)}
        onSave={(name) => {
          const from = view.startsWith('saved:') ? savedViews.find((v) => `saved:${v.id}` === view) : undefined;
          const saved: SavedView = {
            id: Date.now().toString(36),
            name,
            baseView: from ? from.baseView : (view as ViewKey),
            filters: { ...from?.filters, ...(filters as Record<string, string | string[]>) },
          };
          const next = [...savedViews, saved];
          setSavedViews(next);
          storeSavedViews(session.user?.id ?? 0, next);
          setSaveOpen(false);
          setView(`saved:${saved.id}`);
        }}
      />
    </section>
  );
}

function SaveViewModal({ open, onClose, onSave }: { open: boolean; onClose: () => void; onSave: (name: string) => void }) {
  const m = useMessages(queueMessages);
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Modal open={open} title={m.saveView} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => onSave(v.name.trim())}>
        <Form.Item label={m.saveViewName} name="name" rules={[{ required: true, whitespace: true, message: m.saveViewNameRequired }, { max: 30 }]}>
          <Input autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
