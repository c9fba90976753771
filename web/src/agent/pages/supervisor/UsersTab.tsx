/**
 * The shop's users (admin, user.manage): create one with a role, give an
 * existing user (of another shop) a role here, change the display name, the
 * role (or remove it) and disabled, set a password. Every form is checked
 * before it is sent; POSTs carry one idempotency key per submit.
 */
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useId, useState, type ReactNode } from 'react';
import { staffRoles } from '../../../../../src/core/roles.ts';
import { get, newIdempotencyKey, patch, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { matchOption } from './role-search.ts';
import { usersMessages } from './users-messages.ts';

export interface Invitation {
  id: number;
  username: string;
  role: string;
  status: 'pending' | 'accepted' | 'declined' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string;
}

export interface ShopUser {
  userId: number;
  username: string;
  displayName: string;
  role: string;
  disabled: boolean;
}

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
const REMOVE = '__remove__';

/** Thrown by onSubmit when a confirmation was declined. */
class Cancelled extends Error {}

/** A modal holding one form: OK submits it, the server's error shows inside. */
function FormModal<T extends object>({
  open,
  title,
  okText,
  onClose,
  onSubmit,
  children,
  testId,
}: {
  open: boolean;
  title: string;
  okText: string;
  onClose: () => void;
  /** resolves when done (the modal closes); rejects with the server's error */
  onSubmit: (values: T) => Promise<void>;
  children: ReactNode;
  testId?: string;
}) {
  const { lang } = useLang();
  const m = useMessages(usersMessages);
  const [form] = Form.useForm<T>();
  // a name per form: the fields' ids stay unique while several forms exist
  const name = `f${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finish = async (values: T) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(values);
      onClose();
    } catch (err) {
      // the person said no in a confirmation: the form stays as it is
      if (!(err instanceof Cancelled)) setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={m.cancel}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => setError(null)}
    >
      <Form<T> form={form} name={name} layout="vertical" preserve={false} onFinish={(v) => void finish(v)} data-testid={testId}>
        {children}
        {error && <Alert type="error" showIcon title={error} role="alert" />}
        {/* Enter in a field submits */}
        <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      </Form>
    </Modal>
  );
}

export function UsersTab() {
  const m = useMessages(usersMessages);
  const roles = useMessages(roleNames) as Record<string, string>;
  const session = useSignedIn();
  const { message, modal } = AntApp.useApp();
  const users = useLoad((signal) => get<ShopUser[]>('/users', undefined, signal), []);
  const invitations = useLoad((signal) => get<Invitation[]>('/users/invitations', undefined, signal), []);
  const [dialog, setDialog] = useState<null | { kind: 'create' } | { kind: 'grant' } | { kind: 'edit'; user: ShopUser } | { kind: 'password'; user: ShopUser }>(null);
  const close = () => setDialog(null);
  const roleOptions = staffRoles.map((r) => ({ value: r, label: roles[r] ?? r }));
  const { lang } = useLang();

  /** As the server checks it (src/core/auth): 8–128 characters, not containing the username; "common" only the server knows. */
  const passwordRules = (fixedUsername?: string) => [
    { required: true, message: m.passwordInvalid },
    ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
      validator: (_: unknown, v: string | undefined) => {
        const n = [...(v ?? '')].length;
        if (n < 8 || n > 128) return Promise.reject(new Error(m.passwordInvalid));
        const u = fixedUsername ?? String(getFieldValue('username') ?? '');
        if (u.length >= 3 && (v ?? '').toLowerCase().includes(u.toLowerCase())) return Promise.reject(new Error(m.passwordHasUsername));
        return Promise.resolve();
      },
    }),
  ];
  const confirmRules = [
    { required: true, message: m.passwordMismatch },
    ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
      validator: (_: unknown, v: string | undefined) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(m.passwordMismatch))),
    }),
  ];

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setDialog({ kind: 'create' })} data-testid="user-new">
          {m.newUser}
        </Button>
        <Button onClick={() => setDialog({ kind: 'grant' })}>{m.grantRole}</Button>
      </Space>
      {users.error !== undefined && <Alert type="error" showIcon title={m.loadFailed} description={errorText(users.error, lang)} />}
      <Table<ShopUser>
        size="small"
        rowKey="userId"
        loading={users.loading}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        data-testid="users-table"
        columns={[
          { title: m.username, dataIndex: 'username' },
          {
            title: m.displayName,
            dataIndex: 'displayName',
            render: (name: string, u) => (
              <span>
                {name} {u.userId === session.user?.id && <Typography.Text type="secondary">{m.you}</Typography.Text>}
              </span>
            ),
          },
          { title: m.role, dataIndex: 'role', render: (r: string) => roles[r] ?? r },
          { title: m.status, dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag color="default">{m.disabled}</Tag> : <Tag color="green">{m.active}</Tag>) },
          {
            title: m.actions,
            key: 'actions',
            render: (_, u) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setDialog({ kind: 'edit', user: u })} aria-label={`${m.edit} ${u.username}`}>
                  {m.edit}
                </Button>
                <Button type="link" size="small" onClick={() => setDialog({ kind: 'password', user: u })} aria-label={`${m.setPassword} ${u.username}`}>
                  {m.setPassword}
                </Button>
              </Space>
            ),
          },
        ]}
      />

      {(invitations.data ?? []).length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {m.invitationsTitle}
          </Typography.Title>
          <Table<Invitation>
            size="small"
            rowKey="id"
            dataSource={invitations.data ?? []}
            pagination={false}
            data-testid="invitations-table"
            columns={[
              { title: m.username, dataIndex: 'username' },
              { title: m.role, dataIndex: 'role', render: (r: string) => roles[r] ?? r },
              { title: m.invitedAt, dataIndex: 'createdAt', render: (at: string) => dateTime(at, lang) },
              { title: m.validUntil, dataIndex: 'expiresAt', render: (at: string) => dateTime(at, lang) },
              { title: m.status, dataIndex: 'status', render: (st: string) => (st === 'expired' ? <Tag>{m.expired}</Tag> : <Tag color="blue">{m.pending}</Tag>) },
              {
                title: m.actions,
                key: 'actions',
                render: (_, inv) =>
                  inv.status === 'pending' && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() =>
                        void post(`/users/invitations/${inv.id}/revoke`).then(
                          () => {
                            message.success(m.invitationRevoked);
                            invitations.reload();
                          },
                          (err: unknown) => message.error(errorText(err, lang)),
                        )
                      }
                    >
                      {m.revokeInvitation}
                    </Button>
                  ),
              },
            ]}
          />
        </>
      )}

      <FormModal<{ username: string; displayName: string; password: string; confirm: string; role: string }>
        open={dialog?.kind === 'create'}
        title={m.newUser}
        okText={m.create}
        onClose={close}
        testId="user-create-form"
        onSubmit={async (v) => {
          const created = await post<ShopUser>('/users', { username: v.username.trim(), displayName: v.displayName.trim(), password: v.password, role: v.role }, newIdempotencyKey());
          message.success(fmt(m.created, { username: created.username }));
          users.reload();
        }}
      >
        <Form.Item name="username" label={m.username} extra={m.usernameHelp} normalize={(v: string) => v.toLowerCase()} rules={[{ required: true, pattern: USERNAME, message: m.usernameInvalid }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={m.displayName} rules={[{ required: true, whitespace: true, max: 64, message: m.displayNameRequired }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="role" label={m.role} rules={[{ required: true, message: m.roleRequired }]}>
          <Select options={roleOptions} showSearch={{ filterOption: matchOption }} />
        </Form.Item>
        <Form.Item name="password" label={m.password} extra={m.passwordHelp} dependencies={['username']} rules={passwordRules()}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={m.confirmPassword} dependencies={['password']} rules={confirmRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </FormModal>

      <FormModal<{ username: string; role: string }>
        open={dialog?.kind === 'grant'}
        title={m.grantRole}
        okText={m.grant}
        onClose={close}
        onSubmit={async (v) => {
          const outcome = await post<{ status: 'granted'; user: ShopUser } | { status: 'invited'; invitation: Invitation }>(
            '/users/grant',
            { username: v.username.trim(), role: v.role },
            newIdempotencyKey(),
          );
          if (outcome.status === 'granted') message.success(fmt(m.granted, { username: outcome.user.username }));
          else message.success(fmt(m.invited, { username: outcome.invitation.username }));
          users.reload();
          invitations.reload();
        }}
      >
        <Typography.Paragraph type="secondary">{m.grantHelp}</Typography.Paragraph>
        <Form.Item name="username" label={m.username} normalize={(v: string) => v.toLowerCase()} rules={[{ required: true, pattern: USERNAME, message: m.usernameInvalid }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={m.role} rules={[{ required: true, message: m.roleRequired }]}>
          <Select options={roleOptions} showSearch={{ filterOption: matchOption }} />
        </Form.Item>
      </FormModal>

      {dialog?.kind === 'edit' && (
        <FormModal<{ displayName: string; role: string; disabled: boolean }>
          open
          title={fmt(m.editTitle, { username: dialog.user.username })}
          okText={m.save}
          onClose={close}
          testId="user-edit-form"
          onSubmit={async (v) => {
            const u = dialog.user;
            const changes: { displayName?: string; role?: string | null; disabled?: boolean } = {};
            if (v.displayName.trim() !== u.displayName) changes.displayName = v.displayName.trim();
            const role = v.role === REMOVE ? null : v.role;
            if (role !== u.role) changes.role = role;
            if (v.disabled !== u.disabled) changes.disabled = v.disabled;
            if (Object.keys(changes).length === 0) {
              message.info(m.nothingChanged);
              return;
            }
            const send = async () => {
              await patch<ShopUser>(`/users/${u.userId}`, changes);
              message.success(role === null ? fmt(m.removed, { username: u.username }) : m.saved);
              users.reload();
            };
            if (role === null) {
              const ok = await modal.confirm({ title: fmt(m.confirmRemove, { username: u.username }), okText: m.save, cancelText: m.cancel, okButtonProps: { danger: true } });
              if (!ok) throw new Cancelled();
            }
            await send();
          }}
        >
          {(() => {
            const self = dialog.user.userId === session.user?.id;
            return (
              <>
                <Form.Item name="displayName" label={m.displayName} initialValue={dialog.user.displayName} rules={[{ required: true, whitespace: true, max: 64, message: m.displayNameRequired }]}>
                  <Input maxLength={64} />
                </Form.Item>
                <Form.Item name="role" label={m.role} initialValue={dialog.user.role} rules={[{ required: true, message: m.roleRequired }]}>
                  <Select disabled={self} showSearch={{ filterOption: matchOption }} options={[...roleOptions, { value: REMOVE, label: m.removeFromShop }]} />
                </Form.Item>
                <Form.Item name="disabled" label={m.disabledLabel} valuePropName="checked" initialValue={dialog.user.disabled} extra={self ? m.selfLocked : m.disabledHelp}>
                  <Switch disabled={self} />
                </Form.Item>
              </>
            );
          })()}
        </FormModal>
      )}

      {dialog?.kind === 'password' && (
        <FormModal<{ password: string; confirm: string }>
          open
          title={fmt(m.setPasswordTitle, { username: dialog.user.username })}
          okText={m.save}
          onClose={close}
          onSubmit={async (v) => {
            await post(`/users/${dialog.user.userId}/password`, { password: v.password }, newIdempotencyKey());
            message.success(fmt(m.passwordSet, { username: dialog.user.username }));
          }}
        >
          <Form.Item name="password" label={m.newPassword} extra={m.passwordHelp} rules={passwordRules(dialog.user.username)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="confirm" label={m.confirmPassword} dependencies={['password']} rules={confirmRules}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </FormModal>
      )}
    </div>
  );
}
