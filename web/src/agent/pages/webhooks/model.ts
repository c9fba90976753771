/**
 * The webhook page's types (from src/contract/event-schemas.ts: types only, nothing of the server is
 * bundled), the event types with their names in both languages, and the server's English notes
 * (why an endpoint is off, why a delivery failed) read into words.
 */
import type { eventTypeChoices, TDelivery, TEndpoint } from '../../../../../src/contract/event-schemas.ts';
import type { Lang } from '../../../shared/i18n.tsx';

export type Endpoint = TEndpoint;
export type Delivery = TDelivery;
export type EventType = (typeof eventTypeChoices)[number];
export type DeliveryStatus = Delivery['status'];

interface EventLabel {
  'zh-CN': string;
  en: string;
  /** what it means, in one short line */
  hint: { 'zh-CN': string; en: string };
}

/** Every event an endpoint can ask for (the Record makes a new type in the contract a type error here until it has words). */
export const eventLabels: Record<EventType, EventLabel> = {
  'refund.created': { 'zh-CN': '新退款', en: 'New refund', hint: { 'zh-CN': '买家申请了退款', en: 'A buyer applied for a refund' } },
  'refund.status_changed': {
    'zh-CN': '退款状态变化',
    en: 'Refund status changed',
    hint: { 'zh-CN': '同意、拒绝、买家寄回、退款成功等', en: 'Agreed, refused, goods sent back, refunded …' },
  },
  'refund.deadline_soon': { 'zh-CN': '退款即将超时', en: 'Refund deadline near', hint: { 'zh-CN': '离处理期限不到 2 小时', en: 'Less than 2 hours before the deadline' } },
  'refund.deadline_missed': { 'zh-CN': '退款已超时', en: 'Refund deadline missed', hint: { 'zh-CN': '过了处理期限还没处理', en: 'The deadline passed before anyone acted' } },
  'refund.assigned': { 'zh-CN': '退款分配', en: 'Refund assigned', hint: { 'zh-CN': '退款分给了客服，或改派、收回', en: 'Given to an agent, reassigned or taken back' } },
  'guard.overridden': { 'zh-CN': '主管放行', en: 'Supervisor override', hint: { 'zh-CN': '主管越过处理规范放行了退款', en: 'A supervisor went past the playbook' } },
  'record.created': { 'zh-CN': '新记录', en: 'New record', hint: { 'zh-CN': '理赔、发票、邮费、任务、投诉等新登记', en: 'A claim, invoice, postage, task, complaint … was added' } },
  'record.changed': { 'zh-CN': '记录变化', en: 'Record changed', hint: { 'zh-CN': '上面这些记录有了进展', en: 'One of those records moved on' } },
  'warranty.decided': { 'zh-CN': '三包判定', en: 'Warranty decision', hint: { 'zh-CN': '判定了退货、换货或维修', en: 'Return, exchange or repair was decided' } },
  'sendback.changed': { 'zh-CN': '送检变化', en: 'Send-back changed', hint: { 'zh-CN': '寄回厂家检测的进度有变化', en: 'A unit sent for inspection moved on' } },
  'service.record_changed': { 'zh-CN': '维修单变化', en: 'Repair record changed', hint: { 'zh-CN': '维修单或派工有变化', en: 'A repair record or dispatch changed' } },
  'service.dispatch_late': { 'zh-CN': '派工超时', en: 'Dispatch late', hint: { 'zh-CN': '派出的工单没有按时完成', en: 'A dispatch was not done in time' } },
  'sync.problem': { 'zh-CN': '同步问题', en: 'Sync problem', hint: { 'zh-CN': '淘宝/天猫同步出了问题', en: 'Something went wrong syncing with Taobao/Tmall' } },
};

/** In the order of the form: refunds, records, warranty and service, the platform. */
export const eventTypes = Object.keys(eventLabels) as EventType[];

export const eventGroups: { key: 'refunds' | 'records' | 'service' | 'platform'; types: EventType[] }[] = [
  { key: 'refunds', types: ['refund.created', 'refund.status_changed', 'refund.deadline_soon', 'refund.deadline_missed', 'refund.assigned', 'guard.overridden'] },
  { key: 'records', types: ['record.created', 'record.changed'] },
  { key: 'service', types: ['warranty.decided', 'sendback.changed', 'service.record_changed', 'service.dispatch_late'] },
  { key: 'platform', types: ['sync.problem'] },
];

/** The test event the page sends is not one an endpoint chooses. */
export const TEST_EVENT = 'webhook.test';

export function eventName(type: string, lang: Lang, testName: string): string {
  if (type === TEST_EVENT) return testName;
  const label = (eventLabels as Record<string, EventLabel | undefined>)[type];
  return label ? label[lang] : type;
}

/** The endpoint has every event there is. */
export const hasAll = (types: readonly string[]) => eventTypes.every((t) => types.includes(t));

/** The server's rule for the address (src/app/events/webhooks.ts), as far as the page can tell: an http(s) URL without credentials. */
export function isEndpointUrl(text: string): boolean {
  const t = text.trim();
  if (t.length < 8 || t.length > 500) return false;
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && url.hostname.length > 0;
}

/** Why a delivery failed, from the server's note: a kind the page says in words, and the answer's code when there was one. */
export type FailureKind = 'refused' | 'server_error' | 'redirect' | 'timeout' | 'unreachable' | 'private' | 'other';

export function failureOf(error: string | null, status: number | null): { kind: FailureKind; status: number | null } | null {
  if (!error) return null;
  const answered = /^answered (\d{3})/.exec(error);
  const code = answered ? Number(answered[1]) : status;
  if (answered) {
    if (code !== null && code >= 300 && code < 400) return { kind: 'redirect', status: code };
    if (code !== null && code >= 500) return { kind: 'server_error', status: code };
    return { kind: 'refused', status: code };
  }
  if (/TimeoutError|timed? ?out|aborted due to timeout/i.test(error)) return { kind: 'timeout', status: null };
  if (/private address/i.test(error)) return { kind: 'private', status: null };
  if (/fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|socket|certificate|SSL|TLS/i.test(error)) return { kind: 'unreachable', status: null };
  return { kind: 'other', status: null };
}

/** Why an endpoint is off: turned off by the admin, or failing for 3 days since a time (with the last failure). */
export type DisabledWhy = { kind: 'admin' } | { kind: 'failing'; since: string | null; failure: { kind: FailureKind; status: number | null } | null } | { kind: 'other' };

export function disabledWhy(reason: string | null): DisabledWhy {
  if (!reason || /turned off by an admin/i.test(reason)) return { kind: 'admin' };
  const failing = /^failing since (\S+): (.*)$/s.exec(reason);
  if (failing) {
    const since = Number.isNaN(Date.parse(failing[1]!)) ? null : failing[1]!;
    return { kind: 'failing', since, failure: failureOf(failing[2] ?? null, null) };
  }
  return { kind: 'other' };
}

/** Failing for this long turns an endpoint off (the server's GIVE_UP_MS). */
export const GIVE_UP_MS = 3 * 86_400_000;
