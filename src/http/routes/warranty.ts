/**
 * Phones under 三包 (S4): device sales, the decision with its clause, the
 * shop's policy and service points, send-back testing (送检), the guided path
 * of S4.6 and the warranty card of S4.1.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { createDevice, decideForDevice, findDevices, getDevice, guideStep, recordDeviceRepair, warrantyCard, type Device } from '../../app/warranty/devices.ts';
import { actOnSendBack, getSendBack, listSendBacks, openDeviceSendBack, type SendBackView } from '../../app/warranty/send-backs.ts';
import { readServicePoints, readWarrantyPolicy, saveServicePoints, saveWarrantyPolicy } from '../../app/warranty/settings.ts';
import { splitRegion } from '../../core/warranty/device-sale.ts';
import type { SendBackAction, SendBackCommand } from '../../core/warranty/send-back.ts';
import type { ServicePointDirectory } from '../../core/warranty/service-points.ts';
import type { WarrantyPolicy } from '../../core/warranty/policy.ts';
import {
  ZCardQuery,
  ZCreateDeviceRequest,
  ZDecideRequest,
  ZDevice,
  ZDeviceDetail,
  ZDeviceIdParams,
  ZDeviceListQuery,
  ZDevicePage,
  ZGuideRequest,
  ZOpenSendBackRequest,
  ZPolicyQuery,
  ZPutPolicyRequest,
  ZPutServicePointsRequest,
  ZRecordRepairRequest,
  ZDeviceRepair,
  ZSendBackActionRequests,
  ZSendBackIdParams,
  ZSendBackListQuery,
  ZServicePointsQuery,
} from '../../contract/warranty-schemas.ts';
import { maskPhone, type PiiView } from '../dto.ts';
import { actorOf, piiFor } from '../server.ts';
import { warrantyCardPage } from '../warranty-card-page.ts';

const tags = ['warranty (S4)'];

/** A device as answered: the address after the district and the phone masked for the roles that do not see them. */
export function deviceDto(d: Device, pii: PiiView) {
  const { district, rest } = splitRegion(d.region);
  return {
    id: d.id,
    orderNo: d.orderNo,
    model: d.model,
    brand: d.brand,
    deviceId: d.deviceId,
    idKind: d.idKind,
    purchaseDate: d.purchaseDate,
    deliveryDate: d.deliveryDate,
    invoiceDate: d.invoiceDate,
    previousDeviceId: d.previousDeviceId,
    hostPeriodsFrom: d.hostPeriodsFrom,
    region: pii === 'full' || rest.length === 0 ? d.region : `${district}****`,
    buyerName: d.buyerName,
    buyerPhone: d.buyerPhone === null || pii === 'full' ? d.buyerPhone : maskPhone(d.buyerPhone),
    accessories: d.accessories,
    createdAt: d.createdAt,
    version: d.version,
  };
}

function sendBackDto(v: SendBackView, pii: PiiView) {
  return { ...v, device: deviceDto(v.device, pii) };
}

const actionSummaries: Record<SendBackAction, string> = {
  accept_terms: 'S4.3: the buyer accepts the testing terms of the policy version shown (in the portal; an agent records consent given by Wangwang or phone, with the words); the text and the time are recorded',
  receive: 'S4.4: the warehouse records the parcel and what arrived; what is missing of the whole set is listed',
  record_test: 'S4.3: tested by us (our_test) or at the authorised centre (with its name)',
  report: 'S4.3: the test report: fault_confirmed, no_fault or human_damage, with photos (evidence refs) and the condition',
  decide: "S4.2–S4.4: the outcome from the policy the send-back was opened under; chosenRemedy among the decision's options",
  ship_back: 'S4.5: the parcel back; a host exchange records the old and the new IMEI/MEID (the host only, never the accessories)',
  close: 'Done: after shipping back, or straight from decided for a return',
  cancel: 'Withdrawn before the parcel arrived',
  record_postage: "S4.3: the courier's actual charges of the legs, in fen, and who paid the courier; each side's share follows the decision's split, and the balance between them",
  settle_postage: 'S4.3: the postage balance settled (Alipay, WeChat Pay, bank transfer, cash) or waived (with why); allowed after closing too',
};

