/**
 * What a new user gets: `shouhou serve` on an empty database migrates it, loads
 * the demo shop once, says where it listens and where the data lives, says
 * where the demo tokens and the admin's password are (never the secrets
 * themselves), and answers the API with them. A second start keeps the data.
 * Everything in the data folder is for the user running shouhou only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/app/auth/passwords.ts';
import { openDatabase } from '../src/db/connection.ts';
import { findUserByUsername } from '../src/db/user-repository.ts';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.ts';

const root = path.join(import.meta.dirname, '..');

/** The environment of a CLI run: no key or admin password from the caller's environment. */
function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info' };
  delete base.SHOUHOU_AUDIT_KEY;
  delete base.SHOUHOU_ADMIN_PASSWORD;
  delete base.DATABASE_URL;
  return { ...base, ...env };
}

interface Started {
  child: ChildProcess;
  output: () => string;
  url: string;
  tokens: Record<string, string>;
}

const demoTokens = (dataDir: string) =>
  (JSON.parse(readFileSync(path.join(dataDir, 'demo-tokens.json'), 'utf8')) as { tokens: Record<string, string> }).tokens;

async function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['bin/shouhou.js', 'serve'], { cwd: root, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const deadline = Date.now() + 90_000;
  while (!/shouhou listens on (http:\/\/[\d.:]+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // the line about the demo tokens comes right after (the tests check what it says)
  for (let i = 0; i < 50 && !/demo-tokens\.json/.test(out); i += 1) await new Promise((r) => setTimeout(r, 100));
  const url = /shouhou listens on (http:\/\/[\d.:]+)/.exec(out)![1]!;
  return { child, output: () => out, url, tokens: demoTokens(env.SHOUHOU_DATA_DIR!) };
}

/** A one-shot command (migrate, seed-demo, audit verify): its exit code, stdout and stderr. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/shouhou.js', ...args], { cwd: root, env: cliEnv(env) });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const modeOf = (file: string) => statSync(file).mode & 0o777;

/** What the data folder holds, with each entry's mode: all for this user only. */
function expectPrivate(dataDir: string, files: string[]): void {
  expect(modeOf(dataDir).toString(8), dataDir).toBe('700');
  for (const name of files) expect(modeOf(path.join(dataDir, name)).toString(8), name).toBe('600');
  for (const name of readdirSync(dataDir)) expect(modeOf(path.join(dataDir, name)) & 0o077, name).toBe(0);
}

const adminPasswordIn = (dataDir: string) => {
  const text = readFileSync(path.join(dataDir, 'admin-password.txt'), 'utf8');
  expect(text).toMatch(/delete this file/i);
  return /^password: (\S+)$/m.exec(text)![1]!;
};

async function stop(s: Started): Promise<number | null> {
  s.child.kill('SIGTERM');
  for (let i = 0; i < 100 && s.child.exitCode === null; i += 1) await new Promise((r) => setTimeout(r, 100));
  return s.child.exitCode;
}

for (const dialect of DIALECTS) {
  describe(`shouhou serve on a fresh ${dialect} database [${dialect}]`, () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'shouhou-serve-'));
    // not there yet: shouhou makes it
    const dataDir = path.join(tmp, 'data');
    const pgDbs: TestDatabase[] = [];
    const newPgDb = async () => {
      const db = await createTestDatabase('postgres');
      pgDbs.push(db);
      return db.target;
    };
    afterAll(async () => {
      rmSync(tmp, { recursive: true, force: true });
      for (const db of pgDbs) await db.drop();
    });

    it('migrates, loads the demo shop once, logs where it listens and where the data lives, and serves the API', async () => {
      const env: Record<string, string> = { SHOUHOU_DATA_DIR: dataDir };
      if (dialect === 'postgres') env.DATABASE_URL = await newPgDb();
      const first = await start(env);
      let adminPassword = '';
      try {
        expect(first.output()).toMatch(/loaded the demo shoe shop/);
        const where = dialect === 'sqlite' ? path.join(dataDir, 'shouhou.sqlite') : 'postgres://';
        expect(first.output()).toContain(where);
        expect(Object.keys(first.tokens).sort()).toEqual(['agent', 'buyer', 'platform', 'system']);
        // the secrets are in files for this user only; stdout and stderr say where, never what
        adminPassword = adminPasswordIn(dataDir);
        expect(first.output()).toContain(path.join(dataDir, 'admin-password.txt'));
        expect(first.output()).toContain(path.join(dataDir, 'demo-tokens.json'));
        expect(first.output()).not.toContain(adminPassword);
        for (const token of Object.values(first.tokens)) expect(first.output()).not.toContain(token);
        expect(first.output()).not.toMatch(/shh_/);
        const files = ['audit.key', 'demo-tokens.json', 'admin-password.txt'];
        // SQLite's -wal and -shm files are there while the server runs
        if (dialect === 'sqlite') files.push('shouhou.sqlite', 'shouhou.sqlite-wal', 'shouhou.sqlite-shm');
        expectPrivate(dataDir, files);
        const res = await fetch(`${first.url}/api/v1/refunds?open=true&limit=5`, { headers: { authorization: `Bearer ${first.tokens.agent}` } });
        expect(res.status).toBe(200);
        const page = (await res.json()) as { items: unknown[] };
        expect(page.items).toHaveLength(5);
        expect((await fetch(`${first.url}/api/openapi.json`)).status).toBe(200);
        expect((await fetch(`${first.url}/api/v1/refunds`)).status).toBe(401);
        // the admin signs in with the password from the file; the demo users with the README's demo password
        for (const [username, password] of [['admin', adminPassword], ['agent', 'shouhou-demo-2026'], ['field-lead', 'shouhou-demo-2026']]) {
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
      const verify = () => runCli(['audit', 'verify'], env);
      // without the key it says which key it looked for, exits 2 and makes none (a new key would report a break at row 1)
      const keyFile = path.join(dataDir, 'audit.key');
      renameSync(keyFile, path.join(tmp, 'audit.key.moved'));
      const noKey = await verify();
      expect(noKey.code, noKey.out + noKey.err).toBe(2);
      expect(noKey.err).toContain('SHOUHOU_AUDIT_KEY');
      expect(noKey.err).toContain(keyFile);
      expect(noKey.out).not.toMatch(/BROKEN/);
      expect(existsSync(keyFile)).toBe(false);
      renameSync(path.join(tmp, 'audit.key.moved'), keyFile);
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
        expect(second.output()).not.toMatch(/created the admin user/);
        // the admin's file is left as it was (the admin deletes it), and no secret is printed
        expect(adminPasswordIn(dataDir)).toBe(adminPassword);
        expect(second.output()).not.toContain(adminPassword);
        expect(second.output()).not.toMatch(/shh_/);
        expect(second.output()).toContain(path.join(dataDir, 'demo-tokens.json'));
        const res = await fetch(`${second.url}/api/v1/orders?limit=1`, { headers: { authorization: `Bearer ${first.tokens.agent}` } });
        expect(res.status).toBe(200);
      } finally {
        await stop(second);
      }
    });

    it('audit verify with no key (neither SHOUHOU_AUDIT_KEY nor data/audit.key) exits 2 and creates nothing', async () => {
      const fresh = path.join(tmp, 'no-key');
      const env: Record<string, string> = { SHOUHOU_DATA_DIR: fresh };
      if (dialect === 'postgres') env.DATABASE_URL = await newPgDb();
      const verify = await runCli(['audit', 'verify'], env);
      expect(verify.code, verify.out + verify.err).toBe(2);
      expect(verify.err).toMatch(/audit key is missing/);
      expect(verify.err).toContain('SHOUHOU_AUDIT_KEY');
      expect(verify.err).toContain(path.join(fresh, 'audit.key'));
      expect(existsSync(fresh)).toBe(false);
    });

    it('seed-demo with SHOUHOU_ADMIN_PASSWORD writes no password file and prints no secret; its files are private', async () => {
      const seeded = path.join(tmp, 'seeded');
      const env: Record<string, string> = { SHOUHOU_DATA_DIR: seeded, SHOUHOU_ADMIN_PASSWORD: 'Given-Secret-2026-x' };
      if (dialect === 'postgres') env.DATABASE_URL = await newPgDb();
      const seed = await runCli(['seed-demo'], env);
      const output = seed.out + seed.err;
      expect(seed.code, output).toBe(0);
      expect(output).toMatch(/created the admin user/);
      expect(output).toContain(path.join(seeded, 'demo-tokens.json'));
      expect(output).not.toContain('Given-Secret-2026-x');
      expect(output).not.toMatch(/shh_/);
      expect(existsSync(path.join(seeded, 'admin-password.txt'))).toBe(false);
      expectPrivate(seeded, dialect === 'sqlite' ? ['audit.key', 'demo-tokens.json', 'shouhou.sqlite'] : ['audit.key', 'demo-tokens.json']);
      const db = openDatabase(env.DATABASE_URL ?? path.join(seeded, 'shouhou.sqlite'));
      try {
        const admin = await findUserByUsername(db.kysely, 'admin');
        expect(await verifyPassword(admin!.passwordHash, 'Given-Secret-2026-x')).toBe(true);
      } finally {
        await db.close();
      }
    });

    it('a first start never overwrites an admin-password.txt already there: it stops, saying so, before loading anything', async () => {
      const stale = path.join(tmp, 'stale');
      mkdirSync(stale, { mode: 0o700 });
      writeFileSync(path.join(stale, 'admin-password.txt'), 'password: from-an-earlier-database\n', { mode: 0o600 });
      const env: Record<string, string> = { SHOUHOU_DATA_DIR: stale };
      if (dialect === 'postgres') env.DATABASE_URL = await newPgDb();
      const seed = await runCli(['seed-demo'], env);
      expect(seed.code, seed.out + seed.err).toBe(1);
      expect(seed.err).toContain(`${path.join(stale, 'admin-password.txt')} already exists`);
      expect(readFileSync(path.join(stale, 'admin-password.txt'), 'utf8')).toBe('password: from-an-earlier-database\n');
      expect(seed.out + seed.err).not.toMatch(/loaded the demo shoe shop/);
    });

    // SQLite only (not a skipped test on PostgreSQL: CI counts skipped PostgreSQL tests as a failure)
    if (dialect === 'sqlite') it('migrate makes an earlier, world-readable data folder private: the folder 700, the database, its -wal/-shm and the key 600', async () => {
      const legacy = path.join(tmp, 'legacy');
      mkdirSync(legacy);
      chmodSync(legacy, 0o755);
      const sqliteFile = path.join(legacy, 'shouhou.sqlite');
      const old = openDatabase(sqliteFile);
      await old.kysely.selectFrom('sqlite_master' as never).selectAll().execute();
      writeFileSync(path.join(legacy, 'audit.key'), 'ab'.repeat(32), { mode: 0o644 });
      for (const name of readdirSync(legacy)) chmodSync(path.join(legacy, name), 0o644);
      expect(readdirSync(legacy).sort()).toEqual(['audit.key', 'shouhou.sqlite', 'shouhou.sqlite-shm', 'shouhou.sqlite-wal']);
      await old.close();
      // close checkpoints and removes the -wal; an earlier crash leaves one behind: put one back
      writeFileSync(`${sqliteFile}-wal`, '', { mode: 0o644 });
      chmodSync(`${sqliteFile}-wal`, 0o644);
      const migrate = await runCli(['migrate'], { SHOUHOU_DATA_DIR: legacy });
      expect(migrate.code, migrate.out + migrate.err).toBe(0);
      expectPrivate(legacy, ['audit.key', 'shouhou.sqlite']);
      expect(readFileSync(path.join(legacy, 'audit.key'), 'utf8')).toBe('ab'.repeat(32));
      // a fresh folder: migrate makes it 700, with the database and the key 600
      const fresh = path.join(tmp, 'migrated');
      const first = await runCli(['migrate'], { SHOUHOU_DATA_DIR: fresh });
      expect(first.code, first.out + first.err).toBe(0);
      expectPrivate(fresh, ['audit.key', 'shouhou.sqlite']);
    });
  });
}
