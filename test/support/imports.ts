/** Uploading an import through the API and waiting for its background work (issue 14 §1). */
import { importWork } from '../../src/app/import/run-import.ts';
import type { AppContext } from '../../src/app/context.ts';
import type { Role } from '../../src/core/roles.ts';
import type { Api } from '../../src/http/server.ts';
import type { ShopFixture } from './fixtures.ts';
import type { Answer } from './http.ts';

export function importClient(app: Api, ctx: AppContext, f: ShopFixture) {
  const call = async (role: Role, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${f.tokens[role]}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as string }) });
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {
      // not JSON
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  /** waits for the job's background work in this process, then reads it */
  const settled = async (role: Role, jobId: number): Promise<Answer> => {
    for (let i = 0; i < 200; i++) {
      await importWork(ctx, jobId);
      const job = await call(role, 'GET', `/api/v1/imports/${jobId}`);
      if (!['previewing', 'committing'].includes(job.body.status as string)) return job;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`import ${jobId} did not settle`);
  };
  return {
    call,
    async upload(options: { kind: 'orders' | 'refunds'; file: Buffer; fileName: string; exportedAt?: string; role?: Role; contentType?: string }): Promise<Answer> {
      const query = new URLSearchParams({ kind: options.kind, fileName: options.fileName, ...(options.exportedAt ? { exportedAt: options.exportedAt } : {}) });
      return call(options.role ?? 'supervisor', 'POST', `/api/v1/imports?${query.toString()}`, options.file, { 'content-type': options.contentType ?? 'application/octet-stream' });
    },
    async preview(jobId: number, body: Record<string, unknown> = {}, role: Role = 'supervisor'): Promise<Answer> {
      const started = await call(role, 'POST', `/api/v1/imports/${jobId}/preview`, JSON.stringify(body), { 'content-type': 'application/json' });
      if (started.status !== 200) return started;
      return settled(role, jobId);
    },
    async commit(jobId: number, role: Role = 'supervisor'): Promise<Answer> {
      const started = await call(role, 'POST', `/api/v1/imports/${jobId}/commit`, '{}', { 'content-type': 'application/json' });
      if (started.status !== 200) return started;
      return settled(role, jobId);
    },
    async rows(jobId: number, query = ''): Promise<Answer> {
      return call('supervisor', 'GET', `/api/v1/imports/${jobId}/rows?limit=500${query ? `&${query}` : ''}`);
    },
    /** upload, preview and commit; the previewed and the committed job */
    async importAll(options: { kind: 'orders' | 'refunds'; file: Buffer; fileName: string; exportedAt?: string }) {
      const up = await this.upload(options);
      if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body)}`);
      const previewed = await this.preview(up.body.id as number);
      const committed = await this.commit(up.body.id as number);
      return { id: up.body.id as number, previewed: previewed.body, committed: committed.body };
    },
  };
}
