/**
 * Add an endpoint (POST /webhooks: its secret comes back once) or change one (PATCH /webhooks/:id: the
 * address, what it is for, its events), checked before it is sent with ZEndpointRequest's rules; the
 * events as checkboxes by topic, with 全部.
 */
import { Alert, Button, Checkbox, Col, Form, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, patch, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { webhookMessages } from './messages.ts';
import { eventGroups, eventLabels, eventTypes, isEndpointUrl, type Endpoint, type EventType } from './model.ts';

interface Values {
  url: string;
  description?: string;
  eventTypes: EventType[];
}

export type Saved = { endpoint: Endpoint; secret: string | null };

/** The events as checkboxes by topic, with 全部 on top (a value/onChange pair for Form.Item). */
function EventChoice({ value = [], onChange, id }: { value?: EventType[]; onChange?: (v: EventType[]) => void; id?: string }) {
  const m = useMessages(webhookMessages);
  const { lang } = useLang();
  const chosen = new Set(value);
  const all = eventTypes.every((t) => chosen.has(t));
  const some = !all && value.length > 0;
  const set = (type: EventType, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(type);
    else next.delete(type);
    // in the form's order, whatever order they were ticked in
    onChange?.(eventTypes.filter((t) => next.has(t)));
  };
  return (
    <div id={id} role="group" aria-label={m.events} data-testid="event-choice">
      <div data-testid="event-all" style={{ marginBottom: 8 }}>
        <Checkbox indeterminate={some} checked={all} onChange={(e) => onChange?.(e.target.checked ? [...eventTypes] : [])} style={{ fontWeight: 600 }}>
          {m.all}
        </Checkbox>
      </div>
      {eventGroups.map((g) => (
        <div key={g.key} style={{ marginBottom: 8 }}>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginBottom: 2 }}>
            {m[`group_${g.key}`]}
          </Typography.Text>
          <Row gutter={[12, 4]}>
            {g.types.map((t) => (
              <Col xs={24} sm={12} key={t}>
                <span data-event={t}>
                  <Checkbox checked={chosen.has(t)} onChange={(e) => set(t, e.target.checked)}>
                    {eventLabels[t][lang]}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                      {eventLabels[t].hint[lang]}
                    </Typography.Text>
                  </Checkbox>
                </span>
              </Col>
            ))}
          </Row>
        </div>
      ))}
    </div>
  );
}

export function EndpointForm({ endpoint, onSaved, onCancel }: { endpoint: Endpoint | null; onSaved: (saved: Saved) => void; onCancel: () => void }) {
  const m = useMessages(webhookMessages);
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [initial] = useState<Partial<Values>>(() =>
    endpoint
      ? { url: endpoint.url, description: endpoint.description, eventTypes: eventTypes.filter((t) => endpoint.eventTypes.includes(t)) }
      : { url: '', description: '', eventTypes: ['refund.created', 'refund.status_changed'] },
  );

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    const body = { url: v.url.trim(), description: (v.description ?? '').trim(), eventTypes: v.eventTypes };
    try {
      if (endpoint) onSaved(await patch<Saved>(`/webhooks/${endpoint.id}`, body));
      // no Idempotency-Key here: the server would keep the answer, the secret in clear, for 24 hours to replay it
      // (the button is busy while the request runs, so a double click adds one endpoint)
      else onSaved(await post<Saved>('/webhooks', body));
    } catch (err) {
      // the address the server refuses (a private one, when it does not allow them): said at the field
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED' && (err.details.field === 'url' || (err.details.issues as { path?: string }[] | undefined)?.some((i) => i.path === 'url'))) {
        const text = err.details.reason === 'private_address' ? m.urlPrivate : m.urlRefused;
        form.setFields([{ name: 'url', errors: [text] }]);
        setError(text);
      } else setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void submit(v)}
      onFinishFailed={() => setError(m.formInvalid)}
      onValuesChange={() => setError((e) => (e === m.formInvalid ? null : e))}
      data-testid="endpoint-form"
      aria-label={endpoint ? m.editTitle : m.addTitle}
    >
      <Form.Item
        name="url"
        label={m.url}
        extra={m.urlHelp}
        rules={[{ validator: (_, v: string | undefined) => (isEndpointUrl(v ?? '') ? Promise.resolve() : Promise.reject(new Error(m.urlInvalid))) }]}
      >
        <Input placeholder="https://" maxLength={500} autoComplete="off" spellCheck={false} inputMode="url" />
      </Form.Item>
      <Form.Item name="description" label={m.description} extra={m.descriptionHelp} rules={[{ max: 200, message: m.descriptionInvalid }]}>
        <Input maxLength={200} showCount />
      </Form.Item>
      <Form.Item
        name="eventTypes"
        label={m.events}
        extra={m.eventsHelp}
        rules={[{ validator: (_, v: EventType[] | undefined) => ((v?.length ?? 0) > 0 ? Promise.resolve() : Promise.reject(new Error(m.eventsRequired))) }]}
      >
        <EventChoice />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} data-testid="endpoint-form-error" />}
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Button onClick={onCancel}>{m.cancel}</Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="endpoint-submit">
          {endpoint ? m.save : m.add}
        </Button>
      </Space>
    </Form>
  );
}
