/**
 * /api/v1/imports (issue 14 §1): upload the platform's order or refund report
 * (XLSX or CSV, the raw bytes as the body), preview every row's outcome,
 * commit, cancel; the job with its progress, its rows, the result report; the
 * presets and the shop's saved mappings. Supervisors and admins.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Readable } from 'node:stream';
import type { AppContext } from '../../app/context.ts';
import { cancelImport, commitImport, getImport, listImportRows, listImports, listPresets, listSavedMappings, saveMapping, startPreview, uploadImport } from '../../app/import/jobs.ts';
import { importReport } from '../../app/import/report.ts';
import { resumeImports, stopImports } from '../../app/import/run-import.ts';
import {
  MAX_IMPORT_BYTES,
  ZImportJob,
  ZImportJobParams,
  ZImportListQuery,
  ZImportPreset,
  ZImportReportQuery,
  ZImportRows,
  ZImportRowsQuery,
  ZImportUploadQuery,
  ZMappingsQuery,
  ZPreviewRequest,
  ZSavedMapping,
  ZSaveMappingRequest,
} from '../../contract/import-schemas.ts';
import { AppError } from '../../core/errors.ts';
import { actorOf } from '../server.ts';

const tags = ['imports'];
const MB = MAX_IMPORT_BYTES / 1024 / 1024;

/**
 * An upload's body as the server's hooks see it: the request stream stays private (the control-character
 * scan has nothing to walk), and the Idempotency-Key hash covers its declared type and length.
 */
class UploadBody {
  readonly #stream: Readable;
  readonly declaredType: string | null;
  constructor(declaredType: string | null, stream: Readable) {
    this.#stream = stream;
    this.declaredType = declaredType;
  }
  get stream(): Readable {
    return this.#stream;
  }
  toJSON() {
    return { upload: true, declaredType: this.declaredType };
  }
}

function notAFile(): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file\'s bytes as the body (Content-Type application/octet-stream, text/csv or the XLSX type), not JSON.', { reason: 'not_a_file' });
}

