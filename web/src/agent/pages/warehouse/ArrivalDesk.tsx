/**
 * S1.13 look (2): the warehouse scans (or types) the tracking number of a
 * returned parcel, finds its refund and records the arrival — resellable or
 * not, with a note; the order is remarked and the agent's checklist ticks.
 * Below, the returns on their way (status WAIT_SELLER_CONFIRM_GOODS).
 */
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, List, Radio, Result, Space, Spin, Tag, Typography, type InputRef } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { Link } from 'react-router';
import { reasonLabels, refundStatusLabels, refundTypeLabels } from '../../../../../src/contract/labels.ts';
import { get, newIdempotencyKey, post } from '../../../shared/api.ts';
import { Countdown } from '../../../shared/Countdown.tsx';
import { errorText } from '../../../shared/errors.ts';
import { dateTime, yuan } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import type { Refund, RefundDetail, RefundPage } from '../../../shared/types.ts';
import { useLoad } from '../../../shared/use-api.ts';
import { normalizeTrackingNo } from './batch.ts';
import { ExpectedReturns } from './ExpectedReturns.tsx';
import { warehouseMessages } from './messages.ts';

type Found = { kind: 'none'; no: string } | { kind: 'many'; no: string; items: Refund[] } | { kind: 'one'; refundId: number };

interface ArrivalRecord {
  id: number;
  kind: string;
  data: { condition?: 'resellable' | 'not_resellable'; trackingNo?: string | null; note?: string };
  createdAt: string;
}

export function ArrivalDesk() {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const [text, setText] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);
  const [found, setFound] = useState<Found | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expectedTick, setExpectedTick] = useState(0);
  const inputRef = useRef<InputRef>(null);

  const focusScan = useCallback(() => {
    inputRef.current?.focus({ cursor: 'all' });
  }, []);

  const search = async (raw: string) => {
    const typed = raw.trim();
    if (!typed) {
      setInputError(m.scanRequired);
      return;
    }
    const no = normalizeTrackingNo(typed);
    if (no.length > 40) {
      setInputError(m.scanTooLong);
      return;
    }
    setInputError(null);
    setError(null);
    setSearching(true);
    try {
      let page = await get<RefundPage>('/refunds', { trackingNo: no, limit: 20 });
      // the buyer typed the number into the platform: it may be kept as typed (lower case, full-width)
      if (page.items.length === 0 && typed !== no && typed.length <= 40) page = await get<RefundPage>('/refunds', { trackingNo: typed, limit: 20 });
      const items = page.items;
      if (items.length === 0) setFound({ kind: 'none', no });
      else if (items.length === 1) setFound({ kind: 'one', refundId: items[0]!.id });
      else setFound({ kind: 'many', no, items });
      if (items.length !== 1) focusScan();
    } catch (err) {
      setError(errorText(err, lang));
      setFound(null);
    } finally {
      setSearching(false);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={m.tabArrivals}>
        <Form layout="vertical" requiredMark={false} role="search">
          <Form.Item
            label={<span style={{ fontSize: 16 }}>{m.scanLabel}</span>}
            htmlFor="warehouse-scan"
            validateStatus={inputError ? 'error' : undefined}
            help={inputError ?? m.scanHint}
          >
            <Input.Search
              id="warehouse-scan"
              ref={inputRef}
              data-testid="scan-input"
              autoFocus
              size="large"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onSearch={(value) => void search(value)}
              placeholder={m.scanPlaceholder}
              enterButton={m.scanButton}
              loading={searching}
              autoComplete="off"
              spellCheck={false}
              inputMode="text"
              style={{ maxWidth: 640 }}
              styles={{ input: { fontSize: 22, fontFamily: 'ui-monospace, Menlo, Consolas, monospace', letterSpacing: 1 } }}
            />
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} />}
        {found?.kind === 'none' && <Alert type="warning" showIcon data-testid="scan-none" title={fmt(m.notFound, { no: found.no })} />}
        {found?.kind === 'many' && (
          <Alert
            type="info"
            showIcon
            title={fmt(m.severalFound, { no: found.no, count: found.items.length })}
            description={
              <List
                dataSource={found.items}
                renderItem={(r) => (
                  <List.Item
                    actions={[
                      <Button key="pick" type="primary" size="small" onClick={() => setFound({ kind: 'one', refundId: r.id })}>
                        {m.pick}
                      </Button>,
                    ]}
                  >
                    <Space wrap>
                      <span>{fmt(m.refundNo, { id: r.id })}</span>
                      <span>{r.orderNo}</span>
                      <Tag>{labelOf(refundTypeLabels[r.type], lang)}</Tag>
                      <span>{labelOf(reasonLabels[r.reason], lang)}</span>
                      <span>{yuan(r.amountFen)}</span>
                      <Typography.Text type="secondary">{labelOf(refundStatusLabels[r.status], lang)}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            }
          />
        )}
        {found?.kind === 'one' && (
          <ArrivalForm
            key={found.refundId}
            refundId={found.refundId}
            onRecorded={() => {
              // a scanner's next parcel goes straight into the empty field; the result stays until then
              setText('');
              setExpectedTick((t) => t + 1);
              focusScan();
            }}
            onNext={() => {
              setFound(null);
              setText('');
              focusScan();
            }}
          />
        )}
      </Card>
      <ExpectedReturns
        reloadKey={expectedTick}
        onPick={(refund) => {
          setText(refund.returnShipment?.trackingNo ?? '');
          setFound({ kind: 'one', refundId: refund.id });
          window.scrollTo({ top: 0, behavior: 'smooth' });
        }}
      />
    </Space>
  );
}

