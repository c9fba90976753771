/**
 * The rule set as a form (issue 15 §4): the rules filtered by refund type and
 * reason, each opened to edit its conditions, checklist, actions, guards,
 * templates and note, every choice by its name. Errors (the page's own check
 * or the server's) show beside their field in the page's language.
 */
import { Alert, Button, Card, Col, Collapse, Form, Input, Popconfirm, Row, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { goodsStatuses, reasonCodes, refundPhases, refundStatuses, refundTypes, type ReasonCode, type RefundType } from '../../../../../src/core/refund/refund-model.ts';
import {
  doneWhenKinds,
  guardCodes,
  playbookActions,
  templateKeys,
  type ChecklistItem,
  type DoneWhen,
  type Rule,
  type RuleSet,
  type RuleWhen,
} from '../../../../../src/core/playbook/rule-set.ts';
import { fmt, useLang, useMessages, type Lang } from '../../../shared/i18n.tsx';
import { parsePath, problemInWords, type RuleSetProblem } from './rule-set-errors.ts';
import { conditionCount, freshId, itemIds, move, ruleIds, ruleMatches } from './rule-set-form-model.ts';
import { actionLabels, doneWhenLabels, fieldName, guardExplanations, guardLabels, valueName, valueLabels, yesNoLabels } from './rule-set-labels.ts';
import { ruleSetMessages } from './ruleset-messages.ts';

type ListKey = 'type' | 'reason' | 'phase' | 'status' | 'goodsStatus' | 'reasonCorrectedFrom';
type FlagKey = 'shipped' | 'signed' | 'warehouseReceived';
type TextKey = 'remarkIncludes' | 'remarkExcludes';

const whenLists: { key: ListKey; values: readonly string[] }[] = [
  { key: 'type', values: refundTypes },
  { key: 'reason', values: reasonCodes },
  { key: 'phase', values: refundPhases },
  { key: 'status', values: refundStatuses },
  { key: 'goodsStatus', values: goodsStatuses },
  { key: 'reasonCorrectedFrom', values: reasonCodes },
];
const whenFlags: FlagKey[] = ['shipped', 'signed', 'warehouseReceived'];
const whenTexts: TextKey[] = ['remarkIncludes', 'remarkExcludes'];

function options(field: string, values: readonly string[], lang: Lang) {
  return values.map((v) => ({ value: v, label: valueName(field, v, lang) }));
}

/** The errors at a path: its own, and those of the list elements under it (`guards[1]` shows at `guards`). */
function errorsAt(errors: readonly RuleSetProblem[], path: string): RuleSetProblem[] {
  return errors.filter((e) => e.path === path || (e.path ?? '').startsWith(`${path}[`));
}

function Field({
  label,
  path,
  errors,
  lang,
  children,
  extra,
}: {
  label: ReactNode;
  path: string;
  errors: readonly RuleSetProblem[];
  lang: Lang;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const mine = errorsAt(errors, path);
  return (
    <Form.Item
      label={label}
      validateStatus={mine.length ? 'error' : undefined}
      help={mine.length ? mine.map((e) => problemInWords(e, lang)).join(' ') : undefined}
      extra={extra}
      style={{ marginBottom: 12 }}
      data-field={path}
    >
      {children}
    </Form.Item>
  );
}

function RuleEditor({
  rule,
  index,
  errors,
  disabled,
  onChange,
  usedItemIds,
}: {
  rule: Rule;
  index: number;
  errors: readonly RuleSetProblem[];
  disabled: boolean;
  onChange: (rule: Rule) => void;
  usedItemIds: ReadonlySet<string>;
}) {
  const m = useMessages(ruleSetMessages);
  const { lang } = useLang();
  const p = `rules[${index}]`;
  const setWhen = (patch: Partial<RuleWhen>) => onChange({ ...rule, when: { ...rule.when, ...patch } });
  const items = rule.checklist ?? [];
  const setItems = (next: ChecklistItem[]) => onChange({ ...rule, checklist: next });
  const setItem = (i: number, patch: Partial<ChecklistItem>) => setItems(items.map((item, j) => (j === i ? { ...item, ...patch } : item)));
  const flagValue = (v: boolean | undefined) => (v === undefined ? 'any' : v ? 'yes' : 'no');

  return (
    <Form layout="vertical" disabled={disabled} component="div">
      <Row gutter={12}>
        <Col xs={24} md={6}>
          <Field label={fieldName('id', lang)} path={`${p}.id`} errors={errors} lang={lang}>
            <Input value={rule.id} onChange={(e) => onChange({ ...rule, id: e.target.value })} data-testid={`rule-${index}-id`} />
          </Field>
        </Col>
        <Col xs={24} md={18}>
          <Field label={fieldName('title', lang)} path={`${p}.title`} errors={errors} lang={lang}>
            <Input value={rule.title} onChange={(e) => onChange({ ...rule, title: e.target.value })} data-testid={`rule-${index}-title`} />
          </Field>
        </Col>
      </Row>

      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {m.whenTitle}
      </Typography.Title>
      <Row gutter={12}>
        {whenLists.map(({ key, values }) => (
          <Col xs={24} md={12} xl={8} key={key}>
            <Field label={fieldName(key, lang)} path={`${p}.when.${key}`} errors={errors} lang={lang}>
              <Select
                mode="multiple"
                allowClear
                placeholder={m.anyValue}
                aria-label={fieldName(key, lang)}
                value={(rule.when[key] as string[] | undefined) ?? []}
                options={options(key, values, lang)}
                optionFilterProp="label"
                onChange={(v: string[]) => setWhen({ [key]: v.length ? v : undefined } as Partial<RuleWhen>)}
                data-testid={`rule-${index}-when-${key}`}
              />
            </Field>
          </Col>
        ))}
        {whenFlags.map((key) => (
          <Col xs={12} md={8} xl={4} key={key}>
            <Field label={fieldName(key, lang)} path={`${p}.when.${key}`} errors={errors} lang={lang}>
              <Select
                aria-label={fieldName(key, lang)}
                value={flagValue(rule.when[key])}
                options={(['any', 'yes', 'no'] as const).map((v) => ({ value: v, label: yesNoLabels[v][lang] }))}
                onChange={(v: 'any' | 'yes' | 'no') => setWhen({ [key]: v === 'any' ? undefined : v === 'yes' } as Partial<RuleWhen>)}
              />
            </Field>
          </Col>
        ))}
        {whenTexts.map((key) => (
          <Col xs={24} md={12} xl={6} key={key}>
            <Field label={fieldName(key, lang)} path={`${p}.when.${key}`} errors={errors} lang={lang}>
              <Input value={rule.when[key] ?? ''} placeholder={m.anyValue} onChange={(e) => setWhen({ [key]: e.target.value || undefined } as Partial<RuleWhen>)} />
            </Field>
          </Col>
        ))}
      </Row>

      <Typography.Title level={5}>{m.doesTitle}</Typography.Title>
      <Field label={fieldName('checklist', lang)} path={`${p}.checklist`} errors={errors.filter((e) => !/^rules\[\d+\]\.checklist\[\d+\]\./.test(e.path ?? ''))} lang={lang}>
        <Space orientation="vertical" style={{ width: '100%' }} size={8} data-testid={`rule-${index}-checklist`}>
          {items.length === 0 && <Typography.Text type="secondary">{m.noItems}</Typography.Text>}
          {items.map((item, i) => {
            const ip = `${p}.checklist[${i}]`;
            return (
              <Card
                key={i}
                size="small"
                type="inner"
                title={fmt(m.itemN, { n: i + 1 })}
                data-testid={`rule-${index}-item-${i}`}
                extra={
                  !disabled && (
                    <Space size={0}>
                      <Button size="small" type="link" disabled={i === 0} onClick={() => setItems(move(items, i, -1))}>
                        {m.moveUp}
                      </Button>
                      <Button size="small" type="link" disabled={i === items.length - 1} onClick={() => setItems(move(items, i, 1))}>
                        {m.moveDown}
                      </Button>
                      <Button size="small" type="link" danger onClick={() => setItems(items.filter((_, j) => j !== i))}>
                        {m.remove}
                      </Button>
                    </Space>
                  )
                }
              >
                <Row gutter={12}>
                  <Col xs={24} md={6}>
                    <Field label={fieldName('id', lang)} path={`${ip}.id`} errors={errors} lang={lang}>
                      <Input value={item.id} onChange={(e) => setItem(i, { id: e.target.value })} />
                    </Field>
                  </Col>
                  <Col xs={24} md={18}>
                    <Field label={fieldName('text', lang)} path={`${ip}.text`} errors={errors} lang={lang}>
                      <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} value={item.text} onChange={(e) => setItem(i, { text: e.target.value })} data-testid={`rule-${index}-item-${i}-text`} />
                    </Field>
                  </Col>
                  <Col xs={24} md={12}>
                    <Field label={fieldName('doneWhen', lang)} path={`${ip}.doneWhen`} errors={errors} lang={lang}>
                      <Select
                        allowClear
                        placeholder={m.noneSelected}
                        aria-label={fieldName('doneWhen', lang)}
                        value={item.doneWhen}
                        options={doneWhenKinds.map((k) => ({ value: k, label: doneWhenLabels[k][lang] }))}
                        onChange={(v: DoneWhen | undefined) => setItem(i, { doneWhen: v })}
                      />
                    </Field>
                  </Col>
                  <Col xs={24} md={12}>
                    <Field label={fieldName('doneWhenRemark', lang)} path={`${ip}.doneWhenRemark`} errors={errors} lang={lang}>
                      <Input value={item.doneWhenRemark ?? ''} placeholder={m.noneSelected} onChange={(e) => setItem(i, { doneWhenRemark: e.target.value || undefined })} />
                    </Field>
                  </Col>
                </Row>
              </Card>
            );
          })}
          {!disabled && (
            <Button
              onClick={() => setItems([...items, { id: freshId(`${rule.id || 'item'}.`, usedItemIds), text: '' }])}
              data-testid={`rule-${index}-add-item`}
            >
              {m.addItem}
            </Button>
          )}
        </Space>
      </Field>

      <Row gutter={12}>
        <Col xs={24} xl={8}>
          <Field label={fieldName('actions', lang)} path={`${p}.actions`} errors={errors} lang={lang}>
            <Select
              mode="multiple"
              allowClear
              placeholder={m.noneSelected}
              aria-label={fieldName('actions', lang)}
              value={rule.actions ?? []}
              options={playbookActions.map((a) => ({ value: a, label: actionLabels[a][lang] }))}
              optionFilterProp="label"
              onChange={(v) => onChange({ ...rule, actions: v })}
              data-testid={`rule-${index}-actions`}
            />
          </Field>
        </Col>
        <Col xs={24} xl={8}>
          <Field
            label={fieldName('guards', lang)}
            path={`${p}.guards`}
            errors={errors}
            lang={lang}
            extra={
              (rule.guards ?? []).length > 0 && (
                <ul style={{ margin: '4px 0 0', paddingLeft: 18 }} data-testid={`rule-${index}-guard-explanations`}>
                  {(rule.guards ?? []).map((g) => (
                    <li key={g}>{guardExplanations[g][lang]}</li>
                  ))}
                </ul>
              )
            }
          >
            <Select
              mode="multiple"
              allowClear
              placeholder={m.noneSelected}
              aria-label={fieldName('guards', lang)}
              value={rule.guards ?? []}
              options={guardCodes.map((g) => ({ value: g, label: guardLabels[g][lang], explanation: guardExplanations[g][lang] }))}
              optionFilterProp="label"
              optionRender={(option) => (
                <div style={{ whiteSpace: 'normal' }}>
                  <div>{option.label}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
                    {(option.data as { explanation: string }).explanation}
                  </Typography.Text>
                </div>
              )}
              onChange={(v) => onChange({ ...rule, guards: v })}
              data-testid={`rule-${index}-guards`}
            />
          </Field>
        </Col>
        <Col xs={24} xl={8}>
          <Field label={fieldName('templates', lang)} path={`${p}.templates`} errors={errors} lang={lang}>
            <Select
              mode="multiple"
              allowClear
              placeholder={m.noneSelected}
              aria-label={fieldName('templates', lang)}
              value={rule.templates ?? []}
              options={templateKeys.map((t) => ({ value: t, label: valueName('templates', t, lang) }))}
              optionFilterProp="label"
              onChange={(v) => onChange({ ...rule, templates: v })}
            />
          </Field>
        </Col>
      </Row>
      <Field label={fieldName('note', lang)} path={`${p}.note`} errors={errors} lang={lang}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} value={rule.note ?? ''} onChange={(e) => onChange({ ...rule, note: e.target.value || undefined })} />
      </Field>
    </Form>
  );
}

