/**
 * One S1.10 task in the inbox: the order, the refund, the shoe's problem in
 * the agent's words and photos; for design and merchandise the answer form
 * (the result: page fixed, or checked and matching; what was checked), for
 * agents and supervisors cancelling. Every action carries the version shown;
 * when somebody else moved the task first (409) the inbox reloads.
 */
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, timeLeft } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { tasksMessages } from './messages.ts';
import { answerRoles, cancelRoles, departmentAnswers, isForRole, limits, type DepartmentAnswer, type TaskRecord } from './model.ts';
import { Photos } from './Photos.tsx';
import { actOnRecord, isVersionConflict, markServerIssues, textBetween, useSubmitKey } from './records.ts';

const statusColours = { open: 'orange', answered: 'green', cancelled: 'default' } as const;

interface Props {
  task: TaskRecord;
  role: string;
  /** now (ms) for "waiting for …" */
  now: number;
  /** after a change, or a 409: the inbox reloads */
  onChanged: () => void;
}

export function TaskCard({ task, role, now, onChanged }: Props) {
  const m = useMessages(tasksMessages);
  const { lang } = useLang();
  const d = task.data;
  const status = task.status as keyof typeof statusColours;
  const mine = isForRole(d, role);
  const mayAnswer = status === 'open' && answerRoles.includes(role) && mine;
  const mayCancel = status === 'open' && cancelRoles.includes(role);
  const headingId = `task-${task.id}-title`;

  return (
    <Card
      size="small"
      data-testid={`task-${task.id}`}
      title={
        <Space wrap>
          <span id={headingId}>{fmt(m.taskNo, { id: task.id })}</span>
          <Tag color={statusColours[status] ?? 'default'}>{m[`status_${status}` as 'status_open'] ?? task.status}</Tag>
          <Tag color="volcano">{m[`problem_${d.problem}` as 'problem_heel'] ?? d.problem}</Tag>
        </Space>
      }
      extra={
        <Space wrap size={4}>
          {d.departments.map((dep) => (
            <Tag key={dep} color={dep === role ? 'blue' : undefined}>
              {m[`dept_${dep}` as 'dept_design'] ?? dep}
            </Tag>
          ))}
        </Space>
      }
      role="article"
      aria-labelledby={headingId}
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        items={[
          { key: 'order', label: m.order, children: <Typography.Text copyable>{task.orderNo ?? d.orderNo}</Typography.Text> },
          {
            key: 'refund',
            label: m.refund,
            children: d.refundId ?? task.refundId ? <Link to={`/refunds/${d.refundId ?? task.refundId}`}>{fmt(m.openRefund, { id: d.refundId ?? task.refundId ?? '' })}</Link> : '—',
          },
          {
            key: 'opened',
            label: m.openedAt,
            children: (
              <span>
                {dateTime(d.openedAt, lang)}
                {status === 'open' ? (
                  <Typography.Text type="secondary"> · {fmt(m.waited, { time: timeLeft(Math.max(0, now - Date.parse(d.openedAt)), lang) })}</Typography.Text>
                ) : null}
              </span>
            ),
          },
          { key: 'description', label: m.description, span: 'filled', children: <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{d.description}</Typography.Paragraph> },
          { key: 'photos', label: m.photos, span: 'filled', children: <Photos taskId={task.id} photos={d.photos} /> },
          ...(d.answer
            ? [
                {
                  key: 'answer',
                  label: m.answer,
                  span: 'filled' as const,
                  children: (
                    <div>
                      <Space size={8} wrap>
                        <Tag color={d.answer.answer === 'page_fixed' ? 'blue' : 'green'}>{m[`answer_${d.answer.answer}`]}</Tag>
                        <Typography.Text type="secondary">{dateTime(d.answer.at, lang)}</Typography.Text>
                      </Space>
                      <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{d.answer.note}</Typography.Paragraph>
                    </div>
                  ),
                },
              ]
            : []),
          ...(d.cancelled
            ? [
                {
                  key: 'cancelled',
                  label: m.cancelled,
                  span: 'filled' as const,
                  children: (
                    <span>
                      {d.cancelled.reason} <Typography.Text type="secondary">({dateTime(d.cancelled.at, lang)})</Typography.Text>
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {status === 'open' && answerRoles.includes(role) && !mine ? <Alert type="info" showIcon title={m.notYourDepartment} style={{ marginTop: 8 }} /> : null}
      {mayAnswer ? <AnswerForm task={task} onChanged={onChanged} /> : null}
      {mayCancel ? (
        <div className="no-print" style={{ marginTop: 8, textAlign: 'right' }}>
          <CancelButton task={task} onChanged={onChanged} />
        </div>
      ) : null}
    </Card>
  );
}

interface AnswerValues {
  answer: DepartmentAnswer;
  note: string;
}

function AnswerForm({ task, onChanged }: { task: TaskRecord; onChanged: () => void }) {
  const m = useMessages(tasksMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<AnswerValues>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();

  const submit = async (values: AnswerValues) => {
    setSending(true);
    setError(null);
    try {
      await actOnRecord('department_task', task, 'answer', { answer: values.answer, note: values.note.trim() }, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.answerSent, { id: task.id }));
      onChanged();
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['answer', 'note']);
      // the task moved on (answered by the other department, or cancelled): say so where it stays visible, and reload
      if (isVersionConflict(err)) {
        message.warning(fmt(m.conflict, { id: task.id, error: errorText(err, lang) }));
        onChanged();
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <Form<AnswerValues> form={form} layout="vertical" onFinish={submit} className="no-print" style={{ marginTop: 12, borderTop: '1px dashed #f0f0f0', paddingTop: 12 }} aria-label={m.submitAnswer}>
      <Form.Item name="answer" label={m.answer} rules={[{ required: true, message: m.answerRequired }]}>
        <Radio.Group options={departmentAnswers.map((a) => ({ value: a, label: m[`answer_${a}`] }))} />
      </Form.Item>
      <Form.Item
        name="note"
        label={m.note}
        rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, limits.noteMin, limits.note, m.noteRequired) }]}
      >
        <Input.TextArea rows={3} maxLength={limits.note} showCount placeholder={m.notePlaceholder} />
      </Form.Item>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" /> : null}
      <Button type="primary" htmlType="submit" loading={sending}>
        {m.submitAnswer}
      </Button>
    </Form>
  );
}

function CancelButton({ task, onChanged }: { task: TaskRecord; onChanged: () => void }) {
  const m = useMessages(tasksMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();

  const submit = async ({ reason }: { reason: string }) => {
    setSending(true);
    setError(null);
    try {
      await actOnRecord('department_task', task, 'cancel', { reason: reason.trim() }, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.cancelDone, { id: task.id }));
      setOpen(false);
      onChanged();
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['reason']);
      if (isVersionConflict(err)) {
        message.warning(fmt(m.conflict, { id: task.id, error: errorText(err, lang) }));
        setOpen(false);
        onChanged();
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        {m.cancel}
      </Button>
      <Modal
        open={open}
        title={fmt(m.cancelTitle, { id: task.id })}
        onCancel={() => setOpen(false)}
        okText={m.cancelConfirm}
        cancelText={m.close}
        okButtonProps={{ danger: true, loading: sending, htmlType: 'submit', form: `cancel-task-${task.id}` }}
        destroyOnHidden
      >
        <Form<{ reason: string }> id={`cancel-task-${task.id}`} form={form} layout="vertical" onFinish={submit}>
          <Form.Item
            name="reason"
            label={m.cancelReason}
            rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, limits.reasonMin, limits.reason, m.cancelReasonRequired) }]}
          >
            <Input.TextArea rows={2} maxLength={limits.reason} showCount autoFocus />
          </Form.Item>
        </Form>
        {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
      </Modal>
    </>
  );
}
