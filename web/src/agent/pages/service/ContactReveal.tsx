/**
 * Customers' phone numbers and site addresses on the desk come masked
 * (138****1234, the address down to the district), as buyers' do on the
 * refund page's order facts. The roles that need them for their work (the
 * clerk who calls customers, the field lead who goes on site, the supervisor:
 * service.pii.reveal) reveal them here with a reason, which the server keeps
 * in the audit trail; everyone else sees no button.
 */
import { App as AntApp, Button, Form, Input, Modal, Tag } from 'antd';
import { useState } from 'react';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { useLang, useMessages } from '../../../shared/i18n.tsx';
import { useSignedIn } from '../../../shared/session.tsx';
import { textRule } from '../refund/rules.ts';
import { serviceMessages } from './messages.ts';
import { CONTACT_REVEALERS } from './model.ts';

export type ContactField = 'phone' | 'address';

/**
 * "查看完整信息": asks for the reason, posts it to `url` (an archive's or a
 * record's /reveal) and hands the answer over; once revealed, a tag says the
 * look is in the audit trail.
 */
export function ContactReveal<T>({
  url,
  fields = ['phone', 'address'],
  revealed,
  onRevealed,
  ariaLabel,
  testId = 'reveal-contact',
}: {
  url: string;
  fields?: ContactField[];
  revealed: boolean;
  onRevealed: (answer: T) => void;
  ariaLabel?: string;
  testId?: string;
}) {
  const m = useMessages(serviceMessages);
  const { lang } = useLang();
  const { role } = useSignedIn();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  if (revealed) {
    return (
      <Tag color="gold" data-testid={`${testId}-done`}>
        {m.contactRevealed}
      </Tag>
    );
  }
  if (!CONTACT_REVEALERS.includes(role)) return null;

  const reveal = async (reason: string) => {
    setBusy(true);
    try {
      const answer = await post<T>(url, { fields, reason }, newIdempotencyKey());
      onRevealed(answer);
      setOpen(false);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button size="small" className="no-print" onClick={() => setOpen(true)} aria-label={ariaLabel} data-testid={testId}>
        {m.revealContact}
      </Button>
      <Modal
        open={open}
        title={m.revealContactTitle}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={[
          <Button key="cancel" onClick={() => setOpen(false)}>
            {m.cancel}
          </Button>,
          <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()}>
            {m.revealOk}
          </Button>,
        ]}
      >
        <Form form={form} layout="vertical" onFinish={(v) => void reveal(v.reason.trim())}>
          <Form.Item label={m.revealReason} name="reason" required rules={[textRule(2, 200, m.revealReasonRequired)]}>
            <Input autoFocus placeholder={m.revealReasonPlaceholder} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
