/** Issue 14 §3–4: the event feed, and the shop's webhook endpoints with their delivery log. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { listEvents } from '../../app/events/events.ts';
import { changeEndpoint, createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, redeliver, sendTestEvent } from '../../app/events/webhooks.ts';
import { ZDelivery, ZEndpoint, ZEndpointPatch, ZEndpointRequest, ZFeedEvent } from '../../contract/event-schemas.ts';
import { ZId, zDecimal } from '../../contract/schemas.ts';
import { actorOf } from '../server.ts';

export function eventRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/events',
      {
        config: { permission: 'events.read' },
        schema: {
          tags: ['events'],
          summary: "The shop's events after a cursor, oldest first (kept 30 days): the same events webhooks deliver, for systems that poll",
          querystring: z.strictObject({
            after: zDecimal(0, Number.MAX_SAFE_INTEGER).default(0).describe('the last id seen (0: from the oldest kept)'),
            types: z.string().max(500).optional().describe('comma-separated event types'),
            limit: zDecimal(1, 500).default(100),
          }),
          response: { 200: z.object({ events: z.array(ZFeedEvent), cursor: z.number().int() }) },
        },
      },
      async (request) => listEvents(ctx, { actor: actorOf(request), after: request.query.after, limit: request.query.limit, types: request.query.types?.split(',').map((t) => t.trim()).filter(Boolean) }),
    );

    app.get('/webhooks', { config: { permission: 'webhook.manage' }, schema: { tags: ['webhooks'], summary: "The shop's webhook endpoints", response: { 200: z.array(ZEndpoint) } } }, async (request) =>
      listEndpoints(ctx, { actor: actorOf(request) }),
    );

    app.post(
      '/webhooks',
      {
        config: { permission: 'webhook.manage' },
        schema: {
          tags: ['webhooks'],
          summary: 'Add an endpoint with the events it wants; its signing secret (whsec_…) is answered this once',
          body: ZEndpointRequest,
          response: { 201: z.object({ endpoint: ZEndpoint, secret: z.string() }) },
        },
      },
      async (request, reply) => reply.code(201).send(await createEndpoint(ctx, { actor: actorOf(request), ...request.body, ip: request.ip })),
    );

    app.patch(
      '/webhooks/:id',
      {
        config: { permission: 'webhook.manage' },
        schema: { tags: ['webhooks'], summary: 'Change an endpoint, turn it on or off, or give it a new secret (answered once)', params: z.strictObject({ id: ZId }), body: ZEndpointPatch, response: { 200: z.object({ endpoint: ZEndpoint, secret: z.string().nullable() }) } },
      },
      async (request) => changeEndpoint(ctx, { actor: actorOf(request), id: request.params.id, ...request.body, ip: request.ip }),
    );

    app.post(
      '/webhooks/:id/delete',
      { config: { permission: 'webhook.manage' }, schema: { tags: ['webhooks'], summary: 'Remove an endpoint and its delivery log', params: z.strictObject({ id: ZId }), response: { 204: z.null() } } },
      async (request, reply) => {
        await deleteEndpoint(ctx, { actor: actorOf(request), id: request.params.id, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/webhooks/:id/deliveries',
      {
        config: { permission: 'webhook.manage' },
        schema: {
          tags: ['webhooks'],
          summary: "An endpoint's deliveries, newest first: status, answer, next try",
          params: z.strictObject({ id: ZId }),
          querystring: z.strictObject({ beforeId: ZId.optional(), limit: zDecimal(1, 200).default(50) }),
          response: { 200: z.array(ZDelivery) },
        },
      },
      async (request) => listDeliveries(ctx, { actor: actorOf(request), endpointId: request.params.id, ...request.query }),
    );

    app.post(
      '/webhooks/:id/deliveries/:deliveryId/redeliver',
      { config: { permission: 'webhook.manage' }, schema: { tags: ['webhooks'], summary: 'Send a delivery again now (the same webhook-id)', params: z.strictObject({ id: ZId, deliveryId: ZId }), response: { 204: z.null() } } },
      async (request, reply) => {
        await redeliver(ctx, { actor: actorOf(request), endpointId: request.params.id, deliveryId: request.params.deliveryId });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/webhooks/:id/test',
      { config: { permission: 'webhook.manage' }, schema: { tags: ['webhooks'], summary: 'Send a test event (webhook.test) to this endpoint', params: z.strictObject({ id: ZId }), response: { 202: z.object({ eventId: z.number().int() }) } } },
      async (request, reply) => reply.code(202).send(await sendTestEvent(ctx, { actor: actorOf(request), endpointId: request.params.id })),
    );
  };
}
