/**
 * S5.3 the hotline: the clerk finds the product (customer, serial or site),
 * records who called and the fault, whether it was solved on the phone
 * (S5.8), or an emergency (work first, paperwork after, S5.8); the answer
 * says at once whether the product is in warranty, and why (S5.1).
 */
import { Alert, App as AntApp, Button, Card, Col, Form, Input, Result, Row, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { ArchiveLine, ArchivePicker } from './ArchivePicker.tsx';
import { useDeskLinks } from './links.tsx';
import { serviceMessages } from './messages.ts';
import { EMERGENCY_OPENERS, instantFromLocal, type ArchiveView, type Lead, type RecordView } from './model.ts';
import { lengthRule, markServerFields, normalizePhone, phoneRule, problemText, requiredText, StatusTag, WarrantyTag } from './parts.tsx';

interface Values {
  archiveId?: number | null;
  callerName?: string;
  callerPhone?: string;
  callerOrganisation?: string;
  calledAt?: string;
  fault?: string;
  solved?: boolean;
  solution?: string;
  emergency?: boolean;
  leadUserId?: number;
  unit?: 'project' | 'rnd_production';
  emergencyNote?: string;
}

/** The shop's project and R&D/production leads (GET /service/leads), for assigning a record or an emergency. */
export function useLeads(enabled = true) {
  return useLoad((signal) => (enabled ? get<Lead[] | { items: Lead[] }>('/service/leads', undefined, signal).then(listOf) : Promise.resolve([] as Lead[])), [enabled]);
}

/** A list answer, bare or as {items}. */
export function listOf<T>(answer: T[] | { items: T[] }): T[] {
  return Array.isArray(answer) ? answer : answer.items;
}

/** POST /service/records: the call (S5.3), solved on the phone (S5.8), or an emergency with its lead (S5.8). */
export function bodyOfCall(v: Values): Record<string, unknown> {
  const text = (s: string | undefined) => (s ?? '').trim();
  const opt = (s: string | undefined) => (text(s) ? text(s) : undefined);
  const calledAt = instantFromLocal(v.calledAt);
  return {
    ...(v.archiveId ? { archiveId: v.archiveId } : {}),
    caller: {
      ...(opt(v.callerName) ? { name: text(v.callerName) } : {}),
      ...(opt(v.callerPhone) ? { phone: normalizePhone(text(v.callerPhone)) ?? text(v.callerPhone) } : {}),
      ...(opt(v.callerOrganisation) ? { organisation: text(v.callerOrganisation) } : {}),
    },
    ...(opt(v.fault) ? { fault: text(v.fault) } : {}),
    solvedOnPhone: !!v.solved && !v.emergency,
    ...(v.solved && !v.emergency ? { solution: text(v.solution) } : {}),
    ...(v.emergency
      ? { emergency: { ...(v.leadUserId ? { assignee: { userId: v.leadUserId, unit: v.unit ?? 'project' } } : {}), ...(opt(v.emergencyNote) ? { note: text(v.emergencyNote) } : {}) } }
      : {}),
    ...(calledAt ? { calledAt } : {}),
  };
}

export function CallForm() {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { role, user } = useSignedIn();
  const { message } = AntApp.useApp();
  const links = useDeskLinks();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [key, setKey] = useState(newIdempotencyKey);
  const [answer, setAnswer] = useState<RecordView | null>(null);
  const [archive, setArchive] = useState<ArchiveView | null>(null);
  const solved = Form.useWatch('solved', form);
  const emergency = Form.useWatch('emergency', form);
  const mayEmergency = EMERGENCY_OPENERS.includes(role);
  const leads = useLeads(mayEmergency);
  const leadList = leads.data ?? [];

  // opened from an archive ("record a call for this product")
  const preset = useLoad(
    (signal) => (links.callFor === null ? Promise.resolve(null) : get<ArchiveView>(`/service/archives/${links.callFor}`, undefined, signal)),
    [links.callFor],
  );
  useEffect(() => {
    if (preset.data) {
      setArchive(preset.data);
      form.setFieldValue('archiveId', preset.data.id);
    }
  }, [preset.data, form]);

  useEffect(() => {
    // a field lead opening an emergency is the lead himself
    if (role === 'field_lead' && user) form.setFieldsValue({ emergency: true, leadUserId: user.id });
  }, [role, user, form]);

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      const view = await post<RecordView>('/service/records', bodyOfCall(values), key);
      message.success(fmt(m.callRecorded, { id: view.id }));
      setAnswer(view);
    } catch (err) {
      setError(problemText(err, lang, m));
      markServerFields(form, err, m, {
        'caller.name': 'callerName',
        'caller.phone': 'callerPhone',
        callerName: 'callerName',
        callerPhone: 'callerPhone',
        archive: 'archiveId',
        archiveId: 'archiveId',
        'solvedOnPhone.solution': 'solution',
        solution: 'solution',
        'caller.organisation': 'callerOrganisation',
        'emergency.assignee': 'leadUserId',
        'emergency.assignee.userId': 'leadUserId',
        'emergency.note': 'emergencyNote',
      });
    } finally {
      setSending(false);
    }
  };

  const another = () => {
    setAnswer(null);
    setArchive(null);
    setKey(newIdempotencyKey());
    form.resetFields();
    links.clearCallFor();
  };

  if (answer) {
    const r = answer.record;
    const next =
      answer.status === 'closed_on_phone'
        ? m.nextClosedOnPhone
        : r.emergency
          ? m.nextEmergency
          : answer.status === 'awaiting_decision'
            ? m.nextOutOfWarranty
            : m.nextInWarranty;
    return (
      <Result
        status={r.warranty?.inWarranty ? 'success' : 'warning'}
        title={fmt(m.callRecorded, { id: answer.id })}
        subTitle={
          <Space orientation="vertical" data-testid="call-answer">
            <Space wrap>
              <Typography.Text strong>{m.answerTitle}:</Typography.Text>
              <WarrantyTag warranty={r.warranty} showReason />
            </Space>
            <Space>
              <StatusTag status={answer.status} />
              <Typography.Text>{next}</Typography.Text>
            </Space>
          </Space>
        }
        extra={[
          <Button type="primary" key="open" onClick={() => links.openRecord(answer.id)}>
            {fmt(m.openRecord, { id: answer.id })}
          </Button>,
          <Button key="again" onClick={another}>
            {m.anotherCall}
          </Button>,
        ]}
      />
    );
  }

  return (
    <Card>
      <Typography.Paragraph type="secondary">{m.hotlineIntro}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
      <Form form={form} name="call" layout="vertical" onFinish={submit} initialValues={{ unit: 'project' }} data-testid="call-form">
        <Row gutter={12}>
          <Col span={24}>
            <Form.Item
              name="archiveId"
              label={m.findProduct}
              rules={[
                {
                  validator: async (_r, v: number | null | undefined) => {
                    if (!v && !form.getFieldValue('emergency')) throw new Error(m.productRequired);
                  },
                },
              ]}
              dependencies={['emergency']}
            >
              <ArchivePicker initial={archive} onChange={(_id, a) => setArchive(a)} />
            </Form.Item>
            {archive && (
              <Alert
                style={{ marginBottom: 16 }}
                type={archive.warranty.inWarranty ? 'success' : 'warning'}
                title={<ArchiveLine a={archive} />}
                description={lang === 'en' ? archive.warranty.reason.en : archive.warranty.reason['zh-CN']}
                data-testid="chosen-archive"
              />
            )}
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name="callerName"
              label={m.callerName}
              dependencies={['emergency']}
              rules={[{ required: !emergency, whitespace: true, message: fmt(m.required, { field: m.callerName }) }, lengthRule(m, m.callerName, 1, 40)]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="callerOrganisation" label={m.callerOrganisation} rules={[lengthRule(m, m.callerOrganisation, 0, 100)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item
              name="callerPhone"
              label={m.callerPhone}
              dependencies={['emergency']}
              rules={[{ required: !emergency, whitespace: true, message: fmt(m.required, { field: m.callerPhone }) }, phoneRule(m)]}
            >
              <Input inputMode="tel" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="calledAt" label={m.calledAt} extra={m.nowIfEmpty} rules={[{ validator: async (_r, v: string | undefined) => { if (v && !instantFromLocal(v)) throw new Error(m.timeInvalid); if (v && Date.parse(instantFromLocal(v)!) > Date.now() + 60_000) throw new Error(m.timeFuture); } }]}>
              <Input type="datetime-local" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item
              name="fault"
              label={m.fault}
              dependencies={['emergency']}
              rules={[{ required: !emergency, whitespace: true, message: fmt(m.required, { field: m.fault }) }, lengthRule(m, m.fault, 2, 1000)]}
            >
              <Input.TextArea rows={3} maxLength={1000} showCount />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="solved" label={m.solvedOnPhone} valuePropName="checked">
              <Switch disabled={!!emergency} />
            </Form.Item>
          </Col>
          {mayEmergency && (
            <Col xs={24} md={12}>
              <Form.Item name="emergency" label={m.emergency} valuePropName="checked" extra={m.emergencyHelp}>
                <Switch disabled={!!solved || role === 'field_lead'} />
              </Form.Item>
            </Col>
          )}
          {solved && (
            <Col span={24}>
              <Form.Item name="solution" label={m.solution} rules={[requiredText(m, m.solution), lengthRule(m, m.solution, 2, 1000)]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Col>
          )}
          {emergency && (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="leadUserId" label={m.emergencyLead} rules={[{ required: true, message: fmt(m.chooseRequired, { field: m.emergencyLead }) }]}>
                  <Select
                    disabled={role === 'field_lead'}
                    loading={leads.loading}
                    notFoundContent={m.noLeads}
                    options={
                      role === 'field_lead' && user
                        ? [{ value: user.id, label: user.displayName }]
                        : leadList.map((l) => ({ value: l.userId, label: l.displayName }))
                    }
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="unit" label={m.leadUnit} rules={[{ required: true }]}>
                  <Select
                    options={[
                      { value: 'project', label: m.unit_project },
                      { value: 'rnd_production', label: m.unit_rnd_production },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col span={24}>
                <Form.Item name="emergencyNote" label={m.emergencyNote} rules={[lengthRule(m, m.emergencyNote, 0, 500)]}>
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
        <Button type="primary" htmlType="submit" loading={sending} data-testid="record-call">
          {m.recordCall}
        </Button>
      </Form>
    </Card>
  );
}
