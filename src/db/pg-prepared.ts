/**
 * Named prepared statements for what runs inside a transaction on PostgreSQL (issue 16 §2).
 *
 * Every action is a transaction of a handful of statements that the query builder sends as text with
 * parameters; PostgreSQL parses, analyses and plans each one anew, and for the write path's reads and
 * data-modifying CTEs that planning cost more than executing them (measured with pg_stat_statements on
 * the engine bench: 0.3 ms of planning against 0.27 ms of execution per agree). A named statement is
 * parsed once per connection, and after five executions PostgreSQL plans it once for all parameters
 * (plan_cache_mode auto, when that plan is no dearer than the custom ones): on the 2-core machine the
 * engine's agree went from about 1,000 to 1,500–1,900 a second at 8 clients.
 *
 * Only statements inside a transaction are named: those are the actions' reads by key and their writes,
 * where one plan serves every parameter. The queue's lists, filters and statistics run outside a
 * transaction and keep a plan made for their own parameters (a rare status and a common one want
 * different plans). Bulk statements with many parameters (imports, backfills) are not named either:
 * their text changes with their row count.
 *
 * Bounded: at most MAX_NAMED statements per connection (the pool's connections are recycled when idle).
 *
 * A schema change under a running process (another process migrating) makes PostgreSQL refuse a prepared
 * `select *` whose columns changed ("cached plan must not change result type", 0A000): that statement's
 * transaction fails once, and the connection then names its statements afresh (a new generation), so the
 * next attempt is planned against the new schema.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** per connection */
export const MAX_NAMED = 256;
/** statements with more parameters than this are bulk writes: their text varies with the row count (an agree that pays and closes the order has 67) */
export const MAX_NAMED_PARAMETERS = 128;

/** text → its digest, shared by the process's connections (bounded: cleared when full) */
const digests = new Map<string, string>();
const MAX_DIGESTS = 4_096;

function digestOf(text: string): string {
  let d = digests.get(text);
  if (d === undefined) {
    if (digests.size >= MAX_DIGESTS) digests.clear();
    d = createHash('sha1').update(text).digest('base64url').slice(0, 22);
    digests.set(text, d);
  }
  return d;
}

interface PreparingState {
  generation: number;
  named: Set<string>;
}

const states = new WeakMap<pg.ClientBase, PreparingState>();

/** How many statements this connection has named (for tests). */
export function namedStatementCount(client: pg.ClientBase): number {
  return states.get(client)?.named.size ?? 0;
}

function inTransaction(client: pg.ClientBase): boolean {
  const status = (client as unknown as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  return status === 'T';
}

/**
 * Makes `client.query(text, values)` inside a transaction a named prepared statement. Called once per new
 * connection (the pool's 'connect' event); every other form of query passes through unchanged.
 */
export function prepareInTransactions(client: pg.ClientBase): void {
  if (states.has(client)) return;
  const state: PreparingState = { generation: 0, named: new Set() };
  states.set(client, state);
  const plain = client.query.bind(client) as (...args: unknown[]) => unknown;
  const preparing = (...args: unknown[]): unknown => {
    const [text, values] = args;
    if (
      args.length !== 2 ||
      typeof text !== 'string' ||
      !Array.isArray(values) ||
      values.length === 0 ||
      values.length > MAX_NAMED_PARAMETERS ||
      !inTransaction(client)
    ) {
      return plain(...args);
    }
    const name = `shouhou_${state.generation}_${digestOf(text)}`;
    if (!state.named.has(name)) {
      if (state.named.size >= MAX_NAMED) return plain(...args);
      state.named.add(name);
    }
    return (plain({ name, text, values }) as Promise<unknown>).catch((err: unknown) => {
      const e = err as { code?: string; message?: string };
      if (e.code === '0A000' && /cached plan/i.test(e.message ?? '')) {
        // the schema changed under this connection: name everything afresh from the next statement on
        state.generation += 1;
        state.named.clear();
      }
      throw err;
    });
  };
  (client as unknown as { query: typeof preparing }).query = preparing;
}
