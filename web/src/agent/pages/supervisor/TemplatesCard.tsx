/**
 * The Wangwang message templates, read-only: GET /templates lists them; their
 * wording is built in (src/core/workbench/templates.ts, from the SOP's own
 * words) and which step offers which one is the rule set's `templates`.
 */
import { Alert, Card, Collapse, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { templateTexts } from '../../../../../src/core/workbench/templates.ts';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { settingsMessages } from './settings-messages.ts';

interface TemplateInfo {
  key: string;
  label: { 'zh-CN': string; en: string };
  placeholders: string[];
}

/** The text with its {placeholders} marked. */
function Highlighted({ text }: { text: string }) {
  const parts = text.split(/(\{\w+\})/g);
  return (
    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
      {parts.map((p, i) =>
        /^\{\w+\}$/.test(p) ? (
          <Typography.Text key={i} code>
            {p}
          </Typography.Text>
        ) : (
          <span key={i}>{p}</span>
        ),
      )}
    </Typography.Paragraph>
  );
}

export function TemplatesCard({ canEditRuleSet }: { canEditRuleSet: boolean }) {
  const m = useMessages(settingsMessages);
  const { lang } = useLang();
  const { data, error, loading } = useLoad((signal) => get<TemplateInfo[]>('/templates', undefined, signal), []);
  const texts = templateTexts as Record<string, string>;

  return (
    <Card title={m.templates} size="small" loading={loading && !data} data-testid="templates">
      <Alert
        type="info"
        showIcon
        title={m.templatesIntro}
        action={canEditRuleSet ? <Link to="/rule-set">{m.goRuleSet}</Link> : undefined}
        style={{ marginBottom: 12 }}
      />
      {error !== undefined && <Alert type="error" showIcon title={errorText(error, lang)} />}
      <Collapse
        items={(data ?? []).map((t) => ({
          key: t.key,
          label: (
            <Space wrap>
              <span>{labelOf(t.label, lang)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t.key}
              </Typography.Text>
            </Space>
          ),
          children: (
            <div>
              {texts[t.key] ? <Highlighted text={texts[t.key]!} /> : null}
              <div style={{ marginTop: 8 }}>
                <Typography.Text type="secondary">{m.placeholders}: </Typography.Text>
                {[...new Set((texts[t.key] ?? '').match(/\{\w+\}/g) ?? [])].map((p) => (
                  <Tag key={p}>{p}</Tag>
                ))}
              </div>
            </div>
          ),
        }))}
      />
    </Card>
  );
}
