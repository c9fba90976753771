/**
 * Issue 15 §3: where the buyer's parcels are — the one the shop sent and the
 * one the buyer sends back — in the courier's words, newest first, times in
 * Asia/Shanghai; for a 未收到货 refund the last scan and how long ago it was
 * first. Without a trace, why in words, and the number to copy.
 */
import './parcels.css';
import { useState } from 'react';
import { parcelUnavailableLabels } from '../../../src/contract/tracking-labels.ts';
import type { TParcel, TRefundParcels } from '../../../src/contract/tracking-schemas.ts';
import { get } from '../shared/api.ts';
import { dateTime } from '../shared/format.ts';
import { fmt, labelOf, useLang, useMessages } from '../shared/i18n.tsx';
import { useLoad } from '../shared/use-api.ts';
import { parcelMessages } from './parcel-messages.ts';
import { Button, Notice } from './ui.tsx';

type Messages = (typeof parcelMessages)['zh-CN'];
const FIRST_STEPS = 4;

function agoText(ago: { unit: 'hours' | 'days'; value: number } | null, t: Messages): string {
  if (!ago) return t.noTime;
  if (ago.unit === 'days') return fmt(t.daysAgo, { n: ago.value });
  return ago.value < 1 ? t.lessThanHour : fmt(t.hoursAgo, { n: ago.value });
}

/** `version`: the refund's, so an entered return parcel shows at once */
export function ParcelTrace({ refundId, version }: { refundId: number; version: number }) {
  const t = useMessages(parcelMessages);
  const load = useLoad((signal) => get<TRefundParcels>(`/refunds/${refundId}/parcels`, undefined, signal), [refundId, version]);
  const data = load.data;
  if (load.error !== undefined) return <Notice level="info">{t.loadFailed}</Notice>;
  if (!data || (!data.outgoing && !data.return)) return null;
  const lastScan = data.notReceived ? (data.outgoing?.trace?.lastScan ?? null) : null;
  return (
    <section className="b-card" aria-labelledby="parcels-title" data-testid="parcel-trace">
      <h2 id="parcels-title">{t.title}</h2>
      {lastScan && (
        <p className="b-parcel-last" data-testid="last-scan">
          {fmt(t.lastScan, { text: lastScan.text, ago: agoText(lastScan.ago, t) })}
        </p>
      )}
      {data.outgoing && <Parcel parcel={data.outgoing} heading={t.outgoing} t={t} />}
      {data.return && <Parcel parcel={data.return} heading={t.return} t={t} />}
    </section>
  );
}

function Parcel({ parcel, heading, t }: { parcel: TParcel; heading: string; t: Messages }) {
  const { lang } = useLang();
  const [all, setAll] = useState(false);
  const [copied, setCopied] = useState(false);
  const trace = parcel.trace;
  const steps = trace ? [...trace.steps].reverse() : [];
  // one more than the first few is shown rather than folded away
  const folds = steps.length > FIRST_STEPS + 1;
  const shown = all || !folds ? steps : steps.slice(0, FIRST_STEPS);
  return (
    <div className="b-parcel" data-testid={`parcel-${parcel.direction}`}>
      <div className="b-parcel-head">
        <h3>{heading}</h3>
        {trace && <span className={`b-parcel-tag${trace.delivered ? ' done' : ''}`}>{trace.delivered ? t.delivered : t.inTransit}</span>}
      </div>
      <p className="b-hint">
        {parcel.courier} <span className="b-parcel-no">{parcel.trackingNo}</span>
      </p>
      {parcel.unavailable && (
        <>
          <p className="b-hint" data-testid="parcel-unavailable">
            {labelOf(parcelUnavailableLabels[parcel.unavailable.code], lang, parcel.unavailable.message)}
          </p>
          <Button
            className="b-parcel-copy"
            data-testid={`copy-${parcel.direction}-number`}
            onClick={() => {
              void navigator.clipboard?.writeText(parcel.trackingNo).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? t.copied : t.copy}
          </Button>
        </>
      )}
      {trace && steps.length === 0 && <p className="b-hint">{t.noSteps}</p>}
      {shown.length > 0 && (
        <ol className="b-trace">
          {shown.map((s, i) => (
            <li key={`${i}-${s.at ?? ''}`} className={i === 0 ? `first${trace?.delivered ? ' done' : ''}` : undefined} data-testid="trace-step">
              <span className="b-trace-text">{s.text}</span>
              <span className="b-trace-time">{s.at ? dateTime(s.at, lang) : t.noTime}</span>
            </li>
          ))}
        </ol>
      )}
      {folds && (
        <Button kind="link" onClick={() => setAll((v) => !v)}>
          {all ? t.showLess : fmt(t.showAll, { n: steps.length })}
        </Button>
      )}
    </div>
  );
}
