/** /api/v1/orders: create, read, list; ship, sign, confirm, close; remarks. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import {
  addRemark,
  closeOrderAction,
  confirmOrderAction,
  createOrder,
  getOrder,
  getRemarks,
  listShopOrders,
  revealBuyer,
  shipOrderAction,
  signOrderAction,
} from '../../app/orders.ts';
import { deadlineView } from '../../app/refunds.ts';
import { refundAssignees } from '../../app/workbench/assignments.ts';
import { AppError } from '../../core/errors.ts';
import {
  ZAddress,
  ZCloseOrderRequest,
  ZConfirmOrderRequest,
  ZCreateOrderRequest,
  ZOrder,
  ZOrderDetail,
  ZOrderListQuery,
  ZOrderNoParams,
  ZOrderPage,
  ZRemark,
  ZRemarkRequest,
  ZShipAnswer,
  ZShipRequest,
  ZSignRequest,
} from '../../contract/schemas.ts';
import { langOf, orderDto, orderEventDto, refundDto, remarkDto } from '../dto.ts';
import { actorOf, piiFor } from '../server.ts';

const tags = ['orders'];

function decodeOrderCursor(cursor: string): { createdAt: string; id: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,10})$/.exec(text);
  if (!m?.[1] || !m[2] || Number(m[2]) > 2_147_483_647) throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API gave out.', { field: 'cursor' });
  return { createdAt: m[1], id: Number(m[2]) };
}

export function orderRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/orders',
      {
        config: { permission: 'order.create' },
        schema: { tags, summary: 'Create an order (a connector importing a paid trade)', body: ZCreateOrderRequest, response: { 201: ZOrder } },
      },
      async (request, reply) => {
        const order = await createOrder(ctx, { actor: actorOf(request), order: request.body });
        return reply.code(201).send(orderDto(order, langOf(request.headers['accept-language']), piiFor(request)));
      },
    );

    app.get(
      '/orders',
      {
        config: { permission: 'order.read' },
        schema: { tags, summary: "The shop's orders, newest first", querystring: ZOrderListQuery, response: { 200: ZOrderPage } },
      },
      async (request) => {
        const q = request.query;
        const orders = await listShopOrders(ctx, {
          actor: actorOf(request),
          status: q.status,
          before: q.cursor ? decodeOrderCursor(q.cursor) : undefined,
          limit: q.limit + 1,
        });
        const page = orders.slice(0, q.limit);
        const last = page[page.length - 1];
        const lang = langOf(request.headers['accept-language']);
        return {
          items: page.map((o) => orderDto(o, lang, piiFor(request))),
          nextCursor:
            orders.length > q.limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null,
        };
      },
    );

    app.get(
      '/orders/:orderNo',
      {
        config: { permission: 'order.read' },
        schema: { tags, summary: 'One order with its refunds, remarks and events', params: ZOrderNoParams, response: { 200: ZOrderDetail } },
      },
      async (request) => {
        const actor = actorOf(request);
        const detail = await getOrder(ctx, { actor, orderNo: request.params.orderNo });
        const assignees = await refundAssignees(ctx, { actor, refundIds: detail.refunds.map((r) => r.id) });
        const lang = langOf(request.headers['accept-language']);
        const now = ctx.clock.now();
        return {
          ...orderDto(detail.order, lang, piiFor(request)),
          refunds: detail.refunds.map((r) => refundDto(r, deadlineView(r, now), lang, assignees.get(r.id) ?? null)),
          remarks: detail.remarks?.map(remarkDto) ?? null,
          events: detail.events.map(orderEventDto),
        };
      },
    );

    app.post(
      '/orders/:orderNo/ship',
      {
        config: { permission: 'order.ship' },
        schema: {
          tags,
          summary: 'Mark shipped (立即发货); closes pending pre-shipment refunds (S2.2/S2.3)',
          params: ZOrderNoParams,
          body: ZShipRequest,
          response: { 200: ZShipAnswer },
        },
      },
      async (request) => {
        const b = request.body;
        const answer = await shipOrderAction(ctx, {
          actor: actorOf(request),
          orderNo: request.params.orderNo,
          courier: b.courier,
          trackingNo: b.trackingNo,
          basis: b.basis,
          version: b.version,
        });
        return { ...answer, order: orderDto(answer.order, langOf(request.headers['accept-language']), piiFor(request)) };
      },
    );

    app.post(
      '/orders/:orderNo/sign',
      {
        config: { permission: 'order.sign' },
        schema: { tags, summary: 'The parcel was signed for (签收)', params: ZOrderNoParams, body: ZSignRequest, response: { 200: ZOrder } },
      },
      async (request) => {
        const order = await signOrderAction(ctx, {
          actor: actorOf(request),
          orderNo: request.params.orderNo,
          signedAt: request.body.signedAt ? new Date(request.body.signedAt) : undefined,
          version: request.body.version,
        });
        return orderDto(order, langOf(request.headers['accept-language']), piiFor(request));
      },
    );

    app.post(
      '/orders/:orderNo/confirm',
      {
        config: { permission: 'order.confirm' },
        schema: {
          tags,
          summary: 'The buyer confirms receipt (确认收货) → TRADE_FINISHED; refused while a refund is open (S3.6)',
          params: ZOrderNoParams,
          body: ZConfirmOrderRequest,
          response: { 200: ZOrder },
        },
      },
      async (request) => {
        const order = await confirmOrderAction(ctx, { actor: actorOf(request), orderNo: request.params.orderNo, version: request.body.version });
        return orderDto(order, langOf(request.headers['accept-language']), piiFor(request));
      },
    );

    app.post(
      '/orders/:orderNo/close',
      {
        config: { permission: 'order.close' },
        schema: { tags, summary: 'Close the trade (no open refund)', params: ZOrderNoParams, body: ZCloseOrderRequest, response: { 200: ZOrder } },
      },
      async (request) => {
        const order = await closeOrderAction(ctx, {
          actor: actorOf(request),
          orderNo: request.params.orderNo,
          reason: request.body.reason,
          version: request.body.version,
        });
        return orderDto(order, langOf(request.headers['accept-language']), piiFor(request));
      },
    );

    app.post(
      '/orders/:orderNo/reveal',
      {
        config: { permission: 'order.pii.reveal' },
        schema: {
          tags,
          summary: "The buyer's full phone number or address (answers elsewhere are masked); audited",
          params: ZOrderNoParams,
          body: z.strictObject({
            fields: z.array(z.enum(['phone', 'address'])).min(1).max(2),
            reason: z.string().trim().min(2).max(200).describe('why it is needed (e.g. 电话联系买家修改退款原因)'),
          }),
          response: { 200: z.object({ phone: z.string().optional(), address: ZAddress.optional() }) },
        },
      },
      async (request) =>
        revealBuyer(ctx, { actor: actorOf(request), orderNo: request.params.orderNo, fields: request.body.fields, reason: request.body.reason, ip: request.ip }),
    );

    app.get(
      '/orders/:orderNo/remarks',
      {
        config: { permission: 'order.remark.read' },
        schema: { tags, summary: 'The order remarks (订单备注), oldest first', params: ZOrderNoParams, response: { 200: z.array(ZRemark) } },
      },
      async (request) => (await getRemarks(ctx, { actor: actorOf(request), orderNo: request.params.orderNo })).map(remarkDto),
    );

    app.post(
      '/orders/:orderNo/remarks',
      {
        config: { permission: 'order.remark.add' },
        schema: {
          tags,
          summary: 'Add a remark (append-only; at most 1,000 bytes; flag 0–5)',
          params: ZOrderNoParams,
          body: ZRemarkRequest,
          response: { 201: ZRemark },
        },
      },
      async (request, reply) => {
        const remark = await addRemark(ctx, {
          actor: actorOf(request),
          orderNo: request.params.orderNo,
          text: request.body.text,
          flag: request.body.flag,
        });
        return reply.code(201).send(remarkDto(remark));
      },
    );
  };
}
