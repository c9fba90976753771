/** Uploaded evidence files: plain functions over a Kysely (or a transaction). */
import { canLockRows, type Q } from './order-repository.ts';

export interface EvidenceFileInfo {
  id: number;
  shopId: number;
  uploadedBy: number;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
}

export interface EvidenceFile extends EvidenceFileInfo {
  data: Buffer;
  /** when a buyer uploaded it: their nick (the same buyer may come back under another actor: a token, the portal) */
  uploaderBuyerNick: string | null;
}

export async function insertEvidenceFile(db: Q, f: Omit<EvidenceFile, 'id' | 'uploaderBuyerNick'>): Promise<EvidenceFileInfo> {
  const row = await db
    .insertInto('evidence_files')
    .values({
      shop_id: f.shopId,
      uploaded_by: f.uploadedBy,
      content_type: f.contentType,
      size_bytes: f.sizeBytes,
      sha256: f.sha256,
      data: f.data,
      created_at: f.createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const { data: _data, ...info } = f;
  return { ...info, id: row.id };
}

/** A shop's file with its bytes; null when the shop has no such file. */
export async function findEvidenceFile(db: Q, options: { shopId: number; id: number }): Promise<EvidenceFile | null> {
  const row = await db
    .selectFrom('evidence_files')
    .leftJoin('actors', 'actors.id', 'evidence_files.uploaded_by')
    .selectAll('evidence_files')
    .select(['actors.role as uploader_role', 'actors.buyer_nick as uploader_buyer_nick'])
    .where('evidence_files.shop_id', '=', options.shopId)
    .where('evidence_files.id', '=', options.id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    shopId: row.shop_id,
    uploadedBy: row.uploaded_by,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    data: Buffer.isBuffer(row.data) ? row.data : Buffer.from(row.data),
    createdAt: new Date(row.created_at),
    uploaderBuyerNick: row.uploader_role === 'buyer' ? row.uploader_buyer_nick : null,
  };
}

/** Who owns a file, whatever the shop: for the audit of an attempt across the boundary. */
export async function findEvidenceOwner(db: Q, id: number): Promise<{ shopId: number; uploadedBy: number } | null> {
  const row = await db.selectFrom('evidence_files').select(['shop_id', 'uploaded_by']).where('id', '=', id).executeTakeFirst();
  return row ? { shopId: row.shop_id, uploadedBy: row.uploaded_by } : null;
}

/** A shop's file without its bytes, locked until the transaction ends on PostgreSQL (two citations of one file queue up). */
export async function lockEvidenceFile(db: Q, options: { shopId: number; id: number }): Promise<{ id: number; uploaderBuyerNick: string | null } | null> {
  let query = db
    .selectFrom('evidence_files')
    .leftJoin('actors', 'actors.id', 'evidence_files.uploaded_by')
    .select(['evidence_files.id', 'actors.role as uploader_role', 'actors.buyer_nick as uploader_buyer_nick'])
    .where('evidence_files.shop_id', '=', options.shopId)
    .where('evidence_files.id', '=', options.id);
  if (canLockRows(db)) query = query.forUpdate('evidence_files');
  const row = await query.executeTakeFirst();
  if (!row) return null;
  return { id: row.id, uploaderBuyerNick: row.uploader_role === 'buyer' ? row.uploader_buyer_nick : null };
}

/** Where a shop cites a reference (`evidence:<id>`) today: refunds (the application or a modification, the refusal, earlier refusals) and records. */
export async function findEvidenceCitations(db: Q, options: { shopId: number; ref: string }): Promise<{ refundIds: number[]; records: { id: number; refundId: number | null }[] }> {
  // the lists are stored as JSON text: the quoted string never matches a longer id (evidence:12 in "evidence:123")
  const quoted = `%${JSON.stringify(options.ref)}%`;
  const [refunds, refusals, records] = await Promise.all([
    db
      .selectFrom('refunds')
      .select('id')
      .where('shop_id', '=', options.shopId)
      .where((eb) => eb.or([eb('evidence', 'like', quoted), eb('refusal_evidence', 'like', quoted)]))
      .execute(),
    db.selectFrom('refund_events').select('refund_id').where('shop_id', '=', options.shopId).where('action', '=', 'refuse').where('data', 'like', quoted).execute(),
    db.selectFrom('records').select(['id', 'refund_id']).where('shop_id', '=', options.shopId).where('data', 'like', quoted).execute(),
  ]);
  return {
    refundIds: [...new Set([...refunds.map((r) => r.id), ...refusals.map((r) => r.refund_id)])],
    records: records.map((r) => ({ id: r.id, refundId: r.refund_id })),
  };
}
