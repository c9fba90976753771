/**
 * Issue 15 §5: Chinese on the page is written with full-width punctuation (，：；（）“”？！).
 * Every source file a person reads from — the web app's messages, the error words, the engine's
 * labels, the seed's scripts, the rule set, the printable pages — is read as TypeScript; each string in a Chinese
 * branch (not under an `en` key) that is mostly Chinese must have no half-width , : ; ( ) ! ? "
 * next to a Chinese character. Times (24:00), numbers (1,000), URLs and HTML attributes are fine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const HAN = /[\u3400-\u9fff]/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/**
 * The files whose strings a person reads: every source file of the web app and the server, but
 * the platform's own data (TOP and the simulator speak the platform's words) and the import's
 * header presets and samples (they match the back offices' files as they are).
 */
function messageFiles(): string[] {
  const data = /[/\\]src[/\\](platform|topsim|core[/\\]import|app[/\\]import)[/\\]|import-samples\.ts$/;
  return [...walk(path.join(ROOT, 'web/src')), ...walk(path.join(ROOT, 'src'))].filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !data.test(f));
}

function underEnglish(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isPropertyAssignment(n)) {
      const name = n.name.getText().replace(/['"]/g, '');
      if (name === 'en' || name === 'en-US') return true;
      if (name === 'zh-CN') return false;
    }
  }
  return false;
}

function mostlyChinese(text: string): boolean {
  const plain = text.replace(/\{[^}]*\}/g, '').replace(/<[^>]*>/g, '');
  const han = (plain.match(/[\u3400-\u9fff]/g) ?? []).length;
  const latin = (plain.match(/[A-Za-z]/g) ?? []).length;
  return han > 0 && han >= latin;
}

/** Half-width punctuation touching a Chinese character, with what is allowed taken out. */
export function halfWidthNextToChinese(text: string): string[] {
  const found: string[] = [];
  const chars = [...text];
  chars.forEach((c, i) => {
    if (!/[,:;()!?"]/.test(c)) return;
    const prev = chars[i - 1] ?? '';
    const next = chars[i + 1] ?? '';
    if (!HAN.test(prev) && !HAN.test(next)) return;
    if (c === '"' && (prev === '=' || next === ']')) return;
    found.push(`…${chars.slice(Math.max(0, i - 6), i + 7).join('')}…`);
  });
  return found;
}

describe('issue 15 §5: full-width punctuation in Chinese text', () => {
  it('the checker itself: finds 「退款,等待」 and 「(最多 200 字)」, passes 「24:00 前」 and 「退款，等待」', () => {
    expect(halfWidthNextToChinese('买家已申请退款,等待卖家同意')).toHaveLength(1);
    expect(halfWidthNextToChinese('回复内容(最多 200 字)')).toHaveLength(2);
    expect(halfWidthNextToChinese('3月2日 24:00 前')).toEqual([]);
    expect(halfWidthNextToChinese('买家已申请退款，等待卖家同意（S2.1）')).toEqual([]);
  });

  it('every Chinese string in every message file uses full-width punctuation', () => {
    const files = messageFiles();
    expect(files.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
      const visit = (node: ts.Node): void => {
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) && mostlyChinese(node.text) && !underEnglish(node)) {
          for (const hit of halfWidthNextToChinese(node.text)) {
            problems.push(`${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1} ${hit}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
    expect(problems).toEqual([]);
  });
});
