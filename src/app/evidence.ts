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
import { findEvidenceFile, insertEvidenceFile, type EvidenceFile, type EvidenceFileInfo } from '../db/evidence-repository.ts';
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
export async function readEvidence(ctx: AppContext, options: { actor: Actor; id: number }): Promise<EvidenceFile> {
  const { actor } = options;
  requirePermission(actor, 'refund.read');
  const file = await findEvidenceFile(ctx.db.kysely, { shopId: actor.shopId, id: options.id });
  const mine = (f: EvidenceFile) => f.uploadedBy === actor.id || (f.uploaderBuyerNick !== null && f.uploaderBuyerNick === actor.buyerNick);
  if (!file || (actor.role === 'buyer' && !mine(file))) throw new AppError('NOT_FOUND', `Evidence ${options.id} was not found.`, {});
  return file;
}
