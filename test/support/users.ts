/** Users of a shop signed in through the API, as a browser would (cookie + CSRF token). */
import type { Api } from '../../src/http/server.ts';
import { createUser } from '../../src/app/users.ts';
import type { AppContext } from '../../src/app/context.ts';
import type { StaffRole } from '../../src/core/roles.ts';

export const USER_PASSWORD = 'Correct-Horse-42';

export interface Session {
  /** uploads a file as evidence (POST /api/v1/evidence, the raw bytes) and answers its ref */
  upload(contentType: string, bytes: Buffer): Promise<{ status: number; ref: string | null }>;
  call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown>; raw: Buffer }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function addUsers(ctx: AppContext, shopId: number, suffix: string, roles: readonly StaffRole[]): Promise<void> {
  for (const role of roles) {
    await createUser(ctx, { actor: null, username: `${role.replace('_', '-')}-${suffix}`, displayName: `${role} ${suffix}`, password: USER_PASSWORD, role, shopId });
  }
}

export async function signInAs(app: Api, username: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password: USER_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    async upload(contentType, bytes) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/evidence', headers: { cookie, 'x-csrf-token': csrf, 'content-type': contentType }, payload: bytes });
      return { status: r.statusCode, ref: r.statusCode === 201 ? (r.json() as { ref: string }).ref : null };
    },
    async call(method, url, payload) {
      const r = await app.inject({
        method,
        url,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      let body: unknown = r.body;
      try {
        body = r.json();
      } catch {
        // not JSON
      }
      return { status: r.statusCode, body, headers: r.headers, raw: r.rawPayload };
    },
  };
}
