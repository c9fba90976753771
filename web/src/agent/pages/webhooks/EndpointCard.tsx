/**
 * One endpoint: its address, what it is for, the notices it gets, its status (正常 / 已停用 with why in
 * words and what to do; a warning while it keeps failing), and the admin's actions: the delivery log,
 * change, turn off/on, a new secret (confirmed: the old one stops at once), delete (confirmed).
 */
import { Alert, App as AntApp, Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { newIdempotencyKey, patch, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Saved } from './EndpointForm.tsx';
import { webhookMessages } from './messages.ts';
import { disabledWhy, eventLabels, eventTypes, GIVE_UP_MS, hasAll, type Endpoint } from './model.ts';
import { wordsOfFailure } from './words.ts';

export function EndpointCard({
  endpoint: ep,
  onChanged,
  onEdit,
  onLog,
  onSecret,
}: {
  endpoint: Endpoint;
  onChanged: () => void;
  onEdit: () => void;
  onLog: () => void;
  onSecret: (secret: string) => void;
}) {
  const m = useMessages(webhookMessages);
  const { lang } = useLang();
  const { message, modal } = AntApp.useApp();
  const [busy, setBusy] = useState<'toggle' | null>(null);
  const sep = lang === 'en' ? ' ' : '';

  const change = async (body: { enabled?: boolean; rotateSecret?: true }) => patch<Saved>(`/webhooks/${ep.id}`, body);

  const turnOn = async () => {
    setBusy('toggle');
    try {
      await change({ enabled: true });
      message.success(m.turnedOn);
      onChanged();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  const confirm = (options: { title: string; content: string; okText: string; testId: string; run: () => Promise<void> }) => {
    void modal.confirm({
      title: options.title,
      content: options.content,
      okText: options.okText,
      cancelText: m.cancel,
      okButtonProps: { danger: true, 'data-testid': options.testId },
      onOk: async () => {
        try {
          await options.run();
        } catch (err) {
          message.error(errorText(err, lang));
        }
      },
    });
  };

  const turnOff = () =>
    confirm({
      title: m.turnOffTitle,
      content: m.turnOffText,
      okText: m.turnOff,
      testId: 'turn-off-confirm',
      run: async () => {
        await change({ enabled: false });
        message.success(m.turnedOff);
        onChanged();
      },
    });

  const rotate = () =>
    confirm({
      title: m.rotateTitle,
      content: m.rotateText,
      okText: m.rotate,
      testId: 'rotate-confirm',
      run: async () => {
        const saved = await change({ rotateSecret: true });
        if (saved.secret) onSecret(saved.secret);
        onChanged();
      },
    });

  const remove = () =>
    confirm({
      title: m.deleteTitle,
      content: m.deleteText,
      okText: m.delete,
      testId: 'delete-confirm',
      run: async () => {
        await post(`/webhooks/${ep.id}/delete`, {}, newIdempotencyKey());
        message.success(m.deleted);
        onChanged();
      },
    });

  const why = ep.enabled ? null : disabledWhy(ep.disabledReason);
  const lastFailure = why?.kind === 'failing' && why.failure ? wordsOfFailure(m, why.failure) : null;
  const disabledText =
    why === null
      ? null
      : why.kind === 'admin'
        ? m.disabledByAdmin
        : why.kind === 'failing'
          ? why.since
            ? fmt(m.disabledFailing, { since: dateTime(why.since, lang) })
            : m.disabledFailingNoTime
          : m.disabledOther;

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="endpoint-card"
      data-id={ep.id}
      title={
        <Typography.Text style={{ fontFamily: 'ui-monospace, Menlo, Consolas, monospace', fontWeight: 600, wordBreak: 'break-all', whiteSpace: 'normal' }} data-testid="endpoint-url">
          {ep.url}
        </Typography.Text>
      }
      extra={
        <Tag color={ep.enabled ? 'green' : 'default'} data-testid="endpoint-status">
          {ep.enabled ? m.enabled : m.disabled}
        </Tag>
      }
    >
      {why !== null && (
        <Alert
          type={why.kind === 'admin' ? 'info' : 'error'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="endpoint-disabled"
          title={disabledText}
          description={
            why.kind === 'admin' ? null : (
              <>
                {lastFailure && <div>{fmt(m.lastFailure, { reason: lastFailure })}</div>}
                <div>{[m.disabledWhatToDo, m.disabledGap].join(sep)}</div>
              </>
            )
          }
        />
      )}
      {ep.enabled && ep.failingSince && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="endpoint-failing"
          title={fmt(m.failingTitle, { since: dateTime(ep.failingSince, lang) })}
          description={fmt(m.failingText, { until: dateTime(new Date(Date.parse(ep.failingSince) + GIVE_UP_MS).toISOString(), lang) })}
        />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'description',
            label: m.description,
            span: { xs: 1, md: 2 },
            children: ep.description ? ep.description : <Typography.Text type="secondary">{m.noDescription}</Typography.Text>,
          },
          {
            key: 'events',
            label: m.events,
            span: { xs: 1, md: 2 },
            children: (
              <Space size={[6, 6]} wrap data-testid="endpoint-events">
                {hasAll(ep.eventTypes) ? (
                  <Tag color="blue">{m.allEvents}</Tag>
                ) : (
                  eventTypes
                    .filter((t) => ep.eventTypes.includes(t))
                    .map((t) => (
                      <Tag key={t} color="blue">
                        {eventLabels[t][lang]}
                      </Tag>
                    ))
                )}
              </Space>
            ),
          },
          { key: 'created', label: m.createdAt, children: dateTime(ep.createdAt, lang) },
          { key: 'updated', label: m.updatedAt, children: dateTime(ep.updatedAt, lang) },
        ]}
      />
      <Space wrap style={{ marginTop: 12 }}>
        <Button type="primary" ghost onClick={onLog} data-testid="endpoint-log">
          {m.deliveries}
        </Button>
        <Button onClick={onEdit} data-testid="endpoint-edit">
          {m.edit}
        </Button>
        {ep.enabled ? (
          <Button onClick={turnOff} data-testid="endpoint-turn-off">
            {m.turnOff}
          </Button>
        ) : (
          <Button type="primary" onClick={() => void turnOn()} loading={busy === 'toggle'} data-testid="endpoint-turn-on">
            {m.turnOn}
          </Button>
        )}
        <Button onClick={rotate} data-testid="endpoint-rotate">
          {m.rotate}
        </Button>
        <Button danger onClick={remove} data-testid="endpoint-delete">
          {m.delete}
        </Button>
      </Space>
    </Card>
  );
}

