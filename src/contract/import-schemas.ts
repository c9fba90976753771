/**
 * Issue 14 §1: spreadsheet imports as the API answers them (the web app types its import page with these),
 * and the fields of each report with their zh-CN/en names (the mapping step).
 */
import { z } from 'zod';
import { importKinds, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, orderFields, refundFields, type ImportField, type ImportKind } from '../core/import/import-fields.ts';
import { ZId, ZIsoDate, zDecimal } from './schemas.ts';

export { importKinds, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, orderFields, refundFields, type ImportField, type ImportKind };

export const importStatuses = ['uploaded', 'previewing', 'previewed', 'committing', 'committed', 'failed', 'cancelled'] as const;
export type TImportStatus = (typeof importStatuses)[number];
export const importOutcomes = ['new', 'updated', 'unchanged', 'skipped', 'error'] as const;
export type TImportOutcome = (typeof importOutcomes)[number];

/** What a person reads, in both languages. */
export const ZMessage = z.object({ 'zh-CN': z.string(), en: z.string() });

/** field key → the header as the file writes it */
export const ZMapping = z.record(z.string().max(40), z.string().max(200)).describe('field key → the header as the file writes it');

export const ZImportUploadQuery = z.strictObject({
  kind: z.enum(importKinds).describe('orders: the order report (订单报表); refunds: the refund report (退款报表)'),
  fileName: z.string().trim().min(1).max(200).describe("the file's name, for the record"),
  exportedAt: ZIsoDate.optional().describe('when the platform made the export (its records\' modified time); default: now'),
});

export const ZImportJob = z.object({
  id: z.number().int(),
  kind: z.enum(importKinds),
  fileName: z.string(),
  fileSize: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable().describe("a CSV's text encoding as detected (utf-8, gb18030, utf-16le); null for XLSX"),
  headerRow: z.number().int().describe('the row of the headers (a title above it is skipped)'),
  headers: z.array(z.string()).describe('the headers as written, by column'),
  mapping: ZMapping,
  mappingSource: z.string().describe('preset, saved:<id> (a mapping the shop saved) or manual'),
  missing: z.array(z.string()).describe('required fields no header is mapped to: map them before the preview'),
  exportedAt: z.string(),
  status: z.enum(['uploading', ...importStatuses]),
  stage: z.enum(['preview', 'commit']),
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  counts: z.object({ new: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(), error: z.number().int() }),
  failure: ZMessage.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  previewedAt: z.string().nullable(),
  committedAt: z.string().nullable(),
});
export type TImportJob = z.infer<typeof ZImportJob>;

export const ZImportRowError = z.object({ code: z.string(), column: z.string().describe('the header as written; empty for the row as a whole'), message: ZMessage });
export const ZImportRow = z.object({
  rowNo: z.number().int().describe('the row number as the spreadsheet shows it'),
  outcome: z.enum(importOutcomes),
  platformId: z.string().nullable().describe('the order number or refund number of the row'),
  errors: z.array(ZImportRowError),
  note: ZMessage.nullable().describe('why a row is skipped or unchanged, when it is not plain'),
  committed: z.boolean(),
});
export type TImportRow = z.infer<typeof ZImportRow>;
export const ZImportRows = z.object({ total: z.number().int(), items: z.array(ZImportRow) });
export type TImportRows = z.infer<typeof ZImportRows>;

export const ZImportJobParams = z.strictObject({ jobId: ZId });
export const ZImportRowsQuery = z.strictObject({
  outcome: z.enum(importOutcomes).optional(),
  offset: zDecimal(0, 1_000_000).default(0),
  limit: zDecimal(1, 500).default(50),
});
export const ZImportListQuery = z.strictObject({ beforeId: ZId.optional(), limit: zDecimal(1, 100).default(20) });
export const ZImportReportQuery = z.strictObject({ lang: z.enum(['zh-CN', 'en']).default('zh-CN'), outcome: z.enum(importOutcomes).optional() });

export const ZPreviewRequest = z.strictObject({
  mapping: ZMapping.optional().describe("the person's mapping (default: the one matched at upload)"),
  saveAs: z.string().trim().min(1).max(60).optional().describe("save this mapping under a name: the shop's next file of this layout uses it"),
});
export type TPreviewRequest = z.infer<typeof ZPreviewRequest>;

export const ZImportField = z.object({
  key: z.string(),
  required: z.union([z.boolean(), z.string()]).describe('true: required; a group name: one of the group is required'),
  label: ZMessage,
  aliases: z.array(z.string()).describe('the header names the preset recognises, loosely'),
});
export const ZImportPreset = z.object({ kind: z.enum(importKinds), fields: z.array(ZImportField) });
export type TImportPreset = z.infer<typeof ZImportPreset>;

export const ZSavedMapping = z.object({ id: z.number().int(), kind: z.enum(importKinds), name: z.string(), mapping: ZMapping, updatedAt: z.string() });
export type TSavedMapping = z.infer<typeof ZSavedMapping>;
export const ZSaveMappingRequest = z.strictObject({ kind: z.enum(importKinds), name: z.string().trim().min(1).max(60), mapping: ZMapping });
export const ZMappingsQuery = z.strictObject({ kind: z.enum(importKinds).optional() });