/** The tags in a rule's header: its type and reason conditions by name. */
function whenTags(rule: Rule, lang: Lang, m: { noCondition: string }): ReactNode {
  const tags: ReactNode[] = [];
  for (const key of ['type', 'reason', 'status'] as const) {
    for (const v of rule.when[key] ?? []) {
      tags.push(
        <Tag key={`${key}-${v}`} color={key === 'type' ? 'blue' : key === 'reason' ? 'purple' : undefined} style={{ marginInlineEnd: 4 }}>
          {valueLabels[key]?.[v]?.[lang] ?? v}
        </Tag>,
      );
    }
  }
  if (conditionCount(rule.when) === 0) tags.push(<Tag key="any">{m.noCondition}</Tag>);
  return tags;
}

export function RuleSetForm({
  value,
  onChange,
  errors,
  disabled,
  openRules,
  onOpenRules,
}: {
  value: RuleSet;
  onChange: (next: RuleSet) => void;
  errors: readonly RuleSetProblem[];
  disabled: boolean;
  /** the indexes of the rules opened */
  openRules: readonly number[];
  onOpenRules: (next: number[]) => void;
}) {
  const m = useMessages(ruleSetMessages);
  const { lang } = useLang();
  const [type, setType] = useState<RefundType | undefined>(undefined);
  const [reason, setReason] = useState<ReasonCode | undefined>(undefined);
  const [text, setText] = useState('');
  const usedItemIds = useMemo(() => itemIds(value), [value]);
  const shown = value.rules.map((rule, index) => ({ rule, index })).filter(({ rule, index }) => ruleMatches(rule, { type, reason, text }) || openRules.includes(index));
  const setRules = (rules: Rule[]) => onChange({ ...value, rules });
  const setRule = (index: number, rule: Rule) => setRules(value.rules.map((r, i) => (i === index ? rule : r)));
  const errorsOfRule = (index: number) => errors.filter((e) => parsePath(e.path ?? '')[1] === index);

  const addRule = () => {
    const id = freshId('rule-', ruleIds(value));
    const rules = [...value.rules, { id, title: m.newRuleTitle, when: {}, checklist: [] }];
    setRules(rules);
    setType(undefined);
    setReason(undefined);
    setText('');
    onOpenRules([...openRules, rules.length - 1]);
  };

  /** Moves a rule and keeps the open ones open. */
  const moveRule = (index: number, by: number) => {
    const to = index + by;
    if (to < 0 || to >= value.rules.length) return;
    setRules(move(value.rules, index, by));
    onOpenRules(openRules.map((i) => (i === index ? to : i === to ? index : i)));
  };
  const removeRule = (index: number) => {
    setRules(value.rules.filter((_, i) => i !== index));
    onOpenRules(openRules.filter((i) => i !== index).map((i) => (i > index ? i - 1 : i)));
  };

  const topErrors = errors.filter((e) => parsePath(e.path ?? '')[0] !== 'rules' || parsePath(e.path ?? '').length === 1);

  return (
    <div data-testid="rule-set-form">
      <Form layout="vertical" disabled={disabled} component="div">
        <Field label={m.ruleSetName} path="name" errors={topErrors} lang={lang}>
          <Input value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} style={{ maxWidth: 480 }} data-testid="rule-set-name" />
        </Field>
      </Form>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          aria-label={m.filterType}
          style={{ width: 160 }}
          value={type ?? ''}
          onChange={(v: string) => setType((v || undefined) as RefundType | undefined)}
          options={[{ value: '', label: `${m.filterType}：${m.filterAny}` }, ...refundTypes.map((t) => ({ value: t, label: `${m.filterType}：${valueName('type', t, lang)}` }))]}
          data-testid="rule-filter-type"
        />
        <Select
          aria-label={m.filterReason}
          style={{ width: 220 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={reason ?? ''}
          onChange={(v: string) => setReason((v || undefined) as ReasonCode | undefined)}
          options={[{ value: '', label: `${m.filterReason}：${m.filterAny}` }, ...reasonCodes.map((r) => ({ value: r, label: `${m.filterReason}：${valueName('reason', r, lang)}` }))]}
          data-testid="rule-filter-reason"
        />
        <Input.Search allowClear placeholder={m.filterText} aria-label={m.filterText} value={text} onChange={(e) => setText(e.target.value)} style={{ width: 220 }} data-testid="rule-filter-text" />
        <Typography.Text type="secondary">{fmt(m.shownRules, { shown: shown.length, n: value.rules.length })}</Typography.Text>
      </Space>
      <Collapse
        activeKey={openRules.map(String)}
        onChange={(keys) => onOpenRules((Array.isArray(keys) ? keys : [keys]).map(Number))}
        items={shown.map(({ rule, index }) => {
          const ruleErrors = errorsOfRule(index);
          const own = ruleErrors.filter((e) => parsePath(e.path ?? '').length === 2);
          return {
            key: String(index),
            label: (
              <span data-testid={`rule-header-${index}`}>
                <Typography.Text strong>{rule.id}</Typography.Text>
                <Typography.Text> · {rule.title.trim() || m.emptyTitle}</Typography.Text>
                <span style={{ marginInlineStart: 8 }}>{whenTags(rule, lang, m)}</span>
                {(rule.guards ?? []).map((g) => (
                  <Tooltip key={g} title={guardExplanations[g][lang]}>
                    <Tag color="red" variant="outlined" style={{ marginInlineEnd: 4 }}>
                      {guardLabels[g][lang]}
                    </Tag>
                  </Tooltip>
                ))}
                {ruleErrors.length > 0 && (
                  <Tag color="error" data-testid={`rule-errors-${index}`}>
                    {m.hasErrors}
                  </Tag>
                )}
              </span>
            ),
            extra: !disabled && (
              <Space size={0} onClick={(e) => e.stopPropagation()}>
                <Button size="small" type="link" disabled={index === 0} onClick={() => moveRule(index, -1)}>
                  {m.moveUp}
                </Button>
                <Button size="small" type="link" disabled={index === value.rules.length - 1} onClick={() => moveRule(index, 1)}>
                  {m.moveDown}
                </Button>
                <Popconfirm title={fmt(m.confirmRemoveRule, { title: rule.title || rule.id })} okText={m.ok} cancelText={m.cancel} onConfirm={() => removeRule(index)}>
                  <Button size="small" type="link" danger aria-label={m.removeRule}>
                    {m.remove}
                  </Button>
                </Popconfirm>
              </Space>
            ),
            children: (
              <div data-testid={`rule-${index}`}>
                {own.length > 0 && (
                  <Alert type="error" showIcon style={{ marginBottom: 12 }} title={own.map((e) => problemInWords(e, lang)).join(' ')} />
                )}
                <RuleEditor rule={rule} index={index} errors={ruleErrors} disabled={disabled} onChange={(r) => setRule(index, r)} usedItemIds={usedItemIds} />
              </div>
            ),
          };
        })}
      />
      {!disabled && (
        <Button type="dashed" block style={{ marginTop: 12 }} onClick={addRule} data-testid="rule-add">
          + {m.addRule}
        </Button>
      )}
    </div>
  );
}
