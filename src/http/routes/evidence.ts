/** /api/v1/evidence: upload a photo or PDF as the raw request body, and read it back. */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.ts';
import { readEvidence, uploadEvidence } from '../../app/evidence.ts';
import { ZEvidenceIdParams, ZEvidenceUploaded } from '../../contract/schemas.ts';
import { AppError } from '../../core/errors.ts';
import { evidenceContentTypes, evidenceExtensions, isEvidenceContentType, MAX_EVIDENCE_BYTES, mediaTypeOf } from '../../core/evidence/file-types.ts';
import { actorOf } from '../server.ts';

const tags = ['evidence'];
const ACCEPTED = evidenceContentTypes.join(', ');

/**
 * An upload's body as the server's hooks see it: the bytes are private, so the
 * control-character scan walks three fields, not five million, and the
 * Idempotency-Key hash covers the file's digest instead of a JSON dump of it.
 */
class RawFile {
  readonly #bytes: Buffer;
  readonly declaredType: string | null;
  readonly sizeBytes: number;
  constructor(declaredType: string | null, bytes: Buffer) {
    this.#bytes = bytes;
    this.declaredType = declaredType;
    this.sizeBytes = bytes.length;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
  toJSON() {
    return { declaredType: this.declaredType, sizeBytes: this.sizeBytes, sha256: createHash('sha256').update(this.#bytes).digest('hex') };
  }
}

function unsupported(declared: string | null): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `Evidence is a photo (PNG, JPEG, WebP) or a PDF: send the file's bytes as the body with Content-Type ${ACCEPTED}.`, {
    declared,
    accepted: evidenceContentTypes,
  });
}

export function evidenceRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // these parsers live in this plugin only: elsewhere the API speaks JSON
    app.addContentTypeParser([...evidenceContentTypes], { parseAs: 'buffer' }, (request, body, done) => {
      done(null, new RawFile(mediaTypeOf(request.headers['content-type']), body as Buffer));
    });
    app.addContentTypeParser('*', (request, _payload, done) => {
      done(unsupported(mediaTypeOf(request.headers['content-type'])), undefined);
    });

    app.post(
      '/evidence',
      {
        config: { permission: 'evidence.upload' },
        bodyLimit: MAX_EVIDENCE_BYTES,
        // a declared length over the limit is refused before a byte is read, with the limit in the answer
        preParsing: async (request, _reply, payload) => {
          const length = Number(request.headers['content-length']);
          if (Number.isFinite(length) && length > MAX_EVIDENCE_BYTES) {
            throw new AppError('PAYLOAD_TOO_LARGE', `An evidence file is at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB.`, { maxBytes: MAX_EVIDENCE_BYTES, sizeBytes: length });
          }
          return payload;
        },
        schema: {
          tags,
          summary: `Upload a photo or PDF (the raw bytes as the body, Content-Type ${ACCEPTED}, at most 5 MB, its first bytes must match): 201 {id, ref: "evidence:<id>", contentType, sizeBytes, sha256}; put ref into a refund's evidence. Audited`,
          response: { 201: ZEvidenceUploaded },
        },
      },
      async (request, reply) => {
        const file: unknown = request.body;
        // a JSON body, or none at all
        if (!(file instanceof RawFile)) throw unsupported(mediaTypeOf(request.headers['content-type']));
        const saved = await uploadEvidence(ctx, { actor: actorOf(request), declaredType: file.declaredType, bytes: file.bytes });
        return reply.code(201).send({ id: saved.id, ref: saved.ref, contentType: saved.contentType as (typeof evidenceContentTypes)[number], sizeBytes: saved.sizeBytes, sha256: saved.sha256 });
      },
    );

    app.get(
      '/evidence/:id',
      {
        config: { permission: 'evidence.read' },
        schema: {
          tags,
          summary: "An evidence file's bytes, with its content type, inline (the shop's files; a buyer's own uploads only; another shop's id is 404)",
          params: ZEvidenceIdParams,
        },
      },
      async (request, reply) => {
        const file = await readEvidence(ctx, { actor: actorOf(request), id: request.params.id });
        const extension = isEvidenceContentType(file.contentType) ? evidenceExtensions[file.contentType] : 'bin';
        return reply
          .type(file.contentType)
          .header('content-disposition', `inline; filename="evidence-${file.id}.${extension}"`)
          .header('x-content-type-options', 'nosniff')
          .send(file.data);
      },
    );
  };
}
