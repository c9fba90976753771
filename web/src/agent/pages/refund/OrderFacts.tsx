/**
 * The order's facts the agent looks at before deciding (S1.13 look 1, S1.15,
 * S1.16): the lines with SKU and size, what was paid, sign time, the parcel,
 * hot-selling / main-promoted and the rating; the buyer, masked, with a
 * reveal (a reason, audited) for the roles that may.
 */
import { App as AntApp, Button, Card, Descriptions, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { tradeStatusLabels } from '../../../../../src/contract/labels.ts';
import { newIdempotencyKey, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Order, Playbook } from '../../../shared/types.ts';
import { detailMessages } from './messages.ts';
import { textRule } from './rules.ts';
import { roleMay } from './types.ts';

type Line = Order['lines'][number];
type Product = NonNullable<Playbook['facts']>['products'][number];
interface Address {
  province: string;
  city: string;
  district: string;
  detail: string;
}

export function OrderFacts({ order, lineNo, facts, role }: { order: Order; lineNo: number | null; facts: Playbook['facts'] | undefined; role: string }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const products = new Map((facts?.products ?? []).map((p) => [p.sku, p]));
  const signedAt = facts?.signedAt ?? order.shipment?.signedAt ?? null;

  const flags = (p: Product | undefined) => {
    if (!p) return null;
    if (!p.known) return <Typography.Text type="warning">{m.productUnknown}</Typography.Text>;
    return (
      <span>
        <Tag color={p.hotSelling ? 'red' : 'default'}>
          {m.hotSelling}: {p.hotSelling ? m.yes : m.no}
        </Tag>
        <Tag color={p.mainPromoted ? 'orange' : 'default'}>
          {m.mainPromoted}: {p.mainPromoted ? m.yes : m.no}
        </Tag>
        <Tag>
          {m.rating}: {p.rating ?? '—'}
        </Tag>
      </span>
    );
  };

  return (
    <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.orderFacts}</h2>} style={{ marginBottom: 12 }} data-testid="order-facts">
      <Table<Line>
        size="small"
        rowKey="lineNo"
        pagination={false}
        aria-label={m.lines}
        dataSource={order.lines}
        rowClassName={(l) => (lineNo !== null && l.lineNo === lineNo ? 'row-active' : '')}
        columns={[
          { title: m.sku, key: 'sku', render: (_, l) => <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>{l.sku}</Typography.Text> },
          { title: m.lines, key: 'title', render: (_, l) => `${l.title} · ${l.style}` },
          { title: m.size, key: 'size', dataIndex: 'size' },
          { title: m.unitPrice, key: 'price', align: 'right', render: (_, l) => yuan(l.unitPriceFen) },
          { title: m.quantity, key: 'qty', align: 'right', dataIndex: 'quantity' },
          // issue 13 §7: what the line was paid after discounts, the most a refund of it can take
          { title: m.linePaid, key: 'paid', align: 'right', render: (_, l) => yuan(l.paidFen) },
          { title: `${m.hotSelling} / ${m.mainPromoted} / ${m.rating}`, key: 'flags', render: (_, l) => flags(products.get(l.sku)) },
        ]}
        scroll={{ x: 640 }}
      />
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        style={{ marginTop: 12 }}
        items={[
          { key: 'paid', label: m.paid, children: yuan(order.paidFen) },
          { key: 'postage', label: m.postage, children: yuan(order.postageFen) },
          { key: 'trade', label: m.tradeStatus, children: labelOf(tradeStatusLabels[order.status], lang, order.statusLabel) },
          {
            key: 'shipping',
            label: m.shipping,
            children: order.shipment ? (
              <span>
                {order.shipment.courier} <Typography.Text copyable>{order.shipment.trackingNo}</Typography.Text>
              </span>
            ) : (
              <Typography.Text type="warning">{m.notShipped}</Typography.Text>
            ),
          },
          { key: 'shippedAt', label: m.shippedAt, children: order.shipment ? dateTime(order.shipment.shippedAt, lang) : '—' },
          { key: 'signedAt', label: m.signedAt, children: signedAt ? dateTime(signedAt, lang) : <Typography.Text type="secondary">{m.notSigned}</Typography.Text> },
        ]}
      />
      <Buyer order={order} role={role} />
    </Card>
  );
}

function Buyer({ order, role }: { order: Order; role: string }) {
  const m = useMessages(detailMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<{ phone?: string; address?: Address } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const a = revealed?.address ?? order.buyer.address;
  const address = `${a.province} ${a.city} ${a.district} ${a.detail}`;

  const reveal = async (reason: string) => {
    setBusy(true);
    try {
      const answer = await post<{ phone?: string; address?: Address }>(`/orders/${encodeURIComponent(order.orderNo)}/reveal`, { fields: ['phone', 'address'], reason }, newIdempotencyKey());
      setRevealed(answer);
      setOpen(false);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Descriptions
        size="small"
        title={<span style={{ fontSize: 14 }}>{m.buyer}</span>}
        column={{ xs: 1, sm: 2, lg: 2 }}
        style={{ marginTop: 12 }}
        extra={
          roleMay.reveal(role) && !revealed ? (
            <Button size="small" onClick={() => setOpen(true)} className="no-print">
              {m.reveal}
            </Button>
          ) : revealed ? (
            <Tag color="gold">{m.revealed}</Tag>
          ) : null
        }
        items={[
          { key: 'nick', label: m.buyerNick, children: order.buyer.nick },
          { key: 'name', label: m.buyerName, children: order.buyer.name },
          { key: 'phone', label: m.phone, children: <span data-testid="buyer-phone">{revealed?.phone ?? order.buyer.phone}</span> },
          { key: 'address', label: m.address, children: <span data-testid="buyer-address">{address}</span> },
        ]}
      />
      <Modal
        open={open}
        title={m.revealTitle}
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
          <Form.Item
            label={m.revealReason}
            name="reason"
            required
            rules={[textRule(2, 200, m.revealReasonRequired)]}
          >
            <Input autoFocus placeholder={m.revealReasonPlaceholder} maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
