/**
 * The rule set's errors in words (issue 15 §4): the server answers a refused
 * rule set with {line, column, path, code, params} per problem
 * (src/core/playbook/rule-set-parser.ts); here each becomes a sentence in the
 * page's language: "第 12 行：缩进不对齐……" for the YAML editor, "第 3 条规则的检查项 2：
 * 不能为空。" for the form. Pure functions, tested beside.
 */
import type { Lang } from '../../../shared/i18n.tsx';
import { fieldName, valueName } from './rule-set-labels.ts';

/** One problem as the server (or the parser run in the page) reports it. */
export interface RuleSetProblem {
  line: number;
  column?: number | undefined;
  path?: string | undefined;
  message: string;
  code?: string | undefined;
  params?: Record<string, string | number | string[]> | undefined;
}

type Words = Record<Lang, string>;

/** The yaml library's error codes (yaml ErrorCode) in a sentence each. */
const yamlWords: Record<string, Words> = {
  BAD_INDENT: { 'zh-CN': '缩进不对齐：这一行的空格数和同一层的其他行不一样。', en: 'The indentation does not line up with the lines at the same level.' },
  INDENTED_DEEPER: {
    'zh-CN': '缩进不对齐：这一行比上一行的键缩进得更深，被当成了上一行的值的一部分。',
    en: 'This line is indented deeper than the key above it, so it is read as part of that value.',
  },
  TAB_AS_INDENT: { 'zh-CN': '缩进只能用空格，不能用 Tab 键。', en: 'Indent with spaces, not tabs.' },
  MULTILINE_IMPLICIT_KEY: { 'zh-CN': '一个键不能跨行：检查这一行和下一行的缩进，或者是否少了冒号。', en: 'A key cannot run over several lines: check the indentation or a missing colon.' },
  BLOCK_AS_IMPLICIT_KEY: { 'zh-CN': '这里写法不对：键后面要有冒号和空格，检查缩进。', en: 'A block cannot be a key here: check the colon and the indentation.' },
  DUPLICATE_KEY: { 'zh-CN': '同一层里有两个一样的键，只能写一次。', en: 'The same key appears twice at this level.' },
  MISSING_CHAR: { 'zh-CN': '少了一个符号：键后面要有冒号，列表要有闭合的方括号。', en: 'A character is missing: a colon after a key, or a closing bracket.' },
  MISSING_QUOTE: { 'zh-CN': '引号没有闭合：开头有引号，结尾也要有同样的引号。', en: 'A quote is not closed.' },
  UNEXPECTED_TOKEN: { 'zh-CN': '这里出现了不该有的符号，检查冒号、逗号、括号和缩进。', en: 'Something unexpected is here: check colons, commas, brackets and indentation.' },
  BAD_SCALAR_START: { 'zh-CN': '这个值不能以这个符号开头，请给它加上引号。', en: 'A value cannot start with this character; put it in quotes.' },
  BLOCK_IN_FLOW: { 'zh-CN': '方括号或花括号里不能换行写列表，请写在一行里。', en: 'A block cannot stand inside brackets.' },
  BAD_DQ_ESCAPE: { 'zh-CN': '双引号里的反斜杠转义写法不对。', en: 'A backslash escape in double quotes is not valid.' },
  KEY_OVER_1024_CHARS: { 'zh-CN': '键太长了（最多 1024 个字符）。', en: 'A key is longer than 1024 characters.' },
  MULTIPLE_DOCS: { 'zh-CN': '文件里只能有一个文档，不要用“---”分隔多个。', en: 'Only one document is allowed; do not separate several with "---".' },
  NON_STRING_KEY: { 'zh-CN': '键必须是文字。', en: 'A key must be text.' },
  BAD_ALIAS: { 'zh-CN': '引用（*别名）写法不对或找不到对应的锚点。', en: 'An alias is not valid or its anchor is missing.' },
  RESOURCE_EXHAUSTION: { 'zh-CN': '引用（别名）展开后太大了。', en: 'The aliases expand to too much.' },
};
const yamlOther: Words = { 'zh-CN': 'YAML 格式不对，请检查这一行的冒号、引号、括号和缩进。', en: 'The YAML is not valid here: check colons, quotes, brackets and indentation.' };

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** `rules[3].checklist[1].id` → ['rules', 3, 'checklist', 1, 'id']. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    out.push(/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part);
  }
  return out;
}

