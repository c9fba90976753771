/** Opening the database: embedded SQLite by default, PostgreSQL when given a postgres:// URL. */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver, type Migration } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect-name.ts';
import { prepareInTransactions } from './pg-prepared.ts';
import { up001 } from './migrations/001-refund-engine.ts';
import { up002 } from './migrations/002-people-and-audit.ts';
import { up003 } from './migrations/003-workbench.ts';
import { up004 } from './migrations/004-assignment-and-evidence.ts';
import { up005 } from './migrations/005-warranty.ts';
import { up006 } from './migrations/006-service-desk.ts';
import { up007 } from './migrations/007-invitations-and-key-expiry.ts';
import { up008 } from './migrations/008-platform-connector.ts';
import { up009 } from './migrations/009-warranty-seams.ts';
import { up010 } from './migrations/010-imports.ts';
import { up011 } from './migrations/011-events-and-webhooks.ts';
import { up012 } from './migrations/012-line-shares-and-postage.ts';
import { up013 } from './migrations/013-queue-at-scale.ts';
import { up014 } from './migrations/014-statistics-at-scale.ts';
import { up015 } from './migrations/015-audit-chains.ts';
import { up016 } from './migrations/016-buyer-phone-search.ts';
import type { Database } from './schema.ts';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** where the data lives, for the log (a file path, or the URL without its password) */
  location: string;
  /** PostgreSQL: the pool Kysely draws from (a benchmark's raw baseline runs through the same one) */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

/** Every migration, in order. One set for both databases. */
function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001-refund-engine': { up: up001(dialect) },
    '002-people-and-audit': { up: up002(dialect) },
    '003-workbench': { up: up003(dialect) },
    '004-assignment-and-evidence': { up: up004(dialect) },
    '005-warranty': { up: up005(dialect) },
    '006-service-desk': { up: up006(dialect) },
    '007-invitations-and-key-expiry': { up: up007(dialect) },
    '008-platform-connector': { up: up008(dialect) },
    '009-warranty-seams': { up: up009(dialect) },
    '010-imports': { up: up010(dialect) },
    '011-events-and-webhooks': { up: up011(dialect) },
    '012-line-shares-and-postage': { up: up012(dialect) },
    '013-queue-at-scale': { up: up013(dialect) },
    '014-statistics-at-scale': { up: up014(dialect) },
    '015-audit-chains': { up: up015(dialect) },
    '016-buyer-phone-search': { up: up016(dialect) },
  };
}

/**
 * SQLite takes the write lock when a transaction begins (BEGIN IMMEDIATE), so
 * concurrent writers (other processes) wait for it (busy_timeout) instead of
 * failing with SQLITE_BUSY in the middle of a transaction.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * Makes a file readable and writable by its owner only (mode 600) when others
 * may read it. A file that is not there is left alone; one that cannot be
 * changed (another owner) is reported, not fatal.
 */
export function keepPrivate(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return;
  }
  if ((mode & 0o077) === 0) return;
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    process.emitWarning(`${file} is readable by others (mode ${(mode & 0o777).toString(8)}) and could not be changed to 600: ${(e as Error).message}`);
  }
}

/** The SQLite file and the -wal/-shm files SQLite keeps beside it. */
const sqliteFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

/**
 * better-sqlite3 with a statement cache: Kysely prepares each query anew otherwise.
 * The database file is created with mode 600 (its folder, when created, 700);
 * SQLite gives the -wal and -shm files the database file's mode, and the files
 * of an existing database are brought down to 600 as well.
 */
function cachingSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600)); // an empty file is an empty database
    for (const f of sqliteFiles(file)) keepPrivate(f);
  }
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 15000');
  db.pragma('foreign_keys = ON');
  const cache = new Map<string, SQLite.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
  if (file !== ':memory:') for (const f of sqliteFiles(file)) keepPrivate(f);
  return db;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** Opens (and creates) the database. `target` is a postgres:// URL, a file path, or ':memory:'. */
export function openDatabase(target: string): Db {
  if (isPostgresUrl(target)) {
    const pool = new pg.Pool({
      connectionString: target,
      max: 10,
      types: {
        getTypeParser: (oid: number, format?: string) =>
          // bigint sums and columns of fen: well within Number's safe range
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
      } as pg.CustomTypesConfig,
    });
    // an action's statements are named prepared statements: parsed and planned once per connection (issue 16 §2)
    pool.on('connect', (client) => prepareInTransactions(client));
    // an idle client whose server connection dropped must not crash the process; the next query reconnects
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL idle client error: ${err.message}`);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', location: redactUrl(target), pgPool: pool, close: () => kysely.destroy() };
  }
  const sqlite = cachingSqlite(target === ':memory:' ? target : path.resolve(target));
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { kysely, dialect: 'sqlite', location: target === ':memory:' ? target : path.resolve(target), close: () => kysely.destroy() };
}

/** Brings the schema up to date. Safe to run from several processes at once on PostgreSQL (Kysely locks). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations(db.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
