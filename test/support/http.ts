/** A small client over app.inject: the role's token, JSON in and out. */
import type { Api } from '../../src/http/server.ts';
import type { Role } from '../../src/core/roles.ts';
import type { ShopFixture } from './fixtures.ts';

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are checked field by field
  headers: Record<string, unknown>;
}

export function client(app: Api, f: ShopFixture) {
  async function call(role: Role | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await app.inject({
      method,
      url,
      headers: { ...(role ? { authorization: `Bearer ${f.tokens[role]}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {
      // not JSON
    }
    return { status: res.statusCode, body, headers: res.headers };
  }
  return {
    get: (role: Role | null, url: string) => call(role, 'GET', url),
    post: (role: Role | null, url: string, payload: unknown = {}, headers?: Record<string, string>) => call(role, 'POST', url, payload, headers),
    patch: (role: Role | null, url: string, payload: unknown) => call(role, 'PATCH', url, payload),
    /** POST an action at the refund's current version */
    async act(role: Role, refundId: number, action: string, payload: Record<string, unknown> = {}) {
      const current = await call('agent', 'GET', `/api/v1/refunds/${refundId}`);
      return call(role, 'POST', `/api/v1/refunds/${refundId}/${action}`, { version: current.body.version, ...payload });
    },
  };
}
