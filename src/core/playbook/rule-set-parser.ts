/**
 * Reads and writes a rule set document. The text is YAML (JSON is YAML too);
 * an invalid one is refused with the line (and column) that is wrong: YAML
 * syntax errors where the parser found them, schema errors at the node they
 * are about.
 */
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { crossCheckRuleSet, whenKeys, ZChecklistItem, ZRule, ZRuleSet, type RuleSet } from './rule-set.ts';

/** The largest rule set text accepted, in UTF-8 bytes. */
export const MAX_RULE_SET_BYTES = 200 * 1024;

export interface RuleSetError {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  /** where in the document, e.g. `rules[3].when.reason[1]`; '' for the whole */
  path: string;
  /** in English, for API users; the web app words it from `code` and `params` */
  message: string;
  /**
   * what is wrong, for a reader to word in its own language: `yaml.<code>` (the
   * yaml library's error code), or one of the schema's: unknown_key, invalid_value,
   * required, no_value, empty, invalid_type, too_small, too_big, invalid_format,
   * empty_list, duplicate_value, duplicate_rule_id, duplicate_item_id,
   * rule_gives_nothing, too_large, alias
   */
  code: string;
  /** the specifics: the key, the value given, the values allowed, a limit, the line a value runs on to */
  params?: Record<string, string | number | string[]>;
}

export type ParseRuleSetResult = { ok: true; ruleSet: RuleSet } | { ok: false; errors: RuleSetError[] };

type PathKey = string | number;

function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

function keyOf(pairKey: unknown): unknown {
  return isScalar(pairKey) ? pairKey.value : pairKey;
}

interface Located {
  /** offset in the text of what the path points at, or of the nearest part of it that exists */
  offset: number;
  /** the whole path exists in the document */
  found: boolean;
  /** the node the path points at, when found */
  node: YamlNode | null;
}

/**
 * Where a path points in the document. The last step into a map points at
 * the key (`title: …` is on the key's line even when the value is a block
 * below it); into a sequence, at the item.
 */
function locate(doc: Document, path: readonly PathKey[]): Located {
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String(keyOf(p.key)) === String(key));
      if (!pair) return { offset, found: false, node: null };
      const keyNode = pair.key as YamlNode | null;
      offset = keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined;
      if (item === undefined) return { offset, found: false, node: null };
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return { offset, found: false, node: null };
    }
  }
  return { offset, found: true, node: (node as YamlNode | null) ?? null };
}

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  values?: unknown[];
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

/** The code of a schema issue worded by the schema itself (its limits, formats and the checks across rules). */
function classify(issue: ZodLikeIssue): { code: string; params: NonNullable<RuleSetError['params']> } {
  const m = issue.message;
  if (issue.code === 'too_small') {
    if (issue.origin === 'array' && /leave the condition out/.test(m)) return { code: 'empty_list', params: {} };
    return { code: 'too_small', params: { origin: issue.origin ?? '', minimum: Number(issue.minimum ?? 0) } };
  }
  if (issue.code === 'too_big') return { code: 'too_big', params: { origin: issue.origin ?? '', maximum: Number(issue.maximum ?? 0) } };
  if (issue.code === 'invalid_format') return { code: 'invalid_format', params: {} };
  let hit = /^"(.*)" is listed twice$/.exec(m);
  if (hit) return { code: 'duplicate_value', params: { value: hit[1] ?? '' } };
  hit = /^rule id "(.*)" is already used by rules\[(\d+)\]$/.exec(m);
  if (hit) return { code: 'duplicate_rule_id', params: { id: hit[1] ?? '', rule: Number(hit[2]) } };
  hit = /^checklist item id "(.*)" is already used in rule "(.*)";/.exec(m);
  if (hit) return { code: 'duplicate_item_id', params: { id: hit[1] ?? '', rule: hit[2] ?? '' } };
  if (/^a rule gives nothing/.test(m)) return { code: 'rule_gives_nothing', params: {} };
  return { code: issue.code, params: {} };
}

