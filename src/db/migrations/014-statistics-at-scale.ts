/**
 * Issue 16 §1, what the scale bench (`shouhou bench --refunds <n>`) still found slow at a million refunds.
 *
 * The supervisor's statistics over a year (S1.2, src/app/workbench/statistics.ts), ≤ 2 s:
 * - refund_line_shares: each refund's share on each order line it counts on (a line refund on its line, its whole
 *   amount; a whole-order refund on every line, its amount shared by the lines' value, rounded half up), with the
 *   line's style and SKU, whether the refund counts there once for the style and once for the SKU (the first of the
 *   order's lines with that style, that SKU), and the refund's shop and time. Joining a year of refunds to their
 *   order lines at every request cost more than the whole budget on PostgreSQL (a hash join over every order line
 *   of every shop). The database keeps the rows, in the transaction of the change, by triggers on refunds (a new
 *   refund; a change of its shop, time, order, line or amount; a deletion) and on order_lines (any change of an
 *   order's lines recomputes the order's refunds), so no write path has to remember them: the API's, the
 *   platform's upserts that rewrite an order's lines, imports, bulk loads. One SQL text computes the rows for the
 *   backfill and for every trigger. PostgreSQL runs the inserts' triggers once per statement (a bulk insert is one
 *   set-based recompute) and the updates' once per row, only when a column they depend on changed.
 * - The pass over the range's refunds grouped by reason and root cause: PostgreSQL groups by hashing and reads the
 *   range from refunds_created, which now holds what that pass reads (no refund row is read). SQLite groups by
 *   sorting, which for half a million rows cost more than reading them: refunds_stats holds a shop's refunds in
 *   (reason, root_cause) order with what the pass reads, and the pass reads it in that order, so the groups come out
 *   without a sort. refund_line_shares_stats is laid out the same way for each database.
 * - SQLite: the missed deadlines read every expire event's data from the table (refund_events is the largest
 *   table); a partial index of those events holds it. Not on PostgreSQL, where an index entry is limited to about
 *   2.7 kB and an expire_blocked event carries the platform's error message.
 *
 * The queue's views (issue 16 §1, p95 ≤ 50 ms):
 * - orders_status (shop_id, status, id): the 今日未发退 view asks for refunds whose order is unshipped; with it the
 *   shop's unshipped orders are found at once instead of looking each waiting refund's order up.
 * - PostgreSQL: statistics on the functional dependency of is_open on status, so that a filter of several open
 *   statuses (which also says is_open = 1) is not estimated as if the two were independent (it ANDed two indexes
 *   and sorted). A single status no longer says is_open (src/db/refund-repository.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect-name.ts';

/**
 * The rows of refund_line_shares of the refunds `r` that `where` selects (an SQL condition on `r`). A refund counts
 * once per style (SKU): on the first line of the order with that style (SKU), or on its line for a line refund.
 * round(a·v/T) for a, v ≥ 0 and T > 0 is (2·a·v + T) div 2T, in integers on both databases.
 */
function lineSharesOf(where: string): string {
  return `
    insert into refund_line_shares (refund_id, line_no, shop_id, created_at, style, sku, style_first, sku_first, share_fen)
    select r.id, ol.line_no, r.shop_id, r.created_at, ol.style, ol.sku,
      case when r.line_no is not null then 1
        when exists (select 1 from order_lines o where o.order_id = ol.order_id and o.line_no < ol.line_no and o.style = ol.style) then 0 else 1 end,
      case when r.line_no is not null then 1
        when exists (select 1 from order_lines o where o.order_id = ol.order_id and o.line_no < ol.line_no and o.sku = ol.sku) then 0 else 1 end,
      case when r.line_no is not null then r.amount_fen
        else coalesce((
          select (2 * r.amount_fen * ol.unit_price_fen * ol.quantity + cast(sum(o.unit_price_fen * o.quantity) as bigint))
            / (2 * cast(sum(o.unit_price_fen * o.quantity) as bigint))
          from order_lines o where o.order_id = r.order_id
          having sum(o.unit_price_fen * o.quantity) > 0), 0) end
    from refunds r
    join order_lines ol on ol.order_id = r.order_id and (r.line_no is null or ol.line_no = r.line_no)
    where ${where}`;
}

