import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, PG_URL, type TestDatabase } from '../../test/support/databases.ts';
import { migrateToLatest, openDatabase, type Db } from './connection.ts';
import { MAX_NAMED, MAX_NAMED_PARAMETERS, namedStatementCount, prepareInTransactions } from './pg-prepared.ts';
import type { Database } from './schema.ts';

/** the server's prepared statements of the session this transaction runs on */
async function preparedHere(trx: Db['kysely']): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(trx);
  return rows.rows.map((r) => r.name);
}

describe.skipIf(!PG_URL)('named prepared statements inside transactions on PostgreSQL (issue 16 §2) [postgres]', () => {
  let testDb: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    testDb = await createTestDatabase('postgres');
    db = openDatabase(testDb.target);
    await migrateToLatest(db);
  });
  afterEach(async () => {
    await db.close();
    await testDb.drop();
  });

  it('a statement with parameters in a transaction is prepared once on its connection and reused; outside a transaction it is not', async () => {
    // outside a transaction: sent as before (unnamed)
    await db.kysely.selectFrom('shops').select('id').where('id', '=', 1).execute();
    await db.kysely.selectFrom('shops').select('id').where('id', '=', 2).execute();
    const names = await db.kysely.transaction().execute(async (trx) => {
      // what the migrations' transactions prepared on this connection
      const before = new Set(await preparedHere(trx));
      for (let i = 0; i < 7; i += 1) await trx.selectFrom('shops').select('id').where('id', '=', i).execute();
      // no parameters: sent as text
      await sql`select 1`.execute(trx);
      return (await preparedHere(trx)).filter((n) => !before.has(n));
    });
    // the seven executions are one statement (pg_prepared_statements' own query has no parameters: not named)
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^shouhou_0_[\w-]{22}$/);
  });

  it('the answers are the same as unnamed ones, on the first execution and after PostgreSQL switches to one plan for all (more than five)', async () => {
    const now = new Date().toISOString();
    await db.kysely
      .insertInto('shops')
      .values(Array.from({ length: 12 }, (_, i) => ({ code: `s${i}`, name: `铺${i}`, settings: '{}', created_at: now })))
      .execute();
    const plain = await db.kysely.selectFrom('shops').select(['id', 'code']).orderBy('id').execute();
    const named = await db.kysely.transaction().execute(async (trx) => {
      const got: { id: number; code: string }[] = [];
      for (const row of plain) got.push(...(await trx.selectFrom('shops').select(['id', 'code']).where('code', '=', row.code).execute()));
      return got;
    });
    expect(named).toEqual(plain);
  });

  it(`bulk statements (more than ${MAX_NAMED_PARAMETERS} parameters) and statements past ${MAX_NAMED} on a connection are sent unnamed`, async () => {
    const count = await db.kysely.transaction().execute(async (trx) => {
      const before = new Set(await preparedHere(trx));
      await trx
        .selectFrom('shops')
        .select('id')
        .where(
          'id',
          'in',
          Array.from({ length: MAX_NAMED_PARAMETERS + 1 }, (_, i) => i),
        )
        .execute();
      expect((await preparedHere(trx)).filter((n) => !before.has(n))).toEqual([]);
      // MAX_NAMED + 10 different texts: the connection's first MAX_NAMED are named, the rest are not
      for (let i = 0; i < MAX_NAMED + 10; i += 1) {
        await trx
          .selectFrom('shops')
          .select(sql<number>`${sql.lit(i)}`.as('k'))
          .where('id', '=', i)
          .execute();
      }
      return (await preparedHere(trx)).filter((n) => n.startsWith('shouhou_')).length;
    });
    expect(count).toBe(MAX_NAMED);
    const client = await db.pgPool!.connect();
    try {
      expect(namedStatementCount(client)).toBeLessThanOrEqual(MAX_NAMED);
    } finally {
      client.release();
    }
  });

  it('a schema change under a prepared `select *` fails that transaction once; the connection then prepares afresh and answers with the new column', async () => {
    // one connection, so the second transaction meets the first one's prepared statement
    const pool = new pg.Pool({ connectionString: testDb.target, max: 1 });
    pool.on('connect', (client) => prepareInTransactions(client));
    const one = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await one.insertInto('shops').values({ code: 'probe', name: '探针', settings: '{}', created_at: new Date().toISOString() }).execute();
      const read = () => one.transaction().execute((trx) => trx.selectFrom('shops').selectAll().where('id', '>', 0).execute());
      expect(await read()).toHaveLength(1);
      await sql`alter table shops add column pg_prepared_probe integer not null default 7`.execute(db.kysely);
      await expect(read()).rejects.toMatchObject({ code: '0A000' });
      const after = (await read()) as unknown as Record<string, unknown>[];
      expect(after[0]?.pg_prepared_probe).toBe(7);
    } finally {
      await one.destroy();
    }
  });
});