/** One error per offending node: an unknown key is reported on its own line. */
function schemaErrors(doc: Document, lineCounter: LineCounter, issues: readonly ZodLikeIssue[]): RuleSetError[] {
  const out: RuleSetError[] = [];
  const push = (path: PathKey[], message: (loc: Located) => string, code: string | ((loc: Located) => string), params: RuleSetError['params'] = {}) => {
    const loc = locate(doc, path);
    const pos = lineCounter.linePos(loc.offset);
    let text = message(loc);
    const extra: NonNullable<RuleSetError['params']> = { ...params };
    // a plain value running onto the next lines is most often a line indented too deep
    const range = loc.node?.range;
    if (range && isScalar(loc.node)) {
      const endLine = lineCounter.linePos(Math.max(range[0], range[1] - 1)).line;
      const startLine = lineCounter.linePos(range[0]).line;
      if (endLine > startLine) {
        text += ` (the value runs on to line ${startLine + 1}: is that line indented too deep?)`;
        extra.runsOn = startLine + 1;
      }
    }
    const error: RuleSetError = { line: pos.line, column: pos.col, path: formatPath(path), message: text, code: typeof code === 'string' ? code : code(loc) };
    if (Object.keys(extra).length > 0) error.params = extra;
    out.push(error);
  };
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    const last = String(path[path.length - 1] ?? '');
    if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
      for (const key of issue.keys) push([...path, key], () => `unknown key "${key}"`, 'unknown_key', { key });
    } else if (issue.code === 'invalid_value' && issue.values) {
      const got = 'input' in issue ? `${describeValue(issue.input)} is not allowed` : 'not allowed';
      const values = issue.values.map((v) => String(v));
      const params: NonNullable<RuleSetError['params']> = { values };
      if ('input' in issue) params.input = typeof issue.input === 'string' ? issue.input : (JSON.stringify(issue.input) ?? String(issue.input));
      push(path, () => `${got}; expected one of: ${values.join(', ')}`, 'invalid_value', params);
    } else if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) {
      push(path, (loc) => (loc.found ? issue.message : `${last || 'value'} is required`), (loc) => (loc.found ? 'invalid_type' : 'required'), { key: last, expected: issue.expected ?? '' });
    } else if (issue.code === 'invalid_type' && issue.input === null) {
      push(path, () => (path.length === 0 ? 'the rule set is empty' : `${last} has no value (${issue.message})`), path.length === 0 ? 'empty' : 'no_value', { key: last, expected: issue.expected ?? '' });
    } else if (issue.code === 'invalid_type') {
      push(path, () => issue.message, 'invalid_type', { key: last, expected: issue.expected ?? '' });
    } else {
      const { code, params } = classify(issue);
      push(path, () => issue.message, code, params);
    }
  }
  return out;
}

/** YAML syntax errors, at the line that is wrong. */
function syntaxErrors(doc: Document, lineCounter: LineCounter, text: string): RuleSetError[] {
  const out: RuleSetError[] = [];
  const multiline = new Set(doc.errors.filter((e) => e.code === 'MULTILINE_IMPLICIT_KEY').map((e) => e.pos[0]));
  for (const e of doc.errors) {
    const message = e.message.split(/ at line \d+, column \d+/)[0] ?? e.message;
    if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && multiline.has(e.pos[0])) continue;
    if (e.code === 'MULTILINE_IMPLICIT_KEY') {
      // `title: b` followed by a line indented deeper than its key: the wrong line is the next one
      const nl = text.indexOf('\n', e.pos[0]);
      if (nl >= 0 && nl < e.pos[1]) {
        const lineStart = nl + 1;
        const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0].length ?? 0;
        const pos = lineCounter.linePos(lineStart + indent);
        out.push({
          line: pos.line,
          column: pos.col,
          path: '',
          message: `this line is indented deeper than the key above it, so it is read as part of that value (${message})`,
          code: 'yaml.INDENTED_DEEPER',
        });
        continue;
      }
    }
    const pos = lineCounter.linePos(e.pos[0]);
    out.push({ line: pos.line, column: pos.col, path: '', message, code: `yaml.${e.code}` });
  }
  return out;
}

function byPosition(a: RuleSetError, b: RuleSetError): number {
  return a.line - b.line || a.column - b.column;
}

/** Parses a rule set from YAML or JSON text; refuses it with the lines that are wrong. */
export function parseRuleSet(text: string): ParseRuleSetResult {
  const bytes = utf8Length(text);
  if (bytes > MAX_RULE_SET_BYTES) {
    return {
      ok: false,
      errors: [
        {
          line: 1,
          column: 1,
          path: '',
          message: `the rule set is ${bytes} bytes; at most ${MAX_RULE_SET_BYTES} are accepted`,
          code: 'too_large',
          params: { bytes, maximum: MAX_RULE_SET_BYTES },
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  if (doc.errors.length > 0) return { ok: false, errors: syntaxErrors(doc, lineCounter, text).sort(byPosition) };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ line: 1, column: 1, path: '', message: e instanceof Error ? e.message : String(e), code: 'alias' }] };
  }
  const parsed = ZRuleSet.safeParse(raw, { reportInput: true });
  if (parsed.success) return { ok: true, ruleSet: parsed.data };

  const issues: ZodLikeIssue[] = parsed.error.issues.map((i) => i as unknown as ZodLikeIssue);
  // the checks across rules run in the schema only once the rest is valid: report them now too
  if (!issues.some((i) => i.code === 'custom')) {
    for (const c of crossCheckRuleSet(raw)) issues.push({ code: 'custom', path: c.path, message: c.message });
  }
  return { ok: false, errors: schemaErrors(doc, lineCounter, issues).sort(byPosition) };
}

/** A copy with the keys in the schema's order and no undefined values: the export is canonical. */
function ordered<T extends object>(value: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}

const ruleKeys = Object.keys(ZRule.shape);
const itemKeys = Object.keys(ZChecklistItem.shape);

/**
 * The rule set as YAML: keys in the schema's order, block style, lists of
 * plain values in flow style (`reason: [quality, not_as_described]`), no line
 * folding. `parseRuleSet(serializeRuleSet(x))` gives back x.
 */
export function serializeRuleSet(ruleSet: RuleSet): string {
  const canonical: RuleSet = {
    name: ruleSet.name,
    rules: ruleSet.rules.map((rule) => {
      const copy = ordered(rule, ruleKeys);
      copy.when = ordered(rule.when, whenKeys);
      if (rule.checklist) copy.checklist = rule.checklist.map((item) => ordered(item, itemKeys));
      return copy;
    }),
  };
  const doc = new Document(canonical);
  visit(doc, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
