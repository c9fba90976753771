/** The import page's types (from src/contract) and the words of an upload's refusal. */
import { ApiError } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { fmt, type Lang } from '../../../shared/i18n.tsx';
import type { TImportJob, TImportOutcome, TImportPreset, TImportRow, TImportRows, TSavedMapping } from '../../../../../src/contract/import-schemas.ts';
import { importMessages } from './messages.ts';

export type ImportJob = TImportJob;
export type ImportRow = TImportRow;
export type ImportRows = TImportRows;
export type ImportPreset = TImportPreset;
export type SavedMapping = TSavedMapping;
export type Outcome = TImportOutcome;
export type Kind = ImportJob['kind'];

export const outcomes: readonly Outcome[] = ['new', 'updated', 'unchanged', 'skipped', 'error'];
/** A job's status as a tag's colour. */
export const jobStatusColour: Record<string, string> = { previewed: 'blue', committed: 'green', failed: 'red', cancelled: 'default', previewing: 'processing', committing: 'processing', uploaded: 'gold' };
export const outcomeColour: Record<Outcome, string> = { new: 'green', updated: 'blue', unchanged: 'default', skipped: 'gold', error: 'red' };

type M = (typeof importMessages)['zh-CN'];

/** A message of the page by a key made at run time. */
export function word(m: M, key: string, fallback = ''): string {
  return (m as Record<string, string>)[key] ?? fallback;
}

/** Why the server refused an upload or a mapping, in the page's words. */
export function uploadErrorText(err: unknown, m: M, lang: Lang): string {
  if (err instanceof ApiError) {
    if (err.code === 'PAYLOAD_TOO_LARGE') return fmt(m.err_too_large, { mb: Math.round(Number(err.details.maxBytes ?? 104_857_600) / 1024 / 1024) });
    const reason = typeof err.details.reason === 'string' ? err.details.reason : '';
    if (reason === 'too_many_rows') return fmt(m.err_too_many_rows, { rows: Number(err.details.rows ?? 0).toLocaleString(lang === 'en' ? 'en-US' : 'zh-CN') });
    const known = word(m, `err_${reason}`);
    if (known) return known;
  }
  return errorText(err, lang);
}

export const reportUrl = (jobId: number, lang: Lang, outcome?: Outcome) =>
  `/api/v1/imports/${jobId}/report?lang=${encodeURIComponent(lang)}${outcome ? `&outcome=${outcome}` : ''}`;

export const isRunning = (job: ImportJob | null | undefined) => job?.status === 'previewing' || job?.status === 'committing';
