export type DialectName = 'sqlite' | 'postgres';

/** An auto-incremented id: INTEGER PRIMARY KEY AUTOINCREMENT on SQLite, SERIAL on PostgreSQL. */
export function idColumn(dialect: DialectName): 'integer' | 'serial' {
  return dialect === 'sqlite' ? 'integer' : 'serial';
}
