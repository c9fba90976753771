/** Users, API tokens and the audit trail of the admin's current shop. */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit, verifyAuditChain } from '../../app/audit.ts';
import { exportAudit } from '../../app/export/audit-export.ts';
import { CSV_CONTENT_TYPE, fileStamp, toCsv, toXlsx, XLSX_CONTENT_TYPE } from '../../app/export/spreadsheet.ts';
import type { AppContext } from '../../app/context.ts';
import { changeUser, createUser, grantRole, issueToken, listInvitations, listTokens, listUsers, resetPassword, revokeInvitation, revokeToken } from '../../app/users.ts';
import { roles, staffRoles } from '../../core/roles.ts';
import { ZId, ZIsoDate, zDecimal } from '../../contract/schemas.ts';
import { actorOf } from '../server.ts';

const ZUser = z.object({ userId: z.number().int(), username: z.string(), displayName: z.string(), role: z.string(), disabled: z.boolean() });
const ZUserIdParams = z.strictObject({ userId: ZId });
const ZInvitation = z.object({
  id: z.number().int(),
  username: z.string(),
  role: z.string(),
  status: z.enum(['pending', 'accepted', 'declined', 'revoked', 'expired']),
  createdAt: z.string(),
  expiresAt: z.string(),
});
const ZInvitationIdParams = z.strictObject({ invitationId: ZId });
const ZTokenIdParams = z.strictObject({ tokenId: ZId });
const ZToken = z.object({
  id: z.number().int(),
  actorId: z.number().int(),
  name: z.string(),
  role: z.string(),
  label: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export function adminRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/users',
      { config: { permission: 'user.manage' }, schema: { tags: ['users'], summary: "The current shop's users", response: { 200: z.array(ZUser) } } },
      async (request) => listUsers(ctx, { actor: actorOf(request) }),
    );

    app.post(
      '/users',
      {
        config: { permission: 'user.manage' },
        schema: {
          tags: ['users'],
          summary: 'Create a user with a role in the current shop',
          body: z.strictObject({
            username: z.string().trim().min(3).max(32),
            displayName: z.string().trim().min(1).max(64),
            password: z.string().min(1).max(256),
            role: z.enum(staffRoles),
          }),
          response: { 201: ZUser },
        },
      },
      async (request, reply) => reply.code(201).send(await createUser(ctx, { actor: actorOf(request), ...request.body, ip: request.ip })),
    );

    app.post(
      '/users/grant',
      {
        config: { permission: 'user.manage' },
        schema: {
          tags: ['users'],
          summary:
            "Give a user of another shop a role in the current shop: at once (201) when you are an admin of every shop they work in, else an invitation they accept or decline (202, the same answer whether or not the name exists); none of their sessions ends",
          body: z.strictObject({ username: z.string().trim().min(3).max(32), role: z.enum(staffRoles) }),
          response: {
            201: z.object({ status: z.literal('granted'), user: ZUser }),
            202: z.object({ status: z.literal('invited'), invitation: ZInvitation }),
          },
        },
      },
      async (request, reply) => {
        const outcome = await grantRole(ctx, { actor: actorOf(request), ...request.body, ip: request.ip });
        return outcome.status === 'granted' ? reply.code(201).send(outcome) : reply.code(202).send(outcome);
      },
    );

    app.get(
      '/users/invitations',
      {
        config: { permission: 'user.manage' },
        schema: { tags: ['users'], summary: "The current shop's invitations waiting for an answer", response: { 200: z.array(ZInvitation) } },
      },
      async (request) => listInvitations(ctx, { actor: actorOf(request) }),
    );

    app.post(
      '/users/invitations/:invitationId/revoke',
      {
        config: { permission: 'user.manage' },
        schema: { tags: ['users'], summary: 'Take back an invitation not yet answered', params: ZInvitationIdParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await revokeInvitation(ctx, { actor: actorOf(request), invitationId: request.params.invitationId, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.patch(
      '/users/:userId',
      {
        config: { permission: 'user.manage' },
        schema: {
          tags: ['users'],
          summary: 'Change display name, role in this shop (null removes it) or disabled; a role change or disable ends their sessions',
          params: ZUserIdParams,
          body: z
            .strictObject({ displayName: z.string().trim().min(1).max(64), role: z.enum(staffRoles).nullable(), disabled: z.boolean() })
            .partial()
            .refine((b) => Object.keys(b).length > 0, { message: 'Say what to change: displayName, role or disabled' }),
          response: { 200: ZUser },
        },
      },
      async (request) => changeUser(ctx, { actor: actorOf(request), userId: request.params.userId, ...request.body, ip: request.ip }),
    );

    app.post(
      '/users/:userId/password',
      {
        config: { permission: 'user.manage' },
        schema: {
          tags: ['users'],
          summary: "Set a user's password (their sessions end)",
          params: ZUserIdParams,
          body: z.strictObject({ password: z.string().min(1).max(256) }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await resetPassword(ctx, { actor: actorOf(request), userId: request.params.userId, password: request.body.password, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/tokens',
      { config: { permission: 'token.manage' }, schema: { tags: ['tokens'], summary: "The current shop's API tokens (never the secrets)", response: { 200: z.array(ZToken) } } },
      async (request) => listTokens(ctx, { actor: actorOf(request) }),
    );

    app.post(
      '/tokens',
      {
        config: { permission: 'token.manage' },
        schema: {
          tags: ['tokens'],
          summary: 'Create an API token for a machine: shown once, stored hashed',
          body: z.strictObject({
            name: z.string().trim().min(1).max(64),
            role: z.enum(roles),
            buyerNick: z.string().trim().min(1).max(64).optional(),
            expiresAt: ZIsoDate.optional(),
          }),
          response: { 201: z.object({ token: z.string().describe('shown this once'), info: ZToken }) },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const issued = await issueToken(ctx, {
          actor: actorOf(request),
          role: b.role,
          name: b.name,
          buyerNick: b.buyerNick,
          expiresAt: b.expiresAt ? new Date(b.expiresAt) : null,
          ip: request.ip,
        });
        return reply.code(201).send(issued);
      },
    );

    app.post(
      '/tokens/:tokenId/revoke',
      { config: { permission: 'token.manage' }, schema: { tags: ['tokens'], summary: 'Revoke a token at once', params: ZTokenIdParams, response: { 204: z.null() } } },
      async (request, reply) => {
        await revokeToken(ctx, { actor: actorOf(request), tokenId: request.params.tokenId, ip: request.ip });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/audit',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: "The current shop's audit trail, newest first",
          querystring: z.strictObject({
            action: z.string().max(64).optional(),
            beforeId: ZId.optional(),
            limit: zDecimal(1, 500).default(100),
          }),
          response: {
            200: z.array(
              z.object({
                id: z.number().int(),
                at: z.string(),
                actorKind: z.string(),
                actorName: z.string(),
                role: z.string().nullable(),
                action: z.string(),
                targetType: z.string().nullable(),
                targetId: z.string().nullable(),
                outcome: z.string(),
                details: z.record(z.string(), z.unknown()),
              }),
            ),
          },
        },
      },
      async (request) => listAudit(ctx.db.kysely, { shopId: actorOf(request).shopId, ...request.query }),
    );

    app.get(
      '/audit/export',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary:
            "Issue 15 §2: the current shop's audit trail under the trail's filter (action), newest first, as XLSX (default) or CSV (format=csv): time (Shanghai), who, role, action, target, outcome, the details as key: value lines; at most 50,000 rows, else 422 EXPORT_TOO_LARGE",
          querystring: z.strictObject({
            action: z.string().max(64).optional(),
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
          }),
        },
      },
      async (request, reply) => {
        const { format, action } = request.query;
        const sheet = await exportAudit(ctx, { actor: actorOf(request), action });
        reply.header('content-disposition', `attachment; filename="audit-${fileStamp(ctx.clock.now())}.${format}"`);
        if (format === 'csv') return reply.type(CSV_CONTENT_TYPE).send(toCsv({ sheets: [sheet] }));
        return reply.type(XLSX_CONTENT_TYPE).send(await toXlsx({ sheets: [sheet] }));
      },
    );

    app.get(
      '/audit/verify',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Walk the whole hash chain and report the first broken row',
          response: { 200: z.object({ ok: z.boolean(), rows: z.number().int(), firstBroken: z.object({ id: z.number().int(), problem: z.string() }).nullable() }) },
        },
      },
      async () => verifyAuditChain(ctx.db.kysely),
    );
  };
}
