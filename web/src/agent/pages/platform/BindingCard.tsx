/**
 * The binding as it is: its details (secrets by their last four characters),
 * its status and the session key's expiry, a connection test in the
 * platform's words, and the admin's changes: edit, re-authorise, revoke.
 */
import { Alert, App as AntApp, Button, Card, Descriptions, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { BindingForm, type BindingFormMode } from './BindingForm.tsx';
import { platformMessages } from './messages.ts';
import { signMethodLabels, type BindingView } from './model.ts';

const statusColour = { active: 'green', needs_reauth: 'red', revoked: 'default' } as const;

export function BindingCard({ view, isAdmin, mayAct, onChanged }: { view: BindingView; isAdmin: boolean; mayAct: boolean; onChanged: () => void }) {
  const m = useMessages(platformMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [dialog, setDialog] = useState<BindingFormMode | null>(null);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; text: string } | null>(null);

  const statusText = { active: m.statusActive, needs_reauth: m.statusNeedsReauth, revoked: m.statusRevoked }[view.status];
  const masked = (last4: string) => <Typography.Text code>{fmt(m.masked, { last4 })}</Typography.Text>;
  const daysLeft = view.sessionExpiresAt ? Math.floor((new Date(view.sessionExpiresAt).getTime() - Date.now()) / 86_400_000) : 0;
  const left = daysLeft >= 1 ? fmt(m.daysLeft, { n: daysLeft }) : m.lessThanDay;

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    try {
      const answer = await post<{ ok: boolean; message: string | null; code: string | null }>('/platform/binding/test');
      if (answer.ok) setTest({ ok: true, text: m.testOk });
      else setTest({ ok: false, text: answer.message ? fmt(m.testFailed, { message: answer.message }) : m.testFailedNoWords });
      // a refused session key marks the binding: show it
      if (!answer.ok) onChanged();
    } catch (err) {
      setTest({ ok: false, text: errorText(err, lang) });
    } finally {
      setTesting(false);
    }
  };

  const revoke = () => {
    void modal.confirm({
      title: m.revokeTitle,
      content: m.revokeText,
      okText: m.revoke,
      cancelText: m.cancel,
      okButtonProps: { danger: true, 'data-testid': 'revoke-confirm' },
      onOk: async () => {
        try {
          await post('/platform/binding/revoke');
          message.success(m.revoked);
          onChanged();
        } catch (err) {
          message.error(errorText(err, lang));
        }
      },
    });
  };

  const dialogTitle = dialog === 'reauth' || dialog === 'rebind' ? m.reauthTitle : m.editTitle;

  return (
    <Card
      size="small"
      title={
        <Space>
          {m.bindingTitle}
          <Tag color={statusColour[view.status]} data-testid="binding-status">
            {statusText}
          </Tag>
        </Space>
      }
      style={{ marginBottom: 16 }}
      data-testid="binding-card"
    >
      {view.status === 'needs_reauth' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={m.needsReauthTitle}
          description={[view.statusReason ? fmt(m.needsReauthText, { reason: view.statusReason }) : '', isAdmin ? m.needsReauthAdmin : m.needsReauthAskAdmin]
            .filter(Boolean)
            .join(lang === 'en' ? ' ' : '')}
        />
      )}
      {view.status === 'revoked' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={m.revokedTitle} description={m.revokedText} />}
      {view.status !== 'revoked' && view.sessionExpired && view.sessionExpiresAt && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={fmt(m.expired, { time: dateTime(view.sessionExpiresAt, lang) })} data-testid="expiry-alert" />
      )}
      {view.status !== 'revoked' && view.sessionExpiresSoon && view.sessionExpiresAt && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={fmt(m.expiresSoon, { time: dateTime(view.sessionExpiresAt, lang), left })} data-testid="expiry-alert" />
      )}

      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, xl: 3 }}
        items={[
          { key: 'platform', label: m.platform, children: view.platform === 'tmall' ? m.tmall : m.taobao },
          { key: 'sellerNick', label: m.sellerNick, children: view.sellerNick },
          { key: 'appKey', label: m.appKey, children: <Typography.Text code>{view.appKey}</Typography.Text> },
          { key: 'appSecret', label: m.appSecret, children: masked(view.appSecretLast4) },
          { key: 'sessionKey', label: m.sessionKey, children: masked(view.sessionKeyLast4) },
          {
            key: 'expires',
            label: m.expiresAt,
            children: view.sessionExpiresAt ? (
              <Typography.Text type={view.sessionExpired ? 'danger' : view.sessionExpiresSoon ? 'warning' : undefined}>{dateTime(view.sessionExpiresAt, lang)}</Typography.Text>
            ) : (
              <Typography.Text type="secondary">{m.noExpiry}</Typography.Text>
            ),
          },
          { key: 'gateway', label: m.gatewayUrl, span: { xs: 1, sm: 2, xl: 3 }, children: <Typography.Text style={{ wordBreak: 'break-all' }}>{view.gatewayUrl}</Typography.Text> },
          { key: 'sign', label: m.signMethod, children: signMethodLabels[view.signMethod] },
          { key: 'rate', label: m.ratePerSecond, children: `${view.ratePerSecond} ${m.perSecond}` },
          { key: 'backfill', label: m.backfillDays, children: `${view.backfillDays} ${m.days}` },
          { key: 'created', label: m.createdAt, children: dateTime(view.createdAt, lang) },
          { key: 'updated', label: m.updatedAt, children: dateTime(view.updatedAt, lang) },
        ]}
      />

      {test && <Alert type={test.ok ? 'success' : 'error'} showIcon title={test.text} style={{ marginTop: 12 }} role="status" data-testid="binding-test-result" closable onClose={() => setTest(null)} />}

      <Space wrap style={{ marginTop: 12 }}>
        {mayAct && view.status !== 'revoked' && (
          <Button onClick={() => void runTest()} loading={testing} data-testid="binding-test">
            {m.testConnection}
          </Button>
        )}
        {isAdmin && (
          <>
            <Button type={view.status === 'active' ? 'default' : 'primary'} onClick={() => setDialog(view.status === 'revoked' ? 'rebind' : 'reauth')} data-testid="binding-reauth">
              {m.reauthorize}
            </Button>
            {view.status !== 'revoked' && <Button onClick={() => setDialog('edit')}>{m.edit}</Button>}
            {view.status !== 'revoked' && (
              <Button danger onClick={revoke} data-testid="binding-revoke">
                {m.revoke}
              </Button>
            )}
          </>
        )}
      </Space>

      <Modal open={dialog !== null} title={dialogTitle} onCancel={() => setDialog(null)} footer={null} destroyOnHidden width={760}>
        {dialog && (
          <BindingForm
            mode={dialog}
            view={view}
            onCancel={() => setDialog(null)}
            onSaved={() => {
              message.success(dialog === 'edit' ? m.saved : m.reauthorized);
              setDialog(null);
              setTest(null);
              onChanged();
            }}
          />
        )}
      </Modal>
    </Card>
  );
}