function ArrivalForm({ refundId, onRecorded, onNext }: { refundId: number; onRecorded: () => void; onNext: () => void }) {
  const m = useMessages(warehouseMessages);
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ condition: 'resellable' | 'not_resellable'; note?: string }>();
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const loaded = useLoad(
    async (signal) => {
      const [refund, records] = await Promise.all([
        get<RefundDetail>(`/refunds/${refundId}`, undefined, signal),
        get<ArrivalRecord[]>(`/refunds/${refundId}/records`, undefined, signal),
      ]);
      return { refund, fetchedAt: Date.now(), arrivals: records.filter((r) => r.kind === 'return_arrival') };
    },
    [refundId],
  );

  if (loaded.loading && !loaded.data) return <Spin style={{ margin: 24 }} />;
  if (loaded.error || !loaded.data) return <Alert type="error" showIcon title={errorText(loaded.error, lang)} />;
  const { refund, arrivals, fetchedAt } = loaded.data;
  const lines = refund.order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo);
  const isReturn = refund.type === 'return_and_refund';
  const last = arrivals[arrivals.length - 1];
  const conditionText = (c: string | undefined) => (c === 'resellable' ? m.resellable : c === 'not_resellable' ? m.notResellable : '—');

  const submit = async (values: { condition: 'resellable' | 'not_resellable'; note?: string }) => {
    setSending(true);
    setSendError(null);
    try {
      const note = values.note?.trim();
      await post(`/refunds/${refund.id}/return-arrival`, { condition: values.condition, ...(note ? { note } : {}) }, newIdempotencyKey());
      const remark = values.condition === 'resellable' ? m.remarkResellable : m.remarkNotResellable;
      message.success(fmt(m.recorded, { remark }));
      setDone(remark);
      onRecorded();
    } catch (err) {
      setSendError(errorText(err, lang));
    } finally {
      setSending(false);
    }
  };

  return (
    <Card
      type="inner"
      style={{ marginTop: 16 }}
      data-testid="arrival-card"
      title={fmt(m.summaryTitle, { id: refund.id, orderNo: refund.orderNo })}
      extra={<Link to={`/refunds/${refund.id}`}>{m.openRefund}</Link>}
    >
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'type', label: m.type, children: <Tag color={isReturn ? 'blue' : 'orange'}>{labelOf(refundTypeLabels[refund.type], lang)}</Tag> },
          { key: 'reason', label: m.reason, children: labelOf(reasonLabels[refund.reason], lang) },
          { key: 'amount', label: m.amount, children: yuan(refund.amountFen) },
          { key: 'status', label: m.status, children: labelOf(refundStatusLabels[refund.status], lang) },
          { key: 'parcel', label: m.returnParcel, children: refund.returnShipment ? `${refund.returnShipment.courier} ${refund.returnShipment.trackingNo}` : '—' },
          { key: 'shippedAt', label: m.returnShippedAt, children: dateTime(refund.returnShipment?.shippedAt, lang) },
          {
            key: 'goods',
            label: m.goods,
            span: 2,
            children: lines.map((l) => (
              <div key={l.lineNo}>{fmt(m.goodsLine, { title: l.title, sku: l.sku, style: l.style, size: l.size, quantity: l.quantity })}</div>
            )),
          },
          { key: 'signedAt', label: m.signedAt, children: dateTime(refund.order.shipment?.signedAt, lang) },
          {
            key: 'deadline',
            label: m.confirmDeadline,
            children:
              refund.status === 'WAIT_SELLER_CONFIRM_GOODS' && refund.deadline?.timeLeftMs != null ? (
                <Countdown timeLeftMs={refund.deadline.timeLeftMs} fetchedAt={fetchedAt} />
              ) : (
                '—'
              ),
          },
          ...(refund.description ? [{ key: 'description', label: m.buyerDescription, span: 2, children: refund.description }] : []),
        ]}
      />

      {!isReturn && <Alert type="warning" showIcon title={m.notAReturn} style={{ marginBottom: 12 }} />}
      {isReturn && refund.status !== 'WAIT_SELLER_CONFIRM_GOODS' && !done && (
        <Alert type="warning" showIcon title={fmt(m.notWaiting, { status: labelOf(refundStatusLabels[refund.status], lang) })} style={{ marginBottom: 12 }} />
      )}
      {last && !done && (
        <Alert type="info" showIcon title={fmt(m.alreadyRecorded, { at: dateTime(last.createdAt, lang), condition: conditionText(last.data.condition) })} style={{ marginBottom: 12 }} />
      )}

      <Alert
        type="info"
        style={{ marginBottom: 16 }}
        title={m.threeLooksTitle}
        description={
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{m.lookOne}</li>
            <li>
              {m.lookTwo}{' '}
              <Tag color={done || last ? 'green' : 'default'}>{done || last ? m.lookRecorded : m.lookPending}</Tag>
            </li>
            <li>{m.lookThree}</li>
          </ul>
        }
      />

      {done ? (
        <Result
          status="success"
          title={m.recordedTitle}
          subTitle={
            <>
              <div data-testid="arrival-done">{done}</div>
              <div>{m.recordedText}</div>
            </>
          }
          extra={
            <Button type="primary" onClick={onNext}>
              {m.scanAgain}
            </Button>
          }
        />
      ) : (
        isReturn && (
          <Form form={form} layout="vertical" onFinish={submit} aria-label={m.arrivalTitle}>
            <Typography.Title level={5}>{m.arrivalTitle}</Typography.Title>
            {sendError && <Alert type="error" showIcon title={sendError} style={{ marginBottom: 12 }} />}
            <Form.Item name="condition" label={m.condition} rules={[{ required: true, message: m.conditionRequired }]}>
              <Radio.Group
                size="large"
                optionType="button"
                buttonStyle="solid"
                options={[
                  { value: 'resellable', label: m.resellable },
                  { value: 'not_resellable', label: m.notResellable },
                ]}
              />
            </Form.Item>
            <Form.Item name="note" label={m.note} rules={[{ max: 500, message: m.noteTooLong }]}>
              <Input.TextArea rows={2} maxLength={500} showCount placeholder={m.notePlaceholder} />
            </Form.Item>
            <Button type="primary" size="large" htmlType="submit" loading={sending}>
              {m.record}
            </Button>
          </Form>
        )
      )}
    </Card>
  );
}
