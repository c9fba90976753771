/**
 * The equipment service desk (S5): service archives (S5.1, S5.2), the service
 * and repair record (S5.3–S5.8) with one route per action, the dispatch
 * register (S5.4, S5.6, S5.8), the clerk's review (S5.6), follow-up calls
 * (S5.7), the emergencies' reminders (S5.8) and the reports.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { CSV_CONTENT_TYPE, toCsv, toXlsx, XLSX_CONTENT_TYPE } from '../../app/export/spreadsheet.ts';
import { amendServiceArchive, createServiceArchive, getServiceArchive, searchServiceArchives } from '../../app/service/archives.ts';
import { listFollowUps, listLeads, remindersFor, reviewUnattended, serviceReportSheets, serviceReports } from '../../app/service/desk.ts';
import { actOnServiceDispatch, listServiceDispatches, registerServiceDispatch } from '../../app/service/dispatches.ts';
import { actOnServiceRecord, getServiceRecord, listServiceRecordsFor, openServiceRecord } from '../../app/service/records.ts';
import { revealArchiveContact, revealRecordContacts, serviceRecordForPrint } from '../../app/service/reveal.ts';
import type { ServiceArchiveInput, ServiceArchivePatch, WarrantyPeriod } from '../../core/service/archive.ts';
import type { DispatchAction } from '../../core/service/dispatch.ts';
import type { RepairAction } from '../../core/service/repair-record.ts';
import { splitRegion } from '../../core/warranty/device-sale.ts';
import {
  dispatchActions,
  repairActions,
  ZArchiveListQuery,
  ZArchiveRevealAnswer,
  ZCreateArchiveRequest,
  ZDispatchActionRequests,
  ZDispatchListQuery,
  ZFollowUpQuery,
  ZOpenRecordRequest,
  ZPatchArchiveRequest,
  ZRecordActionRequests,
  ZRecordListQuery,
  ZRecordQuery,
  ZRecordRevealAnswer,
  ZRegisterDispatchRequest,
  ZReviewQuery,
  ZServiceIdParams,
  ZServiceReportQuery,
  ZServiceRevealRequest,
  type TCreateArchiveRequest,
  type TPatchArchiveRequest,
} from '../../contract/service-schemas.ts';
import { maskPhone, type PiiView } from '../dto.ts';
import { actorOf, piiFor } from '../server.ts';
import { serviceRecordPage } from '../service-record-page.ts';

const tags = ['service desk (S5)'];

/**
 * A site address down to the district, as a device's region is masked
 * (deviceDto): 辽宁省大连市甘井子区学府路 8 号 → 辽宁省大连市甘井子区****. An
 * address without a province, city or district to keep is masked whole.
 */
export function maskSiteAddress(address: string): string {
  const { district, rest } = splitRegion(address);
  if (rest.length > 0) return `${district}****`;
  return /(?:省|自治区|市|自治州|地区|盟|区|县|旗)$/u.test(district) ? district : '****';
}

/**
 * Every customer's phone number (a key ending in phone: the archive's, the
 * record's snapshot of it, the caller's, an amendment's before and after) and
 * site address (siteAddress, destination) in an answer, masked unless the
 * caller sees them in full (piiFor: as the shop's buyers'). The search still
 * finds an archive by its phone; the answer is masked all the same.
 */
function maskContacts<T>(value: T, pii: PiiView): T {
  if (pii === 'full') return value;
  const walk = (v: unknown, key: string, depth: number): unknown => {
    if (typeof v === 'string') {
      if (/phone$/i.test(key)) return maskPhone(v);
      if (/(siteAddress|destination)$/.test(key)) return maskSiteAddress(v);
      return v;
    }
    if (depth > 12 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key, depth + 1));
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, k, depth + 1)]));
  };
  return walk(value, '', 0) as T;
}

/** An answer of the desk as the caller may see it. */
const masked = <T>(value: T, request: FastifyRequest): T => maskContacts(value, piiFor(request));

/** The contract's aliases (deliveryDate, acceptanceDate, warrantyMonths) to the core's names. */
function archiveFieldsOf(body: Omit<TPatchArchiveRequest, 'version' | 'customer'>): Omit<ServiceArchivePatch, 'customer'> {
  const { deliveryDate, acceptanceDate, warrantyMonths, warrantyPeriod, deliveredOn, acceptedOn, ...rest } = body;
  const period: WarrantyPeriod | undefined = warrantyPeriod ?? (warrantyMonths === undefined ? undefined : { count: warrantyMonths, unit: 'months' });
  return {
    ...rest,
    ...(deliveredOn !== undefined || deliveryDate !== undefined ? { deliveredOn: deliveredOn !== undefined ? deliveredOn : deliveryDate } : {}),
    ...(acceptedOn !== undefined || acceptanceDate !== undefined ? { acceptedOn: acceptedOn !== undefined ? acceptedOn : acceptanceDate } : {}),
    ...(period ? { warrantyPeriod: period } : {}),
  };
}

