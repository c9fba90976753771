/**
 * Every database test runs on each dialect (Kysely's own test setup does the
 * same): SQLite always, PostgreSQL when SHOUHOU_TEST_PG_URL is set. Each test
 * database is new: a temporary SQLite file, or a PostgreSQL database created
 * for it and dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SettableClock, type AppContext } from '../../src/app/context.ts';
import { chinaCalendar } from '../../src/core/calendar/china-calendar.ts';
import { migrateToLatest, openDatabase, type Db } from '../../src/db/connection.ts';
import type { DialectName } from '../../src/db/dialect-name.ts';
import { useSecretKey } from '../../src/app/secrets.ts';

// the platform bindings' secrets are sealed under a key kept outside the database (a fixed one in tests)
useSecretKey(Buffer.alloc(32, 7));

export const PG_URL = process.env.SHOUHOU_TEST_PG_URL;

export const DIALECTS: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  dialect: DialectName;
  /** what openDatabase takes: a file path or a postgres URL */
  target: string;
  drop(): Promise<void>;
}

let counter = 0;

/** A new, empty database of the dialect. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'shouhou-test-'));
    return { dialect, target: path.join(dir, 'test.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!PG_URL) throw new Error('SHOUHOU_TEST_PG_URL is not set');
  counter += 1;
  const name = `shouhou_t_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    target: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestContext extends AppContext {
  clock: SettableClock;
  testDb: TestDatabase;
  close(): Promise<void>;
}

/** A migrated database with a settable clock. */
export async function createTestContext(dialect: DialectName, now = new Date('2026-11-02T02:00:00.000Z')): Promise<TestContext> {
  const testDb = await createTestDatabase(dialect);
  const db: Db = openDatabase(testDb.target);
  await migrateToLatest(db);
  const clock = new SettableClock();
  clock.set(now);
  return {
    db,
    clock,
    calendar: chinaCalendar(),
    testDb,
    close: async () => {
      await db.close();
      await testDb.drop();
    },
  };
}
