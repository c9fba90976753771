/**
 * One complaint: what the buyer complained about and asks for, the order and
 * refund it concerns, the replies to the platform, and its history; the
 * actions open to the caller (GET /records/complaint/{id} allowedActions):
 * reply (S1.17: briefly, at most 200 characters, counted as the server counts
 * them while typing), escalate to malicious (S4.8: what, why, the demands),
 * coordinate with the telecom operator (S4.8, once malicious: the hall, the
 * contact person, what was agreed), close (after a reply, with the outcome).
 * The script for its S4.7 case, and once malicious the S4.8 and operator
 * scripts, are shown as ordered checklists (complaint-scripts.ts). Every
 * action carries the version shown; when somebody else changed it first (409)
 * the complaint reloads.
 */
import { RecordDrawerFrame } from '../../../shared/RecordDrawerFrame.tsx';
import { Alert, App as AntApp, Button, Card, Checkbox, Descriptions, Form, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { get } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { roleNames } from '../../messages.ts';
import { actOnRecord, charCount, isVersionConflict, markServerIssues, textBetween, useSubmitKey, type SideRecordDetail } from '../tasks/records.ts';
import { complaintsMessages } from './messages.ts';
import { complaintScriptsFor, limits, type Complaint, type ComplaintAction } from './model.ts';

type Detail = SideRecordDetail<Complaint>;

export const statusColours: Record<string, string> = { open: 'orange', replied: 'blue', closed: 'default' };

export function ComplaintDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const m = useMessages(complaintsMessages);
  const roles = useMessages(roleNames) as Record<string, string>;
  const { lang } = useLang();
  const { data, error, loading, reload } = useLoad((signal) => (id ? get<Detail>(`/records/complaint/${id}`, undefined, signal) : Promise.resolve(null)), [id]);
  const detail = data && data.id === id ? data : null;
  const changed = () => {
    reload();
    onChanged();
  };

  return (
    <RecordDrawerFrame open={id !== null} onClose={onClose} title={id ? fmt(m.detailTitle, { id }) : ''} loading={loading} error={error} ready={!!detail}>
      {detail ? (
        <>
          <ComplaintFacts detail={detail} />
          <ComplaintScripts complaint={detail.data} />
          <Typography.Title level={5}>{m.replies}</Typography.Title>
          {detail.data.replies.length === 0 ? (
            <Typography.Paragraph type="secondary">{m.noReplies}</Typography.Paragraph>
          ) : (
            <ol style={{ paddingInlineStart: 20 }} data-testid="complaint-replies">
              {detail.data.replies.map((r, i) => (
                <li key={i} style={{ marginBottom: 8 }}>
                  <Typography.Paragraph copyable style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                    {r.text}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary">{dateTime(r.at, lang)}</Typography.Text>
                </li>
              ))}
            </ol>
          )}
          {detail.allowedActions.includes('reply') ? <ReplyForm detail={detail} onChanged={changed} /> : null}
          {(['escalate', 'coordinate_operator', 'close'] as const).some((a) => detail.allowedActions.includes(a)) ? (
            <Space wrap className="no-print" style={{ marginTop: 16 }}>
              {detail.allowedActions.includes('escalate') ? <ActionForm detail={detail} action="escalate" onChanged={changed} /> : null}
              {detail.allowedActions.includes('coordinate_operator') ? <ActionForm detail={detail} action="coordinate_operator" onChanged={changed} /> : null}
              {detail.allowedActions.includes('close') ? <ActionForm detail={detail} action="close" onChanged={changed} /> : null}
            </Space>
          ) : null}
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {m.history}
          </Typography.Title>
          <Timeline
            items={detail.events.map((e) => ({
              key: e.version,
              content: (
                <span>
                  {m[`event_${e.action}` as 'event_create'] ?? e.action} {fmt(m.byRole, { role: roles[e.actorRole] ?? e.actorRole })}{' '}
                  <Typography.Text type="secondary">{dateTime(e.at, lang)}</Typography.Text>
                </span>
              ),
            }))}
          />
        </>
      ) : null}
    </RecordDrawerFrame>
  );
}

