/**
 * Issue 13 §4 and §7.
 * - S1.13: who pays a return's postage is a value on the refund (buyer | shop, with the amount in fen,
 *   who decided it and when), set through PUT /refunds/{id}/return-postage and required before the
 *   return is confirmed (GUARD_RETURN_NOT_CHECKED).
 * - Line shares: a line's share of what was paid is order_lines.paid_fen (added by 008 for the
 *   platform's divide_order_fee). Orders created through the API now store it too; older lines
 *   without it are shared from the order by value when read (core/refund/refund-amounts.ts,
 *   lineCapsFen), so no row needs rewriting here.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect-name.ts';

export function up012(_dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    /** buyer | shop; null while undecided */
    await db.schema.alterTable('refunds').addColumn('return_postage_payer', 'text').execute();
    await db.schema.alterTable('refunds').addColumn('return_postage_fen', 'bigint').execute();
    await db.schema.alterTable('refunds').addColumn('return_postage_note', 'text').execute();
    /** who decided it (the actor's name, as remarks keep their author) and when */
    await db.schema.alterTable('refunds').addColumn('return_postage_by', 'text').execute();
    await db.schema.alterTable('refunds').addColumn('return_postage_at', 'text').execute();
  };
}
