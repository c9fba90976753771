/**
 * The Taobao/Tmall adapter: PlatformConnector over TOP (HTTP calls and TMC consumed over
 * HTTP). One per binding (app key, secret and session key of one shop); the rate limit is
 * shared by every connector of the same app key in this process.
 */
import type { ModifiedWindow, Page, PlatformCommand, PlatformConnector, PlatformMessage, PlatformOrder, PlatformRefund, ParcelTrace, Unreadable } from '../connector.ts';
import { PlatformError, isPlatformError } from '../connector.ts';
import type { RefundPhase } from '../../core/refund/refund-model.ts';
import { rateLimiterFor } from './rate-limit.ts';
import { createTopClient, type TopCallEvent, type TopClient } from './top-client.ts';
import { commandToCall, idText, mapRefund, mapTmcMessage, mapTrace, mapTrade, topPhase } from './top-mapping.ts';
import { formatTopTime, parseTopTime, type SignMethod } from './top-sign.ts';

export interface TaobaoBinding {
  platform: 'taobao' | 'tmall';
  appKey: string;
  appSecret: string;
  sessionKey: string;
  gatewayUrl: string;
  /** default hmac (HMAC-MD5) */
  signMethod?: SignMethod;
  /** calls per second for this app key in this process; default 10 */
  ratePerSecond?: number;
  /** per call; default 15 s */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  onCall?: (e: TopCallEvent) => void;
  now?: () => Date;
}

export const DEFAULT_RATE_PER_SECOND = 10;
export const DEFAULT_TIMEOUT_MS = 15_000;
const PAGE_SIZE = 100;
const ONE_DAY_MS = 86_400_000;
const CONFIRM_BATCH = 200;

/** Everything mapTrade reads (TOP returns only the fields asked for); `orders` brings the lines whole. */
export const TRADE_FIELDS = [
  'tid',
  'tid_str',
  'status',
  'buyer_nick',
  'payment',
  'post_fee',
  'created',
  'pay_time',
  'modified',
  'end_time',
  'consign_time',
  'receiver_name',
  'receiver_state',
  'receiver_city',
  'receiver_district',
  'receiver_town',
  'receiver_address',
  'receiver_mobile',
  'receiver_phone',
  'seller_memo',
  'seller_flag',
  'orders',
].join(',');

/** Everything mapRefund reads. */
export const REFUND_FIELDS = [
  'refund_id',
  'tid',
  'oid',
  'status',
  'dispute_type',
  'has_good_return',
  'good_status',
  'refund_phase',
  'refund_version',
  'refund_fee',
  'reason',
  'desc',
  'buyer_nick',
  'company_name',
  'sid',
  'address',
  'created',
  'modified',
  'refund_remind_timeout',
  'cs_status',
].join(',');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Items of `{ wrapper: { item: [...] } }`; absent means none. */
function items(owner: Record<string, unknown>, wrapper: string, item: string): unknown[] {
  const outer = owner[wrapper];
  if (outer === undefined || outer === null || outer === '') return [];
  if (!isRecord(outer)) throw badAnswer(`${wrapper} is not a list`);
  const inner = outer[item];
  if (inner === undefined || inner === null) return [];
  if (Array.isArray(inner)) return inner;
  if (isRecord(inner)) return [inner];
  throw badAnswer(`${wrapper}.${item} is not a list`);
}

function badAnswer(message: string): PlatformError {
  return new PlatformError({ kind: 'bad_response', code: 'unexpected_shape', message });
}

function isNotFound(e: unknown): boolean {
  return isPlatformError(e) && e.kind === 'business' && (e.subCode ?? '').toLowerCase().includes('not-exist');
}

function checkId(value: string, what: string): string {
  const id = idText(value);
  if (id === null) throw new PlatformError({ kind: 'business', code: 'invalid_id', message: `${what} is not a platform id` });
  return id;
}

