/**
 * S1.10 "send to design and merchandise to verify": a supervisor opens a task
 * from the inbox (agents open theirs from the refund). The order, the refund
 * if there is one, the departments, the problem in the seed's words, the
 * buyer's exact description and up to 9 photos, uploaded first as evidence
 * (POST /api/v1/evidence) and sent as `evidence:<id>`. The server remarks the
 * order with the problem.
 */
import { Alert, App as AntApp, Checkbox, Form, Input, Modal, Select } from 'antd';
import { PhotoUpload, photoRefs, type PhotoFile } from '../../../shared/PhotoUpload.tsx';
import { useState } from 'react';
import { post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { tasksMessages } from './messages.ts';
import { departments, limits, shoeProblems, type Department, type ShoeProblem } from './model.ts';
import { markServerIssues, textBetween, useSubmitKey, type SideRecord } from './records.ts';


interface Values {
  orderNo: string;
  refundId?: string;
  departments: Department[];
  problem: ShoeProblem;
  description: string;
}

export function NewTaskForm({
  open,
  onClose,
  onCreated,
  initial,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: number) => void;
  /** opened from a refund (issue 15 §1): its order and refund, fixed, and the buyer's words to start from */
  initial?: { orderNo: string; refundId: number; description?: string };
}) {
  const m = useMessages(tasksMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<PhotoFile[]>([]);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submitKey = useSubmitKey();


  const submit = async (values: Values) => {
    if (files.some((f) => f.status === 'uploading')) {
      setError(m.photosUploading);
      return;
    }
    setSending(true);
    setError(null);
    try {
      const photos = photoRefs(files);
      const body = {
        orderNo: values.orderNo.trim(),
        ...(values.refundId?.trim() ? { refundId: Number(values.refundId.trim()) } : {}),
        departments: values.departments,
        problem: values.problem,
        description: values.description.trim(),
        photos,
      };
      const created = await post<SideRecord<unknown>>('/records/department_task', body, submitKey.key());
      submitKey.settle();
      message.success(fmt(m.created, { id: created.id }));
      form.resetFields();
      setFiles([]);
      onCreated(created.id);
    } catch (err) {
      submitKey.settle(err);
      setError(errorText(err, lang));
      markServerIssues(form, err, lang, m.fieldHint, ['orderNo', 'refundId', 'departments', 'problem', 'description']);
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
      okButtonProps={{ loading: sending, htmlType: 'submit', form: 'new-department-task' }}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        id="new-department-task"
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          departments: [...departments],
          ...(initial ? { orderNo: initial.orderNo, refundId: String(initial.refundId), description: initial.description?.slice(0, limits.description) ?? '' } : {}),
        }}
      >
        <Form.Item
          name="orderNo"
          label={m.orderNo}
          rules={[
            { required: true, whitespace: true, message: m.orderNoRequired },
            { max: limits.orderNo, message: m.orderNoTooLong },
          ]}
        >
          <Input autoFocus={!initial} readOnly={!!initial} autoComplete="off" />
        </Form.Item>
        <Form.Item name="refundId" label={m.refundId} rules={[{ pattern: /^\s*[1-9]\d{0,9}\s*$/, message: m.refundIdInvalid }]}>
          <Input inputMode="numeric" readOnly={!!initial} autoComplete="off" />
        </Form.Item>
        <Form.Item name="departments" label={m.departments} rules={[{ required: true, type: 'array', min: 1, message: m.departmentsRequired }]}>
          <Checkbox.Group options={departments.map((d) => ({ value: d, label: m[`dept_${d}`] }))} />
        </Form.Item>
        <Form.Item name="problem" label={m.problem} rules={[{ required: true, message: m.problemRequired }]}>
          <Select options={shoeProblems.map((p) => ({ value: p, label: m[`problem_${p}`] }))} />
        </Form.Item>
        <Form.Item
          name="description"
          label={m.description}
          rules={[{ required: true, validator: (_, v: string | undefined) => textBetween(v, limits.descriptionMin, limits.description, m.descriptionRequired) }]}
        >
          <Input.TextArea rows={3} showCount maxLength={limits.description} placeholder={m.descriptionPlaceholder} />
        </Form.Item>
        <Form.Item label={m.photos} extra={m.photosHelp}>
          <PhotoUpload fileList={files} onChange={setFiles} max={limits.photos} buttonLabel={m.upload} />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}
