/**
 * Recording a complaint (S1.17): where it came from, the complaint type as the
 * platform or buyer names it, the complaint itself, what the buyer asks for,
 * and the order and refund when known (the answer is built from them). Every
 * field is checked here as the engine checks it (validateComplaint) before
 * anything is sent. A phone complaint may name its S4.7 case (dead on
 * arrival, or our test report rejected), which brings its script to the
 * drawer. A new complaint is ordinary; S4.8 escalates it later.
 */
import { Alert, App as AntApp, AutoComplete, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { markServerIssues, textBetween, useSubmitKey, type SideRecord } from '../tasks/records.ts';
import { complaintsMessages } from './messages.ts';
import { complaintPhoneCases, complaintSources, limits, type ComplaintPhoneCase, type ComplaintSource } from './model.ts';

interface Values {
  source: ComplaintSource;
  phoneCase?: ComplaintPhoneCase | null;
  type: string;
  content: string;
  buyerDemands: string;
  orderNo?: string;
  refundId?: string;
}

export interface NewComplaintPrefill {
  orderNo?: string;
  refundId?: string;
}

export function NewComplaintForm({ open, prefill, onClose, onCreated }: { open: boolean; prefill: NewComplaintPrefill; onClose: () => void; onCreated: (id: number) => void }) {
  const m = useMessages(complaintsMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();
  const suggestions = [m.typeSuggest1, m.typeSuggest2, m.typeSuggest3, m.typeSuggest4, m.typeSuggest5, m.typeSuggest6].map((value) => ({ value }));

  const submit = async (values: Values) => {
    setSending(true);
    setError(null);
    try {
      const orderNo = values.orderNo?.trim();
      const refundId = values.refundId?.trim();
      const body = {
        source: values.source,
        ...(values.phoneCase ? { phoneCase: values.phoneCase } : {}),
        type: values.type.trim(),
        content: values.content.trim(),
        buyerDemands: values.buyerDemands.trim(),
        ...(orderNo ? { orderNo } : {}),
        ...(refundId ? { refundId: Number(refundId) } : {}),
      };
      const created = await post<SideRecord<unknown>>('/records/complaint', body, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.created, { id: created.id }));
      form.resetFields();
      onCreated(created.id);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['source', 'phoneCase', 'type', 'content', 'buyerDemands', 'orderNo', 'refundId']);
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open={open}
      title={m.newTitle}
      onCancel={onClose}
      okText={m.create}
      cancelText={m.close}
      okButtonProps={{ loading: sending, htmlType: 'submit', form: 'new-complaint' }}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        id="new-complaint"
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ source: 'platform', orderNo: prefill.orderNo ?? '', refundId: prefill.refundId ?? '' }}
      >
        <Form.Item name="source" label={m.source} rules={[{ required: true, message: m.sourceRequired }]}>
          <Select options={complaintSources.map((s) => ({ value: s, label: m[`source_${s}`] }))} />
        </Form.Item>
        <Form.Item name="phoneCase" label={m.phoneCaseOptional}>
          <Select allowClear placeholder={m.phoneCaseNone} options={complaintPhoneCases.map((c) => ({ value: c, label: m[`phoneCase_${c}`] }))} />
        </Form.Item>
        <Form.Item name="type" label={m.type} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 1, limits.type, m.typeRequired) }]}>
          <AutoComplete options={suggestions} placeholder={m.typePlaceholder} maxLength={limits.type} />
        </Form.Item>
        <Form.Item name="content" label={m.content} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 1, limits.content, m.contentRequired) }]}>
          <Input.TextArea rows={4} showCount maxLength={limits.content} placeholder={m.contentPlaceholder} />
        </Form.Item>
        <Form.Item name="buyerDemands" label={m.buyerDemands} rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, 1, limits.buyerDemands, m.demandsRequired) }]}>
          <Input.TextArea rows={2} showCount maxLength={limits.buyerDemands} placeholder={m.demandsPlaceholder} />
        </Form.Item>
        <Form.Item name="orderNo" label={m.orderNoOptional} rules={[{ max: limits.orderNo, message: m.orderNoTooLong }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="refundId" label={m.refundIdOptional} rules={[{ pattern: /^\s*([1-9]\d{0,9})?\s*$/, message: m.refundIdInvalid }]}>
          <Input inputMode="numeric" autoComplete="off" />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
