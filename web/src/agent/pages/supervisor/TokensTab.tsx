/**
 * API tokens of the shop (admin, token.manage): create one for a machine with
 * a role (the secret is shown once, in a modal with a copy button — the server
 * keeps only its hash), list them, revoke one at once.
 */
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { roles as allRoles } from '../../../../../src/core/roles.ts';
import { get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { addDays, shanghaiToday } from './dates.ts';
import { matchOption } from './role-search.ts';
import { usersMessages } from './users-messages.ts';

interface TokenInfo {
  id: number;
  actorId: number;
  name: string;
  role: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface TokenForm {
  name: string;
  role: string;
  buyerNick?: string;
  expiresOn?: Dayjs | null;
}

export function TokensTab() {
  const m = useMessages(usersMessages);
  const roleLabels = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const tokens = useLoad((signal) => get<TokenInfo[]>('/tokens', undefined, signal), []);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ name: string; token: string } | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [form] = Form.useForm<TokenForm>();
  const role = Form.useWatch('role', form);
  const today = shanghaiToday();

  const create = async (v: TokenForm) => {
    setBusy(true);
    setFormError(null);
    try {
      // the end of the chosen day in Beijing time
      const expiresAt = v.expiresOn ? new Date(`${v.expiresOn.format('YYYY-MM-DD')}T23:59:59+08:00`).toISOString() : undefined;
      const issued = await post<{ token: string; info: TokenInfo }>(
        '/tokens',
        { name: v.name.trim(), role: v.role, ...(v.role === 'buyer' ? { buyerNick: v.buyerNick?.trim() } : {}), ...(expiresAt ? { expiresAt } : {}) },
        newIdempotencyKey(),
      );
      setCreating(false);
      form.resetFields();
      setSecret({ name: issued.info.name, token: issued.token });
      tokens.reload();
    } catch (err) {
      setFormError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (t: TokenInfo) => {
    setListError(null);
    try {
      await post(`/tokens/${t.id}/revoke`, {}, newIdempotencyKey());
      message.success(m.revokedDone);
      tokens.reload();
    } catch (err) {
      setListError(errorText(err, lang));
    }
  };

  const now = Date.now();
  return (
    <div>
      <Typography.Paragraph type="secondary">{m.tokensIntro}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="token-new">
          {m.newToken}
        </Button>
      </Space>
      {tokens.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(tokens.error, lang)} />}
      {listError && <Alert type="error" showIcon title={listError} closable onClose={() => setListError(null)} style={{ marginBottom: 8 }} />}
      <Table<TokenInfo>
        size="small"
        rowKey="id"
        loading={tokens.loading}
        dataSource={[...(tokens.data ?? [])].reverse()}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="tokens-table"
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: m.tokenName, dataIndex: 'name' },
          { title: m.role, dataIndex: 'role', render: (r: string) => roleLabels[r] ?? r },
          { title: m.createdAt, dataIndex: 'createdAt', render: (at: string) => dateTime(at, lang) },
          { title: m.expiresAt, dataIndex: 'expiresAt', render: (at: string | null) => (at ? dateTime(at, lang) : m.never) },
          {
            title: m.status,
            key: 'status',
            render: (_, t) =>
              t.revokedAt ? (
                <Tag>{m.revoked}</Tag>
              ) : t.expiresAt && Date.parse(t.expiresAt) <= now ? (
                <Tag color="orange">{m.expired}</Tag>
              ) : (
                <Tag color="green">{m.valid}</Tag>
              ),
          },
          {
            title: m.actions,
            key: 'actions',
            render: (_, t) =>
              t.revokedAt ? null : (
                <Popconfirm title={fmt(m.confirmRevoke, { name: t.name })} okText={m.revoke} cancelText={m.cancel} okButtonProps={{ danger: true }} onConfirm={() => revoke(t)}>
                  <Button type="link" danger size="small" aria-label={`${m.revoke} ${t.name}`}>
                    {m.revoke}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />

      <Modal
        open={creating}
        title={m.newToken}
        okText={m.create}
        cancelText={m.cancel}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => {
          setCreating(false);
          setFormError(null);
        }}
        forceRender
      >
        <Form<TokenForm> form={form} name="token" layout="vertical" onFinish={(v) => void create(v)} data-testid="token-form">
          <Form.Item name="name" label={m.tokenName} extra={m.tokenNameHelp} rules={[{ required: true, whitespace: true, max: 64, message: m.tokenNameRequired }]}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item name="role" label={m.role} rules={[{ required: true, message: m.roleRequired }]}>
            <Select showSearch={{ filterOption: matchOption }} options={allRoles.map((r) => ({ value: r, label: roleLabels[r] ?? r }))} />
          </Form.Item>
          {role === 'buyer' && (
            <Form.Item name="buyerNick" label={m.buyerNick} rules={[{ required: true, whitespace: true, max: 64, message: m.buyerNickRequired }]}>
              <Input maxLength={64} />
            </Form.Item>
          )}
          <Form.Item
            name="expiresOn"
            label={m.expiresAt}
            extra={m.expiresAtHelp}
            rules={[
              {
                validator: (_, v: Dayjs | null | undefined) =>
                  !v || v.format('YYYY-MM-DD') > today ? Promise.resolve() : Promise.reject(new Error(m.expiresInPast)),
              },
            ]}
          >
            <DatePicker
              disabledDate={(d) => d.format('YYYY-MM-DD') <= today || d.isAfter(dayjs(addDays(today, 3650)))}
              style={{ width: 200 }}
            />
          </Form.Item>
          {formError && <Alert type="error" showIcon title={formError} role="alert" />}
          <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
        </Form>
      </Modal>

      <Modal
        open={secret !== null}
        title={m.secretTitle}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        // shown once: gone from the page (not just hidden) once closed
        destroyOnHidden
        footer={
          <Button type="primary" onClick={() => setSecret(null)} data-testid="token-secret-done">
            {m.secretDone}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={m.secretWarning} style={{ marginBottom: 12 }} />
        {secret && (
          <div>
            <Typography.Text strong>{fmt(m.secretLabel, { name: secret.name })}</Typography.Text>
            <Typography.Paragraph
              code
              copyable={{ text: secret.token, tooltips: [m.copy, m.copied] }}
              style={{ wordBreak: 'break-all', marginTop: 8, fontSize: 14 }}
              data-testid="token-secret"
            >
              {secret.token}
            </Typography.Paragraph>
          </div>
        )}
      </Modal>
    </div>
  );
}
