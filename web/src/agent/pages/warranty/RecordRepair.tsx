/**
 * Recording a 三包 repair done at a manufacturer's service centre (POST
 * /devices/{id}/repairs, issue 13), from the centre's repair record: the item,
 * the fault (on the national list when known), the centre, the day it went in
 * and the day it came back. Its days extend the 三包有效期; two repairs of the
 * same fault give an exchange of the host. Repairs through our own send-backs
 * are recorded by themselves.
 */
import { Alert, App as AntApp, DatePicker, Form, Input, Modal, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { accessoryKinds, type ItemPart } from '../../../../../src/core/warranty/policy.ts';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import type { DeviceDetail, DeviceRepair } from '../../../shared/warranty-types.ts';
import { markServerIssues, textBetween, useSubmitKey } from '../tasks/records.ts';
import { warrantyMessages } from './messages.ts';
import { usePolicy } from './model.ts';

interface Values {
  part: ItemPart;
  faultCode?: string | null;
  fault: string;
  centreName: string;
  startedOn: Dayjs;
  finishedOn?: Dayjs | null;
  note?: string;
}

export function RecordRepair({ device, open, onClose, onRecorded }: { device: DeviceDetail; open: boolean; onClose: () => void; onRecorded: (repair: DeviceRepair) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const { policy } = usePolicy();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();
  const part = (Form.useWatch('part', form) as ItemPart | undefined) ?? 'host';
  // a host exchanged in starts its history on the exchange day; accessories on the sale's
  const firstDay = dayjs(part === 'host' && device.hostPeriodsFrom ? device.hostPeriodsFrom : device.purchaseDate);
  const parts = ['host' as const, ...accessoryKinds.filter((k) => device.accessories.some((a) => a.kind === k))];
  const codes = policy.performanceFaults.filter((f) => f.parts.includes(part));

  const submit = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      const repair = await post<DeviceRepair>(
        `/devices/${device.id}/repairs`,
        {
          part: v.part,
          ...(v.faultCode ? { faultCode: v.faultCode } : {}),
          fault: v.fault.trim(),
          centreName: v.centreName.trim(),
          startedOn: v.startedOn.format('YYYY-MM-DD'),
          ...(v.finishedOn ? { finishedOn: v.finishedOn.format('YYYY-MM-DD') } : {}),
          ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        },
        submitKey.key(),
      );
      submitKey.settle();
      message.success(m.repairRecorded);
      form.resetFields();
      onRecorded(repair);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['part', 'faultCode', 'fault', 'centreName', 'startedOn', 'finishedOn', 'note']);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={m.recordRepair}
      onCancel={onClose}
      okText={m.recordRepair}
      cancelText={m.cancel}
      okButtonProps={{ loading: sending, htmlType: 'submit', form: 'warranty-record-repair', ...{ 'data-testid': 'submit-record-repair' } }}
      destroyOnHidden
      width={640}
    >
      <Typography.Paragraph type="secondary">{m.recordRepairHint}</Typography.Paragraph>
      <Form<Values> id="warranty-record-repair" form={form} layout="vertical" onFinish={submit} initialValues={{ part: 'host' }}>
        <Space wrap align="start">
          <Form.Item name="part" label={m.repairPart} rules={[{ required: true }]}>
            <Select style={{ width: 180 }} options={parts.map((p) => ({ value: p, label: p === 'host' ? m.part_host : m[`acc_${p}`] }))} onChange={() => form.setFieldValue('faultCode', null)} />
          </Form.Item>
          <Form.Item name="faultCode" label={m.repairFaultCode}>
            <Select allowClear style={{ width: 320 }} placeholder={m.faultCodeNone} options={codes.map((f) => ({ value: f.code, label: f.textZh }))} />
          </Form.Item>
        </Space>
        <Form.Item name="fault" label={m.repairFault} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 500, m.repairFaultRequired) }]}>
          <Input.TextArea rows={2} showCount maxLength={500} />
        </Form.Item>
        <Form.Item name="centreName" label={m.repairCentre} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 100, m.repairCentreRequired) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item
            name="startedOn"
            label={m.repairStartedOn}
            rules={[
              { required: true, message: m.repairStartedOnRequired },
              {
                validator: (_, d: Dayjs | undefined) =>
                  !d ? Promise.resolve() : d.isAfter(dayjs(), 'day') ? Promise.reject(new Error(m.dateInFuture)) : d.isBefore(firstDay, 'day') ? Promise.reject(new Error(m.repairBeforeSale)) : Promise.resolve(),
              },
            ]}
          >
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(firstDay, 'day')} />
          </Form.Item>
          <Form.Item
            name="finishedOn"
            label={m.repairFinishedOn}
            dependencies={['startedOn']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, d: Dayjs | null | undefined) => {
                  const s = getFieldValue('startedOn') as Dayjs | undefined;
                  if (!d) return Promise.resolve();
                  if (d.isAfter(dayjs(), 'day')) return Promise.reject(new Error(m.dateInFuture));
                  return s && d.isBefore(s, 'day') ? Promise.reject(new Error(m.repairFinishBeforeStart)) : Promise.resolve();
                },
              }),
            ]}
          >
            <DatePicker format="YYYY-MM-DD" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={m.repairNote} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {m.repairsRuleHint}
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
