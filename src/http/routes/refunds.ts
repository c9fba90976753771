/** /api/v1/refunds: apply, list, read, and the actions of S2/S3. */
import { queueRows } from '../../app/queue-rows.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Permission } from '../../app/access.ts';
import type { AppContext } from '../../app/context.ts';
import type { GuardInput } from '../../app/workbench/facts.ts';
import { refundAssignees } from '../../app/workbench/assignments.ts';
import { actOnRefund, applyRefund, countShopRefunds, deadlineView, getRefund, listShopRefunds, type PublicRefundCommand, type RefundListQuery } from '../../app/refunds.ts';
import { actOnRefunds, type BatchCommand } from '../../app/refund-batch.ts';
import { exportShopRefunds } from '../../app/export/refund-export.ts';
import { CSV_CONTENT_TYPE, toCsv, toXlsx, XLSX_CONTENT_TYPE } from '../../app/export/spreadsheet.ts';
import {
  ZAgreeRequest,
  ZApplyRefundRequest,
  ZBatchRefundAnswer,
  ZBatchRefundRequest,
  ZRefundCountAnswer,
  ZRefundCountQuery,
  ZRefundExportQuery,
  ZConfirmReceiptRequest,
  ZModifyRequest,
  ZPlatformDecisionRequest,
  ZRefund,
  ZRefundDetail,
  ZRefundIdParams,
  ZRefundListQuery,
  ZRefundPage,
  ZRefuseRequest,
  ZRequestInterventionRequest,
  ZReturnShipmentRequest,
  ZVersionOnlyRequest,
} from '../../contract/schemas.ts';
import { rootCauseLabels, type RootCause } from '../../core/refund/root-causes.ts';
import { langOf, orderDto, refundDto, refundEventDto } from '../dto.ts';
import { actorOf, piiFor } from '../server.ts';

const tags = ['refunds'];

/** Each action route: its path, permission, body schema, and how the body becomes a command. */
const actionRoutes = [
  {
    path: 'agree',
    permission: 'refund.agree',
    summary: 'The seller agrees (S2.5): refund-only → SUCCESS; a return → WAIT_BUYER_RETURN_GOODS with the return address',
    body: ZAgreeRequest,
    command: (b: z.infer<typeof ZAgreeRequest>): PublicRefundCommand => ({ action: 'agree', returnAddress: b.returnAddress }),
    guard: (b: z.infer<typeof ZAgreeRequest>) => ({ input: { confirmedAmountFen: b.confirmedAmountFen }, override: b.override }),
  },
  {
    path: 'refuse',
    permission: 'refund.refuse',
    summary: 'The seller refuses with a reason and evidence (S2.8); never before shipment (S2.1)',
    body: ZRefuseRequest,
    command: (b: z.infer<typeof ZRefuseRequest>): PublicRefundCommand => ({ action: 'refuse', reason: b.reason, evidence: b.evidence }),
    guard: (b: z.infer<typeof ZRefuseRequest>) => ({ input: { buyerProblem: b.buyerProblem }, override: b.override }),
  },
  {
    path: 'modify',
    permission: 'refund.modify',
    summary: 'The buyer modifies type, reason, goods status or amount (S2.7); restarts the seller\'s answer time',
    body: ZModifyRequest,
    command: (b: z.infer<typeof ZModifyRequest>): PublicRefundCommand => ({
      action: 'modify',
      type: b.type,
      reason: b.reason,
      goodsStatus: b.goodsStatus,
      amountFen: b.amountFen,
      description: b.description,
      evidence: b.evidence,
    }),
  },
  {
    path: 'withdraw',
    permission: 'refund.withdraw',
    summary: 'The buyer withdraws: the refund closes',
    body: ZVersionOnlyRequest,
    command: (): PublicRefundCommand => ({ action: 'withdraw' }),
  },
  {
    path: 'return-shipment',
    permission: 'refund.return_shipment',
    summary: 'The buyer enters the return courier and tracking number (S3.4) → WAIT_SELLER_CONFIRM_GOODS',
    body: ZReturnShipmentRequest,
    command: (b: z.infer<typeof ZReturnShipmentRequest>): PublicRefundCommand => ({
      action: 'return_shipment',
      courier: b.courier,
      trackingNo: b.trackingNo,
    }),
  },
  {
    path: 'confirm-receipt',
    permission: 'refund.confirm_receipt',
    summary: 'The seller confirms the returned goods arrived → SUCCESS (S2.5); the three looks first (S1.13)',
    body: ZConfirmReceiptRequest,
    command: (): PublicRefundCommand => ({ action: 'confirm_receipt' }),
    guard: (b: z.infer<typeof ZConfirmReceiptRequest>) => ({ input: {}, override: b.override }),
  },
  {
    path: 'request-intervention',
    permission: 'refund.request_intervention',
    summary: 'The buyer asks for 客服介入 after a refusal and the wait (S2.8)',
    body: ZRequestInterventionRequest,
    command: (b: z.infer<typeof ZRequestInterventionRequest>): PublicRefundCommand => ({ action: 'request_intervention', note: b.note }),
  },
  {
    path: 'platform-decision',
    permission: 'refund.platform_decision',
    summary: 'The platform decides an intervention: refund, or not (S2.8)',
    body: ZPlatformDecisionRequest,
    command: (b: z.infer<typeof ZPlatformDecisionRequest>): PublicRefundCommand => ({
      action: 'platform_decision',
      outcome: b.outcome,
      note: b.note,
    }),
  },
] as const satisfies readonly {
  path: string;
  permission: Permission;
  summary: string;
  body: z.ZodType;
  command: (b: never) => PublicRefundCommand;
  guard?: (b: never) => { input: GuardInput; override: { reason: string } | undefined };
}[];

