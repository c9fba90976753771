/**
 * The load test's report (issue 16 §3): the same tables on the console and in the results file (markdown).
 * The file holds one section per run label between markers, so the PostgreSQL run and the SQLite run (and
 * any other labelled run) each replace only their own; text outside the markers is kept.
 */
import { existsSync, mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Durations of one kind, in milliseconds. */
export class Series {
  private readonly values: number[] = [];
  private sorted = true;
  get count(): number {
    return this.values.length;
  }
  add(valueMs: number): void {
    this.values.push(valueMs);
    this.sorted = false;
  }
  /** nearest rank; NaN when empty */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    if (!this.sorted) {
      this.values.sort((a, b) => a - b);
      this.sorted = true;
    }
    return this.values[Math.min(this.values.length - 1, Math.max(0, Math.ceil(p * this.values.length) - 1))]!;
  }
  max(): number {
    return this.percentile(1);
  }
}

/** The file system a folder is on (the SQLite file's fsync costs depend on it). */
export function fileSystemOf(dir: string): string {
  try {
    const known: Record<number, string> = { 0xef53: 'ext4', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x6969: 'nfs' };
    const type = statfsSync(dir).type;
    return known[type] ?? `type 0x${type.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

export interface Block {
  title: string;
  /** a line or two under the title */
  note?: string;
  /** the first row is the header */
  rows: string[][];
}

/** Columns padded by their width on a terminal: a Chinese character takes two. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
  return w;
}

export function textTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, width(cell))));
  return rows.map((row) => `  ${row.map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(cell)))).join('   ')}`.trimEnd());
}

export function blockText(b: Block): string[] {
  return [b.title, ...(b.note ? b.note.split('\n').map((l) => `  ${l}`) : []), ...(b.rows.length > 0 ? textTable(b.rows) : []), ''];
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

export function blockMarkdown(b: Block): string[] {
  const out = [`### ${b.title}`, ''];
  // each line of the note on a line of its own (a markdown hard break)
  if (b.note) out.push(b.note.split('\n').join('  \n'), '');
  if (b.rows.length > 0) {
    const [head, ...body] = b.rows;
    out.push(`| ${head!.map(mdCell).join(' | ')} |`, `| ${head!.map(() => '---').join(' | ')} |`);
    for (const r of body) out.push(`| ${r.map(mdCell).join(' | ')} |`);
    out.push('');
  }
  return out;
}

export const msText = (n: number) => (Number.isNaN(n) ? '–' : n < 10 ? `${n.toFixed(1)} ms` : n < 10_000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);
export const pct = (s: Series, p: number) => s.percentile(p);
export const mb = (n: number) => `${n.toFixed(0)} MB`;
export const percent = (n: number) => (Number.isNaN(n) ? '–' : `${n.toFixed(0)} %`);

/** Writes `section` for `label` into the results file: replacing that label's section, keeping the rest. */
export function writeResultsFile(file: string, label: string, section: string[]): void {
  const begin = `<!-- loadtest:${label} -->`;
  const end = `<!-- /loadtest:${label} -->`;
  const block = [begin, ...section, end].join('\n');
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : [
        '# Load test results',
        '',
        'Written by `npm run loadtest` (issue 16 §3; see "Load test" in README.md): each section is one run, replaced',
        'when a run of the same label writes again; anything outside the sections is kept as written.',
        '',
      ].join('\n');
  const at = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (at >= 0 && stop > at) text = text.slice(0, at) + block + text.slice(stop + end.length);
  else text = `${text.replace(/\n*$/, '\n\n')}${block}\n`;
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}
