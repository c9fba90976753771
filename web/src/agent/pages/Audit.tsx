/**
 * The audit trail (admin, supervisor): the integrity check of the whole hash
 * chain first and prominently (GET /audit/verify: intact, or the first broken
 * entry), then the shop's entries newest first, filtered by action, a page at
 * a time (GET /audit?beforeId=&limit=).
 */
import { Alert, App as AntApp, AutoComplete, Button, Card, Descriptions, Select, Space, Table, Tag, Typography } from 'antd';
import { downloadFile } from '../../shared/download.ts';
import { useState } from 'react';
import { get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { dateTime } from '../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { roleNames } from '../messages.ts';
import { actionName, detailFields, detailSummary } from './supervisor/audit-details.ts';
import { auditActionLabels, auditMessages, auditTargetLabels, auditVerbLabels } from './supervisor/audit-messages.ts';
import type { AuditEntry, AuditVerdict } from './supervisor/audit-types.ts';

const PAGE_SIZES = [50, 100, 200];

export default function Audit() {
  const m = useMessages(auditMessages);
  const actions = useMessages(auditActionLabels) as Record<string, string>;
  const roles = useMessages(roleNames) as Record<string, string>;
  const targets = useMessages(auditTargetLabels) as Record<string, string>;
  const verbs = useMessages(auditVerbLabels) as Record<string, string>;
  const { lang } = useLang();
  const nameOf = (code: string) => actionName(code, lang, { actions, targets, verbs });
  const [verifyTick, setVerifyTick] = useState(0);
  const verdict = useLoad(async (signal) => ({ verdict: await get<AuditVerdict>('/audit/verify', undefined, signal), at: new Date().toISOString() }), [verifyTick]);

  const [actionInput, setActionInput] = useState('');
  const [action, setAction] = useState('');
  const [exporting, setExporting] = useState(false);
  const { message } = AntApp.useApp();
  const [limit, setLimit] = useState(50);
  /** the beforeId of each page opened so far: [undefined] is the newest page */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const beforeId = cursors[cursors.length - 1];
  const page = useLoad((signal) => get<AuditEntry[]>('/audit', { action: action || undefined, beforeId, limit }, signal), [action, beforeId, limit]);
  const entries = page.data ?? [];

  const applyFilter = (value: string) => {
    setAction(value.trim());
    setCursors([undefined]);
  };
  /** the box shows an action's name; the filter takes its code (a name typed in full finds its code too) */
  const codeOf = (text: string) => Object.entries(actions).find(([, label]) => label === text.trim())?.[0] ?? text;

  const problemText = (problem: string) => {
    if (/edited/.test(problem)) return m.problemEdited;
    if (/link/.test(problem)) return m.problemLink;
    if (/missing/.test(problem)) return m.problemMissing;
    return problem;
  };

  const outcomeTag = (outcome: string) =>
    outcome === 'ok' ? <Tag color="green">{m.ok}</Tag> : outcome === 'denied' ? <Tag color="red">{m.denied}</Tag> : outcome === 'failed' ? <Tag color="orange">{m.failed}</Tag> : <Tag>{outcome}</Tag>;

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>

      <Card
        size="small"
        title={m.verifyTitle}
        style={{ marginBottom: 16 }}
        extra={
          <Button onClick={() => setVerifyTick((t) => t + 1)} loading={verdict.loading} className="no-print">
            {m.verifyAgain}
          </Button>
        }
      >
        <div data-testid="audit-verify" aria-live="polite">
          {verdict.loading && !verdict.data && <Alert type="info" showIcon title={m.verifying} />}
          {verdict.error !== undefined && <Alert type="error" showIcon title={errorText(verdict.error, lang)} />}
          {verdict.data &&
            (verdict.data.verdict.ok ? (
              <Alert
                type="success"
                showIcon
                data-testid="audit-verify-ok"
                title={<span style={{ fontSize: 16, fontWeight: 600 }}>{fmt(m.verifyOk, { rows: verdict.data.verdict.rows })}</span>}
                description={fmt(m.verifiedAt, { at: dateTime(verdict.data.at, lang, true) })}
              />
            ) : (
              <Alert
                type="error"
                showIcon
                role="alert"
                data-testid="audit-verify-broken"
                title={
                  <span style={{ fontSize: 16, fontWeight: 600 }}>
                    {fmt(m.verifyBroken, { id: verdict.data.verdict.firstBroken?.id ?? '?', problem: problemText(verdict.data.verdict.firstBroken?.problem ?? '') })}
                  </span>
                }
                description={
                  <div>
                    <div>{m.verifyBrokenHelp}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {verdict.data.verdict.firstBroken?.problem} · {fmt(m.verifiedAt, { at: dateTime(verdict.data.at, lang, true) })}
                    </Typography.Text>
                  </div>
                }
              />
            ))}
        </div>
      </Card>

      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <label htmlFor="audit-action">{m.actionFilter}</label>
        <AutoComplete
          id="audit-action"
          value={actionInput}
          onChange={setActionInput}
          onSelect={(v: string) => {
            setActionInput(actions[v] ?? v);
            applyFilter(v);
          }}
          options={Object.entries(actions).map(([code, label]) => ({ value: code, label }))}
          filterOption={(input, option) => `${option?.value} ${option?.label}`.toLowerCase().includes(input.toLowerCase())}
          placeholder={m.actionPlaceholder}
          style={{ width: 300 }}
          allowClear
          onClear={() => applyFilter('')}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyFilter(codeOf(actionInput));
          }}
        />
        <Button onClick={() => applyFilter(codeOf(actionInput))}>{m.search}</Button>
        <Select
          aria-label={m.pageSize}
          value={limit}
          onChange={(v) => {
            setLimit(v);
            setCursors([undefined]);
          }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: fmt(m.perPage, { n }) }))}
          style={{ width: 130 }}
        />
        {/* issue 15 §2: the trail as filtered, to Excel (GET /audit/export; a refusal is said in words) */}
        <Button
          loading={exporting}
          data-testid="audit-export"
          onClick={() => {
            setExporting(true);
            downloadFile('/audit/export', { format: 'xlsx', ...(action ? { action } : {}) }, 'audit.xlsx')
              .catch((err: unknown) => void message.error(errorText(err, lang)))
              .finally(() => setExporting(false));
          }}
        >
          {m.exportXlsx}
        </Button>
      </Space>

      {page.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(page.error, lang)} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        size="small"
        rowKey="id"
        loading={page.loading}
        dataSource={entries}
        pagination={false}
        locale={{ emptyText: m.empty }}
        data-testid="audit-table"
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (e) => (
            <Descriptions
              size="small"
              column={{ xs: 1, lg: 2 }}
              bordered
              styles={{ label: { whiteSpace: 'nowrap', width: 120 } }}
              data-testid={`audit-details-${e.id}`}
              items={detailFields(e.details, lang).map((f) => ({ key: f.key, label: f.label, children: <span style={{ wordBreak: 'break-word' }}>{f.value}</span> }))}
            />
          ),
          rowExpandable: (e) => Object.keys(e.details).length > 0,
        }}
        columns={[
          { title: m.id, dataIndex: 'id', width: 80 },
          { title: m.at, dataIndex: 'at', width: 170, render: (at: string) => dateTime(at, lang, true) },
          {
            title: m.actor,
            key: 'actor',
            render: (_, e) => (
              <span>
                {e.actorName}
                {e.role && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    · {roles[e.role] ?? e.role}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: m.action,
            dataIndex: 'action',
            // the code stays one hover away, for who searches the logs by it
            render: (a: string) => <span title={a}>{nameOf(a)}</span>,
          },
          {
            title: m.target,
            key: 'target',
            render: (_, e) => <span style={{ whiteSpace: 'nowrap' }}>{e.targetType ? `${targets[e.targetType] ?? e.targetType} #${e.targetId ?? ''}` : '—'}</span>,
          },
          { title: m.outcome, dataIndex: 'outcome', width: 90, render: outcomeTag },
          {
            title: m.details,
            dataIndex: 'details',
            ellipsis: true,
            render: (d: Record<string, unknown>) => (Object.keys(d).length ? <Typography.Text style={{ fontSize: 12 }}>{detailSummary(d, lang)}</Typography.Text> : '—'),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }} className="no-print">
        <Button disabled={cursors.length <= 1} onClick={() => setCursors([undefined])}>
          {m.first}
        </Button>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← {m.newer}
        </Button>
        <Typography.Text>{fmt(m.pageInfo, { page: cursors.length })}</Typography.Text>
        <Button
          disabled={entries.length < limit}
          onClick={() => {
            const last = entries[entries.length - 1];
            if (last) setCursors((c) => [...c, last.id]);
          }}
          data-testid="audit-older"
        >
          {m.older} →
        </Button>
      </Space>
    </div>
  );
}
