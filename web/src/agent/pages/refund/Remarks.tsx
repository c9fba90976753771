/**
 * The order remarks (订单备注, S1.21: read them first) with the add form, the
 * contacts with the buyer (S1.5, S1.15), and the evidence on the refund.
 */
import { App as AntApp, Button, Card, Form, Input, Select, Tag, Typography } from 'antd';
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { OrderDetail, RefundDetail } from '../../../shared/types.ts';
import { EvidenceList } from './Evidence.tsx';
import { detailMessages } from './messages.ts';
import { recordSummary } from './records.ts';
import type { WorkRecord } from './types.ts';

const flagColours = ['default', 'red', 'gold', 'green', 'blue', 'purple'] as const;
const REMARK_MAX_BYTES = 1000;
const encoder = new TextEncoder();

export interface RemarksHandle {
  focus: () => void;
}

export const Remarks = forwardRef<RemarksHandle, { order: OrderDetail; mayAdd: boolean; onAdded: () => void }>(function Remarks({ order, mayAdd, onAdded }, ref) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string; flag: number }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textRef = useRef<HTMLTextAreaElement | null>(null);
  useImperativeHandle(ref, () => ({ focus: () => textRef.current?.focus() }), []);
  const remarks = order.remarks ?? [];
  const flagNames = [m.flag0, m.flag1, m.flag2, m.flag3, m.flag4, m.flag5];

  const add = async (v: { text: string; flag: number }) => {
    setBusy(true);
    setError(null);
    try {
      await post(`/orders/${encodeURIComponent(order.orderNo)}/remarks`, { text: v.text.trim(), flag: v.flag }, newIdempotencyKey());
      form.resetFields();
      message.success(m.remarkAdded);
      onAdded();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.remarks}</h2>} style={{ marginBottom: 12 }} data-testid="remarks">
      {remarks.length === 0 ? (
        <Typography.Text type="secondary">{m.remarksEmpty}</Typography.Text>
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 320, overflowY: 'auto' }}>
          {[...remarks].reverse().map((r) => (
            <li key={r.id} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
              <div>
                {r.flag > 0 && <Tag color={flagColours[r.flag] ?? 'default'}>{flagNames[r.flag]}</Tag>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dateTime(r.createdAt, lang)} · {r.author}
                </Typography.Text>
              </div>
              <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{r.text}</div>
            </li>
          ))}
        </ol>
      )}
      {mayAdd && (
        <Form form={form} layout="vertical" onFinish={(v) => void add(v)} initialValues={{ flag: 0 }} style={{ marginTop: 12 }} className="no-print">
          <Form.Item
            label={m.remarkText}
            name="text"
            required
            rules={[
              {
                validator: (_, v: string | undefined) => {
                  const text = (v ?? '').trim();
                  if (!text) return Promise.reject(new Error(m.remarkRequired));
                  const bytes = encoder.encode(text).length;
                  return bytes <= REMARK_MAX_BYTES ? Promise.resolve() : Promise.reject(new Error(fmt(m.remarkTooLong, { bytes })));
                },
              },
            ]}
          >
            <Input.TextArea
              rows={2}
              ref={(el) => {
                textRef.current = el?.resizableTextArea?.textArea ?? null;
              }}
            />
          </Form.Item>
          <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
            <Form.Item label={m.remarkFlag} name="flag" style={{ marginBottom: 0 }} layout="horizontal">
              <Select style={{ width: 110 }} options={flagNames.map((label, value) => ({ value, label }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {m.addRemark}
            </Button>
          </div>
          {error && (
            <div role="alert" style={{ marginTop: 8 }}>
              <Typography.Text type="danger">{error}</Typography.Text>
            </div>
          )}
        </Form>
      )}
    </Card>
  );
});

export function Contacts({ records }: { records: WorkRecord[] }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const contacts = records.filter((r) => r.kind === 'contact' || r.kind === 'reason_correction' || r.kind === 'retention').reverse();
  const kindName: Record<string, string> = { reason_correction: m.correction, retention: m.retention };
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.contacts}</h2>} style={{ marginBottom: 12 }} data-testid="contacts">
      {contacts.length === 0 ? (
        <Typography.Text type="secondary">{m.contactsEmpty}</Typography.Text>
      ) : (
        <ol style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 320, overflowY: 'auto' }}>
          {contacts.map((r) => {
            const [head, ...rest] = recordSummary(r, lang);
            return (
              <li key={r.id} style={{ padding: '6px 0', borderBottom: '1px solid #f0f0f0' }}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {dateTime(r.createdAt, lang)}
                </Typography.Text>{' '}
                {kindName[r.kind] && <Tag>{kindName[r.kind]}</Tag>}
                <Typography.Text strong>{head}</Typography.Text>
                {rest.map((line, i) => (
                  <div key={i} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                    {line}
                  </div>
                ))}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}

export function EvidenceCard({ refund }: { refund: RefundDetail }) {
  const m = useMessages(detailMessages);
  const refusal = refund.refusal?.evidence ?? [];
  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.evidence}</h2>} style={{ marginBottom: 12 }} data-testid="evidence">
      {refund.evidence.length === 0 && refusal.length === 0 && <Typography.Text type="secondary">{m.evidenceEmpty}</Typography.Text>}
      {refund.evidence.length > 0 && (
        <div>
          <Typography.Text strong>{m.buyerEvidence}</Typography.Text>
          <EvidenceList items={refund.evidence} />
        </div>
      )}
      {refusal.length > 0 && (
        <div style={{ marginTop: 8 }}>
          <Typography.Text strong>{m.refusalEvidence}</Typography.Text>
          <EvidenceList items={refusal} />
        </div>
      )}
    </Card>
  );
}
