/**
 * Evidence files: photos of the goods, chat screenshots, couriers' and
 * inspectors' PDFs, uploaded by the seller's staff or by the buyer, kept in
 * the database and cited by a refund as `evidence:<id>`. Read within the shop;
 * a buyer reads back only their own.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { checkEvidenceFile, evidenceContentTypes, evidenceRef, MAX_EVIDENCE_BYTES, type EvidenceCheck } from '../core/evidence/file-types.ts';
import type { Actor } from '../core/roles.ts';
import { findEvidenceCitations, findEvidenceFile, insertEvidenceFile, lockEvidenceFile, type EvidenceFile, type EvidenceFileInfo } from '../db/evidence-repository.ts';
import type { Q } from '../db/order-repository.ts';
import { requirePermission } from './access.ts';
import { appendAudit, auditActor } from './audit.ts';
import type { AppContext } from './context.ts';

const ACCEPTED = evidenceContentTypes.join(', ');

/** Why an upload is refused, as the API answers it. */
function refusal(check: Exclude<EvidenceCheck, { ok: true }>): AppError {
  switch (check.problem) {
    case 'unsupported_type':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', `Evidence is a photo (PNG, JPEG, WebP) or a PDF: send the file's bytes as the body with Content-Type ${ACCEPTED}.`, {
        declared: check.declared,
        accepted: evidenceContentTypes,
      });
    case 'empty':
      return new AppError('VALIDATION_FAILED', 'The file is empty: send its bytes as the request body.', { field: 'body' });
    case 'too_large':
      return new AppError('PAYLOAD_TOO_LARGE', `An evidence file is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB.`, { maxBytes: MAX_EVIDENCE_BYTES, sizeBytes: check.sizeBytes });
    case 'type_mismatch':
      return new AppError(
        'EVIDENCE_TYPE_MISMATCH',
        check.detected
          ? `The file is not ${check.declared} but ${check.detected}: send it with Content-Type ${check.detected}.`
          : `The file's bytes are not ${check.declared} (nor another accepted type: ${ACCEPTED}).`,
        { declared: check.declared, detected: check.detected },
      );
  }
}

export interface UploadedEvidence extends EvidenceFileInfo {
  /** what a refund's evidence list carries: evidence:<id> */
  ref: string;
}

/** Keeps an uploaded file, with its audit row, after checking its type, size and first bytes; refused files write nothing. */
export async function uploadEvidence(ctx: AppContext, options: { actor: Actor; declaredType: string | null; bytes: Uint8Array }): Promise<UploadedEvidence> {
  const { actor } = options;
  requirePermission(actor, 'evidence.upload');
  const check = checkEvidenceFile({ declaredType: options.declaredType, bytes: options.bytes });
  if (!check.ok) throw refusal(check);
  const data = Buffer.from(options.bytes.buffer, options.bytes.byteOffset, options.bytes.byteLength);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const info = await insertEvidenceFile(trx, {
      shopId: actor.shopId,
      uploadedBy: actor.id,
      contentType: check.contentType,
      sizeBytes: data.length,
      sha256,
      data,
      createdAt: now,
    });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'evidence.upload',
      targetType: 'evidence',
      targetId: info.id,
      outcome: 'ok',
      details: { contentType: info.contentType, sizeBytes: info.sizeBytes, sha256 },
    });
    return { ...info, ref: evidenceRef(info.id) };
  });
}

/** A file of the actor's shop; a buyer's own uploads only. Anything else answers 404, as if it did not exist. */
const SERVICE_DESK_ROLES: ReadonlySet<string> = new Set(['clerk', 'field_lead', 'leadership']);

