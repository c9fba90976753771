/** The answers of GET /audit and GET /audit/verify (src/http/routes/admin.ts). */
export interface AuditEntry {
  id: number;
  at: string;
  actorKind: string;
  actorName: string;
  role: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  firstBroken: { id: number; problem: string } | null;
}
