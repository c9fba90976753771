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
  message: string;
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
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? String(v);
}

/** One error per offending node: an unknown key is reported on its own line. */
function schemaErrors(doc: Document, lineCounter: LineCounter, issues: readonly ZodLikeIssue[]): RuleSetError[] {
  const out: RuleSetError[] = [];
  const push = (path: PathKey[], message: (loc: Located) => string) => {
    const loc = locate(doc, path);
    const pos = lineCounter.linePos(loc.offset);
    let text = message(loc);
    // a plain value running onto the next lines is most often a line indented too deep
    const range = loc.node?.range;
    if (range && isScalar(loc.node)) {
      const endLine = lineCounter.linePos(Math.max(range[0], range[1] - 1)).line;
      const startLine = lineCounter.linePos(range[0]).line;
      if (endLine > startLine) text += ` (the value runs on to line ${startLine + 1}: is that line indented too deep?)`;
    }
    out.push({ line: pos.line, column: pos.col, path: formatPath(path), message: text });
  };
  for (const issue of issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
    if (issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0) {
      for (const key of issue.keys) push([...path, key], () => `unknown key "${key}"`);
    } else if (issue.code === 'invalid_value' && issue.values) {
      const got = 'input' in issue ? `${describeValue(issue.input)} is not allowed` : 'not allowed';
      const allowed = issue.values.map((v) => String(v)).join(', ');
      push(path, () => `${got}; expected one of: ${allowed}`);
    } else if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) {
      push(path, (loc) => (loc.found ? issue.message : `${String(path[path.length - 1] ?? 'value')} is required`));
    } else if (issue.code === 'invalid_type' && issue.input === null) {
      push(path, () => (path.length === 0 ? 'the rule set is empty' : `${String(path[path.length - 1])} has no value (${issue.message})`));
    } else {
      push(path, () => issue.message);
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
        });
        continue;
      }
    }
    const pos = lineCounter.linePos(e.pos[0]);
    out.push({ line: pos.line, column: pos.col, path: '', message });
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
      errors: [{ line: 1, column: 1, path: '', message: `the rule set is ${bytes} bytes; at most ${MAX_RULE_SET_BYTES} are accepted` }],
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  if (doc.errors.length > 0) return { ok: false, errors: syntaxErrors(doc, lineCounter, text).sort(byPosition) };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, errors: [{ line: 1, column: 1, path: '', message: e instanceof Error ? e.message : String(e) }] };
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