/**
 * Where a path points, in words: "第 3 条规则的检查项 2 的“内容”" (numbers counted
 * from 1); with the rule's id when known: "第 3 条规则（S1.1）".
 */
export function pathInWords(path: readonly (string | number)[], lang: Lang, ruleIds: readonly string[] = []): string {
  const zh = lang === 'zh-CN';
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const next = path[i + 1];
    if (key === 'rules' && typeof next === 'number') {
      const id = ruleIds[next];
      parts.push(zh ? `第 ${next + 1} 条规则${id ? `（${id}）` : ''}` : `rule ${next + 1}${id ? ` (${id})` : ''}`);
      i++;
    } else if (key === 'checklist' && typeof next === 'number') {
      parts.push(zh ? `检查项 ${next + 1}` : `checklist item ${next + 1}`);
      i++;
    } else if (key === 'when') {
      // the condition's own name says enough
      if (path.length === i + 1) parts.push(zh ? '适用条件' : 'the conditions');
    } else if (typeof key === 'number') {
      parts.push(zh ? `第 ${key + 1} 项` : `item ${key + 1}`);
    } else if (key !== undefined) {
      parts.push(zh ? `“${fieldName(key, lang)}”` : `"${fieldName(key, lang)}"`);
    }
  }
  if (parts.length === 0) return zh ? '整个规则集' : 'the rule set';
  if (!zh) return parts.join(', ');
  // "检查项 2 的“内容”": a space between a number and the word after it
  return parts.reduce((out, part) => (out === '' ? part : `${out}${/\d$/.test(out) ? ' ' : ''}的${part}`), '');
}

/** The field a path is about: the last key that is a name (`reason` for `rules[0].when.reason[1]`). */
function fieldOf(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string') return key;
  }
  return '';
}

function quoted(text: string, lang: Lang): string {
  return lang === 'zh-CN' ? `“${text}”` : `"${text}"`;
}

