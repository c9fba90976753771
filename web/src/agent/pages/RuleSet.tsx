/**
 * S1: the shop's rule set (its SOP as data). The supervisor edits the YAML,
 * imports a file, saves it as a new version (PUT /rule-set {text}); a
 * RULE_SET_INVALID answer lists the wrong lines, shown beside the editor and
 * marked in its gutter. Older versions can be viewed, downloaded and restored.
 * Every other role reads it.
 */
import { Alert, App as AntApp, Button, Card, Col, Collapse, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { ApiError, get, put } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { templateLabels } from '../../../../src/core/workbench/templates.ts';
import { fmt, labelOf, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { CodeEditor, type CodeEditorHandle } from './supervisor/CodeEditor.tsx';
import { ruleSetMessages } from './supervisor/ruleset-messages.ts';
import { RuleSetVersions } from './supervisor/RuleSetVersions.tsx';

interface RuleSummary {
  id: string;
  title: string;
  checklist?: unknown[];
  guards?: string[];
  templates?: string[];
}

interface CurrentRuleSet {
  version: number;
  name: string;
  text: string;
  ruleSet: { name: string; rules: RuleSummary[] };
}

/** One problem the parser found (src/core/playbook/rule-set-parser.ts). */
interface RuleSetError {
  line: number;
  column?: number;
  path?: string;
  message: string;
}

const MAX_CHARS = 200_000;

export default function RuleSet() {
  const m = useMessages(ruleSetMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const { message, modal } = AntApp.useApp();
  const canEdit = session.role === 'supervisor';
  const [refreshKey, setRefreshKey] = useState(0);
  const [draft, setDraft] = useState<string | null>(null);
  const [lineErrors, setLineErrors] = useState<RuleSetError[]>([]);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editor = useRef<CodeEditorHandle | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);

  const current = useLoad((signal) => get<CurrentRuleSet>('/rule-set', undefined, signal), [refreshKey]);
  const text = draft ?? current.data?.text ?? '';
  const dirty = draft !== null && draft !== current.data?.text;

  const errorLines = useMemo(() => {
    const map = new Map<number, string>();
    for (const e of lineErrors) map.set(e.line, map.has(e.line) ? `${map.get(e.line)}\n${e.message}` : e.message);
    return map;
  }, [lineErrors]);

  /** Replaces the editor's text, asking first when it holds unsaved changes. */
  const replaceDraft = (next: string, note: string) => {
    const apply = () => {
      setDraft(next);
      setLineErrors([]);
      setSaveError(null);
      setNotice(note);
    };
    if (dirty) modal.confirm({ title: m.confirmDiscard, okText: m.ok, cancelText: m.cancel, onOk: apply });
    else apply();
  };

  const importFile = async (file: File) => {
    try {
      replaceDraft(await file.text(), fmt(m.imported, { name: file.name }));
    } catch {
      setSaveError(m.importFailed);
    }
  };

  const save = async () => {
    setNotice(null);
    setSaveError(null);
    // checked here first: the server would refuse these with a less helpful answer
    if (!text.trim()) return setSaveError(m.emptyText);
    if (text.length > MAX_CHARS) return setSaveError(m.tooLong);
    if (!dirty) return setNotice(m.nothingChanged);
    setSaving(true);
    try {
      const saved = await put<{ version: number; name: string }>('/rule-set', { text });
      setLineErrors([]);
      setDraft(null);
      setRefreshKey((k) => k + 1);
      message.success(fmt(m.saved, saved));
      setNotice(fmt(m.saved, saved));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RULE_SET_INVALID') {
        const errors = ((err.details.errors as RuleSetError[] | undefined) ?? []).filter((e) => typeof e.line === 'number');
        setLineErrors(errors);
        if (errors[0]) editor.current?.goToLine(errors[0].line);
        // the lines are listed below; the summary without them
        setSaveError(errorText(errors.length ? new ApiError(err.status, err.code, '') : err, lang));
      } else {
        setLineErrors([]);
        setSaveError(errorText(err, lang));
      }
    } finally {
      setSaving(false);
    }
  };

  const rules = current.data?.ruleSet.rules ?? [];

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title={m.readOnly} style={{ marginBottom: 12 }} />}
      {current.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(current.error, lang)} style={{ marginBottom: 12 }} />}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={16}>
          <Card
            size="small"
            loading={current.loading && !current.data}
            title={
              current.data && (
                <Space wrap>
                  <span>{current.data.name}</span>
                  <Tag color="green" data-testid="rule-set-version">
                    {m.current}: {current.data.version === 0 ? m.defaultVersion : fmt(m.versionLabel, { version: current.data.version })}
                  </Tag>
                  {dirty && <Tag color="orange">{m.unsaved}</Tag>}
                </Space>
              )
            }
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {fmt(m.lines, { n: text.split('\n').length })}
              </Typography.Text>
            }
          >
            {canEdit && (
              <Space wrap className="no-print" style={{ marginBottom: 8 }}>
                <Button type="primary" onClick={() => void save()} loading={saving} data-testid="rule-set-save">
                  {saving ? m.saving : m.save}
                </Button>
                <Button onClick={() => fileInput.current?.click()}>{m.importFile}</Button>
                <input
                  ref={fileInput}
                  type="file"
                  accept=".yaml,.yml,.json,.txt,text/yaml,application/json,text/plain"
                  aria-label={m.importFileLabel}
                  data-testid="rule-set-file"
                  style={{ display: 'none' }}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    e.target.value = '';
                    if (file) void importFile(file);
                  }}
                />
                <Button href="/api/v1/rule-set?format=yaml">{m.exportYaml}</Button>
                <Button
                  disabled={!dirty}
                  onClick={() => {
                    setDraft(null);
                    setLineErrors([]);
                    setSaveError(null);
                    setNotice(null);
                  }}
                >
                  {m.revert}
                </Button>
              </Space>
            )}
            {!canEdit && (
              <Space className="no-print" style={{ marginBottom: 8 }}>
                <Button href="/api/v1/rule-set?format=yaml">{m.exportYaml}</Button>
              </Space>
            )}
            {notice && <Alert type="info" showIcon title={notice} closable onClose={() => setNotice(null)} style={{ marginBottom: 8 }} />}
            <CodeEditor
              ref={editor}
              id="rule-set-text"
              value={text}
              onChange={canEdit ? setDraft : undefined}
              readOnly={!canEdit}
              errorLines={errorLines}
              ariaLabel={m.editorLabel}
              ariaDescribedBy={lineErrors.length ? 'rule-set-errors' : undefined}
              testId="rule-set-editor"
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" style={{ width: '100%' }} size={12}>
            {canEdit && (
              <Card size="small" title={lineErrors.length ? fmt(m.errorsTitle, { n: lineErrors.length }) : undefined}>
                {saveError && (
                  <Alert type="error" showIcon title={saveError} role="alert" style={{ marginBottom: lineErrors.length ? 8 : 0 }} data-testid="rule-set-error" />
                )}
                {lineErrors.length > 0 ? (
                  <div id="rule-set-errors">
                    <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                      {m.errorsIntro}
                    </Typography.Paragraph>
                    <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="rule-set-line-errors">
                      {lineErrors.map((e, i) => (
                        <li key={i} style={{ padding: '6px 0', borderTop: i ? '1px solid #f0f0f0' : undefined }}>
                          <Button
                            type="link"
                            size="small"
                            style={{ padding: 0, fontWeight: 600 }}
                            onClick={() => editor.current?.goToLine(e.line)}
                            aria-label={fmt(m.goToLine, { line: e.line })}
                          >
                            {fmt(m.lineN, { line: e.line })}
                            {e.column ? `, ${fmt(m.column, { column: e.column })}` : ''}
                          </Button>{' '}
                          {e.path ? <Typography.Text code>{e.path}</Typography.Text> : null}
                          <div>{e.message}</div>
                        </li>
                      ))}
                    </ol>
                  </div>
                ) : (
                  !saveError && <Typography.Text type="secondary">{m.noErrors}</Typography.Text>
                )}
              </Card>
            )}
            <RuleSetVersions
              currentVersion={current.data?.version ?? -1}
              refreshKey={refreshKey}
              canRestore={canEdit}
              onRestore={(restored, version) => replaceDraft(restored, fmt(m.loadedVersion, { version }))}
            />
          </Space>
        </Col>
        <Col span={24}>
          <Collapse
            items={[
              {
                key: 'outline',
                label: fmt(m.outline, { n: rules.length }),
                children: (
                  <Table<RuleSummary>
                    size="small"
                    rowKey="id"
                    dataSource={rules}
                    pagination={{ pageSize: 20, size: 'small', hideOnSinglePage: true }}
                    columns={[
                      { title: m.ruleId, dataIndex: 'id', width: 110 },
                      { title: m.ruleTitle, dataIndex: 'title' },
                      { title: m.checklist, key: 'checklist', width: 70, render: (_, r) => r.checklist?.length ?? 0 },
                      {
                        title: m.guards,
                        key: 'guards',
                        render: (_, r) =>
                          (r.guards ?? []).map((g) => (
                            <Tooltip key={g} title={errorText(new ApiError(409, g, ''), lang)}>
                              <Tag tabIndex={0}>{g}</Tag>
                            </Tooltip>
                          )),
                      },
                      {
                        title: m.templates,
                        key: 'templates',
                        render: (_, r) =>
                          (r.templates ?? []).map((t) => (
                            <Tag key={t} title={t}>
                              {labelOf(templateLabels[t as keyof typeof templateLabels], lang, t)}
                            </Tag>
                          )),
                      },
                    ]}
                  />
                ),
              },
            ]}
          />
        </Col>
      </Row>
    </div>
  );
}