/** The list's filters from the query string, as the use cases take them. */
function filterOf(q: z.infer<typeof ZRefundCountQuery>): Omit<RefundListQuery, 'cursor' | 'limit'> {
  return {
    statuses: q.status === undefined ? undefined : Array.isArray(q.status) ? q.status : [q.status],
    open: q.open === undefined ? undefined : q.open === 'true',
    type: q.type,
    reasons: q.reason === undefined ? undefined : Array.isArray(q.reason) ? q.reason : [q.reason],
    phase: q.phase,
    goodsStatus: q.goodsStatus,
    orderNo: q.orderNo,
    trackingNo: q.trackingNo,
    phone: q.phone,
    assignee: q.assignee,
    deadlineBefore: q.deadlineBefore ? new Date(q.deadlineBefore) : undefined,
    createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
    orderStatus: q.orderStatus,
  };
}

export function refundRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/refunds',
      {
        config: { permission: 'refund.apply' },
        schema: {
          tags,
          summary: 'The buyer applies for a refund (S3.1–S3.6)',
          body: ZApplyRefundRequest,
          response: { 201: ZRefund },
        },
      },
      async (request, reply) => {
        const { orderNo, ...application } = request.body;
        const refund = await applyRefund(ctx, { actor: actorOf(request), orderNo, application });
        // a new refund is nobody's yet
        return reply.code(201).send(refundDto(refund, deadlineView(refund, ctx.clock.now()), langOf(request.headers['accept-language']), null));
      },
    );

    app.get(
      '/refunds',
      {
        config: { permission: 'refund.read' },
        schema: {
          tags,
          summary:
            'Refunds sorted by deadline (soonest first, none last); cursor pagination. Filters: status, reason (each repeatable), open, type, phase, goodsStatus, orderNo, trackingNo (the return parcel), phone (the buyer\'s, as the caller gives it), assignee (me | none | user id), deadlineBefore, createdFrom, orderStatus (the order\'s trade status)',
          querystring: ZRefundListQuery,
          response: { 200: ZRefundPage },
        },
      },
      async (request) => {
        const q = request.query;
        const actor = actorOf(request);
        const page = await listShopRefunds(ctx, { actor, query: { ...filterOf(q), cursor: q.cursor, limit: q.limit } });
        const lang = langOf(request.headers['accept-language']);
        // issue 15 §2: the staff's queue rows say what the product is and what the warehouse and finance did
        const rows = actor.role === 'buyer' ? new Map() : await queueRows(ctx.db.kysely, actor.shopId, page.items.map((i) => i.refund));
        return {
          items: page.items.map((i) => {
            const row = rows.get(i.refund.id);
            return { ...refundDto(i.refund, i.deadline, lang, i.assignee), ...(row ? { row } : {}) };
          }),
          nextCursor: page.nextCursor,
        };
      },
    );

    app.get(
      '/refunds/count',
      {
        config: { permission: 'refund.read' },
        schema: {
          tags,
          summary: "How many refunds the list's filters hold (the queue's view tabs); the same filters as GET /refunds, without paging",
          querystring: ZRefundCountQuery,
          response: { 200: ZRefundCountAnswer },
        },
      },
      async (request) => ({ count: await countShopRefunds(ctx, { actor: actorOf(request), query: filterOf(request.query) }) }),
    );

    app.get(
      '/refunds/export',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags,
          summary:
            "The refunds the list's filters hold (or the ids given: the rows selected), soonest deadline first, as XLSX (default) or CSV (format=csv); at most 50,000 rows, else 422 EXPORT_TOO_LARGE",
          querystring: ZRefundExportQuery,
        },
      },
      async (request, reply) => {
        const { id, format, ...filters } = request.query;
        const ids = id === undefined ? undefined : Array.isArray(id) ? id : [id];
        const sheet = await exportShopRefunds(ctx, { actor: actorOf(request), query: filterOf(filters), ids });
        const stamp = new Date(ctx.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
        const name = `refunds-${stamp}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'csv') return reply.type(CSV_CONTENT_TYPE).send(toCsv({ sheets: [sheet] }));
        return reply.type(XLSX_CONTENT_TYPE).send(await toXlsx({ sheets: [sheet] }));
      },
    );

    app.post(
      '/refunds/batch',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags,
          summary:
            "The queue's batch actions on 1–100 refunds: claim, assign {assigneeId}, remark {text, flag} (once per order), agree {versions} (refund-only refunds within the shop's batchAgreeLimitFen, each through its guards as a single agree). Each refund is its own transaction with its audit event; the answer has one result per refund (ok, or the code and message of why not)",
          body: ZBatchRefundRequest,
          response: { 200: ZBatchRefundAnswer },
        },
      },
      async (request) => {
        const b = request.body;
        const command: BatchCommand =
          b.action === 'claim'
            ? { action: 'claim' }
            : b.action === 'assign'
              ? { action: 'assign', assigneeId: b.assigneeId }
              : b.action === 'remark'
                ? { action: 'remark', text: b.text, flag: b.flag }
                : { action: 'agree', versions: b.versions };
        return actOnRefunds(ctx, { actor: actorOf(request), refundIds: b.refundIds, command });
      },
    );

    app.get(
      '/refunds/:id',
      {
        config: { permission: 'refund.read' },
        schema: {
          tags,
          summary: 'One refund: deadline, time left, who works it, the actions the caller may take now, and every event',
          params: ZRefundIdParams,
          response: { 200: ZRefundDetail },
        },
      },
      async (request) => {
        const d = await getRefund(ctx, { actor: actorOf(request), refundId: request.params.id });
        const lang = langOf(request.headers['accept-language']);
        return {
          ...refundDto(d.refund, d.deadline, lang, d.assignee),
          allowedActions: d.allowedActions,
          playbook: d.playbook,
          rootCause: d.rootCause
            ? { ...d.rootCause, label: rootCauseLabels[d.rootCause.cause as RootCause]?.[lang] ?? d.rootCause.cause }
            : null,
          returnPostage: d.returnPostage,
          events: d.events.map(refundEventDto),
          order: orderDto(d.order, lang, piiFor(request)),
        };
      },
    );

    for (const route of actionRoutes) {
      app.post(
        `/refunds/:id/${route.path}`,
        {
          config: { permission: route.permission },
          schema: { tags, summary: route.summary, params: ZRefundIdParams, body: route.body, response: { 200: ZRefund } },
        },
        async (request) => {
          const body = request.body as { version: number };
          const guard = 'guard' in route ? (route.guard as (b: unknown) => { input: GuardInput; override: { reason: string } | undefined })(body) : undefined;
          const actor = actorOf(request);
          const refund = await actOnRefund(ctx, {
            actor,
            refundId: request.params.id,
            version: body.version,
            command: (route.command as (b: unknown) => PublicRefundCommand)(body),
            guardInput: guard?.input,
            override: guard?.override,
          });
          const assignees = await refundAssignees(ctx, { actor, refundIds: [refund.id] });
          return refundDto(refund, deadlineView(refund, ctx.clock.now()), langOf(request.headers['accept-language']), assignees.get(refund.id) ?? null);
        },
      );
    }
  };
}
