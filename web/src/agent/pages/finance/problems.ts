/**
 * The finance forms' checks, the same as the server's (src/core/workbench:
 * uscc.ts, postage.ts, fields.ts) so a form is right before it is sent, and
 * the server's refusals in words: errorText plus what its `details.reason` means.
 */
import type { FormInstance } from 'antd';
import { checkAlipayAccount, checkRealName } from '../../../../../src/core/workbench/postage.ts';
import { checkUscc } from '../../../../../src/core/workbench/uscc.ts';
import { ApiError } from '../../../shared/api.ts';
import { errorText } from '../../../shared/errors.ts';
import { parseYuan } from '../../../shared/format.ts';
import { fmt, type Lang } from '../../../shared/i18n.tsx';
import type { financeMessages } from './messages.ts';

type M = (typeof financeMessages)['zh-CN'];

/** errorText, and for a refusal whose reason this page knows, what to do about it. */
export function problemText(err: unknown, m: M, lang: Lang): string {
  const text = errorText(err, lang);
  if (!(err instanceof ApiError)) return text;
  const reason = typeof err.details.reason === 'string' ? err.details.reason : '';
  const hint = (m as Record<string, string>)[`hint_${reason}`];
  return hint ? `${text} ${hint}` : text;
}

/** The form fields a validation refusal names (the core's `field`, the schema's `path`), mapped onto this form's names. */
export function markServerFields(form: FormInstance, err: unknown, m: M, names: Record<string, string | (string | number)[]> = {}): void {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return;
  const issues = (err.details.issues as { field?: string; path?: string }[] | undefined) ?? [];
  const fields = new Set<string>(issues.map((i) => i.field ?? i.path ?? '').filter(Boolean));
  if (typeof err.details.field === 'string') fields.add(err.details.field);
  form.setFields([...fields].map((f) => ({ name: names[f] ?? f, errors: [m.checkField] })));
}

/** An amount typed in yuan: the fen, or the reason it is not one. */
export function yuanRule(m: M, options: { min: 0 | 1; required: boolean }) {
  return {
    validator: async (_rule: unknown, value: string | undefined) => {
      const text = (value ?? '').trim();
      if (!text) {
        if (options.required) throw new Error(m.amountFormat);
        return;
      }
      const fen = parseYuan(text);
      if (fen === null) throw new Error(m.amountFormat);
      if (options.min === 1 && fen < 1) throw new Error(m.amountPositive);
    },
  };
}

/** S1.8: the unified social credit code, checked as the server checks it (GB 32100-2015). */
export function usccProblem(value: string, m: M): string | null {
  const check = checkUscc(value);
  if (check.ok) return null;
  const template = (m as Record<string, string>)[`uscc_${check.reason}`] ?? m.checkField;
  return fmt(template, { n: [...value.normalize('NFKC').trim()].length });
}

export function usccValid(value: string, m: M): string | null {
  const check = checkUscc(value);
  return check.ok ? fmt(m.uscc_ok, { authority: check.authority, category: check.category }) : null;
}

/** S1.14: the buyer's Alipay account (mobile or e-mail), as the server checks it. */
export function alipayProblem(value: string, m: M): string | null {
  const check = checkAlipayAccount(value);
  if (check.ok) return null;
  if (check.reason === 'empty') return fmt(m.required, { field: m.alipayAccount });
  return (m as Record<string, string>)[`alipay_${check.reason}`] ?? m.alipay_invalid;
}

/** S1.14: the real name on the Alipay account. */
export function realNameProblem(value: string, m: M): string | null {
  const check = checkRealName(value);
  if (check.ok) return null;
  if (check.reason === 'empty') return fmt(m.required, { field: m.realName });
  return (m as Record<string, string>)[`name_${check.reason}`] ?? m.checkField;
}