function checkWindow(window: ModifiedWindow, page: number, maxSpanMs: number | null): void {
  const from = window.from.getTime();
  const to = window.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new Error('a modified window ends after it starts');
  if (maxSpanMs !== null && to - from > maxSpanMs) throw new Error('TOP lists changes of at most one day per window');
  if (!Number.isSafeInteger(page) || page < 1) throw new Error(`pages count from 1, not ${page}`);
}

function listed<T>(
  raw: unknown,
  read: (record: Record<string, unknown>) => { id: string | null; modifiedAt: Date | null },
  make: (id: string, modifiedAt: Date) => T,
  what: string,
): T | Unreadable {
  if (!isRecord(raw)) return { unreadable: true, platformId: null, problem: `the ${what} is not an object`, raw };
  const { id, modifiedAt } = read(raw);
  if (id === null) return { unreadable: true, platformId: null, problem: `the ${what} has no id`, raw };
  if (modifiedAt === null) return { unreadable: true, platformId: id, problem: `the ${what}'s modified is missing or not a time`, raw };
  return make(id, modifiedAt);
}

function pushOutcome(method: string, answer: Record<string, unknown>): void {
  if (method === 'taobao.rp.refunds.agree') {
    for (const entry of items(answer, 'results', 'refund_mapping_result')) {
      if (isRecord(entry) && (entry.succ === false || entry.succ === 'false')) {
        throw new PlatformError({ kind: 'business', code: 'refund_not_agreed', subCode: typeof answer.msg_code === 'string' ? answer.msg_code : null, message: typeof entry.message === 'string' && entry.message !== '' ? entry.message : 'the platform did not agree the refund' });
      }
    }
    if (answer.succ === false || answer.succ === 'false') {
      throw new PlatformError({ kind: 'business', code: 'refund_not_agreed', subCode: typeof answer.msg_code === 'string' ? answer.msg_code : null, message: typeof answer.message === 'string' && answer.message !== '' ? answer.message : 'the platform did not agree the refund' });
    }
    return;
  }
  if (answer.is_success === false || answer.is_success === 'false') {
    throw new PlatformError({ kind: 'business', code: 'not_success', message: `${method}: the platform answered is_success=false` });
  }
}