const recordActionSummaries: Record<RepairAction, string> = {
  assign: 'S5.4: the clerk hands the record to a project or R&D/production lead {assignee: {userId, unit}}; the dispatch is registered (售后派出登记)',
  reassign: 'To another lead {assignee, reason}; a visit not yet made moves to the new lead',
  decide: 'S5.5: leadership decides free or paid out of warranty {billing, note?}',
  quote: 'S5.5: after the on-site inspection, the findings and the fees per the fee standard {findings, feeStandard, items: [{description, standardCode?, quantity, unitPriceFen}], note?}',
  accept_quote: 'S5.5: the customer accepts the quote {note?}',
  decline_quote: 'S5.5: the customer declines; the inspection is the work done {note?, work}; visits not made are cancelled',
  finish_work: 'S5.4, S5.6: the lead fills in the work {work: {method: on_site|phone, workDone, parts?, labourMinutes, finishedAt?}}',
  collect_payment: 'S5.5: payment collected {amountFen, method, receivedOn, note? (required when the amount differs from the quote)}',
  issue_invoice: 'S5.5: invoice issued {number, issueDate, amountFen?}',
  return_to_clerk: 'S5.6: the record goes back to the clerk; the follow-up call is due three days later (S5.7)',
  archive: 'S5.6: the clerk files the record; its dispatches are marked complete (a dispatch with no arrival on record is 409 dispatch_not_arrived)',
  log_follow_up: 'S5.7: the follow-up call {reached, satisfaction (1–5, when reached), comments?, at?}; an unreached call yields a retry the next day',
  complete_paperwork: 'S5.8: an emergency’s missing paperwork {caller: {name, phone}? | callerName?, callerPhone?, fault?, archiveId?}',
  cancel: 'Withdrawn before any work {reason}; visits not made are cancelled',
};

const dispatchActionSummaries: Record<DispatchAction, string> = {
  record_notice: 'S5.8: the customer was told in advance that the site cannot be reached the same or the next day {promisedOn, channel: phone|sms|wechat|in_person, toldAt?, note?}',
  arrive: 'S5.8: the lead reached the site {arrivedAt?}',
  complete: 'S5.6: marked complete (done when the record is filed)',
  cancel: 'No visit after all {reason}',
};

