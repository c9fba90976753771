/**
 * Queries built once, run many times (issue 16 §2): the write path's reads have the same shape on every
 * action, only their values change, and building and compiling them with the query builder cost more than
 * SQLite took to run them (the order with its lines: ~45 µs of building against ~23 µs of SQL).
 *
 * `precompiled(build)` builds the query once per dialect and variant with a sentinel in place of each
 * parameter, remembers where each sentinel landed among the compiled parameters, and afterwards only puts
 * the call's values in their places. The SQL text is the query builder's own, so it is exactly what the
 * builder would have sent (and the same text reaches the statement caches of both databases).
 */
import { CompiledQuery, PostgresAdapter, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database>;

/** A value no caller passes: a parameter's place in the compiled query is found by it. */
class Sentinel {
  constructor(readonly name: string) {}
}

interface Template {
  sql: string;
  /** for each compiled parameter: the name of the call's value, or the constant the builder put there */
  slots: ({ name: string } | { constant: unknown })[];
  query: CompiledQuery['query'];
  queryId: CompiledQuery['queryId'];
}

export interface Precompiled<P extends Record<string, unknown>, R> {
  /** runs the query with these values; `variant` tells apart shapes the builder makes differently (e.g. locked) */
  execute(db: Q, params: P, variant?: string): Promise<R[]>;
}

export function precompiled<P extends Record<string, unknown>, R>(
  names: readonly (keyof P & string)[],
  build: (db: Q, params: P, variant: string) => Compilable<R>,
): Precompiled<P, R> {
  const templates = new Map<string, Template>();
  const templateFor = (db: Q, variant: string): Template => {
    const key = `${db.getExecutor().adapter instanceof PostgresAdapter ? 'pg' : 'sqlite'}:${variant}`;
    let t = templates.get(key);
    if (!t) {
      const sentinels = Object.fromEntries(names.map((n) => [n, new Sentinel(n)])) as unknown as P;
      const compiled = build(db, sentinels, variant).compile();
      const slots = compiled.parameters.map((p) => (p instanceof Sentinel ? { name: p.name } : { constant: p }));
      const used = new Set(slots.flatMap((s) => ('name' in s ? [s.name] : [])));
      for (const n of names) {
        if (!used.has(n)) throw new Error(`precompiled: the value ${n} is not a parameter of the query (inlined or unused)`);
      }
      t = { sql: compiled.sql, slots, query: compiled.query, queryId: compiled.queryId };
      templates.set(key, t);
    }
    return t;
  };
  return {
    async execute(db, params, variant = '') {
      const t = templateFor(db, variant);
      const parameters = t.slots.map((s) => ('name' in s ? params[s.name] : s.constant));
      const compiled: CompiledQuery<R> = { sql: t.sql, parameters, query: t.query, queryId: t.queryId };
      const result = await db.executeQuery<R>(compiled);
      return result.rows;
    },
  };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const writeSql = new Map<string, string>();

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`precompiled: ${JSON.stringify(name)} is not a column name`);
  return `"${name}"`;
}

/**
 * One row's insert or update by key, as the query builder would write it for SQLite, without building it
 * (the write path's inserts and updates, issue 16 §2). The columns are the code's own (checked to be plain
 * names); the SQL text is kept per table and column list. Answers the number of rows changed.
 */
export async function writeRow(
  db: Q,
  op: { insert: string; values: Record<string, unknown> } | { update: string; set: Record<string, unknown>; where: Record<string, unknown> },
): Promise<number> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) throw new Error('precompiled.writeRow is for SQLite (PostgreSQL numbers its parameters)');
  let key: string;
  let text: string;
  let parameters: unknown[];
  if ('insert' in op) {
    // as the query builder: a column whose value is undefined is left out
    const columns = Object.keys(op.values).filter((c) => op.values[c] !== undefined);
    key = `i\u0000${op.insert}\u0000${columns.join(',')}`;
    parameters = columns.map((c) => op.values[c]);
    text = writeSql.get(key) ?? `insert into ${quoted(op.insert)} (${columns.map(quoted).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
  } else {
    const columns = Object.keys(op.set).filter((c) => op.set[c] !== undefined);
    const keys = Object.keys(op.where);
    if (columns.length === 0 || keys.length === 0) throw new Error('precompiled: an update needs columns to set and a key');
    key = `u\u0000${op.update}\u0000${columns.join(',')}\u0000${keys.join(',')}`;
    parameters = [...columns.map((c) => op.set[c]), ...keys.map((k) => op.where[k])];
    text = writeSql.get(key) ?? `update ${quoted(op.update)} set ${columns.map((c) => `${quoted(c)} = ?`).join(', ')} where ${keys.map((k) => `${quoted(k)} = ?`).join(' and ')}`;
  }
  if (!writeSql.has(key)) {
    if (writeSql.size >= 1_000) writeSql.clear();
    writeSql.set(key, text);
  }
  const result = await db.executeQuery(CompiledQuery.raw(text, parameters));
  return Number(result.numAffectedRows ?? 0);
}
