/**
 * One device sale: model, brand, IMEI/MEID, the order, the purchase and
 * delivery dates (the 三包 periods count from the purchase, S4.2), the
 * buyer's region (the card's service points, S4.1), the accessories each
 * marked original or gift (gifts are never covered), its send-backs, and the
 * ways on: decide, open a send-back, print the card.
 */
import { Button, Descriptions, Space, Tag, Typography } from 'antd';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { cardHref, type DeviceDetail } from '../../../shared/warranty-types.ts';
import { warrantyMessages } from './messages.ts';
import { shanghaiToday } from './model.ts';

/** Days since the purchase (the purchase date is day 0, S4.2 as periods.ts counts). */
function dayNumber(purchaseDate: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${purchaseDate}T00:00:00Z`)) / 86_400_000);
}

export const sendBackStatusColours: Record<string, string> = {
  requested: 'default',
  terms_accepted: 'gold',
  received: 'cyan',
  tested: 'blue',
  reported: 'geekblue',
  decided: 'purple',
  shipped_back: 'green',
  closed: 'default',
  cancelled: 'default',
};

export function DeviceFacts({
  device,
  onDecide,
  onOpenSendBack,
  onShowSendBack,
  mayOpen,
}: {
  device: DeviceDetail;
  onDecide?: () => void;
  onOpenSendBack?: () => void;
  onShowSendBack: (id: number) => void;
  mayOpen: boolean;
}) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const day = dayNumber(device.purchaseDate, shanghaiToday());
  return (
    <div data-testid="device-facts">
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 12 }}
        title={
          <Space wrap>
            <span>
              {device.brand} {device.model}
            </span>
            <Tag>{device.idKind === 'imei' ? 'IMEI' : 'MEID'}</Tag>
          </Space>
        }
        items={[
          { key: 'id', label: m.deviceIdLabel, children: <Typography.Text copyable code data-testid="device-id">{device.deviceId}</Typography.Text> },
          { key: 'order', label: m.orderNo, children: device.orderNo ? <Typography.Text copyable>{device.orderNo}</Typography.Text> : '—' },
          { key: 'brand', label: m.brand, children: device.brand },
          { key: 'model', label: m.model, children: device.model },
          {
            key: 'purchase',
            label: m.purchaseDate,
            children: (
              <Space wrap>
                <span data-testid="device-purchase">{device.purchaseDate}</span>
                {day >= 0 ? <Tag color={day <= 7 ? 'green' : day <= 15 ? 'gold' : 'default'}>{fmt(m.dayAfterPurchase, { n: day })}</Tag> : null}
              </Space>
            ),
          },
          { key: 'delivery', label: m.deliveryDate, children: device.deliveryDate ?? '—' },
          { key: 'region', label: m.region, span: 2, children: device.region },
          {
            key: 'accessories',
            label: m.accessories,
            span: 2,
            children:
              device.accessories.length === 0 ? (
                '—'
              ) : (
                <Space wrap data-testid="device-accessories">
                  {device.accessories.map((a, i) => (
                    <Tag key={i} color={a.origin === 'gift' ? 'default' : 'blue'}>
                      {m[`acc_${a.kind}`]}
                      {a.name ? ` · ${a.name}` : ''} · {m[`origin_${a.origin}`]}
                    </Tag>
                  ))}
                </Space>
              ),
          },
          { key: 'created', label: m.registeredAt, children: dateTime(device.createdAt, lang) },
          {
            key: 'sendBacks',
            label: m.sendBacks,
            children:
              device.sendBacks.length === 0 ? (
                m.noSendBacks
              ) : (
                <Space wrap>
                  {device.sendBacks.map((s) => (
                    <Button key={s.id} size="small" onClick={() => onShowSendBack(s.id)} aria-label={fmt(m.openSendBackAria, { id: s.id })}>
                      #{s.id} <Tag color={sendBackStatusColours[s.status]} style={{ marginInlineEnd: 0 }}>{m[`status_${s.status}`]}</Tag>
                    </Button>
                  ))}
                </Space>
              ),
          },
        ]}
      />
      <Space wrap className="no-print">
        {onDecide ? (
          <Button type="primary" onClick={onDecide}>
            {m.decideThis}
          </Button>
        ) : null}
        {mayOpen && onOpenSendBack ? <Button onClick={onOpenSendBack}>{m.openSendBack}</Button> : null}
        <Button href={cardHref(device.id)} target="_blank" rel="noopener" data-testid="card-link">
          {m.printCard}
        </Button>
        <Typography.Text type="secondary">{m.printCardHint}</Typography.Text>
      </Space>
    </div>
  );
}