export function serviceRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // ---- archives (S5.1, S5.2) ----
    app.post(
      '/service/archives',
      {
        config: { permission: 'service.archive.create' },
        schema: {
          tags,
          summary:
            'S5.1: open the archive of a delivered unit: customer {organisation, contact, phone, siteAddress}, product, serialNo, contractNo, market, deliveredOn/acceptedOn (or deliveryDate/acceptanceDate), warrantyPeriod {count, unit} (or warrantyMonths); 201 ArchiveView with the warranty today; the same serial twice in the shop is 409 ARCHIVE_EXISTS',
          body: ZCreateArchiveRequest,
        },
      },
      async (request, reply) => {
        const { customer, ...rest }: TCreateArchiveRequest = request.body;
        const input = { customer, ...archiveFieldsOf(rest) } as ServiceArchiveInput;
        return reply.code(201).send(masked(await createServiceArchive(ctx, { actor: actorOf(request), input }), request));
      },
    );

    app.get(
      '/service/archives',
      {
        config: { permission: 'service.read' },
        schema: {
          tags,
          summary: 'S5.3: archives newest first; q finds the caller’s product by customer, contact, serial, phone, site, contract or product (best first, with matched); {items, nextCursor}',
          querystring: ZArchiveListQuery,
        },
      },
      async (request) => masked(await searchServiceArchives(ctx, { actor: actorOf(request), ...request.query }), request),
    );

    app.get(
      '/service/archives/:id',
      { config: { permission: 'service.read' }, schema: { tags, summary: 'An archive, its warranty today and the records of its calls', params: ZServiceIdParams } },
      async (request) => masked(await getServiceArchive(ctx, { actor: actorOf(request), id: request.params.id }), request),
    );

    app.post(
      '/service/archives/:id/reveal',
      {
        config: { permission: 'service.pii.reveal' },
        schema: {
          tags,
          summary:
            "The customer's full phone number and site address of an archive (answers elsewhere are masked, as buyers' are); with a reason, audited (service.pii.reveal). For the clerk who calls customers, the field lead who goes on site and the supervisor",
          params: ZServiceIdParams,
          body: ZServiceRevealRequest,
          response: { 200: ZArchiveRevealAnswer },
        },
      },
      async (request) =>
        revealArchiveContact(ctx, { actor: actorOf(request), id: request.params.id, fields: request.body.fields, reason: request.body.reason, ip: request.ip }),
    );

    app.patch(
      '/service/archives/:id',
      {
        config: { permission: 'service.archive.amend' },
        schema: {
          tags,
          summary: 'S5.2: add to or correct an archive at its version (the warranty is recomputed); nothing changed is 400 nothing_changed; stale is 409',
          params: ZServiceIdParams,
          body: ZPatchArchiveRequest,
        },
      },
      async (request) => {
        const { version, customer, ...rest } = request.body;
        const patch: ServiceArchivePatch = { ...archiveFieldsOf(rest), ...(customer ? { customer } : {}) };
        return masked(await amendServiceArchive(ctx, { actor: actorOf(request), id: request.params.id, version, patch }), request);
      },
    );

    // ---- repair records (S5.3–S5.8) ----
    app.post(
      '/service/records',
      {
        config: { permission: 'service.record.open' },
        schema: {
          tags,
          summary:
            'S5.3: record a hotline call {archiveId, caller {name, phone, organisation?}, fault, solvedOnPhone? (+ solution), emergency?, calledAt?}; 201 RecordView: record.warranty says at once whether the product is in warranty and why',
          body: ZOpenRecordRequest,
        },
      },
      async (request, reply) => reply.code(201).send(masked(await openServiceRecord(ctx, { actor: actorOf(request), input: request.body }), request)),
    );

    app.get(
      '/service/records',
      {
        config: { permission: 'service.read' },
        schema: { tags, summary: 'Records newest first, by status (or open), owner (me, none, a user id), archive, incomplete; {items: RecordView[]}', querystring: ZRecordListQuery },
      },
      async (request) => {
        const { incomplete, owner, ...rest } = request.query;
        const items = await listServiceRecordsFor(ctx, {
          actor: actorOf(request),
          ...rest,
          owner,
          incomplete: incomplete === undefined ? undefined : incomplete === 'true',
        });
        return masked({ items }, request);
      },
    );

    app.get(
      '/service/records/:id',
      {
        config: { permission: 'service.read' },
        schema: {
          tags,
          summary:
            'A record with its history and its dispatches (phones and addresses masked); ?format=print: the 售后服务及维修记录单 as a printable zh-CN page, with the contact in full for the roles that may reveal it (the print is then audited as a reveal), masked for the others',
          params: ZServiceIdParams,
          querystring: ZRecordQuery,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        if (request.query.format === 'print') {
          const printed = await serviceRecordForPrint(ctx, { actor, id: request.params.id, ip: request.ip });
          const contact = printed.full ? 'full' : piiFor(request);
          const view = maskContacts(printed.detail, contact);
          const shop = await ctx.db.kysely.selectFrom('shops').select('name').where('id', '=', actor.shopId).executeTakeFirst();
          return reply
            .type('text/html; charset=utf-8')
            .send(serviceRecordPage({ shopName: shop?.name ?? '', view, dispatches: view.dispatches, printedAt: ctx.clock.now(), contact }));
        }
        return masked(await getServiceRecord(ctx, { actor, id: request.params.id }), request);
      },
    );

    app.post(
      '/service/records/:id/reveal',
      {
        config: { permission: 'service.pii.reveal' },
        schema: {
          tags,
          summary:
            "A record's phone numbers (phone: the customer's as the record keeps it, and the caller's) and addresses (address: the site, and each dispatch's destination) in full; with a reason, audited (service.pii.reveal)",
          params: ZServiceIdParams,
          body: ZServiceRevealRequest,
          response: { 200: ZRecordRevealAnswer },
        },
      },
      async (request) =>
        revealRecordContacts(ctx, { actor: actorOf(request), id: request.params.id, fields: request.body.fields, reason: request.body.reason, ip: request.ip }),
    );

    for (const action of repairActions) {
      app.post(
        `/service/records/:id/${action}`,
        {
          config: { permission: `service.record.${action}` },
          schema: {
            tags,
            summary: `${recordActionSummaries[action]}. At the record's version (409 VERSION_CONFLICT when stale); 409 ACTION_NOT_ALLOWED when its status does not allow it; 403 for another role or a lead it is not assigned to`,
            params: ZServiceIdParams,
            body: ZRecordActionRequests[action],
          },
        },
        async (request) => {
          const { version, ...input } = request.body as { version: number } & Record<string, unknown>;
          return masked(await actOnServiceRecord(ctx, { actor: actorOf(request), id: request.params.id, version, action, input }), request);
        },
      );
    }

    // ---- dispatches (S5.4, S5.6, S5.8) ----
    app.post(
      '/service/dispatches',
      {
        config: { permission: 'service.dispatch.register' },
        schema: {
          tags,
          summary:
            "S5.4: register another visit of an assigned record {recordId, leadUserId? (the record's lead), plannedArrival?, destination?, note?}: an inspection for paid work not yet quoted, else a repair (its clock from the customer's yes after a quote); 201 DispatchView",
          body: ZRegisterDispatchRequest,
        },
      },
      async (request, reply) => {
        const { recordId, leadUserId, plannedArrival, destination, note } = request.body;
        return reply
          .code(201)
          .send(masked(await registerServiceDispatch(ctx, { actor: actorOf(request), recordId, leadUserId, plannedArrival, destination, note }), request));
      },
    );

    app.get(
      '/service/dispatches',
      {
        config: { permission: 'service.read' },
        schema: { tags, summary: 'S5.6: the dispatch register, the oldest clock first; open=true: registered or on site, with the clock’s flags; {items: DispatchView[]}', querystring: ZDispatchListQuery },
      },
      async (request) => {
        const { open, ...rest } = request.query;
        return masked({ items: await listServiceDispatches(ctx, { actor: actorOf(request), open: open === 'true', ...rest }) }, request);
      },
    );

    for (const action of dispatchActions) {
      app.post(
        `/service/dispatches/:id/${action}`,
        {
          config: { permission: `service.dispatch.${action}` },
          schema: {
            tags,
            summary: `${dispatchActionSummaries[action]}. At the dispatch's version (409 when stale); a lead reports only on his own dispatch`,
            params: ZServiceIdParams,
            body: ZDispatchActionRequests[action],
          },
        },
        async (request) => {
          const { version, ...input } = request.body as { version: number } & Record<string, unknown>;
          return masked(await actOnServiceDispatch(ctx, { actor: actorOf(request), id: request.params.id, version, action, input }), request);
        },
      );
    }

    // ---- the clerk's desk ----
    app.get(
      '/service/review',
      {
        config: { permission: 'service.review' },
        schema: {
          tags,
          summary:
            "S5.6: the periodic review: open records and dispatches unattended beyond thresholdHours (default 24), and whatever their age dispatches late without notice and emergencies missing paperwork; each with its owner (ownerName) and reasons; the longest idle first",
          querystring: ZReviewQuery,
        },
      },
      async (request) => masked(await reviewUnattended(ctx, { actor: actorOf(request), thresholdHours: request.query.thresholdHours }), request),
    );

    app.get(
      '/service/follow-ups',
      {
        config: { permission: 'service.read' },
        schema: {
          tags,
          summary: 'S5.7: the follow-up calls by state: due (from three days after the record returned; a retry the day after an unreached call), scheduled, unreached (the last try failed), done; log one with POST /service/records/{id}/log_follow_up',
          querystring: ZFollowUpQuery,
        },
      },
      async (request) => masked({ items: await listFollowUps(ctx, { actor: actorOf(request), state: request.query.state }) }, request),
    );

    app.get(
      '/service/reminders',
      {
        config: { permission: 'service.read' },
        schema: { tags, summary: "S5.8: the reminders due now to complete emergencies' paperwork, for the signed-in person (their own, or their role's); a supervisor sees all" },
      },
      async (request) => masked({ items: await remindersFor(ctx, { actor: actorOf(request) }) }, request),
    );

    app.get(
      '/service/leads',
      { config: { permission: 'service.read' }, schema: { tags, summary: "S5.4: the shop's project and R&D/production leads (role field_lead), for the assignee and dispatch pickers" } },
      async (request) => ({ items: await listLeads(ctx, { actor: actorOf(request) }) }),
    );

    app.get(
      '/service/reports',
      {
        config: { permission: 'service.reports' },
        schema: {
          tags,
          summary: 'Response times (call → on site, S5.8), warranty vs paid work (S5.4, S5.5), satisfaction by product (S5.7) over the calls from–to (Shanghai dates, both included); &format=csv|xlsx to download',
          querystring: ZServiceReportQuery,
        },
      },
      async (request, reply) => {
        const report = await serviceReports(ctx, { actor: actorOf(request), from: request.query.from, to: request.query.to });
        const name = `service-report-${report.from ?? 'start'}_${report.to ?? 'now'}`;
        if (request.query.format === 'csv') {
          return reply.type(CSV_CONTENT_TYPE).header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(serviceReportSheets(report)));
        }
        if (request.query.format === 'xlsx') {
          return reply.type(XLSX_CONTENT_TYPE).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await toXlsx(serviceReportSheets(report)));
        }
        return report;
      },
    );
  };
}
