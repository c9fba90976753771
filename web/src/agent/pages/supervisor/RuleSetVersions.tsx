/** The rule set's saved versions (newest first, then the built-in default), each to view, download or restore. */
import { Alert, Button, Card, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, withQuery } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { CodeEditor } from './CodeEditor.tsx';
import { ruleSetMessages } from './ruleset-messages.ts';

export interface RuleSetVersion {
  version: number;
  name: string;
  createdAt: string | null;
  actorId: number | null;
}

interface RuleSetAnswer {
  version: number;
  name: string;
  text: string;
}

export function RuleSetVersions({
  currentVersion,
  refreshKey,
  canRestore,
  onRestore,
}: {
  currentVersion: number;
  /** changes when a new version was saved */
  refreshKey: number;
  canRestore: boolean;
  onRestore: (text: string, version: number) => void;
}) {
  const m = useMessages(ruleSetMessages);
  const { lang } = useLang();
  const versions = useLoad((signal) => get<RuleSetVersion[]>('/rule-set/versions', undefined, signal), [refreshKey]);
  const [viewing, setViewing] = useState<number | null>(null);
  const shown = useLoad(
    (signal) => (viewing === null ? Promise.resolve(null) : get<RuleSetAnswer>('/rule-set', { version: viewing }, signal)),
    [viewing],
  );
  // the answer of the version being viewed (not the previous one while the next loads)
  const data = shown.data && shown.data.version === viewing ? shown.data : null;
  const rows: RuleSetVersion[] = [...(versions.data ?? []), { version: 0, name: m.defaultVersion, createdAt: null, actorId: null }];

  return (
    <Card title={m.versions} size="small" data-testid="rule-set-versions">
      {versions.error !== undefined && <Alert type="error" showIcon title={errorText(versions.error, lang)} />}
      <Table<RuleSetVersion>
        size="small"
        rowKey="version"
        loading={versions.loading}
        dataSource={rows}
        pagination={{ pageSize: 10, size: 'small', hideOnSinglePage: true }}
        columns={[
          {
            title: m.version,
            dataIndex: 'version',
            render: (v: number) => (
              <Space size={4}>
                <span>v{v}</span>
                {v === currentVersion && <Tag color="green">{m.current}</Tag>}
              </Space>
            ),
          },
          { title: m.name, dataIndex: 'name', ellipsis: true },
          {
            title: m.savedAt,
            dataIndex: 'createdAt',
            render: (at: string | null, r) => (at ? dateTime(at, lang) : '—') + (r.version > 0 && r.actorId === null ? ` · ${m.system}` : ''),
          },
          {
            title: '',
            key: 'actions',
            render: (_, r) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => setViewing(r.version)} aria-label={`${m.view} v${r.version}`}>
                  {m.view}
                </Button>
                <Button size="small" type="link" href={withQuery('/api/v1/rule-set', { version: r.version, format: 'yaml' })} aria-label={`${m.download} v${r.version}`}>
                  {m.download}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={viewing !== null}
        width={900}
        title={viewing === 0 ? m.viewDefaultTitle : data ? fmt(m.viewTitle, { version: data.version, name: data.name }) : m.view}
        onCancel={() => setViewing(null)}
        footer={[
          canRestore && viewing !== null && viewing !== currentVersion && data ? (
            <Button
              key="restore"
              onClick={() => {
                onRestore(data.text, data.version);
                setViewing(null);
              }}
            >
              {m.loadIntoEditor}
            </Button>
          ) : null,
          <Button key="close" type="primary" onClick={() => setViewing(null)}>
            {m.close}
          </Button>,
        ]}
      >
        {shown.error !== undefined && <Alert type="error" showIcon title={errorText(shown.error, lang)} />}
        {data && <CodeEditor value={data.text} readOnly ariaLabel={fmt(m.viewTitle, { version: data.version, name: data.name })} height="60vh" />}
      </Modal>
    </Card>
  );
}
