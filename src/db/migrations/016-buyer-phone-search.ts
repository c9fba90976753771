/**
 * Issue 16 §1: the queue filtered by the buyer's phone number (GET /refunds?phone=…), without reading a shop's
 * orders at a million refunds.
 *
 * Orders keep the phone as it came: the API takes "+86-138…", an import's 联系手机 cell "138 1234 5678" or
 * "(0571) 88886666", TOP's receiver_mobile whatever the buyer typed. The caller's number is compared on a key
 * of it: `buyer_phone_key`, a generated column, so that every write path (the API, imports, the platform's
 * upserts, bulk loads) fills it without knowing of it, and existing rows get theirs now. The key drops spaces,
 * dashes, brackets and plus signs, and the country code (86, 0086) of an 11-digit mobile number;
 * storedPhoneKey (src/core/refund/buyer-phone.ts) is the same rule in TypeScript, phoneSearchKey the caller's side.
 * SQLite computes a virtual column when read (ALTER TABLE can add no other kind) and keeps its value in the
 * index; PostgreSQL stores it (its only kind; adding it rewrites the table once).
 *
 * orders_buyer_phone (shop_id, buyer_phone_key, id): the shop's orders of that number, with their ids, from the
 * index alone; the list then takes those orders' refunds by refunds_order.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect-name.ts';

const DROPPED = [' ', '\u3000', '-', '(', ')', '（', '）', '+'];

/** The key of buyer_phone, in SQL both databases read alike (replace, length, substr and case). */
export function buyerPhoneKeySql(): string {
  const digits = DROPPED.reduce((inner, c) => `replace(${inner}, '${c}', '')`, 'buyer_phone');
  return (
    `case when length(${digits}) = 13 and substr(${digits}, 1, 3) = '861' then substr(${digits}, 3)` +
    ` when length(${digits}) = 15 and substr(${digits}, 1, 5) = '00861' then substr(${digits}, 5)` +
    ` else ${digits} end`
  );
}

export function up016(dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    const kind = dialect === 'postgres' ? 'stored' : 'virtual';
    await sql.raw(`alter table orders add column buyer_phone_key text generated always as (${buyerPhoneKeySql()}) ${kind}`).execute(db);
    await db.schema.createIndex('orders_buyer_phone').on('orders').columns(['shop_id', 'buyer_phone_key', 'id']).execute();
  };
}
