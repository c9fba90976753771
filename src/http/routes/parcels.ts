/** Issue 15 §3: a refund's parcels with their traces (GET /api/v1/refunds/:id/parcels), for the refund page and the buyer portal. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { recordSignFromTrace, refundParcels, type ParcelView } from '../../app/tracking.ts';
import { ZRefundIdParams } from '../../contract/schemas.ts';
import { parcelUnavailableLabels } from '../../contract/tracking-labels.ts';
import { ZRefundParcels, ZSignFromTraceAnswer, type TParcel } from '../../contract/tracking-schemas.ts';
import { langOf, type Lang } from '../dto.ts';
import { actorOf } from '../server.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function parcelDto(p: ParcelView, lang: Lang): TParcel {
  return {
    direction: p.direction,
    courier: p.courier,
    trackingNo: p.trackingNo,
    shippedAt: iso(p.shippedAt),
    source: p.source,
    trace: p.trace
      ? {
          courier: p.trace.courier,
          trackingNo: p.trace.trackingNo,
          status: p.trace.status,
          delivered: p.trace.delivered,
          steps: p.trace.steps.map((s) => ({ at: iso(s.at), text: s.text })),
          lastScan: p.summary?.lastScan ? { at: iso(p.summary.lastScan.at), text: p.summary.lastScan.text, ago: p.summary.lastScan.ago } : null,
        }
      : null,
    unavailable: p.unavailable ? { code: p.unavailable, message: parcelUnavailableLabels[p.unavailable][lang] } : null,
    checkedAt: p.checkedAt.toISOString(),
  };
}

export function parcelRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/refunds/:id/parcels',
      {
        config: { permission: 'refund.read' },
        schema: {
          tags: ['refunds'],
          summary:
            "The trace of the refund's outgoing parcel (the order's shipment) and of its return parcel, in the courier's words, from the shop's platform (Taobao/Tmall, outgoing parcels of its orders) or the courier-tracking service (SHOUHOU_PARCEL_TRACKING_URL), asked in that order and kept a few minutes; with the last scan and how long ago it was. A source that fails makes `unavailable` say why, never an error. Staff of the shop and the buyer of the order (the buyer portal's session) read it",
          params: ZRefundIdParams,
          response: { 200: ZRefundParcels },
        },
      },
      async (request): Promise<z.infer<typeof ZRefundParcels>> => {
        const parcels = await refundParcels(ctx, { actor: actorOf(request), refundId: request.params.id });
        const lang = langOf(request.headers['accept-language']);
        return {
          notReceived: parcels.notReceived,
          outgoing: parcels.outgoing ? parcelDto(parcels.outgoing, lang) : null,
          return: parcels.return ? parcelDto(parcels.return, lang) : null,
        };
      },
    );
    app.post(
      '/refunds/:id/parcels/outgoing/sign',
      {
        config: { permission: 'order.sign' },
        schema: {
          tags: ['refunds'],
          summary:
            "S1.15: records the order's sign time (签收时间) from the trace of the refund's outgoing parcel, when the trace says it was signed for (the latest scan that says 签收): refusing a refund needs it, and TOP tells it only for TRADE_BUYER_SIGNED. Also on a Taobao/Tmall order (a fact about the parcel; the platform's sync keeps it). Once: an order that has its sign time is answered as it is (recorded false). 409 ACTION_NOT_ALLOWED with details.reason no_outgoing_parcel, no_trace (details.unavailable says why), parcel_mismatch (the trace is of another number), parcel_not_signed, sign_time_unknown (no timed scan says 签收), signed_before_shipped or sign_time_in_future (over 10 minutes ahead); 409 VERSION_CONFLICT when the order's parcel changed meanwhile",
          params: ZRefundIdParams,
          response: { 200: ZSignFromTraceAnswer },
        },
      },
      async (request): Promise<z.infer<typeof ZSignFromTraceAnswer>> => {
        const answer = await recordSignFromTrace(ctx, { actor: actorOf(request), refundId: request.params.id });
        return { signedAt: answer.signedAt.toISOString(), recorded: answer.recorded, orderVersion: answer.order.version };
      },
    );
  };
}
