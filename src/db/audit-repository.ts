/**
 * Writing an audit row that audit.ts has hashed: the row and its chain's new head. On PostgreSQL both go in one
 * statement, or ride along as data-modifying CTEs in the statement of the change they record (issue 16 §2:
 * fewer round trips on the write path); SQLite (no DML in a CTE, no round trips to save) runs the two.
 */
import type { Insertable, QueryCreator, Updateable } from 'kysely';
import { canLockRows, type Q } from './order-repository.ts';
import { writeRow } from './precompiled.ts';
import type { AuditHeadTable, AuditLogTable, Database } from './schema.ts';

export interface PreparedAuditRow {
  values: Insertable<AuditLogTable>;
  chain: number;
  move: Updateable<AuditHeadTable>;
}

/** The row and its head's move as two data-modifying CTEs for another PostgreSQL statement (`with` them). */
export function auditRowCtes(audit: PreparedAuditRow) {
  return {
    row: (qc: QueryCreator<Database>) => qc.insertInto('audit_log').values(audit.values).returning('id'),
    head: (qc: QueryCreator<Database>) => qc.updateTable('audit_head').set(audit.move).where('id', '=', audit.chain).returning('id'),
  };
}

export async function writeAuditRow(db: Q, audit: PreparedAuditRow): Promise<void> {
  if (canLockRows(db)) {
    const ctes = auditRowCtes(audit);
    await db.with('appended', ctes.row).updateTable('audit_head').set(audit.move).where('id', '=', audit.chain).execute();
    return;
  }
  // SQLite: the two statements without the query builder (the write path, issue 16 §2)
  await writeRow(db, { insert: 'audit_log', values: audit.values });
  await writeRow(db, { update: 'audit_head', set: audit.move, where: { id: audit.chain } });
}
