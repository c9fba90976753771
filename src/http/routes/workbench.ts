/** The workbench (S1): the rule set, the work on a refund, the unshipped batch, message templates. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { CSV_CONTENT_TYPE, displayRows, fileStamp, toCsv, toXlsx, XLSX_CONTENT_TYPE } from '../../app/export/spreadsheet.ts';
import {
  logContact,
  recordReasonCorrection,
  recordRetention,
  recordReturnArrival,
  refundAndOrder,
  refundRecords,
  setReturnPostage,
  setRootCause,
  tickChecklist,
} from '../../app/workbench/refund-work.ts';
import { listRuleSetVersions, readRuleSet, saveRuleSet } from '../../app/workbench/rule-sets.ts';
import { listProducts, saveProduct } from '../../app/workbench/products.ts';
import { actOnSideRecord, createSideRecord, getSideRecord, listSideRecords, sideRecordKinds } from '../../app/workbench/side-records.ts';
import { paymentDetailsFor } from '../../app/workbench/payment-mask.ts';
import { exportSideRecords, financeRecordKinds } from '../../app/export/record-export.ts';
import { refundStatistics, statisticsSheets } from '../../app/workbench/statistics.ts';
import { BATCH_VOID_MAX_LINES, voidBatchLines } from '../../app/workbench/unshipped-batch-void.ts';
import { batchSheet, collectBatch, getBatch, listBatches, markBatchLine, sendBatch, type Batch } from '../../app/workbench/unshipped-batch.ts';
import { requirePermission } from '../../app/access.ts';
import { formatYuan } from '../../core/money.ts';
import { reasonCodes, refundTypes } from '../../core/refund/refund-model.ts';
import { renderTemplate, templateKeys, templateLabels, templatePlaceholders } from '../../core/workbench/templates.ts';
import { complaintScriptsFor } from '../../core/workbench/complaint-scripts.ts';
import { reasonLabels } from '../../contract/labels.ts';
import { ZAssignRequest, ZId, ZRefund, ZRefundIdParams, ZReturnPostage, ZReturnPostageRequest, ZStaffMember, zDecimal } from '../../contract/schemas.ts';
import { deadlineView } from '../../app/refunds.ts';
import { assignRefund, listStaff } from '../../app/workbench/assignments.ts';
import { langOf, refundDto } from '../dto.ts';
import { rootCauses } from '../../core/refund/root-causes.ts';
import { actorOf } from '../server.ts';

const ZRecord = z.object({
  id: z.number().int(),
  kind: z.string(),
  status: z.string(),
  refundId: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  amountFen: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
const recordDto = (
  r: { id: number; kind: string; status: string; refundId: number | null; data: Record<string, unknown>; amountFen: number | null; createdAt: string; updatedAt: string; version: number },
  viewerRole: string,
) => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  refundId: r.refundId,
  data: paymentDetailsFor(r.data, viewerRole),
  amountFen: r.amountFen,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  version: r.version,
});

const ZBatch = z.object({
  id: z.number().int(),
  businessDate: z.string(),
  cutoffAt: z.string(),
  status: z.enum(['open', 'sent', 'frozen']),
  version: z.number().int(),
  lines: z.array(z.object({ refundId: z.number().int(), orderNo: z.string(), amountFen: z.number(), status: z.string(), markedAt: z.string().nullable() })),
});
const ZBatchParams = z.strictObject({ batchId: ZId });
const ZFormat = z.strictObject({ format: z.enum(['json', 'csv', 'xlsx', 'print']).default('json') });

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function printPage(title: string, rows: (string | number)[][]): string {
  const [head, ...body] = rows;
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:24px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #333;padding:6px 8px;text-align:left}h1{font-size:20px}@media print{button{display:none}}</style>
<h1>${escapeHtml(title)}</h1><button onclick="print()">打印</button>
<table><thead><tr>${(head ?? []).map((h) => `<th>${escapeHtml(String(h))}</th>`).join('')}</tr></thead>
<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table></html>`;
}

export function workbenchRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // ---- the rule set ----
    app.get(
      '/rule-set',
      {
        config: { permission: 'ruleset.read' },
        schema: {
          tags: ['rule set'],
          summary: "The shop's rule set (its SOP as data): the current version or ?version=N; ?format=yaml exports it",
          querystring: z.strictObject({ version: zDecimal(0, 2_147_483_647).optional(), format: z.enum(['json', 'yaml']).default('json') }),
        },
      },
      async (request, reply) => {
        const current = await readRuleSet(ctx, { actor: actorOf(request), version: request.query.version });
        if (request.query.format === 'yaml') {
          return reply
            .type('text/yaml; charset=utf-8')
            .header('content-disposition', `attachment; filename="rule-set-v${current.version}.yaml"`)
            .send(current.text);
        }
        return { version: current.version, name: current.name, text: current.text, ruleSet: current.ruleSet };
      },
    );

    app.get(
      '/rule-set/versions',
      { config: { permission: 'ruleset.read' }, schema: { tags: ['rule set'], summary: 'Every saved version, newest first' } },
      async (request) => listRuleSetVersions(ctx, { actor: actorOf(request) }),
    );

    app.put(
      '/rule-set',
      {
        config: { permission: 'ruleset.write' },
        schema: {
          tags: ['rule set'],
          summary: 'Import or change the rule set (YAML or JSON text): a new version; an invalid one is refused with the lines that are wrong',
          body: z.strictObject({ text: z.string().min(1).max(200_000) }),
          response: { 200: z.object({ version: z.number().int(), name: z.string() }) },
        },
      },
      async (request) => saveRuleSet(ctx, { actor: actorOf(request), text: request.body.text, ip: request.ip }),
    );

    // ---- products: the facts S1.15 asks for before a refusal ----
    const ZProduct = z.object({
      sku: z.string(),
      title: z.string(),
      styleCategory: z.string(),
      hotSelling: z.boolean(),
      mainPromoted: z.boolean(),
      rating: z.string(),
      updatedAt: z.string(),
    });
    app.get(
      '/products',
      { config: { permission: 'workbench.records.read' }, schema: { tags: ['workbench'], summary: "The shop's products: hot-selling, main-promoted, rating", response: { 200: z.array(ZProduct) } } },
      async (request) => listProducts(ctx, { actor: actorOf(request) }),
    );
    app.put(
      '/products/:sku',
      {
        config: { permission: 'workbench.products' },
        schema: {
          tags: ['workbench'],
          summary: 'Create or change a product (S1.15 facts)',
          params: z.strictObject({ sku: z.string().trim().min(1).max(64) }),
          body: z.strictObject({
            title: z.string().trim().min(1).max(200),
            styleCategory: z.string().trim().min(1).max(40),
            hotSelling: z.boolean(),
            mainPromoted: z.boolean(),
            rating: z.string().trim().max(3),
          }),
          response: { 200: ZProduct },
        },
      },
      async (request) => saveProduct(ctx, { actor: actorOf(request), sku: request.params.sku, ...request.body }),
    );

    // ---- message templates (zh-CN) ----
    app.get(
      '/templates',
      { config: { permission: 'workbench.records.read' }, schema: { tags: ['workbench'], summary: 'The message templates for each SOP step, with their placeholders' } },
      async () => templateKeys.map((key) => ({ key, label: templateLabels[key], placeholders: templatePlaceholders })),
    );

    app.post(
      '/refunds/:id/templates/:key',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'Fill a message template with this refund (buyer, order, reason, amount, tracking) and any extra values',
          params: z.strictObject({ id: ZRefundIdParams.shape.id, key: z.enum(templateKeys) }),
          body: z.strictObject({ values: z.partialRecord(z.enum(templatePlaceholders), z.string().max(500)).optional() }),
          response: { 200: z.object({ text: z.string() }) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        requirePermission(actor, 'workbench.refund.work');
        const { refund, order } = await ctx.db.kysely.transaction().execute((trx) => refundAndOrder(trx, actor, request.params.id));
        const shop = await ctx.db.kysely.selectFrom('shops').select('name').where('id', '=', actor.shopId).executeTakeFirstOrThrow();
        // what the refund itself tells, for the placeholders it can answer truthfully; the rest come from the agent
        const key = request.params.key;
        const known: Record<string, string> = { buyerName: order.buyer.name, orderNo: order.orderNo, shopName: shop.name };
        if (key === 'ask_change_reason') known.reason = reasonLabels[refund.reason]['zh-CN'];
        if (key === 'explain_refusal' && refund.refusal) known.reason = refund.refusal.reason;
        if (key === 'tell_courier_trace' && order.shipment) {
          // S1.6: the parcel on its way to the buyer, not a return
          known.courier = order.shipment.courier;
          known.trackingNo = order.shipment.trackingNo;
        }
        if (key === 'ask_alipay_account') {
          // S1.14: the postage owed, when its compensation was already worked out
          const postage = await ctx.db.kysely
            .selectFrom('records')
            .select('amount_fen')
            .where('kind', '=', 'postage')
            .where('refund_id', '=', refund.id)
            .where('status', '!=', 'cancelled')
            .executeTakeFirst();
          if (postage?.amount_fen != null) known.amount = formatYuan(Number(postage.amount_fen));
        }
        const text = renderTemplate(request.params.key, { ...known, ...(request.body.values ?? {}) });
        return { text };
      },
    );

    // ---- the work on a refund ----
    app.get(
      '/refunds/:id/records',
      { config: { permission: 'workbench.records.read' }, schema: { tags: ['workbench'], summary: "The refund's records: contacts, corrections, retention, arrival, claims…", params: ZRefundIdParams, response: { 200: z.array(ZRecord) } } },
      async (request) => {
        const actor = actorOf(request);
        requirePermission(actor, 'workbench.records.read');
        const { refund } = await ctx.db.kysely.transaction().execute((trx) => refundAndOrder(trx, actor, request.params.id));
        return (await refundRecords(ctx.db.kysely, refund.id)).map((r) => recordDto(r, actor.role));
      },
    );

    app.post(
      '/refunds/:id/checklist',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: "Tick (or untick) an item of the refund's checklist",
          params: ZRefundIdParams,
          body: z.strictObject({ ruleId: z.string().min(1).max(40), itemId: z.string().min(1).max(80), ticked: z.boolean() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await tickChecklist(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/refunds/:id/contacts',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'Log a phone call or Wangwang message with the buyer, and its outcome',
          params: ZRefundIdParams,
          body: z.strictObject({
            channel: z.enum(['phone', 'wangwang']),
            content: z.string().trim().min(1).max(2000),
            outcome: z.enum(['reached', 'not_reached', 'agreed', 'refused', 'pending']),
            templateKey: z.enum(templateKeys).optional(),
          }),
          response: { 201: ZRecord },
        },
      },
      async (request, reply) => reply.code(201).send(recordDto(await logContact(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body }), actorOf(request).role)),
    );

    app.post(
      '/refunds/:id/reason-corrections',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'Record asking the buyer to change the reason (and type): to what, how, and the answer',
          params: ZRefundIdParams,
          body: z.strictObject({
            toReason: z.enum(reasonCodes),
            toType: z.enum(refundTypes).optional(),
            askedVia: z.enum(['phone', 'wangwang']),
            buyerAnswer: z.enum(['agreed', 'refused', 'pending']),
            note: z.string().trim().max(1000).optional(),
          }),
          response: { 201: ZRecord },
        },
      },
      async (request, reply) => reply.code(201).send(recordDto(await recordReasonCorrection(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body }), actorOf(request).role)),
    );

    app.post(
      '/refunds/:id/retention',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'S1.2/S1.18: what was offered (another style, the promotion, an exchange) and the outcome',
          params: ZRefundIdParams,
          body: z.strictObject({
            offer: z.enum(['other_style', 'promotion', 'exchange']),
            detail: z.string().trim().min(1).max(1000),
            outcome: z.enum(['kept', 'exchanged', 'refunded', 'pending']),
          }),
          response: { 201: ZRecord },
        },
      },
      async (request, reply) => reply.code(201).send(recordDto(await recordRetention(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body }), actorOf(request).role)),
    );

    app.post(
      '/refunds/:id/root-cause',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'S1.2: what really happened, apart from the platform reason',
          params: ZRefundIdParams,
          body: z.strictObject({ cause: z.enum(rootCauses), note: z.string().trim().max(1000).optional() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await setRootCause(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body });
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/refunds/:id/return-postage',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary: 'S1.13: who pays the return postage — the buyer or the shop, and the amount in fen (a value, not a tick; required before the return is confirmed)',
          params: ZRefundIdParams,
          body: ZReturnPostageRequest,
          response: { 200: ZReturnPostage },
        },
      },
      async (request) => setReturnPostage(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body }),
    );

    app.post(
      '/refunds/:id/return-arrival',
      {
        config: { permission: 'workbench.warehouse' },
        schema: {
          tags: ['workbench'],
          summary: "S1.13: the warehouse records the return's arrival and whether it can be resold (the order is remarked)",
          params: ZRefundIdParams,
          body: z.strictObject({
            condition: z.enum(['resellable', 'not_resellable']),
            trackingNo: z.string().trim().min(1).max(40).optional(),
            note: z.string().trim().max(500).optional(),
          }),
          response: { 201: ZRecord },
        },
      },
      async (request, reply) => reply.code(201).send(recordDto(await recordReturnArrival(ctx, { actor: actorOf(request), refundId: request.params.id, ...request.body }), actorOf(request).role)),
    );

    // ---- the queue: who works a refund ----
    app.post(
      '/refunds/:id/assign',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['workbench'],
          summary:
            "Claim a refund (your own userId), hand it to an agent or supervisor of the shop, or give it back (null); audited; the refund's version does not change. A claim of a colleague's refund is 409 REFUND_ALREADY_ASSIGNED (a supervisor may take it)",
          params: ZRefundIdParams,
          body: ZAssignRequest,
          response: { 200: ZRefund },
        },
      },
      async (request) => {
        const { refund, assignee } = await assignRefund(ctx, { actor: actorOf(request), refundId: request.params.id, userId: request.body.userId });
        return refundDto(refund, deadlineView(refund, ctx.clock.now()), langOf(request.headers['accept-language']), assignee);
      },
    );

    app.get(
      '/staff',
      {
        config: { permission: 'staff.read' },
        schema: {
          tags: ['workbench'],
          summary: "The current shop's active staff (userId, username, displayName, roles, assignable): the assignee picker",
          response: { 200: z.array(ZStaffMember) },
        },
      },
      async (request) => listStaff(ctx, { actor: actorOf(request) }),
    );

    // ---- the side processes: claims (S1.7), invoices (S1.8), postage (S1.14), courier and department tasks (S1.6, S1.19, S1.10), complaints (S1.17) ----
    const ZKind = z.enum(sideRecordKinds);
    const ZRecordId = ZId;
    const ZAnyFields = z.record(z.string(), z.unknown()).describe('the fields of this kind (validated by its rules; errors name each field)');

    app.post(
      '/records/:kind',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['records'],
          summary: 'Open a record: claim {orderNo, sku, size, courier, trackingNo, itemPriceFen}, invoice {orderNo, titleType, title, taxId?, amountFen}, postage {orderNo, refundId, alipayAccount, realName, overrideFen?, overrideReason?}, courier_task {kind: trace|recall, orderNo, courier, trackingNo}, department_task {orderNo, refundId?, problem, description, photos?}, complaint {source, type, content, buyerDemands, orderNo?, refundId?, severity?, phoneCase?: dead_on_arrival|report_rejected (S4.7)}',
          params: z.strictObject({ kind: ZKind }),
          body: ZAnyFields,
          response: { 201: ZRecord },
        },
      },
      async (request, reply) => reply.code(201).send(recordDto(await createSideRecord(ctx, { actor: actorOf(request), kind: request.params.kind, input: request.body }), actorOf(request).role)),
    );

    app.get(
      '/records/:kind',
      {
        config: { permission: 'workbench.records.read' },
        schema: {
          tags: ['records'],
          summary: 'The records of a kind, newest first',
          params: z.strictObject({ kind: ZKind }),
          querystring: z.strictObject({
            status: z.string().max(40).optional(),
            orderNo: z.string().max(40).optional(),
            beforeId: ZRecordId.optional(),
            limit: zDecimal(1, 200).default(50),
          }),
          response: { 200: z.array(ZRecord.extend({ orderNo: z.string().nullable() })) },
        },
      },
      async (request) =>
        (await listSideRecords(ctx, { actor: actorOf(request), kind: request.params.kind, ...request.query })).map((r) => ({ ...recordDto(r, actorOf(request).role), orderNo: r.orderNo })),
    );

    app.get(
      '/records/:kind/export',
      {
        config: { permission: 'workbench.records.read' },
        schema: {
          tags: ['records'],
          summary:
            "Issue 15 §2: finance's list (claim, invoice, postage) under the list's filters, newest first, as XLSX (default) or CSV (format=csv): order number, amounts in yuan, status in words, Shanghai times, who registered it, the kind's own fields; payment details masked as in the list; at most 50,000 rows, else 422 EXPORT_TOO_LARGE",
          params: z.strictObject({ kind: z.enum(financeRecordKinds) }),
          querystring: z.strictObject({
            status: z.string().max(40).optional(),
            orderNo: z.string().max(40).optional(),
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
          }),
        },
      },
      async (request, reply) => {
        const { format, ...filters } = request.query;
        const sheet = await exportSideRecords(ctx, { actor: actorOf(request), kind: request.params.kind, ...filters });
        const name = `${request.params.kind}s-${fileStamp(ctx.clock.now())}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'csv') return reply.type(CSV_CONTENT_TYPE).send(toCsv({ sheets: [sheet] }));
        return reply.type(XLSX_CONTENT_TYPE).send(await toXlsx({ sheets: [sheet] }));
      },
    );

    app.get(
      '/records/:kind/:recordId',
      {
        config: { permission: 'workbench.records.read' },
        schema: {
          tags: ['records'],
          summary: 'One record with its history and the actions open to the caller (a complaint also carries its S4.7/S4.8 scripts); ?format=print for the paper form (claims)',
          params: z.strictObject({ kind: ZKind, recordId: ZRecordId }),
          querystring: z.strictObject({ format: z.enum(['json', 'print']).default('json') }),
        },
      },
      async (request, reply) => {
        const found = await getSideRecord(ctx, { actor: actorOf(request), kind: request.params.kind, id: request.params.recordId });
        if (request.query.format === 'print') {
          const d = recordDto(found.record, actorOf(request).role).data;
          const rows: (string | number)[][] =
            request.params.kind === 'claim'
              ? [
                  ['项目', '内容'],
                  ['订单编号', String(d.orderNo ?? '')],
                  ['货号', String(d.sku ?? '')],
                  ['尺码', String(d.size ?? '')],
                  ['物流公司', String(d.courier ?? '')],
                  ['物流单号', String(d.trackingNo ?? '')],
                  ['宝贝价位（元）', formatYuan(Number(d.itemPriceFen ?? 0))],
                  ['状态', found.record.status],
                  ['财务盖章', d.stampedAt ? String(d.stampedAt) : ''],
                  ['原单给仓库 / 复印件给财务', d.filed ? '是' : ''],
                ]
              : [['项目', '内容'], ...Object.entries(d).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)])];
          const titles: Record<string, string> = { claim: '索赔单', invoice: '发票登记', postage: '运费补偿', courier_task: '快递任务', department_task: '设计部/货品部核实', complaint: '投诉' };
          return reply.type('text/html; charset=utf-8').send(printPage(`${titles[request.params.kind]} #${found.record.id}`, rows));
        }
        return {
          ...recordDto(found.record, actorOf(request).role),
          orderNo: found.orderNo,
          events: found.events,
          allowedActions: found.allowedActions,
          // S4.7/S4.8: what the agent says for this complaint's case, and once malicious
          ...(request.params.kind === 'complaint' ? { scripts: complaintScriptsFor(found.record.data as Parameters<typeof complaintScriptsFor>[0]) } : {}),
        };
      },
    );

    app.post(
      '/records/:kind/:recordId/:action',
      {
        config: { permission: 'workbench.records.act' },
        schema: {
          tags: ['records'],
          summary: "An action on a record at its version (claim: stamp, file, record_buyer_choice, compensate, close, cancel; invoice: send_to_finance, issue, cancel; postage: pay, cancel; courier_task: complete, cancel; department_task: answer, cancel; complaint: reply {text}, escalate {what, why, demands} (S4.8), coordinate_operator {operator, contact, agreed} (S4.8, malicious only), close {outcome})",
          params: z.strictObject({ kind: ZKind, recordId: ZRecordId, action: z.string().regex(/^[a-z_]{2,40}$/) }),
          body: z.object({ version: z.number().int().min(1) }).catchall(z.unknown()),
          response: { 200: ZRecord },
        },
      },
      async (request) => {
        const { version, ...input } = request.body;
        return recordDto(
          await actOnSideRecord(ctx, { actor: actorOf(request), kind: request.params.kind, id: request.params.recordId, version, action: request.params.action, input }),
          actorOf(request).role,
        );
      },
    );

    // ---- statistics for the supervisor (S1.2) ----
    app.get(
      '/stats/refunds',
      {
        config: { permission: 'stats.read' },
        schema: {
          tags: ['statistics'],
          summary: 'Refunds by reason, root cause, style and SKU; refund, refusal, intervention and retention rates; missed deadlines. ?format=csv|xlsx to download',
          querystring: z.strictObject({
            from: z.iso.date(),
            to: z.iso.date(),
            format: z.enum(['json', 'csv', 'xlsx']).default('json'),
          }),
        },
      },
      async (request, reply) => {
        const stats = await refundStatistics(ctx, { actor: actorOf(request), from: request.query.from, to: request.query.to });
        const name = `refund-stats-${stats.from}_${stats.to}`;
        if (request.query.format === 'csv') {
          return reply.type(CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(statisticsSheets(stats)));
        }
        if (request.query.format === 'xlsx') {
          return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await toXlsx(statisticsSheets(stats)));
        }
        return stats;
      },
    );

    // ---- the unshipped batch (S1.1) ----
    const sendBatchAs = async (batch: Batch, format: 'json' | 'csv' | 'xlsx' | 'print', reply: import('fastify').FastifyReply) => {
      // the cut-off on the Shanghai clock, as the warehouse reads it: 截止 09:00
      const cutoff = new Date(new Date(batch.cutoffAt).getTime() + 8 * 3_600_000).toISOString();
      const title = `未发退 ${batch.businessDate}（截止 ${cutoff.slice(0, 10) === batch.businessDate ? '' : `${cutoff.slice(5, 10)} `}${cutoff.slice(11, 16)}）`;
      const sheet = batchSheet(batch);
      if (format === 'csv') {
        return reply.type(CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="unshipped-${batch.businessDate}.csv"`).send(toCsv({ sheets: [sheet] }));
      }
      if (format === 'xlsx') {
        return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="unshipped-${batch.businessDate}.xlsx"`).send(await toXlsx({ sheets: [sheet] }));
      }
      if (format === 'print') return reply.type('text/html; charset=utf-8').send(printPage(title, displayRows(sheet)));
      return reply.send(batch);
    };

    app.post(
      '/unshipped-batches/collect',
      {
        config: { permission: 'workbench.refund.work' },
        schema: { tags: ['unshipped batch'], summary: "Collect the unshipped refunds into the batch that goes to the warehouse before the cut-off (S1.1)", response: { 200: ZBatch } },
      },
      async (request) => collectBatch(ctx, { actor: actorOf(request) }),
    );

    app.get(
      '/unshipped-batches',
      { config: { permission: 'workbench.records.read' }, schema: { tags: ['unshipped batch'], summary: 'The latest batches', response: { 200: z.array(ZBatch) } } },
      async (request) => listBatches(ctx, { actor: actorOf(request), limit: 30 }),
    );

    app.get(
      '/unshipped-batches/:batchId',
      {
        config: { permission: 'workbench.records.read' },
        schema: { tags: ['unshipped batch'], summary: 'One batch; ?format=csv|xlsx|print for the warehouse', params: ZBatchParams, querystring: ZFormat },
      },
      async (request, reply) => sendBatchAs(await getBatch(ctx, { actor: actorOf(request), batchId: request.params.batchId }), request.query.format, reply),
    );

    app.post(
      '/unshipped-batches/:batchId/send',
      {
        config: { permission: 'workbench.refund.work' },
        schema: {
          tags: ['unshipped batch'],
          summary: 'Send the batch to the warehouse before the cut-off; each order is remarked "已经提交未发退"',
          params: ZBatchParams,
          body: z.strictObject({ version: z.number().int().min(1) }),
          response: { 200: ZBatch },
        },
      },
      async (request) => sendBatch(ctx, { actor: actorOf(request), batchId: request.params.batchId, version: request.body.version }),
    );

    app.post(
      '/unshipped-batches/:batchId/lines/void',
      {
        config: { permission: 'workbench.warehouse' },
        schema: {
          tags: ['unshipped batch'],
          summary:
            'Issue 15 §2: the warehouse voids 1–500 lines of a sent (or frozen) batch with one confirmation. Each line is its own transaction and audit event, as a single mark; the answer has one result per line (ok, or the code and message of why not) and the batch as it now stands. Marking shipped stays per line (its own tracking number)',
          params: ZBatchParams,
          body: z.strictObject({
            refundIds: z
              .array(ZRefundIdParams.shape.id)
              .min(1)
              .max(BATCH_VOID_MAX_LINES)
              .refine((ids) => new Set(ids).size === ids.length, { message: 'each line once' }),
          }),
          response: {
            200: z.object({
              batch: ZBatch,
              succeeded: z.number().int(),
              refused: z.number().int(),
              results: z
                .array(
                  z.object({
                    refundId: z.number().int(),
                    orderNo: z.string().nullable().describe('null when the refund is not a line of this batch'),
                    ok: z.boolean(),
                    code: z.string().optional().describe('why not: ACTION_NOT_ALLOWED (already marked, or the batch not sent yet), NOT_FOUND, VERSION_CONFLICT (marked meanwhile)'),
                    message: z.string().optional(),
                    details: z.record(z.string(), z.unknown()).optional(),
                  }),
                )
                .describe('one per line, in the order asked'),
            }),
          },
        },
      },
      async (request) => voidBatchLines(ctx, { actor: actorOf(request), batchId: request.params.batchId, refundIds: request.body.refundIds }),
    );

    app.post(
      '/unshipped-batches/:batchId/lines/:refundId',
      {
        config: { permission: 'workbench.warehouse' },
        schema: {
          tags: ['unshipped batch'],
          summary: 'The warehouse marks a line voided, or already shipped (with the tracking number: the order is marked shipped, S2.2)',
          params: z.strictObject({ batchId: ZBatchParams.shape.batchId, refundId: ZRefundIdParams.shape.id }),
          body: z.strictObject({
            status: z.enum(['voided', 'already_shipped']),
            courier: z.string().trim().min(1).max(40).optional(),
            trackingNo: z.string().trim().min(1).max(40).optional(),
          }),
          response: { 200: ZBatch },
        },
      },
      async (request) => markBatchLine(ctx, { actor: actorOf(request), batchId: request.params.batchId, refundId: request.params.refundId, ...request.body }),
    );

  };
}

