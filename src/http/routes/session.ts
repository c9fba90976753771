/** Sign-in, the session, sign-out, shop switch, own password; the buyer portal's order access. */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { buyerSignIn, shopSummary, signIn, signOut, switchShop, type SignedIn } from '../../app/auth/sessions.ts';
import type { AppContext } from '../../app/context.ts';
import { answerInvitation, changeOwnPassword, myInvitations } from '../../app/users.ts';
import { AppError } from '../../core/errors.ts';
import { listUserRoles } from '../../db/user-repository.ts';
import { ZId, ZOrderNo } from '../../contract/schemas.ts';
import { clearSessionCookies, setSessionCookie } from '../security.ts';
import { actorOf } from '../server.ts';

const tags = ['session'];

const ZShop = z.object({ code: z.string(), name: z.string(), role: z.string() });
export const ZSessionAnswer = z.object({
  kind: z.enum(['user', 'buyer', 'token']),
  user: z.object({ id: z.number().int(), username: z.string(), displayName: z.string() }).nullable(),
  role: z.string(),
  shop: z.object({ code: z.string(), name: z.string() }).nullable(),
  shops: z.array(ZShop),
  orderNo: z.string().nullable().describe('a buyer session reaches this order only'),
  csrfToken: z.string().nullable().describe('send it back as X-CSRF-Token with every state-changing request'),
  invitations: z
    .array(z.object({ id: z.number().int(), shopCode: z.string(), shopName: z.string(), role: z.string(), invitedBy: z.string(), expiresAt: z.string() }))
    .describe("other shops' invitations waiting for my answer (POST /session/invitations/{id}/accept or /decline)"),
});

const ZSignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  shopCode: z.string().trim().min(1).max(64).optional(),
});
const ZBuyerSignInRequest = z.strictObject({
  orderNo: ZOrderNo,
  phone: z.string().trim().min(6).max(20),
});
const ZSwitchShopRequest = z.strictObject({ shopCode: z.string().trim().min(1).max(64) });
const ZPasswordRequest = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });

async function answerFor(ctx: AppContext, request: FastifyRequest, signed?: SignedIn) {
  const actor = signed?.actor ?? actorOf(request);
  const db = ctx.db.kysely;
  const shops = signed?.shops ?? (actor.userId ? await listUserRoles(db, actor.userId) : []);
  let user = signed?.user ?? null;
  if (!user && actor.userId) {
    const row = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', '=', actor.userId).executeTakeFirst();
    user = row ? { id: row.id, username: row.username, displayName: row.display_name } : null;
  }
  const order = actor.orderScopeId
    ? await db.selectFrom('orders').select('order_no').where('id', '=', actor.orderScopeId).executeTakeFirst()
    : undefined;
  return {
    kind: actor.kind === 'system' ? ('token' as const) : actor.kind,
    user,
    role: actor.role,
    shop: await shopSummary(ctx, actor.shopId),
    shops: shops.map((s) => ({ code: s.shopCode, name: s.shopName, role: s.role })),
    orderNo: order?.order_no ?? null,
    csrfToken: signed?.csrfToken ?? request.csrfToken,
    invitations: await myInvitations(ctx, { actor }),
  };
}

export function sessionRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/session',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Sign in with username and password; sets the session cookie (a new session id each time)',
          security: [],
          body: ZSignInRequest,
          response: { 200: ZSessionAnswer },
        },
      },
      async (request, reply) => {
        const signed = await signIn(ctx, { ...request.body, ip: request.ip });
        setSessionCookie(request, reply, signed.sessionId, signed.expiresAt);
        return answerFor(ctx, request, signed);
      },
    );

    app.post(
      '/buyer/session',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'Buyer portal: the order number and the phone number on the order open a session for that order only',
          security: [],
          body: ZBuyerSignInRequest,
          response: { 200: ZSessionAnswer },
        },
      },
      async (request, reply) => {
        const signed = await buyerSignIn(ctx, { ...request.body, ip: request.ip });
        setSessionCookie(request, reply, signed.sessionId, signed.expiresAt);
        return answerFor(ctx, request, signed);
      },
    );

    app.get(
      '/session',
      { config: { permission: 'session.self' }, schema: { tags, summary: 'Who am I: role, current shop, my shops, CSRF token', response: { 200: ZSessionAnswer } } },
      async (request) => answerFor(ctx, request),
    );

    app.post(
      '/session/sign-out',
      { config: { permission: 'session.self' }, schema: { tags, summary: 'End this session', response: { 204: z.null() } } },
      async (request, reply) => {
        if (!request.sessionId) throw new AppError('ACTION_NOT_ALLOWED', 'An API token has no session to end; an admin revokes tokens.', {});
        await signOut(ctx, { sessionId: request.sessionId, actor: actorOf(request), ip: request.ip });
        clearSessionCookies(reply);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/session/shop',
      {
        config: { permission: 'session.self' },
        schema: { tags, summary: 'Pick the current shop among mine', body: ZSwitchShopRequest, response: { 200: ZSessionAnswer } },
      },
      async (request) => {
        if (!request.sessionId) throw new AppError('ACTION_NOT_ALLOWED', 'An API token belongs to one shop.', {});
        const actor = await switchShop(ctx, { sessionId: request.sessionId, actor: actorOf(request), shopCode: request.body.shopCode, ip: request.ip });
        request.actor = actor;
        return answerFor(ctx, request);
      },
    );

    for (const answer of ['accept', 'decline'] as const) {
      app.post(
        `/session/invitations/:invitationId/${answer}`,
        {
          config: { permission: 'session.self' },
          schema: {
            tags,
            summary: answer === 'accept' ? "Accept another shop's invitation: its role is mine there (no session ends)" : "Decline another shop's invitation",
            params: z.strictObject({ invitationId: ZId }),
            response: { 200: ZSessionAnswer },
          },
        },
        async (request) => {
          await answerInvitation(ctx, { actor: actorOf(request), invitationId: request.params.invitationId, accept: answer === 'accept', ip: request.ip });
          return answerFor(ctx, request);
        },
      );
    }

    app.post(
      '/session/password',
      {
        config: { permission: 'session.self' },
        schema: { tags, summary: 'Change my password (every session of mine ends; sign in again)', body: ZPasswordRequest, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await changeOwnPassword(ctx, { actor: actorOf(request), ...request.body, ip: request.ip });
        clearSessionCookies(reply);
        return reply.code(204).send(null);
      },
    );
  };
}
