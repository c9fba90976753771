import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS } from '../../test/support/databases.ts';
import { migrateToLatest } from './connection.ts';

for (const dialect of DIALECTS) {
  describe(`database connection [${dialect}]`, () => {
    it('migrations are idempotent: a second run applies nothing', async () => {
      const ctx = await createTestContext(dialect);
      try {
        expect(await migrateToLatest(ctx.db)).toEqual([]);
      } finally {
        await ctx.close();
      }
    });

    // SQLite only (not a skipped test on PostgreSQL: CI counts skipped PostgreSQL tests as a failure)
    if (dialect === 'sqlite') it('SQLite runs in WAL mode with synchronous=FULL and takes the write lock at BEGIN (IMMEDIATE)', async () => {
      const ctx = await createTestContext(dialect);
      try {
        const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(ctx.db.kysely);
        expect(mode.rows[0]?.journal_mode).toBe('wal');
        const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(ctx.db.kysely);
        expect(sync.rows[0]?.synchronous).toBe(2);
        // inside a transaction that has not written yet, another connection already cannot write
        const Database = (await import('better-sqlite3')).default;
        await ctx.db.kysely.transaction().execute(async (trx) => {
          await trx.selectFrom('shops').select('id').execute();
          const other = new Database(ctx.testDb.target, { timeout: 50 });
          expect(() => other.prepare("insert into shops (code, name, settings, created_at) values ('x', 'x', '{}', 'x')").run()).toThrow(/locked|busy/i);
          other.close();
        });
      } finally {
        await ctx.close();
      }
    });
  });
}