function ComplaintFacts({ detail }: { detail: Detail }) {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const d = detail.data;
  const refundId = d.refundId ?? detail.refundId;
  return (
    <Descriptions
      size="small"
      bordered
      column={1}
      style={{ marginBottom: 16 }}
      items={[
        {
          key: 'status',
          label: m.status,
          children: (
            <Space wrap>
              <Tag color={statusColours[detail.status]}>{m[`status_${detail.status}` as 'status_open'] ?? detail.status}</Tag>
              <Tag color={d.severity === 'malicious' ? 'red' : undefined}>{m[`severity_${d.severity}`]}</Tag>
            </Space>
          ),
        },
        { key: 'source', label: m.source, children: m[`source_${d.source}`] },
        ...(d.phoneCase ? [{ key: 'phoneCase', label: m.phoneCase, children: m[`phoneCase_${d.phoneCase}`] }] : []),
        { key: 'type', label: m.type, children: d.type },
        { key: 'content', label: m.content, children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.content}</span> },
        { key: 'demands', label: m.buyerDemands, children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.buyerDemands}</span> },
        { key: 'order', label: m.orderNo, children: detail.orderNo ?? d.orderNo ? <Typography.Text copyable>{detail.orderNo ?? d.orderNo}</Typography.Text> : '—' },
        { key: 'refund', label: m.refund, children: refundId ? <Link to={`/refunds/${refundId}`}>{fmt(m.openRefund, { id: refundId })}</Link> : '—' },
        { key: 'opened', label: m.openedAt, children: dateTime(d.openedAt, lang) },
        ...(d.escalation
          ? [
              {
                key: 'escalation',
                label: m.escalation,
                children:
                  'what' in d.escalation ? (
                    <div style={{ whiteSpace: 'pre-wrap' }} data-testid="complaint-escalation">
                      <div>{`${m.escalateWhat}:${d.escalation.what}`}</div>
                      <div>{`${m.escalateWhy}:${d.escalation.why}`}</div>
                      <div>{`${m.escalateDemands}:${d.escalation.demands}`}</div>
                      <Typography.Text type="secondary">{dateTime(d.escalation.at, lang)}</Typography.Text>
                    </div>
                  ) : (
                    <span style={{ whiteSpace: 'pre-wrap' }}>{`${d.escalation.note} (${dateTime(d.escalation.at, lang)})`}</span>
                  ),
              },
            ]
          : []),
        ...(d.operatorCoordinations?.length
          ? [
              {
                key: 'operator',
                label: m.operatorCoordinations,
                children: (
                  <ol style={{ paddingInlineStart: 20, margin: 0 }} data-testid="operator-coordinations">
                    {d.operatorCoordinations.map((c, i) => (
                      <li key={i} style={{ whiteSpace: 'pre-wrap' }}>
                        {fmt(m.coordinationLine, { operator: c.operator, contact: c.contact, agreed: c.agreed })}{' '}
                        <Typography.Text type="secondary">({dateTime(c.at, lang)})</Typography.Text>
                      </li>
                    ))}
                  </ol>
                ),
              },
            ]
          : []),
        ...(d.outcome ? [{ key: 'outcome', label: m.outcome, children: <span style={{ whiteSpace: 'pre-wrap' }}>{`${d.outcome} (${dateTime(d.closedAt, lang)})`}</span> }] : []),
      ]}
    />
  );
}

/** S1.17: the reply to the platform, at most 200 characters; the count follows every keystroke. */
function ReplyForm({ detail, onChanged }: { detail: Detail; onChanged: () => void }) {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const text = Form.useWatch('text', form) ?? '';
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();
  const used = charCount(text.trim());
  const left = limits.reply - used;

  const submit = async (values: { text: string }) => {
    setSending(true);
    setError(null);
    try {
      await actOnRecord('complaint', detail, 'reply', { text: values.text.trim() }, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.replied, { id: detail.id }));
      form.resetFields();
      onChanged();
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['text']);
      if (isVersionConflict(err)) {
        message.warning(errorText(err, lang));
        onChanged();
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Form<{ text: string }> form={form} layout="vertical" onFinish={submit} className="no-print" aria-label={m.reply}>
      <Form.Item
        name="text"
        label={m.replyLabel}
        extra={
          <span aria-live="polite" data-testid="reply-count" style={{ color: left < 0 ? '#cf1322' : undefined }}>
            {left >= 0 ? fmt(m.replyLeft, { n: left }) : fmt(m.replyOver, { n: -left })} · {m.replyHint}
          </span>
        }
        rules={[
          {
            required: true,
            validator: (_, v: string | undefined) => {
              const n = charCount((v ?? '').trim());
              if (n === 0) return Promise.reject(new Error(m.replyRequired));
              return n <= limits.reply ? Promise.resolve() : Promise.reject(new Error(fmt(m.replyTooLong, { n })));
            },
          },
        ]}
      >
        <Input.TextArea rows={4} placeholder={m.replyPlaceholder} count={{ show: true, max: limits.reply, strategy: charCount }} />
      </Form.Item>
      {error ? <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} /> : null}
      <Button type="primary" htmlType="submit" loading={sending}>
        {m.sendReply}
      </Button>
    </Form>
  );
}

/**
 * S4.7/S4.8: the scripts for this complaint, each an ordered checklist in the
 * page's language, with the seed's words it follows. The ticks are local to
 * the call and are not saved.
 */
function ComplaintScripts({ complaint }: { complaint: Complaint }) {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const scripts = complaintScriptsFor(complaint);
  if (scripts.length === 0) return null;
  return (
    <section aria-label={m.scripts} data-testid="complaint-scripts" style={{ marginBottom: 16 }}>
      <Typography.Title level={5}>{m.scripts}</Typography.Title>
      <Typography.Paragraph type="secondary">{m.scriptsHint}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {scripts.map((script) => (
          <Card
            key={script.key}
            size="small"
            data-testid={`script-${script.key}`}
            title={
              <Space wrap>
                <Tag color={script.rule === 'S4.8' ? 'red' : 'blue'}>{script.rule}</Tag>
                <span>{script.title[lang]}</span>
              </Space>
            }
          >
            <ol style={{ paddingInlineStart: 20, margin: 0 }}>
              {script.steps.map((step) => (
                <li key={step.key} style={{ marginBottom: 4 }}>
                  <Checkbox>{step[lang]}</Checkbox>
                </li>
              ))}
            </ol>
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
              {m.scriptSeed}:{script.seed}
            </Typography.Paragraph>
          </Card>
        ))}
      </Space>
    </section>
  );
}