/** The problem itself in a sentence, without where it is. */
export function problemInWords(problem: RuleSetProblem, lang: Lang): string {
  const zh = lang === 'zh-CN';
  const code = problem.code ?? '';
  const params = problem.params ?? {};
  const path = parsePath(problem.path ?? '');
  const field = fieldOf(path);
  const str = (k: string) => (typeof params[k] === 'string' ? (params[k] as string) : typeof params[k] === 'number' ? String(params[k]) : '');
  const num = (k: string) => (typeof params[k] === 'number' ? (params[k] as number) : Number(params[k] ?? 0));
  let text: string;
  if (code.startsWith('yaml.')) {
    let yamlCode = code.slice(5);
    if (yamlCode === 'MISSING_CHAR' && /quote/i.test(problem.message)) yamlCode = 'MISSING_QUOTE';
    text = (yamlWords[yamlCode] ?? yamlOther)[lang];
  } else {
    switch (code) {
      case 'unknown_key':
        text = fill(zh ? '没有{key}这一项，是不是写错了？' : 'There is no key {key}; is it misspelt?', { key: quoted(str('key'), lang) });
        break;
      case 'invalid_value': {
        const values = Array.isArray(params.values) ? params.values : [];
        const allowed = values.map((v) => {
          const name = valueName(field, v, lang);
          return name === v ? v : zh ? `${v}（${name}）` : `${v} (${name})`;
        });
        const list = allowed.join(zh ? '、' : ', ');
        text = fill(zh ? '{input}不是可选的{field}。可选的有：{list}。' : '{input} is not an allowed {field}. Allowed: {list}.', {
          input: quoted(str('input'), lang),
          field: zh ? fieldName(field, lang) : fieldName(field, lang).toLowerCase(),
          list,
        });
        break;
      }
      case 'required':
        text = zh ? '必须填写。' : 'Required.';
        break;
      case 'no_value':
        text = zh ? '只写了名称，没有填值。' : 'It has no value.';
        break;
      case 'empty':
        text = zh ? '规则集是空的。' : 'The rule set is empty.';
        break;
      case 'invalid_type':
        text =
          str('expected') === 'boolean'
            ? zh
              ? '只能填 true（是）或 false（否）。'
              : 'Only true or false.'
            : str('expected') === 'array'
              ? zh
                ? '这里要写成列表，例如 [a, b]。'
                : 'This must be a list, e.g. [a, b].'
              : str('expected') === 'string'
                ? zh
                  ? '这里要填文字。'
                  : 'This must be text.'
                : zh
                  ? '这里的写法不对。'
                  : 'This is not the right kind of value.';
        break;
      case 'too_small':
        text =
          str('origin') === 'array'
            ? fill(zh ? '至少要有 {n} 项。' : 'At least {n} needed.', { n: num('minimum') })
            : zh
              ? '不能为空。'
              : 'Must not be empty.';
        break;
      case 'too_big':
        text =
          str('origin') === 'array'
            ? fill(zh ? '最多 {n} 项。' : 'At most {n}.', { n: num('maximum') })
            : fill(zh ? '最多 {n} 个字符。' : 'At most {n} characters.', { n: num('maximum') });
        break;
      case 'invalid_format':
        text = zh ? '只能用字母、数字、“.”、“_”和“-”，并以字母或数字开头。' : 'Letters, digits, ".", "_" and "-" only, starting with a letter or digit.';
        break;
      case 'empty_list':
        text = zh ? '这个条件一个值都没选，会匹配不到任何退款；不限的话请去掉这个条件。' : 'An empty list matches no refund; leave the condition out to match any.';
        break;
      case 'duplicate_value':
        text = fill(zh ? '{value}重复了，只能选一次。' : '{value} is listed twice.', { value: quoted(valueName(field, str('value'), lang), lang) });
        break;
      case 'duplicate_rule_id':
        text = fill(zh ? '编号{id}已经被第 {n} 条规则用了，规则编号不能重复。' : 'The id {id} is already used by rule {n}.', { id: quoted(str('id'), lang), n: num('rule') + 1 });
        break;
      case 'duplicate_item_id':
        text = fill(zh ? '编号{id}已经在规则{rule}里用了，检查项编号在整个规则集里不能重复。' : 'The id {id} is already used in rule {rule}; item ids are unique in the whole rule set.', {
          id: quoted(str('id'), lang),
          rule: quoted(str('rule'), lang),
        });
        break;
      case 'rule_gives_nothing':
        text = zh ? '这条规则什么都没给：请至少加一个检查项、操作、拦截、话术或说明。' : 'The rule gives nothing: add a checklist item, an action, a guard, a template or a note.';
        break;
      case 'too_large':
        text = fill(zh ? '规则集太大了：{bytes} 字节，最多 {max} 字节。' : 'The rule set is {bytes} bytes; at most {max} are accepted.', { bytes: num('bytes'), max: num('maximum') });
        break;
      case 'alias':
        text = zh ? '引用（别名）太多或写法不对。' : 'Too many aliases, or one is not valid.';
        break;
      default:
        // a server older or newer than this page: its own words, in English
        text = zh ? '这里有错误，请检查。' : problem.message;
    }
  }
  if (typeof params.runsOn === 'number') {
    text += fill(zh ? '（这个值一直延续到第 {line} 行：是不是那一行缩进得太深了？）' : ' (The value runs on to line {line}: is that line indented too deep?)', { line: params.runsOn });
  }
  return text;
}

/** For the YAML editor: "第 12 行：第 3 条规则的“标题”：不能为空。" */
export function lineErrorText(problem: RuleSetProblem, lang: Lang, ruleIds: readonly string[] = []): string {
  const zh = lang === 'zh-CN';
  const path = parsePath(problem.path ?? '');
  const where = path.length ? `${pathInWords(path, lang, ruleIds)}${zh ? '：' : ': '}` : '';
  return `${zh ? `第 ${problem.line} 行：` : `Line ${problem.line}: `}${where}${problemInWords(problem, lang)}`;
}

/** For the form: "第 3 条规则的检查项 2 的“内容”：不能为空。" */
export function fieldErrorText(problem: RuleSetProblem, lang: Lang, ruleIds: readonly string[] = []): string {
  const zh = lang === 'zh-CN';
  return `${pathInWords(parsePath(problem.path ?? ''), lang, ruleIds)}${zh ? '：' : ': '}${problemInWords(problem, lang)}`;
}
