/** The HTTP server: Fastify with zod schemas, bearer tokens, idempotency keys and an OpenAPI document. */
import { createHash } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Permission } from '../app/access.ts';
import { mayDo, rolesSeeingFullPii } from '../app/access.ts';
import type { AppContext, SettableClock } from '../app/context.ts';
import { authenticateSession } from '../app/auth/sessions.ts';
import { authenticateToken } from '../app/shops.ts';
import type { Actor } from '../core/roles.ts';
import { claimIdempotencyKey, findIdempotentAnswer, IDEMPOTENCY_CLAIM_LEASE_MS, settleIdempotencyKey } from '../db/shop-repository.ts';
import type { PiiView } from './dto.ts';
import { errorHandler, sendError } from './errors.ts';
import { recordDenial, recordIfCrossShop, SESSION_COOKIE_PLAIN, SESSION_COOKIE_SECURE } from './security.ts';
import { adminRoutes } from './routes/admin.ts';
import { orderRoutes } from './routes/orders.ts';
import { parcelRoutes } from './routes/parcels.ts';
import { refundRoutes } from './routes/refunds.ts';
import { sessionRoutes } from './routes/session.ts';
import { shopRoutes } from './routes/shop.ts';
import { workbenchRoutes } from './routes/workbench.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { warrantyRoutes } from './routes/warranty.ts';
import { serviceRoutes } from './routes/service.ts';
import { testRoutes } from './routes/test.ts';
import { platformRoutes } from './routes/platform.ts';
import { importRoutes } from './routes/imports.ts';
import { eventRoutes } from './routes/events.ts';

/** A route as registered: for the route × role and the bad-input tests. */
export interface RouteInfo {
  method: string;
  url: string;
  permission: Permission | undefined;
  public: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    shouhouRoutes: RouteInfo[];
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** the cookie session's id and CSRF token, when the request came with one */
    sessionId: string | null;
    csrfToken: string | null;
    idempotency: { key: string; hash: string; claimedAt: string } | null;
  }
  interface FastifyContextConfig {
    /** the permission a route needs (every /api/v1 route names one, or is public) */
    permission?: Permission;
    /** reachable without credentials: sign-in */
    public?: boolean;
  }
}

export type Api = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServerOptions {
  ctx: AppContext;
  logger?: FastifyBaseLogger | boolean;
  /** present when SHOUHOU_TEST_CLOCK=1: POST /api/v1/test/clock sets it */
  testClock?: SettableClock | undefined;
  /** behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For (then the session cookie is __Host- and Secure) */
  trustProxy?: boolean;
  /** the built web app (dist/web): served at / (staff) and /buyer (buyer portal) */
  webDist?: string;
}

/** Whether the caller sees buyers' phone numbers and addresses in full (their own, or a machine's) or masked. */
export function piiFor(request: FastifyRequest): PiiView {
  return request.actor && rolesSeeingFullPii.includes(request.actor.role) ? 'full' : 'masked';
}

/** The actor of the request; the routes run only after authentication. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('unauthenticated request reached a handler');
  return request.actor;
}

/** The two HTML pages of the built web app, read once; null when it was not built. */
function readWebApp(dist: string): { agent: string; buyer: string } | null {
  const agent = join(dist, 'index.html');
  const buyer = join(dist, 'buyer.html');
  if (!existsSync(agent) || !existsSync(buyer)) return null;
  return { agent: readFileSync(agent, 'utf8'), buyer: readFileSync(buyer, 'utf8') };
}

