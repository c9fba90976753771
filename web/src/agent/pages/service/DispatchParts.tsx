/**
 * The dispatch register (售后派出登记, S5.4, S5.6, S5.8): the dispatches with
 * their clock (on site the same day as the call or the next; late without a
 * notice to the customer is flagged red), and their actions: the notice to
 * the customer, the arrival, completion, cancellation; registering another visit.
 */
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { Labelled, ResponsiveTable } from '../../../shared/ResponsiveTable.tsx';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState, type ReactNode } from 'react';
import { dispatchActionRoles, dispatchTransitions, noticeChannels, type DispatchAction } from '../../../../../src/core/service/dispatch.ts';
import { ApiError, newIdempotencyKey, post } from '../../../shared/api.ts';
import { dateTime, deadlineText } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { shanghaiToday } from '../supervisor/dates.ts';
import { useLeads } from './CallForm.tsx';
import { RecordLink } from './links.tsx';
import { serviceMessages } from './messages.ts';
import { instantFromLocal, minutesText, type DispatchTiming, type DispatchView, type RecordView } from './model.ts';
import { FlagTag, lengthRule, markServerFields, problemText, requiredText } from './parts.tsx';

/** The actions the core's tables open to the caller on this dispatch (a lead: only his own). */
export function dispatchActionsFor(d: DispatchView, role: string, userId: number | undefined): DispatchAction[] {
  const open = Object.keys(dispatchTransitions[d.status]) as DispatchAction[];
  return open.filter((a) => {
    if (!(dispatchActionRoles[a] as readonly string[]).includes(role)) return false;
    if (role === 'field_lead') return d.lead.userId === userId;
    return true;
  });
}

export const lateRowStyle = { background: '#fff1f0' };

/** The clock of one dispatch in words: the flag, how late, the notice given. */
export function DispatchClock({ timing, notice }: { timing: DispatchTiming; notice?: DispatchView['notice'] }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  return (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        <FlagTag timing={timing} />
        {timing.lateByMinutes !== null && (
          <Typography.Text type={timing.flag === 'late_without_notice' ? 'danger' : 'warning'}>{fmt(m.lateBy, { t: minutesText(timing.lateByMinutes, lang) })}</Typography.Text>
        )}
      </Space>
      {notice && <Typography.Text type="secondary">{fmt(m.noticeGiven, { date: notice.promisedOn })}</Typography.Text>}
      {timing.missedPromise && <Typography.Text type="danger">{m.missedPromise}</Typography.Text>}
    </Space>
  );
}

