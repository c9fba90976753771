import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, DIALECTS, type TestContext } from '../../test/support/databases.ts';
import { precompiled, writeRow } from './precompiled.ts';
import type { Q } from './order-repository.ts';

const shopsByCode = precompiled(['code', 'after'] as const, (db: Q, p: { code: string; after: number }, variant) => {
  const q = db.selectFrom('shops').select(['id', 'code', 'name']).where('code', '=', p.code).where('id', '>', p.after).orderBy('id').limit(5);
  return variant === 'desc' ? q.clearOrderBy().orderBy('id', 'desc') : q;
});

for (const dialect of DIALECTS) {
  describe(`queries built once (issue 16 §2) [${dialect}]`, () => {
    let ctx: TestContext;
    beforeEach(async () => {
      ctx = await createTestContext(dialect);
      const at = new Date().toISOString();
      await ctx.db.kysely
        .insertInto('shops')
        .values([
          { code: 'a', name: '甲', settings: '{}', created_at: at },
          { code: 'b', name: '乙', settings: '{}', created_at: at },
          { code: 'a2', name: '甲二', settings: '{}', created_at: at },
        ])
        .execute();
    });
    afterEach(async () => ctx.close());

    it('answers as the query builder does, with each call\'s values in their places, per variant and in a transaction', async () => {
      const db = ctx.db.kysely;
      for (const code of ['a', 'b', 'a2', 'nobody']) {
        const built = await db.selectFrom('shops').select(['id', 'code', 'name']).where('code', '=', code).where('id', '>', 0).orderBy('id').limit(5).execute();
        expect(await shopsByCode.execute(db, { code, after: 0 })).toEqual(built);
        expect(await shopsByCode.execute(db, { code, after: 0 }, 'desc')).toEqual([...built].reverse());
        // the value after the sentinel's place is the call's, not the first call's
        expect(await shopsByCode.execute(db, { code, after: 1_000 })).toEqual([]);
      }
      const inTrx = await db.transaction().execute((trx) => shopsByCode.execute(trx, { code: 'b', after: 0 }));
      expect(inTrx.map((r) => r.name)).toEqual(['乙']);
    });

    it('refuses a query where a value did not become a parameter (inlined), rather than answer with the first call\'s value', async () => {
      const inlined = precompiled(['code'] as const, (db: Q, p: { code: string }) => db.selectFrom('shops').select('id').where(sql.lit(String(p.code)), '=', 'a'));
      await expect(inlined.execute(ctx.db.kysely, { code: 'a' })).rejects.toThrow(/not a parameter/);
    });

    // (each dialect's describe defines only its own tests: CI counts a skipped [postgres] test as a failure)
    if (dialect === 'sqlite') it('writeRow inserts and updates as the builder would: undefined columns left out, the rows changed counted, only plain column names', async () => {
      const db = ctx.db.kysely;
      const at = new Date().toISOString();
      expect(await writeRow(db, { insert: 'shops', values: { code: 'w', name: '写', settings: '{}', created_at: at, id: undefined } })).toBe(1);
      const row = await db.selectFrom('shops').selectAll().where('code', '=', 'w').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ code: 'w', name: '写', settings: '{}', created_at: at });
      expect(await writeRow(db, { update: 'shops', set: { name: '写二', settings: undefined }, where: { id: row.id, code: 'w' } })).toBe(1);
      expect(await writeRow(db, { update: 'shops', set: { name: '无' }, where: { id: row.id, code: 'other' } })).toBe(0);
      expect((await db.selectFrom('shops').select(['name', 'settings']).where('id', '=', row.id).executeTakeFirstOrThrow())).toEqual({ name: '写二', settings: '{}' });
      await expect(writeRow(db, { update: 'shops', set: { 'name" = 1; --': 'x' }, where: { id: row.id } })).rejects.toThrow(/not a column name/);
    });

    if (dialect === 'postgres') it('writeRow is for SQLite only', async () => {
      await expect(writeRow(ctx.db.kysely, { insert: 'shops', values: { code: 'w' } })).rejects.toThrow(/for SQLite/);
    });
  });
}