/** what a refund's rows depend on */
const REFUND_COLUMNS = ['shop_id', 'created_at', 'order_id', 'line_no', 'amount_fen'];
/** what the rows of an order's refunds depend on */
const LINE_COLUMNS = ['order_id', 'line_no', 'style', 'sku', 'unit_price_fen', 'quantity'];

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const changed = (columns: string[]) => columns.map((c) => `old.${c} is not new.${c}`).join(' or ');
  const ofOrders = (orders: string) => `
    delete from refund_line_shares where refund_id in (select id from refunds where order_id in (${orders}));
    ${lineSharesOf(`r.order_id in (${orders})`)};`;
  const statements = [
    `create trigger refund_line_shares_refund_insert after insert on refunds begin ${lineSharesOf('r.id = new.id')}; end`,
    `create trigger refund_line_shares_refund_update after update of ${REFUND_COLUMNS.join(', ')} on refunds when ${changed(REFUND_COLUMNS)} begin
      delete from refund_line_shares where refund_id = old.id;
      ${lineSharesOf('r.id = new.id')};
    end`,
    `create trigger refund_line_shares_refund_delete after delete on refunds begin delete from refund_line_shares where refund_id = old.id; end`,
    `create trigger refund_line_shares_line_insert after insert on order_lines begin ${ofOrders('new.order_id')} end`,
    `create trigger refund_line_shares_line_update after update of ${LINE_COLUMNS.join(', ')} on order_lines when ${changed(LINE_COLUMNS)} begin ${ofOrders('old.order_id, new.order_id')} end`,
    `create trigger refund_line_shares_line_delete after delete on order_lines begin ${ofOrders('old.order_id')} end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const changed = (columns: string[]) => columns.map((c) => `old.${c} is distinct from new.${c}`).join(' or ');
  const statements = [
    // the one recompute: a refund's rows from scratch (PL/pgSQL keeps the statements' plans for the session; an SQL
    // function would plan them at every call, about half a millisecond)
    `create function refund_line_shares_refresh(ids integer[]) returns void language plpgsql as $$
    begin
      delete from refund_line_shares where refund_id = any(ids);
      ${lineSharesOf('r.id = any(ids)')};
    end $$`,
    `create function refund_line_shares_refunds_inserted() returns trigger language plpgsql as $$
    begin
      perform refund_line_shares_refresh(array(select id from new_refunds));
      return null;
    end $$`,
    `create function refund_line_shares_refund_changed() returns trigger language plpgsql as $$
    begin
      perform refund_line_shares_refresh(array[old.id]);
      return null;
    end $$`,
    `create function refund_line_shares_lines_changed() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        perform refund_line_shares_refresh(array(select r.id from refunds r where r.order_id in (select order_id from new_lines)));
      else
        perform refund_line_shares_refresh(array(select r.id from refunds r where r.order_id in (select order_id from old_lines)));
      end if;
      return null;
    end $$`,
    `create function refund_line_shares_line_changed() returns trigger language plpgsql as $$
    begin
      perform refund_line_shares_refresh(array(select r.id from refunds r where r.order_id in (old.order_id, new.order_id)));
      return null;
    end $$`,
    `create trigger refund_line_shares_refund_insert after insert on refunds referencing new table as new_refunds
      for each statement execute function refund_line_shares_refunds_inserted()`,
    `create trigger refund_line_shares_refund_update after update on refunds
      for each row when (${changed(REFUND_COLUMNS)}) execute function refund_line_shares_refund_changed()`,
    `create trigger refund_line_shares_refund_delete after delete on refunds for each row execute function refund_line_shares_refund_changed()`,
    `create trigger refund_line_shares_line_insert after insert on order_lines referencing new table as new_lines
      for each statement execute function refund_line_shares_lines_changed()`,
    `create trigger refund_line_shares_line_update after update on order_lines
      for each row when (${changed(LINE_COLUMNS)}) execute function refund_line_shares_line_changed()`,
    `create trigger refund_line_shares_line_delete after delete on order_lines referencing old table as old_lines
      for each statement execute function refund_line_shares_lines_changed()`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export function up014(dialect: DialectName) {
  return async (db: Kysely<unknown>): Promise<void> => {
    // -- the statistics' shares by style and SKU, kept by the database -----------------------------------------
    await db.schema
      .createTable('refund_line_shares')
      .addColumn('refund_id', 'integer', (c) => c.notNull())
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('shop_id', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('style', 'text', (c) => c.notNull())
      .addColumn('sku', 'text', (c) => c.notNull())
      /** 1 on the refund's first line of this style (SKU) in the order, so that summing counts each refund once */
      .addColumn('style_first', 'integer', (c) => c.notNull())
      .addColumn('sku_first', 'integer', (c) => c.notNull())
      .addColumn('share_fen', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('refund_line_shares_pk', ['refund_id', 'line_no'])
      // SQLite: the rows in their primary key's b-tree, one b-tree fewer to write
      .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
      .execute();
    await sql.raw(lineSharesOf('1 = 1')).execute(db);
    // SQLite reads a shop's rows in the grouping's order (no sort); PostgreSQL reads the range and hashes
    const grouped = dialect === 'sqlite' ? ['shop_id', 'style', 'sku', 'created_at'] : ['shop_id', 'created_at', 'style', 'sku'];
    await db.schema
      .createIndex('refund_line_shares_stats')
      .on('refund_line_shares')
      .columns([...grouped, 'style_first', 'sku_first', 'share_fen'])
      .execute();
    if (dialect === 'sqlite') await sqliteTriggers(db);
    else await postgresTriggers(db);

    // -- the grouped pass over the range's refunds -------------------------------------------------------------
    const passColumns = ['status', 'intervention_state', 'amount_fen'];
    if (dialect === 'sqlite') {
      await db.schema
        .createIndex('refunds_stats')
        .on('refunds')
        .columns(['shop_id', 'reason', 'root_cause', 'created_at', ...passColumns])
        .execute();
      await sql`create index refund_events_missed on refund_events (shop_id, at, action, data) where action in ('expire', 'expire_blocked')`.execute(db);
    } else {
      await db.schema.dropIndex('refunds_created').execute();
      await db.schema
        .createIndex('refunds_created')
        .on('refunds')
        .columns(['shop_id', 'created_at', 'reason', 'root_cause', ...passColumns, 'id'])
        .execute();
    }

    // -- the queue's views --------------------------------------------------------------------------------------
    await db.schema.createIndex('orders_status').on('orders').columns(['shop_id', 'status', 'id']).execute();
    if (dialect === 'postgres') {
      await sql`create statistics refunds_status_open (dependencies) on status, is_open from refunds`.execute(db);
      await sql`analyze refunds`.execute(db);
    }
  };
}
