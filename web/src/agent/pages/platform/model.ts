/**
 * The binding page's types (from src/contract/platform-schemas.ts: types only, nothing of the
 * server is bundled) and the rules of its form, mirroring ZBindingRequest.
 */
import type {
  platformChoices,
  signMethods,
  TBindingRequest,
  TBindingView,
  TOutboxRow,
  TProblem,
  TStreamView,
} from '../../../../../src/contract/platform-schemas.ts';
import type { Lang } from '../../../shared/i18n.tsx';

export type BindingView = TBindingView;
export type StreamView = TStreamView;
export type Problem = TProblem;
export type OutboxRow = TOutboxRow;
export type BindingRequest = TBindingRequest;
export type PlatformName = (typeof platformChoices)[number];
export type SignMethod = (typeof signMethods)[number];

export const platformNames = ['taobao', 'tmall'] as const satisfies readonly PlatformName[];
/** hmac-sha256 first: the default the server uses */
export const signMethodNames = ['hmac-sha256', 'hmac', 'md5'] as const satisfies readonly SignMethod[];
export const signMethodLabels: Record<SignMethod, string> = { 'hmac-sha256': 'HMAC-SHA256', hmac: 'HMAC-MD5', md5: 'MD5' };

/** TOP's production gateway (the server's default, src/app/platform/bindings.ts TAOBAO_GATEWAY). */
export const TAOBAO_GATEWAY = 'https://eco.taobao.com/router/rest';

export const APP_KEY = /^[0-9A-Za-z_-]{4,64}$/;
export const problemStatuses = ['open', 'resolved', 'dismissed'] as const;
export type ProblemStatus = (typeof problemStatuses)[number];
export const outboxStatuses = ['pending', 'sending', 'sent', 'failed'] as const;

/** Characters once trimmed, as zod counts them (UTF-16 units). */
export const trimmedLength = (v: unknown) => String(v ?? '').trim().length;

/** The simulator's hosts: this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The server's check (src/app/platform/bindings.ts): an https URL without credentials, not on a private
 * network; on this machine (the simulator) http too — whether the server allows this machine, only it knows.
 */
export function isGatewayUrl(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > 300) return false;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (isLoopbackHost(url.hostname)) return url.protocol === 'http:' || url.protocol === 'https:';
  return url.protocol === 'https:' && !/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0\.|\[?(fc|fd|fe80))/i.test(url.hostname);
}

/** The gateway names this machine. */
export function isLocalGateway(text: string): boolean {
  try {
    return isLoopbackHost(new URL(text.trim()).hostname);
  } catch {
    return false;
  }
}

/** "约 3 分钟" / "about 3 minutes": a duration in words. */
export function durationWords(seconds: number, lang: Lang): string {
  const zh = lang !== 'en';
  if (seconds < 60) return zh ? '不到 1 分钟' : 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return zh ? `约 ${minutes} 分钟` : `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (zh) return rest ? `约 ${hours} 小时 ${rest} 分钟` : `约 ${hours} 小时`;
  return rest ? `about ${hours} h ${rest} min` : `about ${hours} hour${hours === 1 ? '' : 's'}`;
}

/**
 * The platform's own words in a problem's message, when the server wrapped them:
 * "agree_refund: <words> (<code>)" for a refused decision, "The platform refused the session key: <words>".
 */
export function platformWordsOf(p: Pick<Problem, 'code' | 'message'>): string | null {
  if (p.code === 'platform_refused') return /^[a-z_]+: ([\s\S]*?)(?: \([^()]*\))?$/.exec(p.message)?.[1]?.trim() || null;
  if (p.code === 'needs_reauth') return /: ([\s\S]+)$/.exec(p.message)?.[1]?.trim() || null;
  if (p.code === 'call_refused' || p.code === 'read_refused') return p.message.trim() || null;
  return null;
}

/** The payload as indented JSON (null and absent as nothing). */
export function formatPayload(payload: unknown): string | null {
  if (payload === null || payload === undefined) return null;
  try {
    return JSON.stringify(payload, null, 2);
  } catch {
    return String(payload);
  }
}