export function warrantyRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // ---- devices ----
    app.post(
      '/devices',
      {
        config: { permission: 'device.create' },
        schema: {
          tags,
          summary:
            'Register a device sale: IMEI (Luhn-checked) or MEID, dates, region, accessories (original or gift). A wrong IMEI is 400 VALIDATION_FAILED {field: deviceId, reason, expected?}; the same IMEI/MEID twice in a shop is 409 DEVICE_EXISTS',
          body: ZCreateDeviceRequest,
          response: { 201: ZDevice },
        },
      },
      async (request, reply) => reply.code(201).send(deviceDto(await createDevice(ctx, { actor: actorOf(request), input: request.body }), piiFor(request))),
    );

    app.get(
      '/devices',
      {
        config: { permission: 'device.read' },
        schema: {
          tags,
          summary: 'Device sales newest first; q finds an IMEI, an MEID (any written form) or an order number exactly. A buyer sees their own orders\' devices only',
          querystring: ZDeviceListQuery,
          response: { 200: ZDevicePage },
        },
      },
      async (request) => {
        const page = await findDevices(ctx, { actor: actorOf(request), q: request.query.q, limit: request.query.limit, cursor: request.query.cursor });
        const pii = piiFor(request);
        return { items: page.items.map((d) => deviceDto(d, pii)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/devices/:id',
      {
        config: { permission: 'device.read' },
        schema: {
          tags,
          summary: 'A device sale with its send-backs, its 三包 repairs, and the hosts it replaced or was replaced by in an exchange (S4.5)',
          params: ZDeviceIdParams,
          response: { 200: ZDeviceDetail },
        },
      },
      async (request) => {
        const { device, ...rest } = await getDevice(ctx, { actor: actorOf(request), id: request.params.id });
        return { ...deviceDto(device, piiFor(request)), ...rest };
      },
    );

    app.post(
      '/devices/:id/repairs',
      {
        config: { permission: 'device.repair' },
        schema: {
          tags,
          summary:
            "S4.2 (issue 13): a 三包 repair at a manufacturer's centre, from its repair record; its days extend the 三包有效期 and two of the same fault give an exchange of the host (第十三条). Repairs through a send-back are kept by themselves",
          params: ZDeviceIdParams,
          body: ZRecordRepairRequest,
          response: { 201: ZDeviceRepair },
        },
      },
      async (request, reply) => reply.code(201).send(await recordDeviceRepair(ctx, { actor: actorOf(request), id: request.params.id, request: request.body })),
    );

    app.post(
      '/devices/:id/decide',
      {
        config: { permission: 'warranty.decide' },
        schema: {
          tags,
          summary:
            "S4.2–S4.5: what the shop's policy in force gives for an item of this device and a problem: the remedy and the options, the clause that decides it, the postage split, what to send, why (zh/en). Day counting: the purchase date is day 0. Audited (warranty.decide)",
          params: ZDeviceIdParams,
          body: ZDecideRequest,
        },
      },
      async (request) => decideForDevice(ctx, { actor: actorOf(request), id: request.params.id, request: request.body }),
    );

    app.get(
      '/devices/:id/card',
      {
        config: { permission: 'device.read' },
        schema: {
          tags,
          summary:
            'S4.1: the warranty card, a printable zh-CN page (policy text, the service points of the buyer\'s city and the brand — placeholders read 待补充 —, self-fixes, hotline, return address and consignee); print it, or save it as PDF, from the browser. ?format=json: the same content as JSON',
          params: ZDeviceIdParams,
          querystring: ZCardQuery,
        },
      },
      async (request, reply) => {
        const card = await warrantyCard(ctx, { actor: actorOf(request), id: request.params.id });
        if (request.query.format === 'json') return reply.send({ ...card, device: deviceDto(card.device, piiFor(request)) });
        return reply.type('text/html; charset=utf-8').send(warrantyCardPage(card));
      },
    );

    // ---- the policy and the service points ----
    app.get(
      '/warranty-policy',
      {
        config: { permission: 'warranty.settings.read' },
        schema: {
          tags,
          summary: "The shop's 三包 policy in force (or ?version=N): {version (0: the built-in default), policy, updatedAt}; its clauses hold the send-back terms (S4.3) a buyer accepts",
          querystring: ZPolicyQuery,
        },
      },
      async (request) => readWarrantyPolicy(ctx, { actor: actorOf(request), version: request.query.version }),
    );

    app.put(
      '/warranty-policy',
      {
        config: { permission: 'warranty.settings.write' },
        schema: {
          tags,
          summary: 'Save the policy as a new version (decisions and new send-backs use it from now on). A policy that names a missing clause, a period under 1, a share outside 0–100… is 422 WARRANTY_POLICY_INVALID {errors}',
          body: ZPutPolicyRequest,
        },
      },
      async (request) => saveWarrantyPolicy(ctx, { actor: actorOf(request), policy: request.body.policy as unknown as WarrantyPolicy, ip: request.ip }),
    );

    app.get(
      '/service-points',
      {
        config: { permission: 'warranty.settings.read' },
        schema: {
          tags,
          summary:
            "The service-point directory (S4.1: Hebei's 11 cities × the brands, placeholders to fill) and the card's return contact; with region and brand, the lookup and its matches",
          querystring: ZServicePointsQuery,
        },
      },
      async (request) => {
        const answer = await readServicePoints(ctx, { actor: actorOf(request), region: request.query.region, brand: request.query.brand });
        const { matches, ...rest } = answer;
        return matches === null ? rest : { ...rest, matches };
      },
    );

    app.put(
      '/service-points',
      {
        config: { permission: 'warranty.settings.write' },
        schema: {
          tags,
          summary: 'Save the directory (and the return contact, when given) as a new version; a point of an unlisted brand or city, or an active point without an address, is 422 SERVICE_POINTS_INVALID {errors}',
          body: ZPutServicePointsRequest,
        },
      },
      async (request) => {
        const { directory, returnContact } = request.body;
        const orNull = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);
        return saveServicePoints(ctx, {
          actor: actorOf(request),
          directory: {
            ...directory,
            points: directory.points.map((p) => ({ ...p, name: orNull(p.name), address: orNull(p.address), phone: orNull(p.phone), hours: orNull(p.hours) })),
          } as ServicePointDirectory,
          returnContact: returnContact && { address: returnContact.address, consignee: returnContact.consignee, phone: orNull(returnContact.phone), hotline: orNull(returnContact.hotline) },
          ip: request.ip,
        });
      },
    );

    // ---- send-back testing (送检) ----
    app.post(
      '/send-backs',
      {
        config: { permission: 'send_back.open' },
        schema: {
          tags,
          summary:
            "S4.3: open a send-back for an item of a device (a buyer: their own order's device) under the policy in force; it starts at requested, with the terms to accept. One open send-back per item of a device",
          body: ZOpenSendBackRequest,
        },
      },
      async (request, reply) => {
        const { deviceId, item, faultDescription, faultReportedOn, faultReportedVia, faultReportedNote, ...claimed } = request.body;
        const view = await openDeviceSendBack(ctx, {
          actor: actorOf(request),
          request: { deviceId, item, faultDescription, faultReportedOn, faultReportedVia, faultReportedNote, claimed },
        });
        return reply.code(201).send(sendBackDto(view, piiFor(request)));
      },
    );

    app.get(
      '/send-backs',
      {
        config: { permission: 'send_back.read' },
        schema: { tags, summary: 'Send-backs newest first (the RMA board by status; a device\'s); a buyer sees their own only', querystring: ZSendBackListQuery },
      },
      async (request) => {
        const items = await listSendBacks(ctx, { actor: actorOf(request), ...request.query });
        const pii = piiFor(request);
        return { items: items.map((v) => sendBackDto(v, pii)) };
      },
    );

    app.get(
      '/send-backs/:id',
      {
        config: { permission: 'send_back.read' },
        schema: {
          tags,
          summary:
            'A send-back with its device, the actions open to the caller and its history; at reported, for whoever may decide, the preview of the decision and what is still refundable on the order',
          params: ZSendBackIdParams,
        },
      },
      async (request) => {
        const found = await getSendBack(ctx, { actor: actorOf(request), id: request.params.id });
        return { ...sendBackDto(found, piiFor(request)), events: found.events, preview: found.preview };
      },
    );

    for (const action of Object.keys(ZSendBackActionRequests) as SendBackAction[]) {
      app.post(
        `/send-backs/:id/${action}`,
        {
          config: { permission: `send_back.${action}` },
          schema: {
            tags,
            summary: `${actionSummaries[action]}. At the version seen (409 VERSION_CONFLICT when stale); 409 ACTION_NOT_ALLOWED when the status does not allow it`,
            params: ZSendBackIdParams,
            body: ZSendBackActionRequests[action],
          },
        },
        async (request) => {
          const { version, ...fields } = request.body as { version: number } & Record<string, unknown>;
          const view = await actOnSendBack(ctx, { actor: actorOf(request), id: request.params.id, version, command: { ...fields, action } as SendBackCommand });
          return sendBackDto(view, piiFor(request));
        },
      );
    }

    // ---- the ordinary path (S4.6) ----
    app.post(
      '/warranty/guide',
      {
        config: { permission: 'warranty.guide' },
        schema: {
          tags,
          summary: 'S4.6: the next step of the ordinary case from the answers so far (ask the fault → self-fix → local service centre → send back on our terms); with a device, its region and brand pick the points',
          body: ZGuideRequest,
        },
      },
      async (request) => guideStep(ctx, { actor: actorOf(request), deviceId: request.body.deviceId, answers: request.body.answers }),
    );
  };
}
