/**
 * S1: the shop's rule set (its SOP as data). The supervisor edits it as a form
 * (issue 15 §4: rules by refund type × reason, every choice by its Chinese
 * name) or, for power users, as YAML (import a file, paste, export); either
 * way it is saved as a new version (PUT /rule-set {text}). Errors are checked
 * in the page with the server's own parser first, then by the server; each is
 * worded in the page's language: beside its field in the form, "第 N 行：…" in
 * the YAML editor (marked in its gutter). Older versions can be viewed,
 * downloaded and restored. Every other role reads it.
 */
import { Alert, App as AntApp, Button, Card, Col, Row, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import type { RuleSet as RuleSetDocument } from '../../../../src/core/playbook/rule-set.ts';
import { parseRuleSet } from '../../../../src/core/playbook/rule-set-parser.ts';
import { ApiError, get, put } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../shared/i18n.tsx';
import { useSignedIn } from '../../shared/session.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { CodeEditor, type CodeEditorHandle } from './supervisor/CodeEditor.tsx';
import { ruleSetMessages } from './supervisor/ruleset-messages.ts';
import { RuleSetVersions } from './supervisor/RuleSetVersions.tsx';
import { RuleSetForm } from './supervisor/RuleSetForm.tsx';
import { fieldErrorText, lineErrorText, parsePath, pathInWords, problemInWords, type RuleSetProblem } from './supervisor/rule-set-errors.ts';
import { ruleSetText } from './supervisor/rule-set-form-model.ts';

interface CurrentRuleSet {
  version: number;
  name: string;
  text: string;
  ruleSet: RuleSetDocument;
}

type Mode = 'form' | 'yaml';

const MAX_CHARS = 200_000;

export default function RuleSet() {
  const m = useMessages(ruleSetMessages);
  const { lang } = useLang();
  const session = useSignedIn();
  const { message, modal } = AntApp.useApp();
  const canEdit = session.role === 'supervisor';
  const [refreshKey, setRefreshKey] = useState(0);
  const [mode, setMode] = useState<Mode>('form');
  const [draft, setDraft] = useState<string | null>(null);
  const [formDraft, setFormDraft] = useState<RuleSetDocument | null>(null);
  const [openRules, setOpenRules] = useState<number[]>([]);
  /** the problems of the last check, and which editor they are about */
  const [problems, setProblems] = useState<{ mode: Mode; list: RuleSetProblem[] }>({ mode: 'yaml', list: [] });
  const [saveError, setSaveError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editor = useRef<CodeEditorHandle | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);

  const current = useLoad((signal) => get<CurrentRuleSet>('/rule-set', undefined, signal), [refreshKey]);
  const text = draft ?? current.data?.text ?? '';
  const formValue = formDraft ?? current.data?.ruleSet ?? null;
  const dirty = formDraft !== null || (draft !== null && draft !== current.data?.text);
  const lineErrors = useMemo(() => (problems.mode === 'yaml' ? problems.list : []), [problems]);
  const formErrors = useMemo(() => (problems.mode === 'form' ? problems.list : []), [problems]);
  const ruleIds = (formValue?.rules ?? []).map((r) => r.id);

  const errorLines = useMemo(() => {
    const map = new Map<number, string>();
    for (const e of lineErrors) {
      const words = lineErrorText(e, lang);
      map.set(e.line, map.has(e.line) ? `${map.get(e.line)}\n${words}` : words);
    }
    return map;
  }, [lineErrors, lang]);

  /** Replaces the draft, asking first when it holds unsaved changes. */
  const replaceDraft = (next: string, note: string) => {
    const apply = () => {
      setDraft(next);
      const parsed = parseRuleSet(next);
      setFormDraft(parsed.ok ? parsed.ruleSet : null);
      setProblems({ mode: 'yaml', list: [] });
      setSaveError(null);
      setNotice(note);
      // a text that does not parse can only be fixed in the YAML editor
      if (!parsed.ok) setMode('yaml');
    };
    if (dirty) modal.confirm({ title: m.confirmDiscard, okText: m.ok, cancelText: m.cancel, onOk: apply });
    else apply();
  };

  const discard = () => {
    setDraft(null);
    setFormDraft(null);
    setProblems({ mode, list: [] });
    setSaveError(null);
    setNotice(null);
  };

  /** Form → YAML writes the form's rule set as text; YAML → form reads the text, when it is valid. */
  const switchTo = (next: Mode) => {
    if (next === mode) return;
    if (next === 'yaml') {
      if (formDraft) setDraft(ruleSetText(formDraft));
      setProblems({ mode: 'yaml', list: [] });
      setSaveError(null);
      setMode('yaml');
      return;
    }
    if (draft !== null && current.data && draft !== current.data.text) {
      const parsed = parseRuleSet(draft);
      if (!parsed.ok) {
        setProblems({ mode: 'yaml', list: parsed.errors });
        setSaveError(m.switchBlocked);
        if (parsed.errors[0]) editor.current?.goToLine(parsed.errors[0].line);
        return;
      }
      setFormDraft(parsed.ruleSet);
      setNotice(m.yamlChanged);
    }
    setProblems({ mode: 'form', list: [] });
    setSaveError(null);
    setMode('form');
  };

  const importFile = async (file: File) => {
    try {
      replaceDraft(await file.text(), fmt(m.imported, { name: file.name }));
    } catch {
      setSaveError(m.importFailed);
    }
  };

  /** The rules a list of problems is about, opened in the form. */
  const openRulesOf = (list: readonly RuleSetProblem[]) => {
    const indexes = list.map((e) => parsePath(e.path ?? '')).filter((p) => p[0] === 'rules' && typeof p[1] === 'number').map((p) => p[1] as number);
    if (indexes.length) setOpenRules((open) => [...new Set([...open, ...indexes])]);
  };

  const showProblems = (from: Mode, list: RuleSetProblem[]) => {
    setProblems({ mode: from, list });
    if (from === 'form') openRulesOf(list);
    else if (list[0]) editor.current?.goToLine(list[0].line);
  };

  const save = async () => {
    setNotice(null);
    setSaveError(null);
    const from = mode;
    const body = from === 'form' ? (formValue ? ruleSetText(formValue) : '') : text;
    // checked here first: the server would refuse these with a less helpful answer
    if (!body.trim()) return setSaveError(m.emptyText);
    if (body.length > MAX_CHARS) return setSaveError(m.tooLong);
    if (!dirty) return setNotice(m.nothingChanged);
    // the server's own parser, run here: the same errors at once, without a round trip
    const checked = parseRuleSet(body);
    if (!checked.ok) {
      showProblems(from, checked.errors);
      return;
    }
    setSaving(true);
    try {
      const saved = await put<{ version: number; name: string }>('/rule-set', { text: body });
      setProblems({ mode: from, list: [] });
      setDraft(null);
      setFormDraft(null);
      setRefreshKey((k) => k + 1);
      message.success(fmt(m.saved, saved));
      setNotice(fmt(m.saved, saved));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'RULE_SET_INVALID') {
        const errors = ((err.details.errors as RuleSetProblem[] | undefined) ?? []).filter((e) => typeof e.line === 'number');
        showProblems(from, errors);
        // the problems are listed; the summary without them
        if (!errors.length) setSaveError(errorText(err, lang));
      } else {
        setProblems({ mode: from, list: [] });
        setSaveError(errorText(err, lang));
      }
    } finally {
      setSaving(false);
    }
  };

  const toolbar = canEdit ? (
    <Space wrap className="no-print" style={{ marginBottom: 8 }}>
      <Button type="primary" onClick={() => void save()} loading={saving} data-testid="rule-set-save">
        {saving ? m.saving : m.save}
      </Button>
      <Button disabled={!dirty} onClick={discard}>
        {m.revert}
      </Button>
    </Space>
  ) : null;

  const errorCard = canEdit && (saveError || problems.list.length > 0) && (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 12 }}
      data-testid="rule-set-error"
      title={saveError ?? (mode === 'form' ? fmt(m.formErrorsTitle, { n: problems.list.length }) : fmt(m.errorsTitle, { n: problems.list.length }))}
      description={
        problems.list.length > 0 && problems.mode === 'form' ? (
          <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="rule-set-form-errors">
            {problems.list.map((e, i) => (
              <li key={i}>{fieldErrorText(e, lang, ruleIds)}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );

  const formTab = formValue && (
    <div>
      <Typography.Paragraph type="secondary">{m.formHint}</Typography.Paragraph>
      {toolbar}
      <RuleSetForm
        value={formValue}
        onChange={(next) => {
          setFormDraft(next);
          setDraft(null);
        }}
        errors={formErrors}
        disabled={!canEdit}
        openRules={openRules}
        onOpenRules={setOpenRules}
      />
      {canEdit && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
          {m.formSavedNote}
        </Typography.Paragraph>
      )}
    </div>
  );

  const yamlTab = (
    <div>
      <Typography.Paragraph type="secondary">{m.yamlHint}</Typography.Paragraph>
      <Space wrap className="no-print" style={{ marginBottom: 8 }}>
        {toolbar}
        {canEdit && (
          <>
            <Button onClick={() => fileInput.current?.click()} style={{ marginBottom: 8 }}>
              {m.importFile}
            </Button>
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
          </>
        )}
        <Button href="/api/v1/rule-set?format=yaml" style={{ marginBottom: 8 }}>
          {m.exportYaml}
        </Button>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {fmt(m.lines, { n: text.split('\n').length })}
        </Typography.Text>
      </Space>
      <CodeEditor
        ref={editor}
        id="rule-set-text"
        value={text}
        onChange={
          canEdit
            ? (next) => {
                setDraft(next);
                setFormDraft(null);
              }
            : undefined
        }
        readOnly={!canEdit}
        errorLines={errorLines}
        ariaLabel={m.editorLabel}
        ariaDescribedBy={lineErrors.length ? 'rule-set-errors' : undefined}
        testId="rule-set-editor"
      />
    </div>
  );

  return (
    <div>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {m.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{m.intro}</Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title={m.readOnly} style={{ marginBottom: 12 }} />}
      {current.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(current.error, lang)} style={{ marginBottom: 12 }} />}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={mode === 'yaml' ? 16 : 24} xxl={mode === 'yaml' ? 16 : 18}>
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
          >
            {notice && <Alert type="info" showIcon title={notice} closable onClose={() => setNotice(null)} style={{ marginBottom: 8 }} />}
            {errorCard}
            <Tabs
              activeKey={mode}
              destroyOnHidden
              onChange={(key) => switchTo(key as Mode)}
              items={[
                { key: 'form', label: m.tabForm, children: formTab },
                { key: 'yaml', label: m.tabYaml, children: yamlTab },
              ]}
              data-testid="rule-set-tabs"
            />
          </Card>
        </Col>
        <Col xs={24} xl={mode === 'yaml' ? 8 : 24} xxl={mode === 'yaml' ? 8 : 6}>
          <Space orientation="vertical" style={{ width: '100%' }} size={12}>
            {canEdit && mode === 'yaml' && (
              <Card size="small" title={lineErrors.length ? fmt(m.errorsTitle, { n: lineErrors.length }) : undefined}>
                {lineErrors.length > 0 ? (
                  <div id="rule-set-errors">
                    <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
                      {m.errorsIntro}
                    </Typography.Paragraph>
                    <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="rule-set-line-errors">
                      {lineErrors.map((e, i) => {
                        const path = parsePath(e.path ?? '');
                        return (
                          <li key={i} style={{ padding: '6px 0', borderTop: i ? '1px solid #f0f0f0' : undefined }}>
                            <Button
                              type="link"
                              size="small"
                              style={{ padding: 0, fontWeight: 600, height: 'auto' }}
                              onClick={() => editor.current?.goToLine(e.line)}
                              aria-label={fmt(m.goToLine, { line: e.line })}
                            >
                              {fmt(m.lineN, { line: e.line })}
                            </Button>
                            {lang === 'zh-CN' ? '：' : ': '}
                            {path.length > 0 && (
                              <Typography.Text type="secondary">
                                {pathInWords(path, lang, ruleIds)}
                                {lang === 'zh-CN' ? '：' : ': '}
                              </Typography.Text>
                            )}
                            <div>{problemInWords(e, lang)}</div>
                          </li>
                        );
                      })}
                    </ol>
                  </div>
                ) : (
                  <Typography.Text type="secondary">{m.noErrors}</Typography.Text>
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
      </Row>
    </div>
  );
}
