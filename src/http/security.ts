/** Session cookies, and the audit of denials and cross-shop attempts. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit, auditActor, recordAudit } from '../app/audit.ts';
import type { AppContext } from '../app/context.ts';
import { findEvidenceOwner } from '../db/evidence-repository.ts';

/** Over https the cookie is `__Host-` prefixed and Secure; on plain http (local use) browsers refuse that prefix. */
export const SESSION_COOKIE_SECURE = '__Host-shouhou_sid';
export const SESSION_COOKIE_PLAIN = 'shouhou_sid';

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, sessionId: string, expiresAt: Date): void {
  const secure = request.protocol === 'https';
  reply.setCookie(secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE_PLAIN, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: expiresAt,
  });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE_SECURE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
  reply.clearCookie(SESSION_COOKIE_PLAIN, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/** A permission denial goes into the audit trail. */
export async function recordDenial(ctx: AppContext, request: FastifyRequest, permission: string): Promise<void> {
  await recordAudit(ctx.db.kysely, {
    at: ctx.clock.now(),
    ...auditActor(request.actor),
    action: 'permission.denied',
    targetType: 'route',
    targetId: `${request.method} ${request.routeOptions.url ?? request.url}`,
    outcome: 'denied',
    ip: request.ip,
    details: { permission },
  });
}

/**
 * After a 404: was the id another shop's (or, for a buyer, another buyer's)?
 * Then it was an attempt across the boundary, and it goes into the trail.
 * The answer stays a plain 404 either way.
 */
export async function recordIfCrossShop(ctx: AppContext, request: FastifyRequest): Promise<void> {
  const actor = request.actor;
  if (!actor) return;
  const params = (request.params ?? {}) as Record<string, unknown>;
  const body = (request.body ?? {}) as Record<string, unknown>;
  const db = ctx.db.kysely;
  let elsewhere: { kind: string; id: string; shopId: number; buyerNick: string } | undefined;
  const refundId = Number(params.id);
  if (request.routeOptions.url?.startsWith('/api/v1/refunds/') && Number.isSafeInteger(refundId)) {
    const row = await db
      .selectFrom('refunds')
      .innerJoin('orders', 'orders.id', 'refunds.order_id')
      .select(['refunds.shop_id', 'orders.buyer_nick'])
      .where('refunds.id', '=', refundId)
      .executeTakeFirst();
    if (row) elsewhere = { kind: 'refund', id: String(refundId), shopId: row.shop_id, buyerNick: row.buyer_nick };
  }
  const evidenceId = Number(params.id);
  if (!elsewhere && request.routeOptions.url?.startsWith('/api/v1/evidence/') && Number.isSafeInteger(evidenceId) && evidenceId <= 2_147_483_647) {
    const owner = await findEvidenceOwner(db, evidenceId);
    if (owner) elsewhere = { kind: 'evidence', id: String(evidenceId), shopId: owner.shopId, buyerNick: '' };
  }
  // S4: a device (by its id in the path, or the deviceId of a send-back or a guided step) and a send-back
  const route = request.routeOptions.url ?? '';
  const deviceId = route.startsWith('/api/v1/devices/') ? Number(params.id) : ['/api/v1/send-backs', '/api/v1/warranty/guide'].includes(route) ? Number(body.deviceId) : NaN;
  if (!elsewhere && Number.isSafeInteger(deviceId) && deviceId > 0 && deviceId <= 2_147_483_647) {
    const row = await db
      .selectFrom('devices')
      .leftJoin('orders', 'orders.id', 'devices.order_id')
      .select(['devices.shop_id', 'orders.buyer_nick'])
      .where('devices.id', '=', deviceId)
      .executeTakeFirst();
    if (row) elsewhere = { kind: 'device', id: String(deviceId), shopId: row.shop_id, buyerNick: row.buyer_nick ?? '' };
  }
  const sendBackId = route.startsWith('/api/v1/send-backs/') ? Number(params.id) : NaN;
  if (!elsewhere && Number.isSafeInteger(sendBackId) && sendBackId > 0 && sendBackId <= 2_147_483_647) {
    const row = await db
      .selectFrom('records')
      .leftJoin('orders', 'orders.id', 'records.order_id')
      .select(['records.shop_id', 'orders.buyer_nick'])
      .where('records.id', '=', sendBackId)
      .where('records.kind', '=', 'send_back')
      .executeTakeFirst();
    if (row) elsewhere = { kind: 'send_back', id: String(sendBackId), shopId: row.shop_id, buyerNick: row.buyer_nick ?? '' };
  }
  // S5: a service archive, repair record or dispatch (by its id in the path, or the archiveId / recordId of a new record or dispatch)
  const serviceTable = /^\/api\/v1\/service\/archives\/:id/.test(route)
    ? ('service_archives' as const)
    : /^\/api\/v1\/service\/records\/:id/.test(route)
      ? ('service_records' as const)
      : /^\/api\/v1\/service\/dispatches\/:id/.test(route)
        ? ('service_dispatches' as const)
        : route === '/api/v1/service/records' && body.archiveId !== undefined
          ? ('service_archives' as const)
          : route === '/api/v1/service/dispatches'
            ? ('service_records' as const)
            : null;
  const serviceId = serviceTable === null ? NaN : route.includes('/:id') ? Number(params.id) : Number(body.archiveId ?? body.recordId);
  if (!elsewhere && serviceTable !== null && Number.isSafeInteger(serviceId) && serviceId > 0 && serviceId <= 2_147_483_647) {
    const row = await db.selectFrom(serviceTable).select('shop_id').where('id', '=', serviceId).executeTakeFirst();
    if (row) elsewhere = { kind: { service_archives: 'service_archive', service_records: 'repair_record', service_dispatches: 'dispatch' }[serviceTable], id: String(serviceId), shopId: row.shop_id, buyerNick: '' };
  }
  // issue 12: a sync problem or an outbox row of the shop's platform binding
  const platformTable = /^\/api\/v1\/platform\/problems\/:id/.test(route)
    ? ('sync_problems' as const)
    : /^\/api\/v1\/platform\/outbox\/:id/.test(route)
      ? ('platform_outbox' as const)
      : /^\/api\/v1\/webhooks\/:id/.test(route)
        ? ('webhook_endpoints' as const)
        : null;
  const platformId = platformTable ? Number(params.id) : NaN;
  if (!elsewhere && platformTable && Number.isSafeInteger(platformId) && platformId > 0 && platformId <= 2_147_483_647) {
    const row = await db.selectFrom(platformTable).select('shop_id').where('id', '=', platformId).executeTakeFirst();
    if (row) elsewhere = { kind: { sync_problems: 'sync_problem', platform_outbox: 'outbox', webhook_endpoints: 'webhook' }[platformTable], id: String(platformId), shopId: row.shop_id, buyerNick: '' };
  }
  const userId = Number(params.userId);
  if (!elsewhere && Number.isSafeInteger(userId) && userId <= 2_147_483_647) {
    const rows = await db.selectFrom('actors').select('shop_id').where('user_id', '=', userId).where('disabled_at', 'is', null).execute();
    const other = rows.find((r) => r.shop_id !== actor.shopId);
    if (other && !rows.some((r) => r.shop_id === actor.shopId)) elsewhere = { kind: 'user', id: String(userId), shopId: other.shop_id, buyerNick: '' };
  }
  const tokenId = Number(params.tokenId);
  if (!elsewhere && Number.isSafeInteger(tokenId) && tokenId <= 2_147_483_647) {
    const row = await db.selectFrom('api_tokens').innerJoin('actors', 'actors.id', 'api_tokens.actor_id').select('actors.shop_id').where('api_tokens.id', '=', tokenId).executeTakeFirst();
    if (row) elsewhere = { kind: 'token', id: String(tokenId), shopId: row.shop_id, buyerNick: '' };
  }
  const orderNo = typeof params.orderNo === 'string' ? params.orderNo : typeof body.orderNo === 'string' ? body.orderNo : undefined;
  if (!elsewhere && orderNo) {
    const rows = await db.selectFrom('orders').select(['shop_id', 'buyer_nick']).where('order_no', '=', orderNo).execute();
    const row = rows.find((r) => r.shop_id !== actor.shopId) ?? rows[0];
    if (row) elsewhere = { kind: 'order', id: orderNo, shopId: row.shop_id, buyerNick: row.buyer_nick };
  }
  if (!elsewhere) return;
  const crossShop = elsewhere.shopId !== actor.shopId;
  const otherBuyer = !crossShop && actor.role === 'buyer';
  if (!crossShop && !otherBuyer) return;
  const attempted = `${request.method} ${request.routeOptions.url ?? ''}`;
  const at = ctx.clock.now();
  await db.transaction().execute(async (trx) => {
    // the attempt in the actor's own shop: what was tried, never where the id lives (issue 11: that would
    // tell the attacker the id exists in another shop)
    await appendAudit(trx, {
      at,
      ...auditActor(actor),
      action: crossShop ? 'access.cross_shop' : 'access.other_buyer',
      targetType: elsewhere.kind,
      targetId: elsewhere.id,
      outcome: 'denied',
      ip: request.ip,
      details: { route: attempted },
    });
    // and in the owner's shop, whose record it was: there it may say which shop tried
    if (crossShop) {
      await appendAudit(trx, {
        at,
        ...auditActor(actor),
        shopId: elsewhere.shopId,
        action: 'access.cross_shop_target',
        targetType: elsewhere.kind,
        targetId: elsewhere.id,
        outcome: 'denied',
        ip: request.ip,
        details: { route: attempted, fromShopId: actor.shopId },
      });
    }
  });
}
