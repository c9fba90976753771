/**
 * An import's file kept in the database in chunks of 1 MiB (issue 14 §1): the
 * upload is written as it arrives and read back chunk by chunk (or any range
 * of it), so neither the upload nor the background work ever holds the whole
 * file, and every server process on the same database can work the job.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Q } from '../../db/order-repository.ts';
import type { ByteSource } from './sheet-reader.ts';

export const CHUNK_BYTES = 1024 * 1024;

/** Writes the body into the job's chunks; refuses it (413) as soon as it passes `maxBytes`. */
export async function storeFile(db: Q, options: { jobId: number; body: AsyncIterable<Uint8Array>; maxBytes: number }): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  let seq = 0;
  let pending: Buffer[] = [];
  let pendingSize = 0;
  const flush = async (all: boolean) => {
    while (pendingSize >= CHUNK_BYTES || (all && pendingSize > 0)) {
      const joined = Buffer.concat(pending);
      const bytes = joined.subarray(0, Math.min(CHUNK_BYTES, joined.length));
      await db.insertInto('import_files').values({ job_id: options.jobId, seq, bytes: Buffer.from(bytes) }).execute();
      seq += 1;
      const rest = joined.subarray(bytes.length);
      pending = rest.length > 0 ? [rest] : [];
      pendingSize = rest.length;
    }
  };
  for await (const chunk of options.body) {
    size += chunk.length;
    if (size > options.maxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `An import file is at most ${options.maxBytes / 1024 / 1024} MB; split the export into smaller files.`, { maxBytes: options.maxBytes });
    }
    hash.update(chunk);
    pending.push(Buffer.from(chunk));
    pendingSize += chunk.length;
    await flush(false);
  }
  await flush(true);
  return { size, sha256: hash.digest('hex') };
}

/** The stored file as a source the readers take. */
export function storedFile(db: Q, options: { jobId: number; size: number }): ByteSource {
  const chunk = async (seq: number): Promise<Buffer> => {
    const row = await db.selectFrom('import_files').select('bytes').where('job_id', '=', options.jobId).where('seq', '=', seq).executeTakeFirst();
    return row ? Buffer.from(row.bytes) : Buffer.alloc(0);
  };
  return {
    size: options.size,
    async *chunks() {
      const count = Math.ceil(options.size / CHUNK_BYTES);
      for (let seq = 0; seq < count; seq++) yield await chunk(seq);
    },
    async read(offset, length) {
      const end = Math.min(options.size, offset + length);
      const parts: Buffer[] = [];
      for (let at = Math.max(0, offset); at < end; ) {
        const seq = Math.floor(at / CHUNK_BYTES);
        const bytes = await chunk(seq);
        const from = at - seq * CHUNK_BYTES;
        const to = Math.min(bytes.length, end - seq * CHUNK_BYTES);
        if (to <= from) break;
        parts.push(bytes.subarray(from, to));
        at += to - from;
      }
      return Buffer.concat(parts);
    },
  };
}

export async function deleteFile(db: Q, jobId: number): Promise<void> {
  await db.deleteFrom('import_files').where('job_id', '=', jobId).execute();
}