export async function buildServer(options: ServerOptions): Promise<Api> {
  const { ctx } = options;
  const web = options.webDist ? readWebApp(options.webDist) : null;
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'boolean' ? options.logger : undefined,
    bodyLimit: 256 * 1024,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    // requests are logged by the onResponse hook below: the route's pattern and the query's names, never the URL as sent
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    // denials and attempts across the shop boundary go into the audit trail; the answer does not change
    if (request.actor && (err as { code?: string }).code === 'FORBIDDEN') await recordDenial(ctx, request, String((err as { details?: { permission?: string } }).details?.permission ?? ''));
    if (request.actor && (err as { code?: string }).code === 'NOT_FOUND') await recordIfCrossShop(ctx, request);
    return errorHandler(err, request, reply);
  });
  // the API speaks JSON only: any other body is 415, not a string handed to a JSON schema
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // the web app routes in the browser: any other page path answers its HTML
    // (a path with a file extension, such as /favicon.ico, is a missing file: 404)
    if (web && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/assets/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html; charset=utf-8').send(path === '/buyer' || path.startsWith('/buyer/') ? web.buyer : web.agent);
    }
    return sendError(reply, 'ROUTE_NOT_FOUND', `There is no ${request.method} ${path}.`);
  });
  const routes: RouteInfo[] = [];
  app.decorate('shouhouRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, permission: route.config?.permission, public: route.config?.public === true });
    }
  });
  // one line per request, without what a URL may carry: a phone or an address in ?q=, an order number in a path
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { request: requestForLog(request), statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('idempotency', null);

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // the API docs page (swagger-ui) styles itself inline
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: previews of evidence before it is uploaded
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        // plain http is for local use (README); upgrading its subresources to https would break the docs page there
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'shouhou 售后 API',
        description:
          'Orders and refunds on the platform\'s rules (S2, S3), people and the audit trail, and the workbench of the shop\'s SOP (S1) — rule IDs from MISSION.md. People sign in (POST /api/v1/session: a session cookie, and X-CSRF-Token on every state change); machines send `Authorization: Bearer <token>`. Money is integer fen; times are UTC ISO-8601; errors are {error: {code, message, details}}.',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API tokens for machines (an admin creates them)' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-shouhou_sid',
            description:
              'The session cookie from POST /api/v1/session (shouhou_sid on plain-http local use). State-changing requests with it also send X-CSRF-Token.',
          },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: "The session's CSRF token, from the sign-in answer or GET /api/v1/session" },
        },
      },
      security: [{ bearer: [] }, { session: [], csrf: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // a body is read as UTF-8 only: one declared in another charset would be read wrongly, so it is refused (issue 11)
  app.addHook('onRequest', async (request, reply) => {
    const type = request.headers['content-type'];
    // text bodies only (JSON, text): a file's bytes (a photo, a PDF) have no charset to misread
    const textual = typeof type === 'string' && /^\s*(application\/([\w.+-]*\+)?json|text\/)/i.test(type);
    const charset = textual ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type)?.[1] : undefined;
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      return sendError(reply, 'UNSUPPORTED_MEDIA_TYPE', `Send the body in UTF-8 (charset=utf-8), not ${charset.slice(0, 40)}.`, { charset: charset.slice(0, 40) });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // the route's pattern, not the raw URL: a percent-encoded path must not slip past this hook
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/v1/') || route.startsWith('/api/v1/test/')) return;
    const config = request.routeOptions.config;
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    // a browser's request from another site is refused whatever its credentials (CSRF, ASVS 4.2.2)
    const origin = request.headers.origin;
    if (unsafe && origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
      return sendError(reply, 'CSRF_FAILED', 'Requests from another site are refused.', {});
    }
    if (config.public) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = header.startsWith('Bearer ') ? header.slice(7).trim() : null;
      request.actor = token ? await authenticateToken(ctx, token) : null;
      if (!request.actor) return sendError(reply, 'UNAUTHENTICATED', 'Send a valid API token: Authorization: Bearer <token>.');
    } else {
      // over https only the __Host- cookie counts (a plain one may have been planted by a sibling host or over http)
      const sid = request.protocol === 'https' ? request.cookies[SESSION_COOKIE_SECURE] : (request.cookies[SESSION_COOKIE_SECURE] ?? request.cookies[SESSION_COOKIE_PLAIN]);
      const found = sid ? await authenticateSession(ctx, sid) : null;
      if (!found) {
        return sendError(reply, 'UNAUTHENTICATED', sid ? 'Your session has ended; sign in again.' : 'Sign in, or send an API token: Authorization: Bearer <token>.');
      }
      // a cookie travels by itself: a state change needs the session's CSRF token too
      if (unsafe && request.headers['x-csrf-token'] !== found.session.csrfToken) {
        return sendError(reply, 'CSRF_FAILED', 'This request lacks the X-CSRF-Token header of your session; reload the page.', {});
      }
      request.actor = found.actor;
      request.sessionId = sid!;
      request.csrfToken = found.session.csrfToken;
    }
    const actor = request.actor;
    const permission = config.permission;
    if (permission && !mayDo(actor.role, permission)) {
      await recordDenial(ctx, request, permission);
      return sendError(reply, 'FORBIDDEN', `The role ${actor.role} may not do ${permission}.`, { permission });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // the web app's assets carry their content hash in the name: cached for good; everything else never
    reply.header('cache-control', request.url.startsWith('/assets/') && reply.statusCode === 200 ? 'public, max-age=31536000, immutable' : 'no-store');
    if (request.idempotency && request.actor) {
      await settleIdempotencyKey(ctx.db.kysely, {
        actorId: request.actor.id,
        key: request.idempotency.key,
        claimedAt: request.idempotency.claimedAt,
        statusCode: typeof payload === 'string' ? reply.statusCode : 500,
        response: typeof payload === 'string' ? withoutSecrets(payload) : '',
      });
    }
    return payload;
  });

  // Text a database would store otherwise than it came is refused, naming the field: PostgreSQL cannot
  // store NUL (and no field needs the other C0 controls but tab and line breaks), and a lone surrogate
  // is not UTF-8 at all (both databases would keep U+FFFD instead, issue 11).
  app.addHook('preValidation', async (request, reply) => {
    for (const [where, value] of [['body', request.body], ['query', request.query], ['params', request.params]] as const) {
      const found = findUnstorableText(value);
      if (found) {
        // eslint-disable-next-line no-control-regex -- the field's name is echoed without what made it unstorable
        const field = found.path.map((part) => part.replace(/[\u0000-\u001f]|\p{Cs}/gu, '?')).join('.');
        return sendError(
          reply,
          'VALIDATION_FAILED',
          `The ${where}${field ? ` field ${field}` : ''} holds ${found.problem === 'control' ? 'a control character (such as NUL)' : 'a lone UTF-16 surrogate (not valid text)'}, which no field accepts.`,
          { issues: [{ where, path: field, message: found.problem === 'control' ? 'control character' : 'lone surrogate' }], field },
        );
      }
    }
  });

  // Idempotency-Key on any POST: the same key with the same body replays the first answer; with another body, 422.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.actor) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      return sendError(reply, 'VALIDATION_FAILED', 'The Idempotency-Key header must be 1–200 visible ASCII characters.');
    }
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    // claim the key first, so that two requests with one key never both run
    const claimedAt = await claimIdempotencyKey(ctx.db.kysely, { actorId: request.actor.id, key, requestHash: hash, at: ctx.clock.now() });
    if (claimedAt) {
      request.idempotency = { key, hash, claimedAt };
      return;
    }
    const stored = await findIdempotentAnswer(ctx.db.kysely, request.actor.id, key);
    if (!stored || stored.requestHash !== hash) {
      return sendError(reply, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.', { key });
    }
    if (stored.statusCode === 0) {
      return sendError(reply, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still being handled; ask again in a moment.', {
        key,
        retryAfterSeconds: Math.ceil(IDEMPOTENCY_CLAIM_LEASE_MS / 1000),
      });
    }
    return reply.code(stored.statusCode).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(stored.response);
  });

  await app.register(orderRoutes(ctx), { prefix: '/api/v1' });
  await app.register(refundRoutes(ctx), { prefix: '/api/v1' });
  await app.register(parcelRoutes(ctx), { prefix: '/api/v1' });
  await app.register(shopRoutes(ctx), { prefix: '/api/v1' });
  await app.register(sessionRoutes(ctx), { prefix: '/api/v1' });
  await app.register(adminRoutes(ctx), { prefix: '/api/v1' });
  await app.register(workbenchRoutes(ctx), { prefix: '/api/v1' });
  await app.register(evidenceRoutes(ctx), { prefix: '/api/v1' });
  await app.register(warrantyRoutes(ctx), { prefix: '/api/v1' });
  await app.register(serviceRoutes(ctx), { prefix: '/api/v1' });
  await app.register(platformRoutes(ctx), { prefix: '/api/v1' });
  await app.register(importRoutes(ctx), { prefix: '/api/v1' });
  await app.register(eventRoutes(ctx), { prefix: '/api/v1' });
  if (options.testClock) await app.register(testRoutes(ctx, options.testClock), { prefix: '/api/v1/test' });

  if (web) {
    await app.register(fastifyStatic, { root: join(options.webDist!, 'assets'), prefix: '/assets/', index: false, wildcard: true });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(
        '<!doctype html><meta charset="utf-8"><title>shouhou 售后</title><h1>shouhou 售后</h1><p>The web app is not built (npm start builds it). API: <a href="/api/docs">/api/docs</a> · <a href="/api/openapi.json">/api/openapi.json</a></p>',
      ),
    );
  }
  return app;
}

