/**
 * The side-process records (GET/POST /api/v1/records/{kind}…) as the tasks and
 * complaints pages use them: the record shape, one action at the version the
 * page saw, and the idempotency key of one intended submit.
 */
import type { FormInstance } from 'antd';
import { useCallback, useRef } from 'react';
import { ApiError, get, newIdempotencyKey, post } from '../../../shared/api.ts';
import type { Lang } from '../../../shared/i18n.tsx';

/** A record as the API answers it (src/http/routes/workbench.ts ZRecord); the list adds orderNo. */
export interface SideRecord<D> {
  id: number;
  kind: string;
  status: string;
  refundId: number | null;
  data: D;
  amountFen: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  orderNo?: string | null;
}

export interface RecordEvent {
  version: number;
  at: string;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  data: Record<string, unknown>;
}

/** GET /records/{kind}/{id}: the record with its history and the actions open to the caller. */
export interface SideRecordDetail<D> extends SideRecord<D> {
  orderNo: string | null;
  events: RecordEvent[];
  allowedActions: string[];
}

export type SideKind = 'department_task' | 'complaint';

/** One page of a kind, newest first (the server's order); `beforeId` continues after the last one seen. */
export function listRecords<D>(kind: SideKind, query: { status?: string; orderNo?: string; beforeId?: number; limit: number }, signal?: AbortSignal) {
  return get<SideRecord<D>[]>(`/records/${kind}`, query, signal);
}

/**
 * Every record of a kind in one status, oldest first (an inbox works from the
 * oldest): pages of 200 until a short page, at most `maxPages` of them.
 */
export async function listAllRecords<D>(kind: SideKind, status: string, signal: AbortSignal, maxPages = 10): Promise<{ items: SideRecord<D>[]; complete: boolean }> {
  const items: SideRecord<D>[] = [];
  let beforeId: number | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await listRecords<D>(kind, { status, limit: 200, ...(beforeId ? { beforeId } : {}) }, signal);
    items.push(...page);
    if (page.length < 200) return { items: items.reverse(), complete: true };
    beforeId = page[page.length - 1]!.id;
  }
  return { items: items.reverse(), complete: false };
}

/** An action on a record at the version the page saw (the server answers 409 VERSION_CONFLICT when it moved on). */
export function actOnRecord<D>(kind: SideKind, record: { id: number; version: number }, action: string, input: Record<string, unknown>, idempotencyKey: string) {
  return post<SideRecord<D>>(`/records/${kind}/${record.id}/${action}`, { ...input, version: record.version }, idempotencyKey);
}

export function isVersionConflict(err: unknown): boolean {
  return err instanceof ApiError && err.code === 'VERSION_CONFLICT';
}

/**
 * The idempotency key of one intended submit: the same key while the submit is
 * retried after the network failed (the server then runs it once), a new one
 * once the server answered (the next submit is another intention, maybe with
 * other fields).
 */
export function useSubmitKey(): { key: () => string; settle: (err?: unknown) => void } {
  const ref = useRef<string | null>(null);
  const key = useCallback(() => (ref.current ??= newIdempotencyKey()), []);
  const settle = useCallback((err?: unknown) => {
    if (!(err instanceof ApiError && err.code === 'NETWORK')) ref.current = null;
  }, []);
  return { key, settle };
}

/**
 * The workbench's field checks answer VALIDATION_FAILED with details.issues
 * [{field, message}]: mark those fields of the form (the English message for
 * English readers, a short Chinese hint otherwise), beside the page's errorText.
 */
export function markServerIssues(form: FormInstance, err: unknown, lang: Lang, zhHint: string, known: readonly string[]): void {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return;
  const issues = (err.details.issues as { field?: string; message?: string }[] | undefined) ?? [];
  const fields = issues
    .map((i) => ({ name: (i.field ?? '').replace(/\[\d+\]$/, ''), message: i.message ?? '' }))
    .filter((i) => known.includes(i.name))
    .map((i) => ({ name: i.name, errors: [lang === 'en' && i.message ? i.message : zhHint] }));
  if (fields.length) form.setFields(fields);
}

/** Characters as a person (and the server's charCount) counts them: code points. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** A form rule's check of free text as the engine's readText does it: trimmed, between min and max code points. */
export function textBetween(value: string | undefined, min: number, max: number, problem: string): Promise<void> {
  const n = charCount((value ?? '').trim());
  return n >= min && n <= max ? Promise.resolve() : Promise.reject(new Error(problem));
}

/** `evidence:<id>` → the URL the server serves it at; an http(s) URL as it is; anything else (an old file id) null. */
export function photoHref(photo: string): { href: string; evidenceId: number | null } | null {
  const m = /^evidence:(\d+)$/.exec(photo);
  if (m) return { href: `/api/v1/evidence/${m[1]}`, evidenceId: Number(m[1]) };
  if (/^https?:\/\//i.test(photo)) return { href: photo, evidenceId: null };
  return null;
}
