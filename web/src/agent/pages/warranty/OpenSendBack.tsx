/**
 * An agent opens a send-back for a device (POST /send-backs, S4.3), e.g. after
 * a call: the item and the fault as the buyer describes it (标注手机原因). The
 * buyer's consent to the testing terms is recorded next, on the send-back.
 */
import { Alert, App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { accessoryKinds, type ItemPart } from '../../../../../src/core/warranty/policy.ts';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { DeviceDetail, SendBackView } from '../../../shared/warranty-types.ts';
import { textBetween, useSubmitKey } from '../tasks/records.ts';
import { warrantyMessages } from './messages.ts';

export function OpenSendBack({ device, open, onClose, onOpened }: { device: DeviceDetail; open: boolean; onClose: () => void; onOpened: (id: number) => void }) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ part: ItemPart; faultDescription: string }>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();

  const submit = async (v: { part: ItemPart; faultDescription: string }) => {
    setSending(true);
    setError(null);
    try {
      const origin = v.part === 'host' ? 'original' : (device.accessories.find((a) => a.kind === v.part)?.origin ?? 'original');
      const opened = await post<SendBackView>('/send-backs', { deviceId: device.id, item: { part: v.part, origin }, faultDescription: v.faultDescription.trim() }, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.sendBackOpened, { id: opened.id }));
      onOpened(opened.id);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
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
      <Form id="warranty-open-send-back" form={form} layout="vertical" onFinish={submit} initialValues={{ part: 'host' }}>
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
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