/**
 * The first text (a value or a key) in a request part that a database would not store as it came:
 * a C0 control other than tab and line breaks, or a lone surrogate. Its path names the field.
 */
export function findUnstorableText(value: unknown, path: string[] = [], depth = 0): { path: string[]; problem: 'control' | 'surrogate' } | null {
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) return { path, problem: 'control' };
    if (/\p{Cs}/u.test(value)) return { path, problem: 'surrogate' };
    return null;
  }
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
    const inKey = findUnstorableText(k, [...path, k], depth + 1);
    if (inKey) return inKey;
    const inValue = findUnstorableText(x, [...path, k], depth + 1);
    if (inValue) return inValue;
  }
  return null;
}

/**
 * What the log keeps of a request: the method, the route's pattern (`/api/v1/orders/:orderNo`) or, for a
 * path no route knows, the path with every digit and encoded byte hidden, and the query's parameter names only.
 */
export function requestForLog(request: FastifyRequest): { method: string; route: string; query?: string; ip: string } {
  const [path = '', query] = request.url.split('?', 2);
  const route = request.routeOptions.url ?? `(no route) ${path.replace(/%[0-9a-f]{2}/gi, '%').replace(/[0-9]/g, '#').slice(0, 120)}`;
  const names = query
    ? [...new Set(query.split('&').map((pair) => (pair.split('=')[0] ?? '').replace(/[^A-Za-z0-9_.[\]-]/g, '').slice(0, 40)))].filter(Boolean)
    : [];
  return { method: request.method, route, ...(names.length ? { query: names.map((n) => `${n}=…`).join('&') } : {}), ip: request.ip };
}

/**
 * An answer kept for an Idempotency-Key replay, without what is shown only once (a new API token, a webhook's
 * signing secret): a replay says it was not kept instead of storing it in the clear for a day.
 */
export function withoutSecrets(payload: string): string {
  if (!/"(token|secret)"\s*:/.test(payload)) return payload;
  try {
    const strip = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(strip);
      if (v === null || typeof v !== 'object') return v;
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, (k === 'token' || k === 'secret') && typeof x === 'string' ? '(shown once; not kept for a replay)' : strip(x)]),
      );
    };
    return JSON.stringify(strip(JSON.parse(payload)));
  } catch {
    return payload;
  }
}
