/**
 * What the system knows about a checklist item, said where it comes from
 * (the warehouse's arrival record, an order remark, a logged call…), and
 * S1.13's three looks as one list — the one the guard refuses with — with
 * who pays the return postage recorded as a value (buyer or shop, the amount).
 */
import { App as AntApp, Button, Form, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { z } from 'zod';
import type { ZChecklistItem, ZFactSource, ZReturnPostage } from '../../../../../src/contract/schemas.ts';
import { put } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, parseYuan, yuan } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { detailMessages } from './messages.ts';

export type CheckItem = z.infer<typeof ZChecklistItem>;
export type FactSource = z.infer<typeof ZFactSource>;
export type ReturnPostage = z.infer<typeof ZReturnPostage>;

/** The item whose value is who pays the return postage (S1.13). */
export const isPostageItem = (item: Pick<CheckItem, 'doneWhen'>) => item.doneWhen === 'return_postage.recorded';

/** "系统已知：仓库到货登记 · 仓库-老陈 · 2026/11/02 10:00 · 不影响二次销售" */
export function FactSourceLine({ source }: { source: FactSource }) {
  const m = useMessages(detailMessages) as Record<string, string>;
  const { lang } = useLang();
  const what = [m[`source_${source.kind}`] ?? source.kind, source.by, source.at ? dateTime(source.at, lang) : null, source.text].filter(Boolean).join(' · ');
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} data-testid="fact-source" data-kind={source.kind}>
      {fmt(m.sourceLine!, { what })}
    </Typography.Text>
  );
}

/** "我们承担 ¥12.00" */
export function postageText(p: Pick<ReturnPostage, 'payer' | 'amountFen'>, m: { payerBuyer: string; payerShop: string; postageDecided: string }): string {
  return fmt(m.postageDecided, { payer: p.payer === 'shop' ? m.payerShop : m.payerBuyer, amount: yuan(p.amountFen) });
}

interface PostageValues {
  payer?: 'buyer' | 'shop';
  amount?: string;
  note?: string;
}

/** Who pays the return postage and how much: PUT /refunds/{id}/return-postage. */
export function ReturnPostageEditor({ refundId, current, onSaved, autoFocus = false }: { refundId: number; current: ReturnPostage | null | undefined; onSaved: () => void; autoFocus?: boolean }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<PostageValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (v: PostageValues) => {
    setBusy(true);
    setError(null);
    try {
      await put(`/refunds/${refundId}/return-postage`, { payer: v.payer, amountFen: parseYuan(v.amount ?? ''), ...(v.note?.trim() ? { note: v.note.trim() } : {}) });
      message.success(m.postageSaved);
      onSaved();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      layout="vertical"
      size="small"
      data-testid="return-postage-form"
      initialValues={{ payer: current?.payer, amount: current ? (current.amountFen / 100).toFixed(2) : '', note: current?.note ?? '' }}
      onFinish={(v) => void save(v)}
    >
      <Form.Item label={m.postagePayer} name="payer" rules={[{ required: true, message: m.postagePayer }]} style={{ marginBottom: 8 }}>
        <Radio.Group
          options={[
            { value: 'buyer', label: m.payerBuyer },
            { value: 'shop', label: m.payerShop },
          ]}
        />
      </Form.Item>
      <Space align="start" wrap>
        <Form.Item
          label={m.postageAmount}
          name="amount"
          dependencies={['payer']}
          style={{ marginBottom: 8 }}
          rules={[
            { required: true, message: m.postageAmountRequired },
            ({ getFieldValue }) => ({
              validator: async (_, value: string | undefined) => {
                if (!value) return;
                const fen = parseYuan(value);
                if (fen === null) throw new Error(m.postageAmountInvalid);
                if (fen > 50_000) throw new Error(m.postageAmountMax);
                if (fen === 0 && getFieldValue('payer') === 'shop') throw new Error(m.postageAmountShop);
              },
            }),
          ]}
        >
          <Input inputMode="decimal" prefix="¥" style={{ width: 120 }} autoFocus={autoFocus} />
        </Form.Item>
        <Form.Item label={m.postageNote} name="note" rules={[{ max: 200 }]} style={{ marginBottom: 8 }}>
          <Input maxLength={200} style={{ width: 220 }} />
        </Form.Item>
      </Space>
      {error && (
        <Typography.Paragraph type="danger" role="alert" style={{ marginBottom: 8 }}>
          {error}
        </Typography.Paragraph>
      )}
      <div>
        <Button htmlType="submit" type="primary" size="small" loading={busy} data-testid="return-postage-save">
          {m.postageSave}
        </Button>
      </div>
    </Form>
  );
}

/**
 * S1.13 as one list (the playbook's returnCheck): each look done or open, what the system knows and
 * from where, the postage value with its editor. The guard refuses with exactly the open items.
 */
export function ReturnCheckList({
  check,
  refundId,
  postage,
  mayEdit,
  onChanged,
}: {
  check: { items: CheckItem[]; missing: string[] };
  refundId: number;
  postage: ReturnPostage | null | undefined;
  mayEdit: boolean;
  onChanged: () => void;
}) {
  const m = useMessages(detailMessages);
  const [editing, setEditing] = useState(false);
  return (
    <section aria-label={m.returnCheckTitle} data-testid="return-check" style={{ marginBottom: 12 }}>
      <Typography.Text strong>{m.returnCheckTitle}</Typography.Text>
      <ul style={{ listStyle: 'none', paddingInlineStart: 0, margin: '6px 0' }}>
        {check.items.map((item) => (
          <li key={item.id} data-item={item.id} data-done={item.done} style={{ display: 'flex', gap: 8, marginBottom: 6 }}>
            <span aria-hidden="true" style={{ color: item.done ? '#389e0d' : '#8c8c8c', fontWeight: 700, width: 14 }}>
              {item.done ? '✓' : '○'}
            </span>
            <div style={{ flex: 1 }}>
              <span>{item.text}</span>
              {item.source && <FactSourceLine source={item.source} />}
              {isPostageItem(item) && mayEdit && (
                <div style={{ marginTop: 4 }}>
                  {editing || !postage ? (
                    <ReturnPostageEditor
                      refundId={refundId}
                      current={postage}
                      onSaved={() => {
                        setEditing(false);
                        onChanged();
                      }}
                    />
                  ) : (
                    <Button size="small" onClick={() => setEditing(true)} data-testid="return-postage-edit">
                      {m.postageEdit}
                    </Button>
                  )}
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
      {check.missing.length === 0 ? (
        <Typography.Text type="success" data-testid="return-check-done">
          {m.returnCheckAllDone}
        </Typography.Text>
      ) : (
        <Typography.Text type="warning" data-testid="return-check-open">
          {fmt(m.returnCheckOpen, { n: check.missing.length })} {check.missing.join('；')}
        </Typography.Text>
      )}
    </section>
  );
}
