/** The server's English notes in the page's words: why a delivery failed. */
import { fmt } from '../../../shared/i18n.tsx';
import type { WebhookMessages } from './messages.ts';
import { failureOf, type FailureKind } from './model.ts';

export function wordsOfFailure(m: WebhookMessages, f: { kind: FailureKind; status: number | null }): string {
  return fmt(m[`why_${f.kind}`], { status: f.status ?? '' });
}

/** Why a delivery failed, in words (null: it did not). */
export function failureWords(m: WebhookMessages, error: string | null, status: number | null): string | null {
  const f = failureOf(error, status);
  return f ? wordsOfFailure(m, f) : null;
}
