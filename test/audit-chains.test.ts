/**
 * Issue 16 §2: the audit trail in chains. On PostgreSQL an action appends to the first chain whose head no
 * other transaction holds, so actions commit side by side; every chain is still a hash chain with a MAC'd
 * head, and the event pump keeps its place per chain, so a row that commits after a later id is not skipped.
 * On SQLite (one writer) there is one chain and ids stay consecutive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain, type AuditEntry } from '../src/app/audit.ts';
import { pumpEvents } from '../src/app/events/events.ts';
import { AUDIT_CHAINS } from '../src/db/migrations/015-audit-chains.ts';
import { createTestContext, DIALECTS, type TestContext } from './support/databases.ts';

const entry = (ctx: TestContext, n: number): AuditEntry => ({
  at: ctx.clock.now(),
  shopId: null,
  actorKind: 'system',
  actorId: null,
  actorName: 'chain test',
  role: 'system',
  action: 'test.append',
  targetType: 'test',
  targetId: n,
  outcome: 'ok',
  details: { n },
});

/** A promise and its resolver: a transaction held open until the test lets it go. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

for (const dialect of DIALECTS) {
  describe(`the audit trail's chains [${dialect}]`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext(dialect);
    });
    afterAll(async () => {
      await ctx.close();
    });

    it(dialect === 'postgres' ? 'issue 16 §2: appends held open at once go to different chains; every chain verifies' : 'issue 16 §2: one chain, consecutive ids', async () => {
      const db = ctx.db.kysely;
      const heads = await db.selectFrom('audit_head').select('id').execute();
      expect(heads.length).toBe(dialect === 'postgres' ? AUDIT_CHAINS : 1);
      if (dialect === 'sqlite') {
        for (let n = 0; n < 5; n += 1) await db.transaction().execute((trx) => appendAudit(trx, entry(ctx, n)));
        const rows = await db.selectFrom('audit_log').select(['id', 'chain', 'chain_seq']).orderBy('id').execute();
        expect(rows.every((r) => r.chain === 1 && r.chain_seq === r.id)).toBe(true);
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
        return;
      }
      // four transactions each append and stay open until all four have appended: no one waits for another
      const held = gate();
      let appended = 0;
      const all = gate();
      const chains: number[] = [];
      const writers = [0, 1, 2, 3].map((n) =>
        db.transaction().execute(async (trx) => {
          const id = await appendAudit(trx, entry(ctx, n));
          const row = await trx.selectFrom('audit_log').select('chain').where('id', '=', id).executeTakeFirstOrThrow();
          chains.push(row.chain);
          if (++appended === 4) all.open();
          await held.wait;
        }),
      );
      await all.wait;
      held.open();
      await Promise.all(writers);
      expect(new Set(chains).size).toBe(4);
      const verdict = await verifyAuditChain(db);
      expect(verdict).toMatchObject({ ok: true, firstBroken: null });
      expect(verdict.rows).toBeGreaterThanOrEqual(4);
    });

    it('issue 16 §2: a row edited, deleted, moved to another chain, added beside the chains, or a chain cut short, is found', async () => {
      const db = ctx.db.kysely;
      for (let n = 10; n < 16; n += 1) await db.transaction().execute((trx) => appendAudit(trx, entry(ctx, n)));
      expect((await verifyAuditChain(db)).ok).toBe(true);
      const rows = await db.selectFrom('audit_log').selectAll().where('chain', '=', 1).orderBy('chain_seq').execute();
      expect(rows.length).toBeGreaterThanOrEqual(4);
      const victim = rows[2]!;

      // edited
      await db.updateTable('audit_log').set({ details: '{"n":"edited"}' }).where('id', '=', victim.id).execute();
      expect((await verifyAuditChain(db)).firstBroken).toMatchObject({ id: victim.id, problem: expect.stringMatching(/edited/) });
      await db.updateTable('audit_log').set({ details: victim.details }).where('id', '=', victim.id).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);

      // deleted
      await db.deleteFrom('audit_log').where('id', '=', victim.id).execute();
      expect((await verifyAuditChain(db)).firstBroken?.problem).toMatch(/missing/);
      await db.insertInto('audit_log').values(victim).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);

      // moved to another chain (its place kept): a gap in one chain
      const otherChain = dialect === 'postgres' ? 7 : 2;
      await db.updateTable('audit_log').set({ chain: otherChain }).where('id', '=', victim.id).execute();
      expect((await verifyAuditChain(db)).ok).toBe(false);
      await db.updateTable('audit_log').set({ chain: 1 }).where('id', '=', victim.id).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);

      // added beside the chains, in a chain that has no head
      await db.insertInto('audit_log').values({ ...victim, id: 999_999, chain: 99, chain_seq: 1 }).execute();
      expect((await verifyAuditChain(db)).firstBroken).toMatchObject({ id: 999_999, problem: expect.stringMatching(/no chain/) });
      await db.deleteFrom('audit_log').where('id', '=', 999_999).execute();

      // the chain's tail cut off and its head moved back, without the key's MAC
      const last = rows[rows.length - 1]!;
      const before = rows[rows.length - 2]!;
      await db.deleteFrom('audit_log').where('id', '=', last.id).execute();
      const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      await db.updateTable('audit_head').set({ last_id: before.id, last_hash: before.hash, last_seq: before.chain_seq! }).where('id', '=', 1).execute();
      expect((await verifyAuditChain(db)).firstBroken?.problem).toMatch(/missing/);
      await db.insertInto('audit_log').values(last).execute();
      await db.updateTable('audit_head').set(head).where('id', '=', 1).execute();
      expect((await verifyAuditChain(db)).ok).toBe(true);
    });

    it('issue 16 §2: the event pump keeps its place per chain: a row that commits after a later one is still read, once', async () => {
      const db = ctx.db.kysely;
      while ((await pumpEvents(ctx)) > 0);
      if (dialect === 'sqlite') {
        await db.transaction().execute((trx) => appendAudit(trx, entry(ctx, 20)));
        expect(await pumpEvents(ctx)).toBe(1);
        expect(await pumpEvents(ctx)).toBe(0);
        return;
      }
      // the first transaction takes an id and holds its chain; a second appends to another chain and commits first
      const held = gate();
      const first = gate();
      let firstId = 0;
      const slow = db.transaction().execute(async (trx) => {
        firstId = await appendAudit(trx, entry(ctx, 21));
        first.open();
        await held.wait;
      });
      await first.wait;
      const secondId = await db.transaction().execute((trx) => appendAudit(trx, entry(ctx, 22)));
      expect(secondId).toBeGreaterThan(firstId);
      expect(await pumpEvents(ctx)).toBe(1);
      held.open();
      await slow;
      expect(await pumpEvents(ctx)).toBe(1);
      expect(await pumpEvents(ctx)).toBe(0);
    });
  });
}
