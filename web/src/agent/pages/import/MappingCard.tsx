/**
 * 第二步：核对表头 — for a file whose headers match no known layout (or when the
 * person wants to check them): each field of the report, the file's column for
 * it (required ones marked), and the choice to remember the mapping by name
 * for the shop's next file of that layout.
 */
import { Alert, Button, Card, Checkbox, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { importMessages } from './messages.ts';
import type { ImportJob, ImportPreset } from './model.ts';

type Field = ImportPreset['fields'][number];

export function MappingCard({ job, preset, busy, onSubmit }: { job: ImportJob; preset: ImportPreset; busy: boolean; onSubmit: (mapping: Record<string, string>, saveAs: string | undefined) => void }) {
  const m = useMessages(importMessages);
  const { lang } = useLang();
  const [mapping, setMapping] = useState<Record<string, string>>(job.mapping);
  const [save, setSave] = useState(false);
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const options = useMemo(
    () => job.headers.map((h, i) => ({ value: h, label: h || `#${i + 1}`, disabled: h === '' })).filter((o) => !o.disabled),
    [job.headers],
  );
  // the required ones first, then the rest in the report's order
  const fields = useMemo(() => [...preset.fields.filter((f) => f.required), ...preset.fields.filter((f) => !f.required)], [preset.fields]);
  const missing = preset.fields.filter((f) =>
    f.required === true ? !mapping[f.key] : typeof f.required === 'string' ? !preset.fields.some((g) => g.required === f.required && mapping[g.key]) && preset.fields.find((g) => g.required === f.required) === f : false,
  );
  const used = new Set(Object.values(mapping));
  const nameMissing = save && name.trim() === '';

  const submit = () => {
    setTried(true);
    if (missing.length > 0 || nameMissing) return;
    onSubmit(mapping, save ? name.trim() : undefined);
  };

  const mark = (f: Field) => (typeof f.required === 'string' ? m.oneOfMark : '');
  return (
    <Card size="small" title={m.mappingTitle} data-testid="mapping-card" style={{ marginBottom: 16 }}>
      <Typography.Paragraph>{job.missing.length > 0 ? m.mappingIntro : m.mappingMatched}</Typography.Paragraph>
      <Table<Field>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={fields}
        columns={[
          {
            title: m.field,
            key: 'field',
            width: '40%',
            render: (_, f) => (
              <span>
                {f.required ? <Typography.Text type="danger">* </Typography.Text> : null}
                {labelOf(f.label, lang)}
                <Typography.Text type="secondary">{mark(f)}</Typography.Text>
              </span>
            ),
          },
          {
            title: m.column,
            key: 'column',
            render: (_, f) => (
              <Select
                allowClear
                showSearch
                style={{ width: '100%', maxWidth: 320 }}
                placeholder={m.columnPlaceholder}
                aria-label={`${labelOf(f.label, lang)} · ${m.column}`}
                data-testid={`map-${f.key}`}
                value={mapping[f.key]}
                status={tried && missing.includes(f) ? 'error' : undefined}
                options={options.map((o) => ({ ...o, disabled: used.has(o.value) && mapping[f.key] !== o.value }))}
                onChange={(v: string | undefined) =>
                  setMapping((old) => {
                    const next = { ...old };
                    if (v) next[f.key] = v;
                    else delete next[f.key];
                    return next;
                  })
                }
              />
            ),
          },
        ]}
      />
      <Space orientation="vertical" style={{ marginTop: 12, width: '100%' }}>
        <Checkbox checked={save} onChange={(e) => setSave(e.target.checked)} data-testid="save-mapping">
          {m.saveMapping}
        </Checkbox>
        {save && (
          <Form.Item label={m.mappingName} validateStatus={tried && nameMissing ? 'error' : undefined} help={tried && nameMissing ? m.mappingNameRequired : undefined} style={{ marginBottom: 0 }}>
            <Input value={name} maxLength={60} placeholder={m.mappingNamePlaceholder} onChange={(e) => setName(e.target.value)} style={{ maxWidth: 320 }} data-testid="mapping-name" />
          </Form.Item>
        )}
        {tried && missing.length > 0 && <Alert type="error" showIcon title={fmt(m.missingColumns, { names: missing.map((f) => labelOf(f.label, lang)).join(lang === 'en' ? ', ' : '、') })} />}
        <Button type="primary" onClick={submit} loading={busy} data-testid="start-preview">
          {m.startPreview}
        </Button>
      </Space>
    </Card>
  );
}
