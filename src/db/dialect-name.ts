import type { ColumnDefinitionBuilder } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** An auto-incremented id: INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, SERIAL on PostgreSQL. */
export function idColumn(dialect: DialectName): 'integer' | 'serial' {
  return dialect === 'sqlite' ? 'integer' : 'serial';
}

/** The id column's constraint: AUTOINCREMENT on SQLite (ids never reused), a plain primary key on SERIAL. */
export function idConstraint(dialect: DialectName) {
  return (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
}
