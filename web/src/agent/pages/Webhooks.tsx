/**
 * 对外通知（Webhook） (admin, webhook.manage; issue 14 §3): the shop's endpoints (GET /webhooks), each
 * with the notices it gets and its status — why it is off and what to do; add one (its signing secret
 * shown once), change it, turn it off or on, give it a new secret (shown once), delete it; and each
 * one's delivery log in a drawer with 重新发送 and 发送测试通知.
 */
import { Alert, App as AntApp, Button, Card, Empty, Modal, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { get } from '../../shared/api.ts';
import { errorText } from '../../shared/errors.ts';
import { useLang, useMessages } from '../../shared/i18n.tsx';
import { useLoad } from '../../shared/use-api.ts';
import { DeliveriesDrawer } from './webhooks/DeliveriesDrawer.tsx';
import { EndpointCard } from './webhooks/EndpointCard.tsx';
import { EndpointForm } from './webhooks/EndpointForm.tsx';
import { webhookMessages } from './webhooks/messages.ts';
import type { Endpoint } from './webhooks/model.ts';
import { SecretModal, type ShownSecret } from './webhooks/SecretModal.tsx';

export default function Webhooks() {
  const m = useMessages(webhookMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const loaded = useLoad((signal) => get<Endpoint[]>('/webhooks', undefined, signal), []);
  // 'new', or the endpoint being changed
  const [editing, setEditing] = useState<'new' | Endpoint | null>(null);
  const [logOf, setLogOf] = useState<number | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const endpoints = loaded.data;
  // the drawer shows the endpoint as it is now (turned on or off meanwhile)
  const logged = endpoints?.find((e) => e.id === logOf) ?? null;

  return (
    <div data-testid="webhooks-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', alignItems: 'baseline' }} wrap>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {m.title}
        </Typography.Title>
        <Space>
          <Button onClick={loaded.reload} loading={loaded.loading && endpoints !== undefined}>
            {m.reload}
          </Button>
          <Button type="primary" onClick={() => setEditing('new')} data-testid="endpoint-add">
            {m.add}
          </Button>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary" style={{ maxWidth: 860 }}>
        {m.intro}
      </Typography.Paragraph>
      {loaded.error !== undefined && (
        <Alert type="error" showIcon title={m.loadFailed} description={errorText(loaded.error, lang)} style={{ marginBottom: 12 }} action={<Button onClick={loaded.reload}>{m.reload}</Button>} />
      )}
      {endpoints === undefined ? (
        loaded.error === undefined && <Spin style={{ margin: 48 }} aria-label={m.loading} />
      ) : endpoints.length === 0 ? (
        <Card size="small">
          <Empty description={<Typography.Text strong>{m.empty}</Typography.Text>} data-testid="webhooks-empty">
            <Typography.Paragraph type="secondary" style={{ maxWidth: 520, margin: '0 auto 16px' }}>
              {m.emptyText}
            </Typography.Paragraph>
            <Button type="primary" onClick={() => setEditing('new')}>
              {m.add}
            </Button>
          </Empty>
        </Card>
      ) : (
        endpoints.map((ep) => (
          <EndpointCard
            key={ep.id}
            endpoint={ep}
            onChanged={loaded.reload}
            onEdit={() => setEditing(ep)}
            onLog={() => setLogOf(ep.id)}
            onSecret={(s) => setSecret({ url: ep.url, secret: s, rotated: true })}
          />
        ))
      )}

      <Modal open={editing !== null} title={editing === 'new' ? m.addTitle : m.editTitle} onCancel={() => setEditing(null)} footer={null} destroyOnHidden width={720}>
        {editing !== null && (
          <EndpointForm
            endpoint={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved) => {
              setEditing(null);
              if (saved.secret) setSecret({ url: saved.endpoint.url, secret: saved.secret, rotated: false });
              else message.success(m.saved);
              loaded.reload();
            }}
          />
        )}
      </Modal>

      <SecretModal shown={secret} onDone={() => setSecret(null)} />
      <DeliveriesDrawer
        endpoint={logged}
        onClose={() => {
          setLogOf(null);
          // the log may have changed how the endpoint is doing (a delivery through clears its failure)
          loaded.reload();
        }}
      />
    </div>
  );
}
