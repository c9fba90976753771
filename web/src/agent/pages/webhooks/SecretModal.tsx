/**
 * The signing secret, shown once (after adding an endpoint or giving it a new secret): a copy button, the
 * warning that it is not shown again, and how the receiver checks a signature. Closed only by "我已保存".
 */
import { Alert, Button, Modal, Typography } from 'antd';
import { fmt, useMessages } from '../../../shared/i18n.tsx';
import { webhookMessages } from './messages.ts';

export interface ShownSecret {
  url: string;
  secret: string;
  /** a new secret for an endpoint that had one */
  rotated: boolean;
}

export function SecretModal({ shown, onDone }: { shown: ShownSecret | null; onDone: () => void }) {
  const m = useMessages(webhookMessages);
  return (
    <Modal
      open={shown !== null}
      title={shown?.rotated ? m.secretNewTitle : m.secretTitle}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      // shown once: gone from the page (not just hidden) once closed
      destroyOnHidden
      width={600}
      footer={
        <Button type="primary" onClick={onDone} data-testid="secret-done">
          {m.secretDone}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={m.secretWarning} style={{ marginBottom: 12 }} />
      {shown && (
        <div data-testid="secret-modal">
          <Typography.Text type="secondary" style={{ wordBreak: 'break-all' }}>
            {fmt(m.secretFor, { url: shown.url })}
          </Typography.Text>
          <Typography.Paragraph
            code
            copyable={{ text: shown.secret, tooltips: [m.copy, m.copied] }}
            style={{ wordBreak: 'break-all', marginTop: 8, fontSize: 14 }}
            data-testid="webhook-secret"
          >
            {shown.secret}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }} data-testid="secret-howto">
            {m.secretHowTo}
          </Typography.Paragraph>
        </div>
      )}
    </Modal>
  );
}
