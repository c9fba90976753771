/**
 * Issue 15 §3: the trace of the refund's outgoing parcel and of its return
 * parcel, in the courier's words, newest scan first, times in Asia/Shanghai;
 * where it comes from (the platform or the courier-tracking service), and in
 * words why there is none. A 未收到货 refund leads with the last scan and how
 * long ago it was. S1.15: a parcel the trace shows signed for, on an order
 * without its sign time (a Taobao order waiting for the buyer's confirmation),
 * offers to record the sign time from the trace: refusing needs it.
 */
import { Alert, App as AntApp, Button, Card, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { parcelSourceLabels, parcelUnavailableLabels } from '../../../../../src/contract/tracking-labels.ts';
import type { TParcel, TRefundParcels, TSignFromTraceAnswer } from '../../../../../src/contract/tracking-schemas.ts';
import { get, post } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { dateTime } from '../../../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../../../shared/i18n.tsx';
import { useLoad } from '../../../shared/use-api.ts';
import { parcelMessages } from './parcel-messages.ts';

type Messages = (typeof parcelMessages)['zh-CN'];
/** scans shown before 展开全部 */
const FIRST_STEPS = 6;

export function agoText(ago: { unit: 'hours' | 'days'; value: number } | null, m: Messages): string {
  if (!ago) return m.noTime;
  if (ago.unit === 'days') return fmt(m.daysAgo, { n: ago.value });
  return ago.value < 1 ? m.lessThanHour : fmt(m.hoursAgo, { n: ago.value });
}

/**
 * `version`: the refund's, so an entered return parcel shows at once. `signedAt`: the order's sign time;
 * `maySign`: the user may record it (agents, supervisors, the warehouse); `onSigned`: the page reloads.
 */
export function ParcelTrace({
  refundId,
  version,
  signedAt = null,
  maySign = false,
  onSigned,
}: {
  refundId: number;
  version: number;
  signedAt?: string | null;
  maySign?: boolean;
  onSigned?: () => void;
}) {
  const m = useMessages(parcelMessages);
  const { lang } = useLang();
  const load = useLoad((signal) => get<TRefundParcels>(`/refunds/${refundId}/parcels`, undefined, signal), [refundId, version]);
  const data = load.data;
  if (!data && !load.error) return null;
  if (data && !data.outgoing && !data.return) return null;
  const out = data?.outgoing ?? null;
  const lastScan = out?.trace?.lastScan ?? null;
  const why = out?.unavailable ? labelOf(parcelUnavailableLabels[out.unavailable.code], lang, out.unavailable.message) : '';

  return (
    <Card
      size="small"
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{m.title}</h2>}
      extra={
        <Button size="small" onClick={load.reload} loading={load.loading} className="no-print">
          {m.reload}
        </Button>
      }
      style={{ marginBottom: 12 }}
      data-testid="parcel-trace"
    >
      {load.error !== undefined && <Alert type="warning" showIcon title={fmt(m.loadFailed, { why: errorText(load.error, lang) })} />}
      {/* with no trace the parcel below says why once; the lead line is for what the courier last scanned */}
      {data?.notReceived && out && (lastScan || out.trace) && (
        <Alert
          type={out.trace?.delivered ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 12, fontSize: 15 }}
          data-testid="last-scan"
          title={
            lastScan ? (
              <Typography.Text strong>
                {fmt(m.lastScan, { text: lastScan.text, ago: agoText(lastScan.ago, m) })}
                {lastScan.at && (
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontWeight: 'normal' }}>
                    {dateTime(lastScan.at, lang)}
                  </Typography.Text>
                )}
              </Typography.Text>
            ) : (
              fmt(m.lastScanNone, { why })
            )
          }
        />
      )}
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        {out && <Parcel parcel={out} heading={m.outgoing} m={m} />}
        {out?.trace?.delivered && !signedAt && maySign && <SignFromTrace refundId={refundId} m={m} onSigned={onSigned} />}
        {data?.return && <Parcel parcel={data.return} heading={m.return} m={m} />}
      </Space>
    </Card>
  );
}