export function importRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();

    // a file's bytes, whatever its declared type (the format is read from the bytes): streamed, never buffered whole
    app.addContentTypeParser('*', (request, payload, done) => {
      done(null, new UploadBody(typeof request.headers['content-type'] === 'string' ? request.headers['content-type'].slice(0, 100) : null, payload as Readable));
    });

    // jobs whose process stopped are taken up when a server starts; a stopping server pauses its own
    app.addHook('onReady', async () => {
      await resumeImports(ctx).catch(() => 0);
    });
    app.addHook('onClose', async () => {
      await stopImports(ctx);
    });

    app.get(
      '/imports',
      { config: { permission: 'import.read' }, schema: { tags, summary: "The shop's imports, newest first", querystring: ZImportListQuery, response: { 200: ZImportJob.array() } } },
      async (request) => listImports(ctx, { actor: actorOf(request), ...request.query }),
    );

    app.post(
      '/imports',
      {
        config: { permission: 'import.run' },
        // a declared length over the limit is refused before a byte is read
        preParsing: async (request, _reply, payload) => {
          const length = Number(request.headers['content-length']);
          if (Number.isFinite(length) && length > MAX_IMPORT_BYTES) {
            throw new AppError('PAYLOAD_TOO_LARGE', `An import file is at most ${MB} MB; split the export into smaller files.`, { maxBytes: MAX_IMPORT_BYTES, sizeBytes: length });
          }
          return payload;
        },
        schema: {
          tags,
          summary: `Upload the platform's order report or refund report (XLSX, or CSV in UTF-8 or GBK: detected) as the raw body, at most ${MB} MB and 200,000 rows: 201 with the job, its headers and their mapping (missing: what to map before the preview). Nothing is imported yet. A CSV is sent without a charset in its Content-Type`,
          querystring: ZImportUploadQuery,
          response: { 201: ZImportJob },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (!(body instanceof UploadBody)) throw notAFile();
        const length = Number(request.headers['content-length']);
        const job = await uploadImport(ctx, {
          actor: actorOf(request),
          kind: request.query.kind,
          fileName: request.query.fileName,
          exportedAt: request.query.exportedAt ? new Date(request.query.exportedAt) : null,
          body: body.stream,
          declaredBytes: Number.isFinite(length) ? length : null,
          ip: request.ip,
        });
        return reply.code(201).send(job);
      },
    );

    app.get(
      '/imports/presets',
      { config: { permission: 'import.read' }, schema: { tags, summary: 'The fields of the order report and the refund report, with the header names the presets recognise', response: { 200: ZImportPreset.array() } } },
      async (request) => listPresets({ actor: actorOf(request) }),
    );

    app.get(
      '/imports/mappings',
      { config: { permission: 'import.read' }, schema: { tags, summary: "The shop's saved mappings of other layouts", querystring: ZMappingsQuery, response: { 200: ZSavedMapping.array() } } },
      async (request) => listSavedMappings(ctx, { actor: actorOf(request), kind: request.query.kind }),
    );

    app.post(
      '/imports/mappings',
      { config: { permission: 'import.run' }, schema: { tags, summary: 'Save a mapping under a name (the same name replaces it)', body: ZSaveMappingRequest, response: { 201: ZSavedMapping } } },
      async (request, reply) => reply.code(201).send(await saveMapping(ctx, { actor: actorOf(request), ...request.body, ip: request.ip })),
    );

    app.get(
      '/imports/:jobId',
      { config: { permission: 'import.read' }, schema: { tags, summary: 'The import with its progress (processedRows of totalRows) and counts; poll it while it runs', params: ZImportJobParams, response: { 200: ZImportJob } } },
      async (request) => getImport(ctx, { actor: actorOf(request), jobId: request.params.jobId, ip: request.ip }),
    );

    app.get(
      '/imports/:jobId/rows',
      {
        config: { permission: 'import.read' },
        schema: { tags, summary: "The rows' outcomes (new, updated, unchanged, skipped, error, each error in words with its column), in file order, a page at a time", params: ZImportJobParams, querystring: ZImportRowsQuery, response: { 200: ZImportRows } },
      },
      async (request) => listImportRows(ctx, { actor: actorOf(request), jobId: request.params.jobId, ...request.query, ip: request.ip }),
    );

    app.post(
      '/imports/:jobId/preview',
      {
        config: { permission: 'import.run' },
        schema: { tags, summary: "Preview (a dry run: nothing is written) with the job's mapping or yours, optionally saved under a name; runs in the background", params: ZImportJobParams, body: ZPreviewRequest, response: { 200: ZImportJob } },
      },
      async (request) => startPreview(ctx, { actor: actorOf(request), jobId: request.params.jobId, mapping: request.body.mapping, saveAs: request.body.saveAs, ip: request.ip }),
    );

    app.post(
      '/imports/:jobId/commit',
      {
        config: { permission: 'import.run' },
        schema: { tags, summary: 'Commit a previewed import (or go on with one that stopped): the rows without errors go in, each record whole, in the background', params: ZImportJobParams, response: { 200: ZImportJob } },
      },
      async (request) => commitImport(ctx, { actor: actorOf(request), jobId: request.params.jobId, ip: request.ip }),
    );

    app.post(
      '/imports/:jobId/cancel',
      { config: { permission: 'import.run' }, schema: { tags, summary: 'Cancel an import not committed: its file and preview are discarded', params: ZImportJobParams, response: { 200: ZImportJob } } },
      async (request) => cancelImport(ctx, { actor: actorOf(request), jobId: request.params.jobId, ip: request.ip }),
    );

    app.get(
      '/imports/:jobId/report',
      {
        config: { permission: 'import.read' },
        schema: { tags, summary: "The result report as XLSX: the file's rows with their row number, outcome and errors in words (outcome=error: only the rows to fix)", params: ZImportJobParams, querystring: ZImportReportQuery },
      },
      async (request, reply) => {
        const report = await importReport(ctx, { actor: actorOf(request), jobId: request.params.jobId, lang: request.query.lang, outcome: request.query.outcome, ip: request.ip });
        return reply
          .type(report.contentType)
          .header('content-disposition', `attachment; filename="import-${request.params.jobId}.xlsx"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`)
          .header('x-content-type-options', 'nosniff')
          .send(report.stream);
      },
    );
  };
}
