/**
 * The supervisor's editor of the shop's 三包 policy (S4.2–S4.5; GET/PUT
 * /warranty-policy). The main numbers — the host's periods (return, exchange,
 * free repair), each accessory's period, the personal-reason return, the
 * postage splits of S4.3 — as number inputs, the clause texts a decision and
 * the card quote as textareas, and the whole policy as JSON for anything else.
 * Issue 13: how the periods are counted (from the invoice, again after an
 * exchange, the Civil Code's holiday rule — off by default — and the repairs
 * after which the host is exchanged), and beside the postage split the law's
 * word (消费者权益保护法 第二十四条) so the shop decides its share knowingly.
 * Every save is a new version; decisions and send-backs keep quoting the
 * version they were made under, so an older version can be viewed (and taken
 * as a draft). A 422 WARRANTY_POLICY_INVALID lists the server's problems beside
 * the form, in the reader's language.
 */
import { Alert, App as AntApp, Button, Card, Col, Collapse, Descriptions, Form, Input, InputNumber, Row, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { ApiError, get, put } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import type { PolicyAnswer, SendBackView, WarrantyPolicy } from '../../../shared/warranty-types.ts';
import { periodLabels, problemText, rungName, settingsMessages, type PeriodUnit } from './settings-messages.ts';
import { forgetPolicy } from './model.ts';

/** The longest period of each unit the server accepts (src/core/warranty/settings-check.ts). */
export const MAX_PERIOD: Record<PeriodUnit, number> = { day: 3650, month: 120, year: 10 };
const units: readonly PeriodUnit[] = ['day', 'month', 'year'];
const accessoryKinds = ['battery', 'wired_earphones', 'memory_card', 'charger', 'bluetooth_headset'] as const;
const postageKeys = ['qualityFault', 'notCovered', 'personalReason'] as const;

/** A refused save, shown beside the part of the page that sent it (the form, or the JSON editor). */
type Problems = { summary: (lang: Lang) => string; problems: (lang: Lang) => string[]; from: 'form' | 'json' } | null;
type Path = (string | number)[];

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** A deep copy the form may change without touching the loaded answer. */
const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every period of a policy with its form path, for relabelling and the clause-text warnings. */
function periodsOf(policy: WarrantyPolicy): { key: string; path: Path; clauseId: string }[] {
  return [
    ...policy.host.rungs.map((r, i) => ({ key: r.id, path: ['host', 'rungs', i, 'period'], clauseId: r.clauseId })),
    ...accessoryKinds.map((k) => ({ key: policy.accessories[k].rung.id, path: ['accessories', k, 'rung', 'period'], clauseId: policy.accessories[k].rung.clauseId })),
    { key: 'personalReturn', path: ['personalReturn', 'period'], clauseId: policy.personalReturn.periodClauseId },
  ];
}

function at(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value);
}

/** The form's policy with the labels of every changed period rewritten (7日 → 20日; the card and the decision's reasons print them). */
function withPeriodLabels(edited: WarrantyPolicy, base: WarrantyPolicy): WarrantyPolicy {
  const next = clone(edited);
  for (const { path } of periodsOf(base)) {
    const was = at(base, path) as { count: number; unit: PeriodUnit } | undefined;
    const now = at(next, path) as { count: number; unit: PeriodUnit; labelZh: string; labelEn: string } | undefined;
    if (!was || !now || (was.count === now.count && was.unit === now.unit)) continue;
    Object.assign(now, periodLabels(now.count, now.unit));
  }
  return next;
}

/** The policy as sent: the JSON text parsed, or why it cannot be. */
function parsePolicyJson(text: string): { ok: true; policy: WarrantyPolicy } | { ok: false; reason: 'empty' | 'syntax' | 'not_object'; detail?: string } {
  if (!text.trim()) return { ok: false, reason: 'empty' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: 'syntax', detail: (err as Error).message };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not_object' };
  return { ok: true, policy: value as WarrantyPolicy };
}

