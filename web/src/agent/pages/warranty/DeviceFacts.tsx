/**
 * One device sale: model, brand, IMEI/MEID, the order, the purchase, invoice
 * and delivery dates (the 三包 periods count from the invoice when there is
 * one, else from the purchase, S4.2), the buyer's region (the card's service
 * points, S4.1), the accessories each marked original or gift (gifts are
 * never covered), the hosts it replaced or was replaced by (S4.5: an
 * exchanged host's periods start again), its 三包 repairs (their days extend
 * the period; two of the same fault give an exchange), its send-backs, and
 * the ways on: decide, open a send-back, record a repair, print the card.
 */
import { Button, Descriptions, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { dateTime } from '../../../shared/format.ts';
import { fmt, useLang, useMessages } from '../../../shared/i18n.tsx';
import { cardHref, type DeviceDetail, type DeviceRepair } from '../../../shared/warranty-types.ts';
import { warrantyMessages } from './messages.ts';
import { shanghaiToday } from './model.ts';
import { RecordRepair } from './RecordRepair.tsx';

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

/** The days a repair took, counted as the periods count them (the day it went in not counted). */
function repairDays(r: DeviceRepair): number {
  return r.finishedOn ? dayNumber(r.startedOn, r.finishedOn) : 0;
}

export function DeviceFacts({
  device,
  onDecide,
  onOpenSendBack,
  onShowSendBack,
  onShowDevice,
  onChanged,
  mayOpen,
}: {
  device: DeviceDetail;
  onDecide?: () => void;
  onOpenSendBack?: () => void;
  onShowSendBack: (id: number) => void;
  /** another host of the chain of exchanges */
  onShowDevice?: (id: number) => void;
  /** after a repair was recorded */
  onChanged?: () => void;
  mayOpen: boolean;
}) {
  const m = useMessages(warrantyMessages);
  const { lang } = useLang();
  const [recording, setRecording] = useState(false);
  // the periods of this host count from the exchange, the invoice, or the purchase (S4.2, S4.5)
  const start = device.hostPeriodsFrom ?? device.invoiceDate ?? device.purchaseDate;
  const day = dayNumber(start, shanghaiToday());
  const dayLabel = device.hostPeriodsFrom ? m.dayAfterExchange : device.invoiceDate ? m.dayAfterInvoice : m.dayAfterPurchase;
  const repairs = device.repairs ?? [];
  const linked = (label: string, d: DeviceDetail['exchangedFrom'], testId: string) =>
    d
      ? [
          {
            key: testId,
            label,
            span: 2,
            children: (
              <Space wrap data-testid={testId}>
                <Typography.Text code>{d.deviceId}</Typography.Text>
                {d.exchangedOn ? <span>{fmt(m.exchangedOnLine, { date: d.exchangedOn })}</span> : null}
                {onShowDevice ? (
                  <Button size="small" onClick={() => onShowDevice(d.id)}>
                    {m.showLinkedDevice}
                  </Button>
                ) : null}
              </Space>
            ),
          },
        ]
      : [];
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
                {day >= 0 ? <Tag color={day <= 7 ? 'green' : day <= 15 ? 'gold' : 'default'}>{fmt(dayLabel, { n: day })}</Tag> : null}
              </Space>
            ),
          },
          { key: 'invoice', label: m.invoiceDate, children: <span data-testid="device-invoice">{device.invoiceDate ?? '—'}</span> },
          { key: 'delivery', label: m.deliveryDate, children: device.deliveryDate ?? '—' },
          ...(device.hostPeriodsFrom ? [{ key: 'hostFrom', label: m.hostPeriodsFrom, children: fmt(m.hostPeriodsFromLine, { date: device.hostPeriodsFrom }) }] : []),
          ...linked(m.exchangedFrom, device.exchangedFrom, 'device-exchanged-from'),
          ...linked(m.exchangedTo, device.exchangedTo, 'device-exchanged-to'),
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
          {
            key: 'repairs',
            label: m.repairs,
            span: 2,
            children: (
              <div data-testid="device-repairs">
                {repairs.length === 0 ? (
                  <Typography.Text type="secondary">{m.noRepairs}</Typography.Text>
                ) : (
                  <ol style={{ margin: 0, paddingInlineStart: 20 }}>
                    {repairs.map((r) => (
                      <li key={r.id}>
                        {r.finishedOn ? fmt(m.repairLine, { from: r.startedOn, to: r.finishedOn, days: repairDays(r) }) : fmt(m.repairOngoingLine, { from: r.startedOn })}
                        {lang === 'en' ? ' · ' : '，'}
                        {r.part === 'host' ? m.part_host : m[`acc_${r.part}` as 'acc_battery'] ?? r.part}
                        {lang === 'en' ? ': ' : '：'}
                        {r.fault}
                        {lang === 'en' ? ' · ' : '，'}
                        {r.source === 'send_back' && r.sendBackId !== null ? (
                          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onShowSendBack(r.sendBackId!)}>
                            {fmt(m.repairBySendBack, { id: r.sendBackId })}
                          </Button>
                        ) : (
                          fmt(m.repairByCentre, { centre: r.centreName ?? '—' })
                        )}
                      </li>
                    ))}
                  </ol>
                )}
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                  {m.repairsRuleHint}
                </Typography.Paragraph>
              </div>
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
        {mayOpen ? (
          <Button onClick={() => setRecording(true)} data-testid="record-repair">
            {m.recordRepair}
          </Button>
        ) : null}
        <Button href={cardHref(device.id)} target="_blank" rel="noopener" data-testid="card-link">
          {m.printCard}
        </Button>
        <Typography.Text type="secondary">{m.printCardHint}</Typography.Text>
      </Space>
      {mayOpen ? (
        <RecordRepair
          device={device}
          open={recording}
          onClose={() => setRecording(false)}
          onRecorded={() => {
            setRecording(false);
            onChanged?.();
          }}
        />
      ) : null}
    </div>
  );
}