export async function readEvidence(ctx: AppContext, options: { actor: Actor; id: number }): Promise<EvidenceFile> {
  const { actor } = options;
  requirePermission(actor, 'evidence.read');
  const file = await findEvidenceFile(ctx.db.kysely, { shopId: actor.shopId, id: options.id });
  const mine = (f: EvidenceFile) => f.uploadedBy === actor.id || (f.uploaderBuyerNick !== null && f.uploaderBuyerNick === actor.buyerNick);
  const missing = () => new AppError('NOT_FOUND', `Evidence ${options.id} was not found.`, {});
  if (!file || (actor.role === 'buyer' && !mine(file))) throw missing();
  // the service desk sees the photos its own people took, never a buyer's refund evidence
  if (SERVICE_DESK_ROLES.has(actor.role)) {
    const uploader = await ctx.db.kysely.selectFrom('actors').select('role').where('id', '=', file.uploadedBy).executeTakeFirst();
    if (!uploader || !SERVICE_DESK_ROLES.has(uploader.role)) throw missing();
  }
  return file;
}

/**
 * Where files are cited. A refund and the records filed for it (a department
 * task, a 三包 report on it) are one case: a file cited in a case may be cited
 * again anywhere in that case — on the application, a modification, the
 * refusal and the case's records — and that is what sharing a file means. A
 * file is never cited by two cases: to use the same photo for another refund
 * or record, upload it again (a new file, its own audit row). Leave both out
 * for a case not saved yet (a new application, a new record on no refund):
 * then any earlier citation is another case's.
 */
export interface EvidenceUse {
  refundId?: number | null | undefined;
  recordId?: number | null | undefined;
}

const EVIDENCE_PREFIX = 'evidence:';
const EVIDENCE_REF = /^evidence:([1-9]\d{0,9})$/;

/**
 * Checks a list of references before they are saved, in the caller's
 * transaction: each `evidence:<id>` must be a file of the shop (for a buyer:
 * one the buyer uploaded), cited by no other case (EvidenceUse). Other forms
 * (a chat screenshot's name, a photo's URL, `wangwang:…`) are the agent's
 * words and are kept as they are. Answers 422 EVIDENCE_NOT_FOUND or
 * EVIDENCE_IN_USE naming the reference. On PostgreSQL each file is locked
 * until the transaction ends, so two cases cannot take one file at once.
 */
export async function assertEvidenceRefs(
  trx: Q,
  options: {
    shopId: number;
    /** the buyer citing them: their own uploads only (a buyer's other files, staff files answer as not found) */
    buyerNick?: string | null | undefined;
    refs: readonly string[];
    usedBy: EvidenceUse;
    /** the request field that carries them, for the answer (default: evidence) */
    field?: string | undefined;
  },
): Promise<void> {
  const field = options.field ?? 'evidence';
  const seen = new Set<string>();
  for (const [index, raw] of options.refs.entries()) {
    const ref = raw.trim();
    if (!ref.startsWith(EVIDENCE_PREFIX) || seen.has(ref)) continue;
    seen.add(ref);
    const notFound = () =>
      new AppError('EVIDENCE_NOT_FOUND', `${ref} is no evidence file of this shop${options.buyerNick !== undefined ? ' that you uploaded' : ''}: upload it first (POST /api/v1/evidence) and cite the ref it answers.`, {
        ref,
        field,
        index,
      });
    const id = Number(EVIDENCE_REF.exec(ref)?.[1] ?? NaN);
    if (!Number.isSafeInteger(id) || id > 2_147_483_647) throw notFound();
    const file = await lockEvidenceFile(trx, { shopId: options.shopId, id });
    if (!file) throw notFound();
    if (options.buyerNick !== undefined && (options.buyerNick === null || file.uploaderBuyerNick !== options.buyerNick)) throw notFound();
    const cited = await findEvidenceCitations(trx, { shopId: options.shopId, ref });
    const { refundId, recordId } = options.usedBy;
    const otherRefund = cited.refundIds.find((r) => r !== refundId);
    const otherRecord = cited.records.find((r) => r.id !== recordId && (refundId == null || r.refundId !== refundId));
    if (otherRefund !== undefined || otherRecord !== undefined) {
      const where = otherRefund !== undefined ? `refund ${otherRefund}` : `record ${otherRecord!.id}`;
      throw new AppError('EVIDENCE_IN_USE', `${ref} is already cited by ${where}; a file belongs to one refund (and its records): upload the file again to use it here.`, {
        ref,
        field,
        index,
        usedBy: otherRefund !== undefined ? { refundId: otherRefund } : { recordId: otherRecord!.id },
      });
    }
  }
}