export function PolicyEditor() {
  const m = useMessages(settingsMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [form] = Form.useForm<WarrantyPolicy>();
  const [jsonForm] = Form.useForm<{ json: string }>();
  const [tick, setTick] = useState(0);
  /** null: the version in force; a number: an older one, read only */
  const [viewing, setViewing] = useState<number | null>(null);
  /** an older version taken as the draft (instead of the version in force) */
  const [seed, setSeed] = useState<{ version: number; policy: WarrantyPolicy } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<Problems>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [openClauses, setOpenClauses] = useState<string[]>([]);
  const [advancedOpen, setAdvancedOpen] = useState(false);

  const current = useLoad((signal) => get<PolicyAnswer>('/warranty-policy', undefined, signal), [tick]);
  const older = useLoad((signal) => (viewing === null ? Promise.resolve(null) : get<PolicyAnswer>('/warranty-policy', { version: viewing }, signal)), [viewing]);
  // the send-backs still open, by the version they were opened under (they keep it: S4.3)
  const openSendBacks = useLoad((signal) => get<{ items: SendBackView[] }>('/send-backs', { limit: 200 }, signal), [tick]);

  const inForce = current.data;
  const readOnly = viewing !== null;
  const shown: PolicyAnswer | null | undefined = readOnly ? (older.data && older.data.version === viewing ? older.data : null) : seed ? { version: seed.version, policy: seed.policy, updatedAt: null } : inForce;
  const base = shown?.policy;
  const initial = useMemo(() => (base ? clone(base) : undefined), [base]);
  const formIdentity = `${shown?.version ?? 'x'}-${formKey}-${readOnly ? 'ro' : 'rw'}`;
  // the form's store outlives its remounts: put the shown policy in it (after a save, a revert, another version)
  useEffect(() => {
    if (initial) form.resetFields();
  }, [form, formIdentity, initial]);

  const byVersion = useMemo(() => {
    const counts = new Map<number, number>();
    for (const sb of openSendBacks.data?.items ?? []) {
      if (sb.status === 'closed' || sb.status === 'cancelled') continue;
      counts.set(sb.sendBack.policy.version, (counts.get(sb.sendBack.policy.version) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[0] - a[0]);
  }, [openSendBacks.data]);

  const versionName = (v: number) => (v === 0 ? m.versionDefault : fmt(m.versionN, { version: v }));

  const resetDraft = () => {
    setSeed(null);
    setDirty(false);
    setFailure(null);
    setFormKey((k) => k + 1);
  };

  /** Sends a policy as the next version; a stale page asks before overwriting a version saved meanwhile. */
  const send = async (policy: WarrantyPolicy, from: 'form' | 'json') => {
    setSaving(true);
    setFailure(null);
    setNotice(null);
    try {
      const latest = await get<PolicyAnswer>('/warranty-policy');
      if (inForce && latest.version !== inForce.version) {
        const go = await modal.confirm({
          title: fmt(m.staleTitle, { version: latest.version }),
          content: m.staleText,
          okText: m.staleOverwrite,
          cancelText: m.cancel,
        });
        if (!go) return;
      }
      const saved = await put<PolicyAnswer>('/warranty-policy', { policy });
      forgetPolicy();
      const text = fmt(m.policySaved, { version: saved.version });
      message.success(text);
      setNotice(text);
      setSeed(null);
      setDirty(false);
      setFormKey((k) => k + 1);
      setTick((t) => t + 1);
      // the JSON is rebuilt from the saved version when the editor is opened again
      jsonForm.resetFields();
      setAdvancedOpen(false);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WARRANTY_POLICY_INVALID') {
        const problems = (err.details.errors as string[] | undefined) ?? [];
        // the problems are listed, in the reader's language (also after switching it); the summary without them
        const summary = new ApiError(err.status, err.code, '');
        setFailure({ summary: (l) => errorText(summary, l), problems: (l) => problems.map((p) => problemText(p, l)), from });
      } else {
        setFailure({ summary: (l) => errorText(err, l), problems: () => [], from });
      }
    } finally {
      setSaving(false);
    }
  };

  const saveForm = async () => {
    if (!base) return;
    try {
      await form.validateFields();
    } catch (err) {
      // open the clauses whose fields are wrong, so the messages are seen
      const fields = (err as { errorFields?: { name: Path }[] }).errorFields ?? [];
      const clauses = fields.filter((f) => f.name[0] === 'clauses').map((f) => String(f.name[1]));
      if (clauses.length) setOpenClauses((open) => [...new Set([...open, ...clauses])]);
      setFailure({ summary: (l) => settingsMessages[l].fixFields, problems: () => [], from: 'form' });
      return;
    }
    if (!dirty && !seed) {
      setNotice(m.nothingChanged);
      return;
    }
    await send(withPeriodLabels(form.getFieldsValue(true), base), 'form');
  };

  const saveJson = async () => {
    let values: { json: string };
    try {
      values = await jsonForm.validateFields();
    } catch {
      return;
    }
    const parsed = parsePolicyJson(values.json);
    if (parsed.ok) await send(parsed.policy, 'json');
  };

  const loadJsonFromForm = () => {
    if (!base) return;
    jsonForm.setFieldsValue({ json: JSON.stringify(withPeriodLabels(form.getFieldsValue(true), base), null, 2) });
  };

  const periodFields = (path: Path, label: string, testId: string) => (
    <Form.Item label={label} required style={{ marginBottom: 12 }}>
      <Space.Compact>
        <Form.Item
          noStyle
          name={[...path, 'count']}
          dependencies={[[...path, 'unit']]}
          rules={[
            { required: true, message: m.periodRequired },
            ({ getFieldValue }) => ({
              validator: (_, value: number | null) => {
                const unit = getFieldValue([...path, 'unit']) as PeriodUnit;
                if (value === null || value === undefined) return Promise.resolve();
                if (!Number.isInteger(value) || value < 1) return Promise.reject(new Error(m.periodWhole));
                if (value > MAX_PERIOD[unit]) return Promise.reject(new Error(fmt(m.periodMax, { max: MAX_PERIOD[unit], unit: m[`unit_${unit}`] })));
                return Promise.resolve();
              },
            }),
          ]}
        >
          <InputNumber aria-label={fmt(m.periodCountAria, { what: label })} min={1} precision={0} style={{ width: 110 }} data-testid={`${testId}-count`} />
        </Form.Item>
        <Form.Item noStyle name={[...path, 'unit']}>
          <Select aria-label={fmt(m.periodUnitAria, { what: label })} style={{ width: 96 }} options={units.map((u) => ({ value: u, label: m[`unit_${u}`] }))} />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );

  const percentField = (path: Path, label: string, testId: string) => (
    <Form.Item
      label={label}
      name={path}
      style={{ marginBottom: 12 }}
      rules={[
        { required: true, message: m.percentRange },
        { type: 'integer', min: 0, max: 100, message: m.percentRange },
      ]}
    >
      <InputNumber aria-label={label} min={0} max={100} precision={0} suffix="%" style={{ width: 140 }} data-testid={testId} />
    </Form.Item>
  );

  const clauses = base ? Object.values(base.clauses) : [];
  const sourceName = (s: string) => m[`source_${s}` as 'source_seed'] ?? s;

  return (
    <div data-testid="policy-editor">
      {current.error ? <Alert type="error" showIcon role="alert" title={errorText(current.error, lang)} style={{ marginBottom: 12 }} /> : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            {
              key: 'version',
              label: m.inForce,
              children: inForce ? (
                <Tag color="green" data-testid="policy-version">
                  {versionName(inForce.version)}
                </Tag>
              ) : (
                <Spin size="small" aria-label={m.loading} />
              ),
            },
            { key: 'name', label: m.policyName, children: inForce ? (lang === 'en' ? inForce.policy.nameEn || inForce.policy.nameZh : inForce.policy.nameZh) : '—' },
            { key: 'at', label: m.savedAt, children: inForce?.updatedAt ? dateTime(inForce.updatedAt, lang) : m.neverSaved },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }} data-testid="policy-versions-note">
          {m.versionsNote}
        </Typography.Paragraph>
        {byVersion.length ? (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }} data-testid="policy-open-send-backs">
            {m.openSendBacksBy}{' '}
            {byVersion.map(([v, n]) => (
              <Tag key={v}>{fmt(m.openSendBacksCount, { version: versionName(v), n })}</Tag>
            ))}
          </Typography.Paragraph>
        ) : null}
      </Card>

      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => void saveForm()} loading={saving} disabled={readOnly || !base} data-testid="policy-save">
          {m.saveNewVersion}
        </Button>
        <Button onClick={resetDraft} disabled={readOnly || (!dirty && !seed)}>
          {m.revert}
        </Button>
        {dirty || seed ? <Tag color="orange">{seed ? fmt(m.draftFrom, { version: versionName(seed.version) }) : m.unsaved}</Tag> : null}
        <span>
          <label htmlFor="policy-view-version" style={{ marginRight: 8 }}>
            {m.viewVersion}
          </label>
          <Select
            id="policy-view-version"
            style={{ width: 200 }}
            value={viewing ?? -1}
            disabled={!inForce}
            onChange={(v: number) => setViewing(v < 0 || v === inForce?.version ? null : v)}
            options={[
              { value: -1, label: inForce ? fmt(m.viewCurrent, { version: versionName(inForce.version) }) : m.loading },
              ...Array.from({ length: inForce?.version ?? 0 }, (_, i) => (inForce?.version ?? 0) - 1 - i).map((v) => ({ value: v, label: versionName(v) })),
            ]}
          />
        </span>
      </Space>

      {readOnly ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={fmt(m.viewingOld, { version: versionName(viewing) })}
          description={m.viewingOldHint}
          action={
            <Space orientation="vertical">
              <Button size="small" onClick={() => setViewing(null)}>
                {m.backToCurrent}
              </Button>
              <Button
                size="small"
                disabled={!older.data}
                onClick={() => {
                  if (!older.data) return;
                  setSeed({ version: older.data.version, policy: older.data.policy });
                  setViewing(null);
                  setDirty(true);
                  setFormKey((k) => k + 1);
                }}
              >
                {m.useAsDraft}
              </Button>
            </Space>
          }
        />
      ) : null}
      {older.error && readOnly ? <Alert type="error" showIcon role="alert" title={errorText(older.error, lang)} style={{ marginBottom: 12 }} /> : null}
      {notice ? <Alert type="success" showIcon title={notice} closable onClose={() => setNotice(null)} style={{ marginBottom: 12 }} data-testid="policy-notice" /> : null}
      {failure?.from === 'form' ? <FailureAlert failure={failure} /> : null}

      {!base || !initial ? (
        <Spin aria-label={m.loading} />
      ) : (
        <Form
          key={formIdentity}
          form={form}
          layout="vertical"
          initialValues={initial}
          disabled={readOnly}
          onValuesChange={() => setDirty(true)}
          aria-label={m.policyFormLabel}
          data-testid="policy-form"
        >
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={m.hostPeriods} style={{ height: '100%' }}>
                {base.host.rungs.map((r, i) => (
                  <div key={r.id}>{periodFields(['host', 'rungs', i, 'period'], rungName(r.id, lang), `period-${r.id}`)}</div>
                ))}
                {periodFields(['personalReturn', 'period'], m.personalReturnPeriod, 'period-personalReturn')}
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {m.periodsHint}
                </Typography.Paragraph>
                <ClauseTextWarnings form={form} base={base} />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={m.accessoryPeriods} style={{ marginBottom: 12 }}>
                <Row gutter={12}>
                  {accessoryKinds.map((k) => (
                    <Col xs={24} md={12} key={k}>
                      {periodFields(['accessories', k, 'rung', 'period'], lang === 'en' ? capitalised(base.accessories[k].labelEn) : base.accessories[k].labelZh, `period-accessory.${k}`)}
                    </Col>
                  ))}
                </Row>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {m.giftsNote}
                </Typography.Paragraph>
              </Card>
              <Card size="small" title={m.postage}>
                {postageKeys.map((k) => (
                  <div key={k}>
                    <Typography.Text strong>{m[`postage_${k}`]}</Typography.Text>{' '}
                    <Typography.Text type="secondary" code>
                      {base.postage[k].clauseId}
                    </Typography.Text>
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        {percentField(['postage', k, 'buyerToShopBuyerPercent'], fmt(m.buyerToShop, { what: m[`postage_${k}`] }), `postage-${k}-in`)}
                      </Col>
                      <Col xs={24} md={12}>
                        {percentField(['postage', k, 'shopToBuyerBuyerPercent'], fmt(m.shopToBuyer, { what: m[`postage_${k}`] }), `postage-${k}-out`)}
                      </Col>
                    </Row>
                  </div>
                ))}
                <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                  {m.postageHint}
                </Typography.Paragraph>
                <Alert type="warning" showIcon title={m.postageLawTitle} description={m.postageLawNote} data-testid="postage-law-note" />
              </Card>
            </Col>
          </Row>

          <Card size="small" title={m.periodRulesTitle} style={{ marginTop: 12 }} data-testid="policy-period-rules">
            <Form.Item name={['periodRules', 'fromInvoice']} valuePropName="checked" label={m.ruleFromInvoice} style={{ marginBottom: 8 }}>
              <Switch aria-label={m.ruleFromInvoice} />
            </Form.Item>
            <Form.Item name={['periodRules', 'exchangeRestarts']} valuePropName="checked" label={m.ruleExchangeRestarts} style={{ marginBottom: 8 }}>
              <Switch aria-label={m.ruleExchangeRestarts} />
            </Form.Item>
            <Form.Item name={['periodRules', 'holidayEndsNextWorkingDay']} valuePropName="checked" label={m.ruleHoliday} extra={m.ruleHolidayHint} style={{ marginBottom: 8 }}>
              <Switch aria-label={m.ruleHoliday} data-testid="policy-holiday-rule" />
            </Form.Item>
            <Form.Item
              name={['host', 'repeatedRepair', 'repairs']}
              label={m.repeatRepairs}
              extra={m.repeatRepairsHint}
              rules={[{ required: true, type: 'integer', min: 1, max: 10, message: m.repeatRepairsRange }]}
              style={{ marginBottom: 0 }}
            >
              <InputNumber aria-label={m.repeatRepairs} min={1} max={10} precision={0} style={{ width: 110 }} />
            </Form.Item>
          </Card>

          <Card size="small" title={m.policyNames} style={{ marginTop: 12 }}>
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Form.Item label={m.nameZh} name="nameZh" rules={[{ required: true, whitespace: true, message: m.nameRequired }, { max: 100 }]}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label={m.nameEn} name="nameEn" rules={[{ max: 200 }]}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
            </Row>
          </Card>

          <Card size="small" title={fmt(m.clausesTitle, { n: clauses.length })} style={{ marginTop: 12 }} data-testid="policy-clauses">
            <Typography.Paragraph type="secondary">{m.clausesHint}</Typography.Paragraph>
            <Collapse
              activeKey={openClauses}
              onChange={(keys) => setOpenClauses(Array.isArray(keys) ? keys.map(String) : [String(keys)])}
              items={clauses.map((c) => ({
                key: c.id,
                forceRender: true,
                label: (
                  <Space wrap size={4} data-testid={`clause-${c.id}`}>
                    <Typography.Text strong>{lang === 'en' ? c.titleEn || c.titleZh : c.titleZh}</Typography.Text>
                    <Tag>{c.rule}</Tag>
                    <Typography.Text type="secondary" code>
                      {c.id}
                    </Typography.Text>
                    <Tag color={c.source === 'seed' ? 'geekblue' : c.source === 'national' ? 'purple' : 'default'}>{sourceName(c.source)}</Tag>
                  </Space>
                ),
                children: (
                  <div>
                    <Row gutter={12}>
                      <Col xs={24} md={12}>
                        <Form.Item label={m.clauseTitleZh} name={['clauses', c.id, 'titleZh']} rules={[{ required: true, whitespace: true, message: m.clauseTitleRequired }, { max: 100 }]}>
                          <Input maxLength={100} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} md={12}>
                        <Form.Item label={m.clauseTitleEn} name={['clauses', c.id, 'titleEn']} rules={[{ max: 200 }]}>
                          <Input maxLength={200} />
                        </Form.Item>
                      </Col>
                    </Row>
                    <Form.Item
                      label={fmt(m.clauseText, { title: c.titleZh })}
                      name={['clauses', c.id, 'textZh']}
                      rules={[
                        { required: true, whitespace: true, message: m.clauseTextRequired },
                        { max: 5000, message: m.clauseTextTooLong },
                      ]}
                      style={{ marginBottom: 0 }}
                    >
                      <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} maxLength={5000} showCount lang="zh-CN" data-testid={`clause-text-${c.id}`} />
                    </Form.Item>
                  </div>
                ),
              }))}
            />
          </Card>
        </Form>
      )}

      <Collapse
        style={{ marginTop: 12 }}
        activeKey={advancedOpen ? ['json'] : []}
        onChange={(keys) => {
          const open = (Array.isArray(keys) ? keys : [keys]).includes('json');
          setAdvancedOpen(open);
          if (open && !jsonForm.getFieldValue('json')) loadJsonFromForm();
        }}
        items={[
          {
            key: 'json',
            label: m.advancedJson,
            forceRender: true,
            children: (
              <Form form={jsonForm} layout="vertical" disabled={readOnly} aria-label={m.advancedJson} data-testid="policy-json-form">
                <Typography.Paragraph type="secondary">{m.advancedJsonHint}</Typography.Paragraph>
                <Form.Item
                  label={m.jsonLabel}
                  name="json"
                  rules={[
                    {
                      validator: (_, value: string | undefined) => {
                        const parsed = parsePolicyJson(value ?? '');
                        if (parsed.ok) return Promise.resolve();
                        const text = parsed.reason === 'empty' ? m.jsonEmpty : parsed.reason === 'not_object' ? m.jsonNotObject : fmt(m.jsonSyntax, { detail: parsed.detail ?? '' });
                        return Promise.reject(new Error(text));
                      },
                    },
                  ]}
                >
                  <Input.TextArea
                    autoSize={{ minRows: 12, maxRows: 30 }}
                    spellCheck={false}
                    style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 }}
                    data-testid="policy-json"
                  />
                </Form.Item>
                {failure?.from === 'json' ? <FailureAlert failure={failure} /> : null}
                <Space wrap>
                  <Button type="primary" onClick={() => void saveJson()} loading={saving} disabled={readOnly} data-testid="policy-json-save">
                    {m.saveJson}
                  </Button>
                  <Button onClick={loadJsonFromForm} disabled={!base}>
                    {m.jsonFromForm}
                  </Button>
                </Space>
              </Form>
            ),
          },
        ]}
      />
    </div>
  );
}