export function DispatchRows({
  dispatches,
  onAction,
  compact = false,
  loading = false,
  empty,
}: {
  dispatches: DispatchView[];
  onAction: (d: DispatchView, action: DispatchAction) => void;
  /** inside a record: no record and customer columns */
  compact?: boolean;
  loading?: boolean;
  empty?: ReactNode;
}) {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const { lang } = useLang();
  const { role, user } = useSignedIn();

  const columns: ColumnsType<DispatchView> = [
    { title: m.colId, dataIndex: 'id', key: 'id', render: (id: number) => `#${id}`, width: 64 },
    ...(compact
      ? []
      : ([
          {
            title: m.record,
            key: 'record',
            width: 72,
            onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
            render: (_: unknown, d: DispatchView) => <RecordLink id={d.recordId} />,
          },
          {
            title: m.customer,
            key: 'customer',
            render: (_: unknown, d: DispatchView) => (
              <Space orientation="vertical" size={0}>
                <span>{d.archive?.organisation ?? m.coverageUnknown}</span>
                <Typography.Text type="secondary">
                  {d.archive ? `${d.archive.product} · ${d.archive.serialNo}` : ''}
                </Typography.Text>
                <Typography.Text type="secondary">{d.destination}</Typography.Text>
              </Space>
            ),
          },
        ] as ColumnsType<DispatchView>)),
    {
      title: m.lead,
      key: 'lead',
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <span>{d.lead.displayName}</span>
          <Typography.Text type="secondary">{mm[`purpose_${d.purpose}`] ?? d.purpose}</Typography.Text>
        </Space>
      ),
    },
    { title: m.age, key: 'age', width: 90, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }), render: (_, d) => (d.status === 'registered' || d.status === 'on_site' ? fmt(m.ageHours, { h: d.ageHours }) : m.none) },
    {
      title: m.deadline,
      key: 'deadline',
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <span data-testid="deadline">{deadlineText(d.deadlineAt, lang)}</span>
          <Typography.Text type="secondary">
            {m.calledAt} {dateTime(d.clockStartsAt ?? d.callAt, lang)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: m.flag, key: 'flag', render: (_, d) => <DispatchClock timing={d.flags} notice={d.notice} /> },
    {
      title: m.colStatus,
      key: 'status',
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <Tag>{mm[`dst_${d.status}`] ?? d.status}</Tag>
          {d.arrivedAt && (
            <Typography.Text type="secondary">
              {m.arrivedAt} {dateTime(d.arrivedAt, lang)}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: m.actions,
      key: 'actions',
      className: 'no-print',
      render: (_, d) => (
        <Space wrap size={4}>
          {dispatchActionsFor(d, role, user?.id).map((a) => (
            <Button key={a} size="small" danger={a === 'cancel'} onClick={() => onAction(d, a)} aria-label={`${mm[`dact_${a}`]} · ${fmt(m.dispatchId, { id: d.id })}`}>
              {mm[`dact_${a}`] ?? a}
            </Button>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <ResponsiveTable<DispatchView>
      rowKey="id"
      size="small"
      columns={columns}
      card={(d) => ({
        title: compact ? fmt(m.dispatchId, { id: d.id }) : `${fmt(m.dispatchId, { id: d.id })} ${d.archive?.organisation ?? m.coverageUnknown}`,
        tags: (
          <>
            <Tag>{mm[`dst_${d.status}`] ?? d.status}</Tag>
            <DispatchClock timing={d.flags} notice={d.notice} />
          </>
        ),
        lines: [
          // where, by when, who
          d.destination,
          !compact && d.archive && `${d.archive.product} · ${d.archive.serialNo}`,
          <Labelled key="by" label={m.deadline}>
            <span data-testid="deadline">{deadlineText(d.deadlineAt, lang)}</span>
          </Labelled>,
          <Labelled key="lead" label={m.lead}>
            {d.lead.displayName} · {mm[`purpose_${d.purpose}`] ?? d.purpose}
          </Labelled>,
          d.arrivedAt && (
            <Labelled key="arrived" label={m.arrivedAt}>
              {dateTime(d.arrivedAt, lang)}
            </Labelled>
          ),
          !compact && <RecordLink key="record" id={d.recordId} />,
        ],
        actions: dispatchActionsFor(d, role, user?.id).map((a) => (
          <Button key={a} danger={a === 'cancel'} onClick={() => onAction(d, a)} aria-label={`${mm[`dact_${a}`]} · ${fmt(m.dispatchId, { id: d.id })}`}>
            {mm[`dact_${a}`] ?? a}
          </Button>
        )),
        urgent: d.flags.flag === 'late_without_notice',
        testId: `dispatch-${d.id}`,
      })}
      dataSource={dispatches}
      loading={loading}
      pagination={dispatches.length > 20 ? { pageSize: 20 } : false}
      scroll={{ x: true }}
      onRow={(d) => ({ style: d.flags.flag === 'late_without_notice' ? lateRowStyle : undefined, 'data-testid': `dispatch-${d.id}` } as React.HTMLAttributes<HTMLElement>)}
      locale={{ emptyText: empty ?? m.noDispatches }}
      data-testid="dispatch-table"
    />
  );
}

type Values = Record<string, string | undefined>;

export function DispatchActionModal({ target, onClose, onDone }: { target: { d: DispatchView; action: string } | null; onClose: () => void; onDone: () => void }) {
  const m = useMessages(serviceMessages);
  const mm = m as Record<string, string>;
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const action = target?.action ?? null;
  const d = target?.d;
  const today = shanghaiToday();

  useEffect(() => {
    setError(null);
    setKey(newIdempotencyKey());
    if (action) form.resetFields();
  }, [action, d?.id, form]);

  const bodyOf = (v: Values): Record<string, unknown> => {
    const text = (s: string | undefined) => (s ?? '').trim();
    switch (action) {
      case 'record_notice':
        return {
          promisedOn: v.promisedOn,
          channel: v.channel,
          ...(instantFromLocal(v.toldAt) ? { toldAt: instantFromLocal(v.toldAt) } : {}),
          ...(text(v.note) ? { note: text(v.note) } : {}),
        };
      case 'arrive':
        return instantFromLocal(v.arrivedAt) ? { arrivedAt: instantFromLocal(v.arrivedAt) } : {};
      case 'cancel':
        return { reason: text(v.reason) };
      default:
        return {};
    }
  };

  const submit = async (values: Values) => {
    if (!action || !d) return;
    setSending(true);
    setError(null);
    try {
      await post(`/service/dispatches/${d.id}/${action}`, { version: d.version, ...bodyOf(values) }, key);
      message.success(fmt(m.done, { action: mm[`dact_${action}`] ?? action }));
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(problemText(err, lang, m));
        onDone();
      } else {
        setError(problemText(err, lang, m));
        markServerFields(form, err, m);
      }
    } finally {
      setSending(false);
    }
  };

  const timeRule = (notBefore?: string) => ({
    validator: async (_r: unknown, v: string | undefined) => {
      if (!v) return;
      const at = instantFromLocal(v);
      if (!at) throw new Error(m.timeInvalid);
      if (Date.parse(at) > Date.now() + 60_000) throw new Error(m.timeFuture);
      if (notBefore && Date.parse(at) < Date.parse(notBefore)) throw new Error(m.timeInvalid);
    },
  });

  let body: ReactNode = null;
  if (action === 'complete') body = <Typography.Paragraph>{m.confirm_complete}</Typography.Paragraph>;
  else if (action === 'cancel') {
    body = (
      <Form.Item name="reason" label={m.reason} rules={[requiredText(m, m.reason), lengthRule(m, m.reason, 2, 200)]}>
        <Input.TextArea rows={2} maxLength={200} autoFocus />
      </Form.Item>
    );
  } else if (action === 'arrive') {
    body = (
      <Form.Item name="arrivedAt" label={m.arrivedAt} extra={m.nowIfEmpty} rules={[timeRule(d?.clockStartsAt)]}>
        <Input type="datetime-local" autoFocus />
      </Form.Item>
    );
  } else if (action === 'record_notice') {
    body = (
      <>
        <Typography.Paragraph type="secondary">{m.dispatchIntro}</Typography.Paragraph>
        <Form.Item
          name="promisedOn"
          label={m.promisedOn}
          rules={[
            { required: true, message: fmt(m.required, { field: m.promisedOn }) },
            {
              validator: async (_r, v: string | undefined) => {
                if (v && (!/^\d{4}-\d{2}-\d{2}$/.test(v) || v < today)) throw new Error(m.dateInvalid);
              },
            },
          ]}
        >
          <Input type="date" min={today} autoFocus style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="channel" label={m.channel} initialValue="phone" rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.channel }) }]}>
          <Select options={noticeChannels.map((c) => ({ value: c, label: mm[`ch_${c}`] ?? c }))} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="toldAt" label={m.toldAt} extra={m.nowIfEmpty} rules={[timeRule(d?.clockStartsAt)]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="note" label={m.noticeNote} rules={[lengthRule(m, m.noticeNote, 0, 500)]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </>
    );
  }

  return (
    <Modal
      open={target !== null}
      title={action && d ? `${mm[`dact_${action}`] ?? action} · ${fmt(m.dispatchId, { id: d.id })}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={m.send}
      cancelText={m.cancel}
      confirmLoading={sending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="action-error" />}
      <Form form={form} name={`dispatch-${action ?? 'none'}`} layout="vertical" onFinish={submit}>
        {body}
      </Form>
    </Modal>
  );
}

/** S5.4: registers another visit of a record (the repair after a paid inspection, a second lead). */
export function RegisterDispatchModal({ open, view, onClose, onDone }: { open: boolean; view: RecordView; onClose: () => void; onDone: () => void }) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { role } = useSignedIn();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values & { leadUserId?: number }>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const leads = useLeads(open && role !== 'field_lead');
  const today = shanghaiToday();

  useEffect(() => {
    setError(null);
    setKey(newIdempotencyKey());
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: Values & { leadUserId?: number }) => {
    setSending(true);
    setError(null);
    try {
      await post(
        '/service/dispatches',
        {
          recordId: view.id,
          ...(v.leadUserId ? { leadUserId: v.leadUserId } : {}),
          ...(v.plannedOn ? { plannedArrival: v.plannedOn } : {}),
          ...((v.note ?? '').trim() ? { note: (v.note ?? '').trim() } : {}),
        },
        key,
      );
      message.success(m.dispatchRegistered);
      onDone();
    } catch (err) {
      setError(problemText(err, lang, m));
      markServerFields(form, err, m, { plannedArrival: 'plannedOn' });
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal open={open} title={m.registerDispatch} onCancel={onClose} onOk={() => form.submit()} okText={m.send} cancelText={m.cancel} confirmLoading={sending} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} name="register-dispatch" layout="vertical" onFinish={submit} initialValues={{ leadUserId: view.record.assignee?.userId }}>
        {role !== 'field_lead' && (
          <Form.Item name="leadUserId" label={m.lead} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.lead }) }]}>
            <Select
              loading={leads.loading}
              options={(leads.data ?? []).map((l) => ({ value: l.userId, label: l.displayName }))}
              notFoundContent={m.noLeads}
            />
          </Form.Item>
        )}
        <Form.Item name="plannedOn" label={m.plannedOn} rules={[{ validator: async (_r, v: string | undefined) => { if (v && v < today) throw new Error(m.dateInvalid); } }]}>
          <Input type="date" min={today} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="note" label={m.note} rules={[lengthRule(m, m.note, 0, 500)]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
