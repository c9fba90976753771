/** The HTTP server: Fastify with zod schemas, bearer tokens, idempotency keys and an OpenAPI document. */
import { createHash } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Permission } from '../app/access.ts';
import { mayDo } from '../app/access.ts';
import type { AppContext, SettableClock } from '../app/context.ts';
import { authenticateToken } from '../app/shops.ts';
import type { Actor } from '../core/roles.ts';
import { findIdempotentAnswer, storeIdempotentAnswer } from '../db/shop-repository.ts';
import { errorHandler, sendError } from './errors.ts';
import { orderRoutes } from './routes/orders.ts';
import { refundRoutes } from './routes/refunds.ts';
import { shopRoutes } from './routes/shop.ts';
import { testRoutes } from './routes/test.ts';

/** A route as registered: for the route × role and the bad-input tests. */
export interface RouteInfo {
  method: string;
  url: string;
  permission: Permission | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    shouhouRoutes: RouteInfo[];
  }
  interface FastifyRequest {
    actor: Actor | null;
    idempotency: { key: string; hash: string } | null;
  }
  interface FastifyContextConfig {
    /** the permission a route needs (every /api/v1 route names one) */
    permission?: Permission;
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
}

/** The actor of the request; the routes run only after authentication. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('unauthenticated request reached a handler');
  return request.actor;
}

export async function buildServer(options: ServerOptions): Promise<Api> {
  const { ctx } = options;
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'boolean' ? options.logger : undefined,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // the API speaks JSON only: any other body is 415, not a string handed to a JSON schema
  app.removeContentTypeParser('text/plain');
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 'ROUTE_NOT_FOUND', `There is no ${request.method} ${request.url.split('?')[0]}.`),
  );
  const routes: RouteInfo[] = [];
  app.decorate('shouhouRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, permission: route.config?.permission });
    }
  });
  app.decorateRequest('actor', null);
  app.decorateRequest('idempotency', null);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'shouhou 售后 API',
        description:
          'Orders and refunds on the platform\'s rules (S2, S3 of MISSION.md). Every request carries `Authorization: Bearer <token>`. Money is integer fen; times are UTC ISO-8601.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v1/') || request.url.startsWith('/api/v1/test/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const actor = token ? await authenticateToken(ctx, token) : null;
    if (!actor) {
      return sendError(reply, 'UNAUTHENTICATED', 'Send a valid API token: Authorization: Bearer <token>.');
    }
    request.actor = actor;
    const permission = request.routeOptions.config.permission;
    if (permission && !mayDo(actor.role, permission)) {
      return sendError(reply, 'FORBIDDEN', `The role ${actor.role} may not do ${permission}.`, { permission });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    if (request.idempotency && request.actor && reply.statusCode < 500 && typeof payload === 'string') {
      await storeIdempotentAnswer(ctx.db.kysely, {
        actorId: request.actor.id,
        key: request.idempotency.key,
        requestHash: request.idempotency.hash,
        statusCode: reply.statusCode,
        response: payload,
        at: ctx.clock.now(),
      });
    }
    return payload;
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
    const stored = await findIdempotentAnswer(ctx.db.kysely, request.actor.id, key);
    if (stored) {
      if (stored.requestHash !== hash) {
        return sendError(reply, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.', { key });
      }
      return reply
        .code(stored.statusCode)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(stored.response);
    }
    request.idempotency = { key, hash };
  });

  await app.register(orderRoutes(ctx), { prefix: '/api/v1' });
  await app.register(refundRoutes(ctx), { prefix: '/api/v1' });
  await app.register(shopRoutes(ctx), { prefix: '/api/v1' });
  if (options.testClock) await app.register(testRoutes(ctx, options.testClock), { prefix: '/api/v1/test' });

  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(
      '<!doctype html><meta charset="utf-8"><title>shouhou 售后</title><h1>shouhou 售后</h1><p>API: <a href="/api/docs">/api/docs</a> · <a href="/api/openapi.json">/api/openapi.json</a></p>',
    ),
  );
  return app;
}