export function createTaobaoConnector(binding: TaobaoBinding): PlatformConnector {
  if (!binding.sessionKey) throw new Error('a Taobao binding needs a session key');
  const client: TopClient = createTopClient({
    gatewayUrl: binding.gatewayUrl,
    appKey: binding.appKey,
    appSecret: binding.appSecret,
    sessionKey: binding.sessionKey,
    signMethod: binding.signMethod ?? 'hmac',
    timeoutMs: binding.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    limiter: rateLimiterFor(binding.appKey, binding.ratePerSecond ?? DEFAULT_RATE_PER_SECOND),
    ...(binding.fetchImpl ? { fetchImpl: binding.fetchImpl } : {}),
    ...(binding.onCall ? { onCall: binding.onCall } : {}),
    ...(binding.now ? { now: binding.now } : {}),
  });

  async function orNull<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  return {
    platform: binding.platform,

    async testConnection() {
      await client.call('taobao.user.seller.get', { fields: 'nick' });
      return { ok: true };
    },

    async listOrdersModified(window: ModifiedWindow, page: number): Promise<Page<{ platformOrderId: string; modifiedAt: Date }>> {
      checkWindow(window, page, ONE_DAY_MS);
      const answer = await client.call('taobao.trades.sold.increment.get', {
        fields: 'tid,modified',
        start_modified: formatTopTime(window.from),
        end_modified: formatTopTime(window.to),
        page_no: page,
        page_size: PAGE_SIZE,
        use_has_next: true,
      });
      return {
        items: items(answer, 'trades', 'trade').map((t) =>
          listed(t, (r) => ({ id: idText(r.tid_str) ?? idText(r.tid), modifiedAt: parseTopTime(r.modified) }), (platformOrderId, modifiedAt) => ({ platformOrderId, modifiedAt }), 'trade'),
        ),
        hasNext: answer.has_next === true || answer.has_next === 'true',
      };
    },

    async getOrder(platformOrderId: string): Promise<PlatformOrder | Unreadable | null> {
      const tid = checkId(platformOrderId, 'the order id');
      return orNull(async () => {
        const answer = await client.call('taobao.trade.fullinfo.get', { fields: TRADE_FIELDS, tid });
        if (!isRecord(answer.trade)) throw badAnswer('taobao.trade.fullinfo.get: the answer has no trade');
        return mapTrade(answer.trade);
      });
    },

    async listRefundsModified(window: ModifiedWindow, page: number): Promise<Page<{ platformRefundId: string; modifiedAt: Date }>> {
      checkWindow(window, page, null);
      const answer = await client.call('taobao.refunds.receive.get', {
        fields: 'refund_id,modified',
        start_modified: formatTopTime(window.from),
        end_modified: formatTopTime(window.to),
        page_no: page,
        page_size: PAGE_SIZE,
        use_has_next: true,
      });
      return {
        items: items(answer, 'refunds', 'refund').map((r) =>
          listed(r, (x) => ({ id: idText(x.refund_id), modifiedAt: parseTopTime(x.modified) }), (platformRefundId, modifiedAt) => ({ platformRefundId, modifiedAt }), 'refund'),
        ),
        hasNext: answer.has_next === true || answer.has_next === 'true',
      };
    },

    async getRefund(platformRefundId: string): Promise<PlatformRefund | Unreadable | null> {
      const refundId = checkId(platformRefundId, 'the refund id');
      return orNull(async () => {
        const answer = await client.call('taobao.refund.get', { fields: REFUND_FIELDS, refund_id: refundId });
        if (!isRecord(answer.refund)) throw badAnswer('taobao.refund.get: the answer has no refund');
        return mapRefund(answer.refund);
      });
    },

    async consume(max: number): Promise<PlatformMessage[]> {
      const wanted = Number.isFinite(max) ? Math.floor(max) : 200;
      if (wanted < 1) return [];
      const answer = await client.call('taobao.tmc.messages.consume', { quantity: Math.min(200, Math.max(10, wanted)) });
      // TOP asks for at least 10: anything beyond `max` stays unconfirmed and comes again
      return items(answer, 'messages', 'tmc_message').slice(0, wanted).map(mapTmcMessage);
    },

    async confirm(messageIds: string[]): Promise<void> {
      const ids = messageIds.map((id) => checkId(id, 'a message id'));
      for (let i = 0; i < ids.length; i += CONFIRM_BATCH) {
        const answer = await client.call('taobao.tmc.messages.confirm', { s_message_ids: ids.slice(i, i + CONFIRM_BATCH) });
        if (answer.is_success === false || answer.is_success === 'false') {
          throw new PlatformError({ kind: 'retriable', code: 'not_confirmed', message: 'taobao.tmc.messages.confirm: the platform answered is_success=false' });
        }
      }
    },

    async push(command: PlatformCommand): Promise<void> {
      const { method, params, files } = commandToCall(command, binding.platform);
      const answer = await client.call(method, params, files);
      pushOutcome(method, answer);
    },

    async refuseReasons(platformRefundId: string, phase: RefundPhase): Promise<{ id: string; text: string }[]> {
      const refundId = checkId(platformRefundId, 'the refund id');
      const answer = await client.call('taobao.refund.refusereason.get', { fields: 'reason_id,reason_text', refund_id: refundId, refund_phase: topPhase(phase) });
      const out: { id: string; text: string }[] = [];
      for (const r of items(answer, 'reasons', 'reason')) {
        if (!isRecord(r)) continue;
        const id = idText(r.reason_id);
        if (id !== null) out.push({ id, text: typeof r.reason_text === 'string' ? r.reason_text : '' });
      }
      return out;
    },

    async traceParcel(platformOrderId: string): Promise<ParcelTrace | null> {
      const tid = checkId(platformOrderId, 'the order id');
      return orNull(async () => mapTrace(await client.call('taobao.logistics.trace.search', { tid })));
    },
  };
}