function FailureAlert({ failure }: { failure: NonNullable<Problems> }) {
  const { lang } = useLang();
  const problems = failure.problems(lang);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      data-testid="policy-errors"
      title={failure.summary(lang)}
      description={
        problems.length ? (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

/**
 * A period changed but its clause's text does not name the new number: the
 * card and the decision quote the text, so it would contradict the numbers.
 */
function ClauseTextWarnings({ form, base }: { form: FormInstance<WarrantyPolicy>; base: WarrantyPolicy }) {
  const m = useMessages(settingsMessages);
  const { lang } = useLang();
  const values = Form.useWatch((v: WarrantyPolicy) => v, form);
  if (!values) return null;
  const warnings: string[] = [];
  for (const { key, path, clauseId } of periodsOf(base)) {
    const was = at(base, path) as { count: number; unit: PeriodUnit; labelZh: string };
    const now = at(values, path) as { count?: number; unit?: PeriodUnit } | undefined;
    if (!now || typeof now.count !== 'number' || (now.count === was.count && now.unit === was.unit)) continue;
    const text = (at(values, ['clauses', clauseId, 'textZh']) as string | undefined) ?? base.clauses[clauseId]?.textZh ?? '';
    const label = periodLabels(now.count, now.unit ?? was.unit)[lang === 'en' ? 'labelEn' : 'labelZh'];
    if (!text.includes(String(now.count))) {
      const title = base.clauses[clauseId]?.titleZh ?? clauseId;
      warnings.push(fmt(m.clauseTextStale, { what: rungName(key, lang), label, clause: title, n: now.count }));
    }
    // other clauses that quote the old period (the send-back terms repeat 7日 and 15日)
    for (const other of Object.values(base.clauses)) {
      if (other.id === clauseId) continue;
      const otherText = (at(values, ['clauses', other.id, 'textZh']) as string | undefined) ?? other.textZh;
      if (otherText.includes(was.labelZh)) warnings.push(fmt(m.clauseQuotesOld, { clause: other.titleZh, old: was.labelZh, what: lang === 'en' ? rungName(key, lang).replace(/^The /, 'the ') : rungName(key, lang), label }));
    }
  }
  if (!warnings.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="clause-text-warnings"
      title={m.clauseTextStaleTitle}
      description={
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      }
    />
  );
}
