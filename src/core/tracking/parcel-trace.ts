/**
 * A parcel's trace as shouhou keeps it (issue 15 §3): the courier's scans in
 * the courier's own words, oldest first, whoever told us (the platform's
 * logistics call or a courier-tracking service), and what an agent reads
 * first: the last scan, how long ago it was, and whether the parcel was
 * signed for.
 */

/** Which way a parcel goes: to the buyer (the order's shipment) or back to the shop (the refund's return). */
export const parcelDirections = ['outgoing', 'return'] as const;
export type ParcelDirection = (typeof parcelDirections)[number];

export interface TraceStep {
  /** when the courier scanned it; null when the source gave no time it could read */
  at: Date | null;
  /** the courier's words, as given */
  text: string;
}

export interface Trace {
  courier: string;
  trackingNo: string;
  /** the source's status word (运输中, 已签收 …), as given; '' when none */
  status: string;
  /** the parcel was signed for */
  delivered: boolean;
  /** oldest first */
  steps: TraceStep[];
}

/** How long ago, in whole units: hours under two days (a day matters when a parcel is stuck), days after. */
export interface Age {
  unit: 'hours' | 'days';
  value: number;
}

export interface LastScan {
  at: Date | null;
  text: string;
  /** null when the scan has no time */
  ago: Age | null;
}

export interface TraceSummary {
  lastScan: LastScan | null;
  delivered: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Whole hours under 48 hours, whole days after; a time in the future (clocks differ) counts as 0 hours. */
export function ageOf(ms: number): Age {
  const safe = Math.max(0, ms);
  if (safe < 2 * DAY_MS) return { unit: 'hours', value: Math.floor(safe / HOUR_MS) };
  return { unit: 'days', value: Math.floor(safe / DAY_MS) };
}

const SIGNED_WORDS = /已签收|签收人|已妥投|妥投|本人签收|代签收|已取件|signed|delivered/i;
const NOT_SIGNED_WORDS = /拒签|拒收|退签|未签收|签收失败|退回/;

/**
 * Whether the words say the parcel was signed for: the status word or the last scan says 签收 (or
 * 妥投), and none of them says it was refused or sent back.
 */
export function saysDelivered(status: string, lastText: string | null): boolean {
  const words = [status, lastText ?? ''];
  if (words.some((w) => NOT_SIGNED_WORDS.test(w))) return false;
  return words.some((w) => SIGNED_WORDS.test(w));
}

/**
 * A trace from what a source gave: steps without words dropped, the rest oldest first (steps
 * without a time keep their place after the timed ones), `delivered` from the source's own
 * answer when it has one, else from the words.
 */
export function makeTrace(input: { courier: string; trackingNo: string; status: string; steps: readonly TraceStep[]; delivered?: boolean }): Trace {
  const kept = input.steps.map((s, i) => ({ ...s, text: s.text.trim(), i })).filter((s) => s.text !== '');
  kept.sort((a, b) => {
    if (a.at && b.at) return a.at.getTime() - b.at.getTime() || a.i - b.i;
    if (a.at) return -1;
    if (b.at) return 1;
    return a.i - b.i;
  });
  const steps = kept.map(({ at, text }) => ({ at, text }));
  const last = steps[steps.length - 1];
  return {
    courier: input.courier.trim(),
    trackingNo: input.trackingNo.trim(),
    status: input.status.trim(),
    delivered: input.delivered ?? saysDelivered(input.status, last?.text ?? null),
    steps,
  };
}

/** The latest scan (the last timed step, else the last step) and how long before `now` it was. */
export function summarizeTrace(trace: Trace, now: Date): TraceSummary {
  const timed = trace.steps.filter((s) => s.at !== null);
  const last = timed[timed.length - 1] ?? trace.steps[trace.steps.length - 1];
  if (!last) return { lastScan: null, delivered: trace.delivered };
  return {
    lastScan: { at: last.at, text: last.text, ago: last.at ? ageOf(now.getTime() - last.at.getTime()) : null },
    delivered: trace.delivered,
  };
}

/** what a signing scan says (已取件 and the like, which couriers also write at pickup, are not enough here) */
const SIGNING_WORDS = /签收|妥投/;

/**
 * S1.15: the time the parcel was signed for, as the trace tells it: of a delivered trace, the latest
 * timed scan whose words say 签收 (or 妥投) and not that it was refused; null when the trace is not
 * delivered or no timed scan says so (the sign time is then not known from it: never a guess).
 */
export function signedAtOf(trace: Trace): Date | null {
  if (!trace.delivered) return null;
  const signing = trace.steps.filter((s): s is TraceStep & { at: Date } => s.at !== null && SIGNING_WORDS.test(s.text) && !NOT_SIGNED_WORDS.test(s.text));
  return signing[signing.length - 1]?.at ?? null;
}