type FormAction = Extract<ComplaintAction, 'escalate' | 'coordinate_operator' | 'close'>;

interface FieldSpec {
  name: string;
  label: string;
  required: string;
  min: number;
  max: number;
  rows: number;
  placeholder?: string;
}

/**
 * Escalate (S4.8: what, why, the demands), coordinate with the operator (S4.8:
 * the hall, the person, what was agreed) or close (the outcome): a button and
 * a short form, each field checked as the engine checks it.
 */
function ActionForm({ detail, action, onChanged }: { detail: Detail; action: FormAction; onChanged: () => void }) {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Record<string, string>>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();
  const words = {
    escalate: {
      button: m.escalate,
      title: m.escalateTitle,
      hint: m.escalateHint,
      ok: m.escalateConfirm,
      done: m.escalated,
      fields: [
        { name: 'what', label: m.escalateWhat, required: m.escalateWhatRequired, min: 2, max: limits.escalation, rows: 2 },
        { name: 'why', label: m.escalateWhy, required: m.escalateWhyRequired, min: 2, max: limits.escalation, rows: 2 },
        { name: 'demands', label: m.escalateDemands, required: m.escalateDemandsRequired, min: 2, max: limits.escalation, rows: 2 },
      ],
    },
    coordinate_operator: {
      button: m.coordinate,
      title: m.coordinateTitle,
      hint: m.coordinateHint,
      ok: m.coordinateConfirm,
      done: m.coordinated,
      fields: [
        { name: 'operator', label: m.coordinateOperator, required: m.coordinateOperatorRequired, min: 2, max: limits.operator, rows: 1, placeholder: m.coordinateOperatorPlaceholder },
        { name: 'contact', label: m.coordinateContact, required: m.coordinateContactRequired, min: 1, max: limits.contact, rows: 1 },
        { name: 'agreed', label: m.coordinateAgreed, required: m.coordinateAgreedRequired, min: 2, max: limits.escalation, rows: 3 },
      ],
    },
    close: {
      button: m.closeComplaint,
      title: m.closeTitle,
      hint: m.closeHint,
      ok: m.closeConfirm,
      done: m.closedDone,
      fields: [{ name: 'outcome', label: m.outcomeLabel, required: m.outcomeRequired, min: limits.noteMin, max: limits.note, rows: 3 }],
    },
  }[action] satisfies { fields: FieldSpec[] } & Record<string, unknown>;
  const fields: FieldSpec[] = words.fields;
  const danger = action === 'escalate';
  const formId = `complaint-${detail.id}-${action}`;
  // S4.8: what the complaint is and what the buyer asks for are often already on record
  const initial: Record<string, string> =
    action === 'escalate'
      ? {
          what: [...detail.data.content].length <= limits.escalation ? detail.data.content : '',
          demands: [...detail.data.buyerDemands].length <= limits.escalation ? detail.data.buyerDemands : '',
        }
      : {};

  const submit = async (values: Record<string, string>) => {
    setSending(true);
    setError(null);
    try {
      const body = Object.fromEntries(fields.map((f) => [f.name, (values[f.name] ?? '').trim()]));
      await actOnRecord('complaint', detail, action, body, submitKey.key());
      submitKey.settle();
      message.success(fmt(words.done, { id: detail.id }));
      setOpen(false);
      onChanged();
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, fields.map((f) => f.name));
      // the complaint moved on: the action may be gone with it, so say it where it stays visible
      if (isVersionConflict(err)) {
        message.warning(errorText(err, lang));
        setOpen(false);
        onChanged();
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Button danger={danger} onClick={() => setOpen(true)}>
        {words.button}
      </Button>
      <Modal
        open={open}
        title={words.title}
        onCancel={() => setOpen(false)}
        okText={words.ok}
        cancelText={m.close}
        okButtonProps={{ danger, loading: sending, htmlType: 'submit', form: formId }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{words.hint}</Typography.Paragraph>
        <Form<Record<string, string>> id={formId} form={form} layout="vertical" onFinish={submit} onFinishFailed={() => setError(null)} initialValues={initial}>
          {fields.map((f, i) => (
            <Form.Item key={f.name} name={f.name} label={f.label} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, f.min, f.max, f.required) }]}>
              {f.rows === 1 ? (
                <Input maxLength={f.max} placeholder={f.placeholder} autoFocus={i === 0} autoComplete="off" />
              ) : (
                <Input.TextArea rows={f.rows} showCount maxLength={f.max} placeholder={f.placeholder} autoFocus={i === 0} />
              )}
            </Form.Item>
          ))}
        </Form>
        {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
      </Modal>
    </>
  );
}
