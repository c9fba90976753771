/** Issue 15 §3: a refund's parcels and their traces, as the API answers them (the staff page and the buyer portal type theirs with these). */
import { z } from 'zod';
import { parcelSources, parcelUnavailable } from './tracking-labels.ts';
import { ZIsoDate } from './schemas.ts';

export const ZTraceStep = z.object({ at: ZIsoDate.nullable().describe('when the courier scanned it (null: no time given)'), text: z.string().describe("the courier's words") });

export const ZAge = z.object({ unit: z.enum(['hours', 'days']), value: z.number().int().min(0) }).describe('how long ago, in whole hours under two days, whole days after');

export const ZParcelTrace = z.object({
  courier: z.string(),
  trackingNo: z.string(),
  status: z.string().describe("the source's status word, as given (运输中, 已签收 …); '' when none"),
  delivered: z.boolean().describe('the parcel was signed for'),
  steps: z.array(ZTraceStep).describe('oldest first'),
  lastScan: z
    .object({ at: ZIsoDate.nullable(), text: z.string(), ago: ZAge.nullable() })
    .nullable()
    .describe('the latest scan and how long before the answer it was; null without steps'),
});

export const ZParcel = z.object({
  direction: z.enum(['outgoing', 'return']),
  courier: z.string(),
  trackingNo: z.string(),
  shippedAt: ZIsoDate.nullable(),
  source: z.enum(parcelSources).nullable().describe('who gave the trace: the shop\'s platform or the courier-tracking service; null when none could'),
  trace: ZParcelTrace.nullable(),
  unavailable: z
    .object({ code: z.enum(parcelUnavailable), message: z.string() })
    .nullable()
    .describe('why there is no trace (no source configured, not known yet, timeout, the platform authorisation lapsed, a failure), in words'),
  checkedAt: ZIsoDate,
});

export const ZRefundParcels = z.object({
  notReceived: z.boolean().describe("the refund's reason is 未收到货: show the last scan and how long ago it was"),
  outgoing: ZParcel.nullable().describe("the order's parcel to the buyer; null before it ships"),
  return: ZParcel.nullable().describe("the buyer's return parcel; null until the buyer enters it"),
});
export type TRefundParcels = z.infer<typeof ZRefundParcels>;
export type TParcel = z.infer<typeof ZParcel>;

export const ZSignFromTraceAnswer = z.object({
  signedAt: ZIsoDate.describe("the order's sign time (签收时间), as now recorded or as it already was"),
  recorded: z.boolean().describe('false: the order already had its sign time and nothing was written'),
  orderVersion: z.number().int().min(1),
});
export type TSignFromTraceAnswer = z.infer<typeof ZSignFromTraceAnswer>;
