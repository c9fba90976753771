/**
 * An agent opens a send-back for a device (POST /send-backs, S4.3), e.g. after
 * a call: the item and the fault as the buyer describes it (标注手机原因), and
 * the day the buyer first reported it (issue 13: the periods count to that
 * day, not to the day the send-back is opened), with where and the written
 * trace when it was before today. The buyer's consent to the testing terms is
 * recorded next, on the send-back.
 */
import { Alert, App as AntApp, DatePicker, Form, Input, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { accessoryKinds, type ItemPart } from '../../../../../src/core/warranty/policy.ts';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { DeviceDetail, SendBackView } from '../../../shared/warranty-types.ts';
import { markServerIssues, textBetween, useSubmitKey } from '../tasks/records.ts';
import { warrantyMessages } from './messages.ts';

interface Values {
  part: ItemPart;
  faultDescription: string;
  faultReportedOn?: Dayjs | null;
  faultReportedVia?: 'wangwang' | 'phone' | 'service_centre' | null;
  faultReportedNote?: string;
}

export function OpenSendBack({ device, open, onClose, onOpened }: { device: DeviceDetail; open: boolean; onClose: () => void; onOpened: (id: number) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();

  const reportedOn = Form.useWatch('faultReportedOn', form) as Dayjs | null | undefined;
  const earlier = !!reportedOn && reportedOn.isBefore(dayjs(), 'day');
  const submit = async (v: Values) => {
    setSending(true);
    setError(null);
    try {
      const origin = v.part === 'host' ? 'original' : (device.accessories.find((a) => a.kind === v.part)?.origin ?? 'original');
      const reported =
        v.faultReportedOn && v.faultReportedOn.isBefore(dayjs(), 'day')
          ? { faultReportedOn: v.faultReportedOn.format('YYYY-MM-DD'), faultReportedVia: v.faultReportedVia, faultReportedNote: v.faultReportedNote?.trim() }
          : {};
      const opened = await post<SendBackView>('/send-backs', { deviceId: device.id, item: { part: v.part, origin }, faultDescription: v.faultDescription.trim(), ...reported }, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.sendBackOpened, { id: opened.id }));
      onOpened(opened.id);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['faultDescription', 'faultReportedOn', 'faultReportedVia', 'faultReportedNote']);
    } finally {
      setSending(false);
    }
  };

  const parts = ['host' as const, ...accessoryKinds.filter((k) => device.accessories.some((a) => a.kind === k))];
  return (
    <Modal
      open={open}
      title={m.openSendBack}
      onCancel={onClose}
      okText={m.openSendBack}
      cancelText={m.cancel}
      okButtonProps={{ loading: sending, htmlType: 'submit', form: 'warranty-open-send-back' }}
      destroyOnHidden
    >
      <Form<Values> id="warranty-open-send-back" form={form} layout="vertical" onFinish={submit} initialValues={{ part: 'host' }}>
        <Form.Item name="part" label={m.item} rules={[{ required: true }]}>
          <Select options={parts.map((p) => ({ value: p, label: p === 'host' ? m.part_host : m[`acc_${p}`] }))} />
        </Form.Item>
        <Form.Item
          name="faultDescription"
          label={m.faultDescription}
          extra={m.faultDescriptionHint}
          rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 500, m.faultDescriptionRequired) }]}
        >
          <Input.TextArea rows={3} showCount maxLength={500} />
        </Form.Item>
        <Form.Item name="faultReportedOn" label={m.faultReportedOn} extra={m.faultReportedOnHint}>
          <DatePicker
            format="YYYY-MM-DD"
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || d.isBefore(dayjs(device.hostPeriodsFrom ?? device.purchaseDate), 'day')}
            data-testid="fault-reported-on"
          />
        </Form.Item>
        {earlier ? (
          <>
            <Form.Item name="faultReportedVia" label={m.faultReportedVia} rules={[{ required: true, message: m.faultReportedViaRequired }]}>
              <Select
                options={[
                  { value: 'wangwang', label: m.via_wangwang },
                  { value: 'phone', label: m.via_phone },
                  { value: 'service_centre', label: m.via_service_centre },
                ]}
              />
            </Form.Item>
            <Form.Item name="faultReportedNote" label={m.faultReportedNote} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 2, 500, m.faultReportedNoteRequired) }]}>
              <Input.TextArea rows={2} showCount maxLength={500} />
            </Form.Item>
          </>
        ) : null}
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
