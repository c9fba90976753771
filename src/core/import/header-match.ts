/**
 * Matching a file's headers to the import's fields (issue 14 §1): loosely —
 * spaces anywhere, full-width brackets and colons, letter case, a unit in
 * brackets at the end (金额(元)) do not matter — and a mapping the person
 * fixes checked before any row is read.
 */
import { importFieldsOf, type ImportField, type ImportKind } from './import-fields.ts';

/** field key → the header as the file writes it */
export type ImportMapping = Record<string, string>;

/**
 * A header as compared: NFKC (full-width brackets, colons, letters and the ideographic space become
 * half-width), lower case, without any white space, zero-width characters or a trailing colon.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u200b-\u200d\ufeff]+/g, '')
    .replace(/[:：]+$/, '');
}

/** The header without a bracketed note at its end: 买家实际支付金额(元) → 买家实际支付金额. */
function withoutNote(normalized: string): string {
  return normalized.replace(/(\([^()]*\)|\[[^[\]]*\]|【[^【】]*】)$/, '');
}

/** Whether a header (as written) is an alias (as listed), loosely. */
export function headerMatches(header: string, alias: string): boolean {
  const h = normalizeHeader(header);
  const a = normalizeHeader(alias);
  return h !== '' && (h === a || withoutNote(h) === a);
}

/** The index of the first column whose header matches `wanted` loosely, or -1. */
export function findHeader(headers: readonly string[], wanted: string): number {
  const exact = headers.indexOf(wanted);
  if (exact >= 0) return exact;
  const w = normalizeHeader(wanted);
  return w === '' ? -1 : headers.findIndex((h) => normalizeHeader(h) === w);
}

export interface HeaderMatch {
  mapping: ImportMapping;
  /** required fields (or groups) no header matched */
  missing: string[];
  /** how many fields matched */
  matched: number;
}

/** Required fields not mapped: a key, or for a group (退款类型 / 是否需要退货) its first field's key. */
export function missingRequired(kind: ImportKind, mapping: ImportMapping): string[] {
  const fields = importFieldsOf[kind];
  const missing: string[] = [];
  const groups = new Map<string, ImportField[]>();
  for (const f of fields) {
    if (f.required === true && !mapping[f.key]) missing.push(f.key);
    if (typeof f.required === 'string') groups.set(f.required, [...(groups.get(f.required) ?? []), f]);
  }
  for (const members of groups.values()) if (!members.some((f) => mapping[f.key])) missing.push(members[0]!.key);
  return missing;
}

/** The preset: each field takes the first of its aliases that a header matches; a header serves one field only. */
export function matchPreset(kind: ImportKind, headers: readonly string[]): HeaderMatch {
  const mapping: ImportMapping = {};
  const used = new Set<number>();
  for (const f of importFieldsOf[kind]) {
    for (const alias of f.aliases) {
      const i = headers.findIndex((h, k) => !used.has(k) && headerMatches(h, alias));
      if (i >= 0) {
        mapping[f.key] = headers[i]!;
        used.add(i);
        break;
      }
    }
  }
  return { mapping, missing: missingRequired(kind, mapping), matched: Object.keys(mapping).length };
}

/** A saved mapping applied to a file: the fields whose header the file has, with the header as this file writes it. */
export function applySavedMapping(kind: ImportKind, saved: ImportMapping, headers: readonly string[]): HeaderMatch & { fits: boolean } {
  const known = new Set(importFieldsOf[kind].map((f) => f.key));
  const mapping: ImportMapping = {};
  let fits = true;
  for (const [key, header] of Object.entries(saved)) {
    if (!known.has(key)) continue;
    const i = findHeader(headers, header);
    if (i < 0) fits = false;
    else mapping[key] = headers[i]!;
  }
  return { mapping, missing: missingRequired(kind, mapping), matched: Object.keys(mapping).length, fits };
}

export interface MappingProblem {
  field: string;
  problem: 'unknown_field' | 'no_such_header' | 'header_used_twice' | 'required';
  header?: string;
}

/** What is wrong with a mapping for these headers (empty: it can be used). */
export function checkMapping(kind: ImportKind, mapping: ImportMapping, headers: readonly string[]): MappingProblem[] {
  const known = new Set(importFieldsOf[kind].map((f) => f.key));
  const problems: MappingProblem[] = [];
  const seen = new Map<number, string>();
  for (const [key, header] of Object.entries(mapping)) {
    if (!known.has(key)) {
      problems.push({ field: key, problem: 'unknown_field' });
      continue;
    }
    const i = findHeader(headers, header);
    if (i < 0) problems.push({ field: key, problem: 'no_such_header', header });
    else if (seen.has(i)) problems.push({ field: key, problem: 'header_used_twice', header });
    else seen.set(i, key);
  }
  for (const key of missingRequired(kind, mapping)) problems.push({ field: key, problem: 'required' });
  return problems;
}

/** How well a row reads as the header row of this kind: the number of distinct fields its cells name. */
export function headerScore(kind: ImportKind, cells: readonly string[]): number {
  let score = 0;
  for (const f of importFieldsOf[kind]) if (cells.some((c) => f.aliases.some((a) => headerMatches(c, a)))) score += 1;
  return score;
}