function Parcel({ parcel, heading, m }: { parcel: TParcel; heading: string; m: Messages }) {
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [all, setAll] = useState(false);
  const trace = parcel.trace;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(parcel.trackingNo);
      void message.success(m.copied);
    } catch {
      // no clipboard (an insecure page, a refused permission): the number is on the line above to select
    }
  };
  // newest first, as couriers show them
  const steps = trace ? [...trace.steps].reverse() : [];
  // one more than the first few is shown rather than folded away
  const folds = steps.length > FIRST_STEPS + 1;
  const shown = all || !folds ? steps : steps.slice(0, FIRST_STEPS);
  return (
    <section aria-label={heading} data-testid={`parcel-${parcel.direction}`}>
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Typography.Text strong>{heading}</Typography.Text>
        <Typography.Text>{parcel.courier}</Typography.Text>
        <Typography.Text copyable={{ text: parcel.trackingNo, tooltips: [m.copy, m.copied] }} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {parcel.trackingNo}
        </Typography.Text>
        {trace && (
          <Tag color={trace.delivered ? 'green' : 'blue'} data-testid="parcel-status">
            {trace.delivered ? m.delivered : trace.status || m.inTransit}
          </Tag>
        )}
        {parcel.source && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {fmt(m.source, { source: labelOf(parcelSourceLabels[parcel.source], lang) })}
          </Typography.Text>
        )}
      </Space>
      {parcel.unavailable && (
        <Alert
          type={parcel.unavailable.code === 'no_source' || parcel.unavailable.code === 'not_found' ? 'info' : 'warning'}
          showIcon
          title={<span data-testid="parcel-unavailable">{labelOf(parcelUnavailableLabels[parcel.unavailable.code], lang, parcel.unavailable.message)}</span>}
          action={
            <Button size="small" data-testid={`copy-${parcel.direction}-number`} onClick={() => void copy()}>
              {m.copy}
            </Button>
          }
        />
      )}
      {trace && steps.length === 0 && <Typography.Text type="secondary">{m.noSteps}</Typography.Text>}
      {shown.length > 0 && (
        <Timeline
          style={{ marginTop: 8 }}
          items={shown.map((s, i) => ({
            key: `${i}-${s.at ?? ''}`,
            color: i === 0 ? (trace?.delivered ? 'green' : 'blue') : 'gray',
            content: (
              <div data-testid="trace-step">
                <div style={{ fontWeight: i === 0 ? 600 : 400 }}>{s.text}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                  {s.at ? dateTime(s.at, lang) : m.noTime}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
      {folds && (
        <Button type="link" size="small" onClick={() => setAll((v) => !v)} style={{ paddingInline: 0 }}>
          {all ? m.showLess : fmt(m.showAll, { n: steps.length })}
        </Button>
      )}
    </section>
  );
}

/** S1.15: the order has no sign time and the trace says signed for: one click records the time of the signing scan. */
function SignFromTrace({ refundId, m, onSigned }: { refundId: number; m: Messages; onSigned?: (() => void) | undefined }) {
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const record = async () => {
    setSending(true);
    setError(null);
    try {
      const answer = await post<TSignFromTraceAnswer>(`/refunds/${refundId}/parcels/outgoing/sign`);
      void message.success(fmt(m.signRecorded, { at: dateTime(answer.signedAt, lang) }));
      onSigned?.();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setSending(false);
    }
  };
  return (
    <Alert
      type="info"
      showIcon
      data-testid="sign-from-trace"
      title={m.signMissing}
      description={error ? <Typography.Text type="danger">{error}</Typography.Text> : m.signWhy}
      action={
        <Button size="small" type="primary" loading={sending} onClick={() => void record()} data-testid="sign-from-trace-button">
          {m.signRecord}
        </Button>
      }
    />
  );
}
