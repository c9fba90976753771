/** Issue 12: shops, the shop's platform binding (店铺授权), its sync state, sync problems and the decisions sent back. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.ts';
import { getBindingView, revokeBinding, saveBinding, testBinding } from '../../app/platform/bindings.ts';
import { listOutbox, createShopAsAdmin, retryProblem } from '../../app/platform/admin.ts';
import { dismissProblem, listProblems } from '../../app/platform/problems.ts';
import { retryOutbox } from '../../app/platform/outbox.ts';
import { ZBindingRequest, ZBindingView, ZNewShopRequest, ZOutboxRow, ZProblem, ZShopCreated } from '../../contract/platform-schemas.ts';
import { ZId, zDecimal } from '../../contract/schemas.ts';
import { actorOf } from '../server.ts';

const tags = ['platform'];

export function platformRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/shops',
      {
        config: { permission: 'shop.create' },
        schema: { tags: ['shop'], summary: 'Add a shop; you become its admin (switch to it with POST /session/shop)', body: ZNewShopRequest, response: { 201: ZShopCreated } },
      },
      async (request, reply) => reply.code(201).send(await createShopAsAdmin(ctx, { actor: actorOf(request), ...request.body, ip: request.ip })),
    );

    app.get(
      '/platform/binding',
      {
        config: { permission: 'platform.binding.read' },
        schema: { tags, summary: "The shop's platform binding (secrets only by their last four characters), its sync state and open problems; null when not bound", response: { 200: ZBindingView.nullable() } },
      },
      async (request) => getBindingView(ctx, { actor: actorOf(request) }),
    );

    app.put(
      '/platform/binding',
      {
        config: { permission: 'platform.binding.write' },
        schema: {
          tags,
          summary: 'Bind the shop to Taobao/Tmall (the backfill starts), or change the binding (a new session key re-authorises it); the app secret and session key are sealed at rest and never answered',
          body: ZBindingRequest,
          response: { 200: ZBindingView },
        },
      },
      async (request) => {
        const b = request.body;
        return saveBinding(ctx, {
          actor: actorOf(request),
          ip: request.ip,
          input: { ...b, sessionExpiresAt: b.sessionExpiresAt === undefined ? undefined : b.sessionExpiresAt === null ? null : new Date(b.sessionExpiresAt) },
        });
      },
    );

    app.post(
      '/platform/binding/revoke',
      { config: { permission: 'platform.binding.write' }, schema: { tags, summary: "Revoke the binding: every worker of the shop stops (decisions not yet sent wait)", response: { 204: z.null() } } },
      async (request, reply) => {
        await revokeBinding(ctx, { actor: actorOf(request), ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/platform/binding/test',
      {
        config: { permission: 'platform.sync.act' },
        schema: { tags, summary: 'Test the connection with the stored binding', response: { 200: z.object({ ok: z.boolean(), message: z.string().nullable(), code: z.string().nullable() }) } },
      },
      async (request) => testBinding(ctx, { actor: actorOf(request), ip: request.ip }),
    );

    app.get(
      '/platform/problems',
      {
        config: { permission: 'platform.binding.read' },
        schema: {
          tags,
          summary: 'Sync problems, newest first: what the platform sent that could not be applied, and decisions it refused',
          querystring: z.strictObject({ status: z.enum(['open', 'resolved', 'dismissed']).optional(), beforeId: ZId.optional(), limit: zDecimal(1, 200).default(50) }),
          response: { 200: z.array(ZProblem) },
        },
      },
      async (request) => listProblems(ctx, { actor: actorOf(request), ...request.query }),
    );

    app.post(
      '/platform/problems/:id/retry',
      {
        config: { permission: 'platform.sync.act' },
        schema: { tags, summary: 'Read the object from the platform again and apply it (or send a refused decision again)', params: z.strictObject({ id: ZId }), response: { 200: ZProblem } },
      },
      async (request) => retryProblem(ctx, { actor: actorOf(request), problemId: request.params.id, ip: request.ip }),
    );

    app.post(
      '/platform/problems/:id/dismiss',
      { config: { permission: 'platform.sync.act' }, schema: { tags, summary: 'Set the problem aside (kept on record)', params: z.strictObject({ id: ZId }), response: { 204: z.null() } } },
      async (request, reply) => {
        await dismissProblem(ctx, { actor: actorOf(request), problemId: request.params.id, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/platform/outbox',
      {
        config: { permission: 'platform.binding.read' },
        schema: {
          tags,
          summary: 'Decisions sent (or on their way) to the platform, newest first',
          querystring: z.strictObject({ status: z.enum(['pending', 'sending', 'sent', 'failed']).optional(), refundId: ZId.optional(), beforeId: ZId.optional(), limit: zDecimal(1, 200).default(50) }),
          response: { 200: z.array(ZOutboxRow) },
        },
      },
      async (request) => listOutbox(ctx, { actor: actorOf(request), ...request.query }),
    );

    app.post(
      '/platform/outbox/:id/retry',
      { config: { permission: 'platform.sync.act' }, schema: { tags, summary: 'Send a failed decision again', params: z.strictObject({ id: ZId }), response: { 204: z.null() } } },
      async (request, reply) => {
        await retryOutbox(ctx, { actor: actorOf(request), outboxId: request.params.id });
        return reply.code(204).send(null);
      },
    );
  };
}
