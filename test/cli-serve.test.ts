/**
 * What a new user gets: `shouhou serve` on an empty database migrates it, loads
 * the demo shop once, says where it listens and where the data lives, prints
 * the demo tokens, and answers the API with them. A second start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.ts';

const root = path.join(import.meta.dirname, '..');

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  tokens: Record<string, string>;
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['bin/shouhou.js', 'serve'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const deadline = Date.now() + 90_000;
  while (!/shouhou listens on (http:\/\/[\d.:]+)/.test(out) || !/Demo API tokens/.test(out) || !/system\s+shh_/.test(out)) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /shouhou listens on (http:\/\/[\d.:]+)/.exec(out)![1]!;
  const tokens: Record<string, string> = {};
  for (const m of out.matchAll(/^\s+(buyer|agent|platform|system)\s+(shh_[\w-]+)$/gm)) tokens[m[1]!] = m[2]!;
  return { child, output: () => out, url, tokens };
}

async function stop(s: Started): Promise<number | null> {
  s.child.kill('SIGTERM');
  for (let i = 0; i < 100 && s.child.exitCode === null; i += 1) await new Promise((r) => setTimeout(r, 100));
  return s.child.exitCode;
}

for (const dialect of DIALECTS) {
  describe(`shouhou serve on a fresh ${dialect} database [${dialect}]`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'shouhou-serve-'));
    let pgDb: TestDatabase | null = null;
    afterAll(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await pgDb?.drop();
    });

    it('migrates, loads the demo shop once, logs where it listens and where the data lives, and serves the API', async () => {
      const env: Record<string, string> = { SHOUHOU_DATA_DIR: dataDir };
      if (dialect === 'postgres') {
        pgDb = await createTestDatabase('postgres');
        env.DATABASE_URL = pgDb.target;
      }
      const first = await start(env);
      try {
        expect(first.output()).toMatch(/loaded the demo shoe shop/);
        const where = dialect === 'sqlite' ? path.join(dataDir, 'shouhou.sqlite') : 'postgres://';
        expect(first.output()).toContain(where);
        expect(Object.keys(first.tokens).sort()).toEqual(['agent', 'buyer', 'platform', 'system']);
        const res = await fetch(`${first.url}/api/v1/refunds?open=true&limit=5`, { headers: { authorization: `Bearer ${first.tokens.agent}` } });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: unknown[] };
        expect(page.items).toHaveLength(5);
        expect((await fetch(`${first.url}/api/openapi.json`)).status).toBe(200);
        expect((await fetch(`${first.url}/api/v1/refunds`)).status).toBe(401);
        // the admin's generated password is printed once; the demo users sign in with the README's demo password
        const admin = /The admin's password .*: admin \/ (\S+)/.exec(first.output());
        expect(admin).not.toBeNull();
        for (const [username, password] of [['admin', admin![1]!], ['agent', 'shouhou-demo-2026'], ['field-lead', 'shouhou-demo-2026']]) {
          const signIn = await fetch(`${first.url}/api/v1/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password }),
          });
          expect(signIn.status, username).toBe(200);
          expect(signIn.headers.get('set-cookie')).toMatch(/^shouhou_sid=/);
        }
        // nothing personal or secret in the structured log lines
        const logLines = first.output().split('\n').filter((l) => l.startsWith('{'));
        expect(logLines.join('\n')).not.toMatch(/shh_/);
      } finally {
        expect(await stop(first)).toBe(0);
      }
      // shouhou audit verify: intact, then an edit made straight in the database is found
      const verify = () =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const child = spawn(process.execPath, ['bin/shouhou.js', 'audit', 'verify'], { cwd: root, env: { ...process.env, ...env } });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
          child.on('close', (code) => resolve({ code, out }));
        });
      const intact = await verify();
      expect(intact.code, intact.out).toBe(0);
      expect(intact.out).toMatch(/intact: \d+ rows/);
      const db = openDatabase(env.DATABASE_URL ?? path.join(dataDir, 'shouhou.sqlite'));
      await db.kysely.updateTable('audit_log').set({ details: '{"edited":true}' }).where('id', '=', 5).execute();
      await db.close();
      const broken = await verify();
      expect(broken.code).toBe(1);
      expect(broken.out).toMatch(/BROKEN at row 5/);
      // cutting off the tail and moving the head back is found too (the head carries a MAC under the key)
      const db2 = openDatabase(env.DATABASE_URL ?? path.join(dataDir, 'shouhou.sqlite'));
      await db2.kysely.deleteFrom('audit_log').where('id', '>=', 5).execute();
      const row4 = await db2.kysely.selectFrom('audit_log').select('hash').where('id', '=', 4).executeTakeFirstOrThrow();
      await db2.kysely.updateTable('audit_head').set({ last_id: 4, last_hash: row4.hash }).execute();
      await db2.close();
      const truncated = await verify();
      expect(truncated.code).toBe(1);
      expect(truncated.out).toMatch(/BROKEN at row 5/);

      const second = await start(env);
      try {
        expect(second.output()).not.toMatch(/loaded the demo shoe shop/);
        expect(second.output()).not.toMatch(/The admin's password/);
        const res = await fetch(`${second.url}/api/v1/orders?limit=1`, { headers: { authorization: `Bearer ${first.tokens.agent}` } });
        expect(res.status).toBe(200);
      } finally {
        await stop(second);
      }
    });
  });
}
