/**
 * The TOP gateway's logic (/router/rest without HTTP): the common parameters
 * checked as TOP checks them, then one handler per method. Answers are the
 * wrapped, non-simplified JSON: `{"<method without taobao., dots→_>_response":
 * {..., "request_id": ".."}}`; errors `{"error_response": {code, msg, sub_code,
 * sub_msg, request_id}}` (sub_code/sub_msg only when there is one), HTTP 200.
 * Lists come wrapped (`refunds.refund[]`) and are left out when empty, as TOP does.
 *
 * Errors chosen here (code · msg · sub_code):
 *   7  App Call Limited · accesscontrol.limited-by-app-access-count ("This ban will last for N more seconds")
 *   15 Remote service error · isp.remote-service-error (an injected platform fault) or a business isv.* code:
 *      isv.trade-not-exist, isv.refund-not-exist, isv.refund-closed, isv.refund-success,
 *      isv.refund-version-expired, isv.refund-phase-mismatch, isv.refund-status-not-allowed,
 *      isv.refund-cannot-refuse, isv.refund-under-intervention, isv.refunds-agree-over-limit,
 *      isv.logistics-trace-not-exist, isv.group-not-exist
 *   21 Missing method · 22 Invalid method · 23 Invalid format (only format=json is served)
 *   24 Missing signature · 25 Invalid signature · 26 Missing session
 *   27 Invalid session · invalid-sessionkey | session-expired
 *   28 Missing app key · 29 Invalid app key · 30 Missing timestamp · 31 Invalid timestamp
 *   32 Missing version · 34 Unsupported version
 *   40 Missing required arguments:<name> · isv.missing-parameter:<name>
 *   41 Invalid arguments:<name> · isv.invalid-parameter:<name>
 * rp.refunds.agree fails item by item (results.refund_mapping_result[].message): 退款单不存在,
 * 退款已关闭, 退款已成功, 退款版本已过期, 退款阶段不匹配, 退款已申请客服介入，不能操作,
 * 买家要求退货，请先同意退货, 当前退款状态（…）不能同意退款, 退款金额不正确,
 * 退款金额超过买家申请的退款金额; a success says 退款成功.
 */
import { Rand } from '../core/random.ts';
import { formatTopTime, parseTopTime, signMethods, signTop, type SignMethod } from '../platform/taobao/top-sign.ts';
import { refuseReasons, shopAddressText } from './catalogue.ts';
import { writeTopJson } from './json.ts';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  cannotRefuse,
  exchangeStatuses,
  orderFields,
  pick,
  refundFullFields,
  refundListFields,
  refundMessageFields,
  refundStatuses,
  renderRefund,
  renderRefundMessage,
  renderTrade,
  tradeStatuses,
  type SimRefund,
  type SimTrade,
} from './model.ts';
import type { Sim } from './state.ts';
import { PLATFORM_APP_KEY, knownTopics as knownTopicList } from './topics.ts';

export interface SimFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

export interface GatewayRequest {
  /** every text parameter (query string and body merged) */
  params: Record<string, string>;
  /** file parts of a multipart body (not signed) */
  files?: Record<string, SimFile>;
  /** when the call arrived (performance.now()), for the rate window; default: now */
  arrivedAt?: number;
}

export type GatewayOutcome =
  | { kind: 'answer'; text: string }
  | { kind: 'http500'; text: string }
  | { kind: 'timeout' }
  | { kind: 'malformed'; text: string };

class TopError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly subCode?: string,
    readonly subMsg?: string,
  ) {
    super(`${code} ${msg}${subCode ? ` ${subCode}` : ''}`);
  }
}

const missing = (name: string) => new TopError(40, `Missing required arguments:${name}`, `isv.missing-parameter:${name}`, `缺少必选参数：${name}`);
const invalid = (name: string, why: string) => new TopError(41, `Invalid arguments:${name}`, `isv.invalid-parameter:${name}`, why);
const business = (subCode: string, subMsg: string) => new TopError(15, 'Remote service error', subCode, subMsg);

/** `taobao.refunds.receive.get` → `refunds_receive_get_response` */
export function responseKey(method: string): string {
  return `${method.replace(/^taobao\./, '').replace(/\./g, '_')}_response`;
}

export function handleGateway(sim: Sim, request: GatewayRequest): GatewayOutcome {
  const p = request.params;
  const files = request.files ?? {};
  const method = p.method ?? '';
  const requestId = sim.nextRequestId();
  const rate = sim.countCall(p.app_key || '(none)', method || '(none)', request.arrivedAt);
  if (!rate.allowed) {
    return errorAnswer(sim, requestId, new TopError(7, 'App Call Limited', 'accesscontrol.limited-by-app-access-count', `This ban will last for ${rate.banSeconds} more seconds`));
  }
  const failure = sim.takeFailure();
  if (failure && !failure.applied) return failureOutcome(failure.kind, method, requestId);
  let answer: GatewayOutcome;
  try {
    const spec = checkCommon(sim, p);
    const body = spec.handle(new Call(sim, p, files));
    answer = { kind: 'answer', text: writeTopJson({ [responseKey(method)]: { ...body, request_id: requestId } }) };
  } catch (e) {
    if (!(e instanceof TopError)) throw e;
    answer = errorAnswer(sim, requestId, e);
  }
  return failure ? failureOutcome(failure.kind, method, requestId) : answer;
}

function errorAnswer(sim: Sim, requestId: string, e: TopError): GatewayOutcome {
  sim.countError(e.code);
  return {
    kind: 'answer',
    text: writeTopJson({ error_response: { code: e.code, msg: e.msg, sub_code: e.subCode, sub_msg: e.subMsg, request_id: requestId } }),
  };
}

function failureOutcome(kind: 'http500' | 'isp' | 'timeout' | 'malformed', method: string, requestId: string): GatewayOutcome {
  switch (kind) {
    case 'http500':
      return { kind: 'http500', text: '<html><body><h1>500 Internal Server Error</h1><p>topsim: injected fault</p></body></html>' };
    case 'timeout':
      return { kind: 'timeout' };
    case 'malformed':
      return { kind: 'malformed', text: `{"${responseKey(method || 'taobao.unknown')}":{"request_id":"${requestId}","refunds":{"refund":[{"refund_id":"2` };
    case 'isp':
      return {
        kind: 'answer',
        text: writeTopJson({ error_response: { code: 15, msg: 'Remote service error', sub_code: 'isp.remote-service-error', sub_msg: '服务暂时不可用，请稍后重试', request_id: requestId } }),
      };
  }
}

// ---------------------------------------------------------------- common parameters

interface MethodSpec {
  session: boolean;
  handle(call: Call): Record<string, unknown>;
}

function checkCommon(sim: Sim, p: Record<string, string>): MethodSpec {
  if (!p.app_key) throw new TopError(28, 'Missing app key');
  if (p.app_key !== sim.app.appKey) throw new TopError(29, 'Invalid app key');
  if (!p.method) throw new TopError(21, 'Missing method');
  const spec = methods[p.method];
  if (!spec) throw new TopError(22, 'Invalid method');
  if (p.format !== 'json') throw new TopError(23, 'Invalid format', undefined, 'topsim answers format=json only (TOP defaults to xml: send format=json)');
  if (!p.v) throw new TopError(32, 'Missing version');
  if (p.v !== '2.0') throw new TopError(34, 'Unsupported version');
  const signMethod = (p.sign_method || 'md5') as SignMethod;
  if (!signMethods.includes(signMethod)) throw invalid('sign_method', 'sign_method 只能是 md5、hmac 或 hmac-sha256');
  if (!p.timestamp) throw new TopError(30, 'Missing timestamp');
  const at = parseTopTime(p.timestamp);
  if (at === null) throw new TopError(31, 'Invalid timestamp', undefined, 'timestamp 的格式为 yyyy-MM-dd HH:mm:ss（GMT+8）');
  if (Math.abs(at.getTime() - sim.nowMs()) > 10 * MINUTE_MS) throw new TopError(31, 'Invalid timestamp', undefined, '时间戳与服务器时间相差超过10分钟');
  if (!p.sign) throw new TopError(24, 'Missing signature');
  if (signTop(p, sim.app.appSecret, signMethod) !== p.sign.toUpperCase()) throw new TopError(25, 'Invalid signature');
  if (p.session) {
    if (p.session !== sim.seller.sessionKey) throw new TopError(27, 'Invalid session', 'invalid-sessionkey', 'SessionKey非法');
    if (sim.faultState.expireSession) throw new TopError(27, 'Invalid session', 'session-expired', 'SessionKey已过期，请重新授权');
  } else if (spec.session) {
    throw new TopError(26, 'Missing session');
  }
  if (p.simplify === 'true') throw invalid('simplify', 'topsim answers the non-simplified JSON only: leave simplify out');
  return spec;
}

// ---------------------------------------------------------------- reading parameters

class Call {
  constructor(
    readonly sim: Sim,
    readonly p: Record<string, string>,
    readonly files: Record<string, SimFile>,
  ) {}

  get tmall(): boolean {
    return this.sim.shopType === 'tmall';
  }

  str(name: string): string | undefined {
    const v = this.p[name];
    return v === undefined || v === '' ? undefined : v;
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined) throw missing(name);
    return v;
  }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (!/^-?[0-9]{1,15}$/.test(v)) throw invalid(name, `${name} 必须是整数`);
    const n = Number(v);
    if (n < min || n > max) throw invalid(name, `${name} 的取值范围是 ${min}–${max}`);
    return n;
  }

  id(name: string): bigint {
    const v = this.required(name);
    if (!/^[0-9]{1,19}$/.test(v)) throw invalid(name, `${name} 必须是数字`);
    return BigInt(v);
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') throw invalid(name, `${name} 必须是 true 或 false`);
    return v === 'true';
  }

  date(name: string): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const d = parseTopTime(v);
    if (d === null) throw invalid(name, `${name} 的格式为 yyyy-MM-dd HH:mm:ss`);
    return d.getTime();
  }

  fields(): string[] {
    return this.required('fields')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
  }

  page(): { pageNo: number; pageSize: number; useHasNext: boolean } {
    return {
      pageNo: this.int('page_no', 1, 1_000_000) ?? 1,
      pageSize: this.int('page_size', 1, 100) ?? 40,
      useHasNext: this.bool('use_has_next') ?? false,
    };
  }

  refund(): SimRefund {
    const id = this.id('refund_id');
    const r = this.sim.refunds.get(id);
    if (!r) throw business('isv.refund-not-exist', `退款单不存在：${id}`);
    return r;
  }

  trade(name = 'tid'): SimTrade {
    const id = this.id(name);
    const t = this.sim.trades.get(id);
    if (!t) throw business('isv.trade-not-exist', `交易不存在：${id}`);
    return t;
  }

  /** refund_version and refund_phase: required on Tmall, checked when given. */
  versionAndPhase(r: SimRefund): void {
    if (this.tmall) {
      this.required('refund_version');
      this.required('refund_phase');
    }
    const phase = this.str('refund_phase');
    if (phase !== undefined && phase !== 'onsale' && phase !== 'aftersale') throw invalid('refund_phase', 'refund_phase 只能是 onsale 或 aftersale');
    const version = this.str('refund_version');
    if (version !== undefined && !/^[0-9]{1,16}$/.test(version)) throw invalid('refund_version', 'refund_version 必须是数字');
    if (phase !== undefined && phase !== r.phase) throw business('isv.refund-phase-mismatch', `退款阶段不匹配：该退款为 ${r.phase}`);
    if (version !== undefined && Number(version) !== r.version) throw business('isv.refund-version-expired', '退款版本已过期，请重新获取退款详情');
  }
}

function paged<T>(items: T[], page: { pageNo: number; pageSize: number; useHasNext: boolean }): { items: T[]; extra: Record<string, unknown> } {
  const start = (page.pageNo - 1) * page.pageSize;
  const slice = items.slice(start, start + page.pageSize);
  const hasNext = start + page.pageSize < items.length;
  return { items: slice, extra: page.useHasNext ? { has_next: hasNext } : { total_results: items.length } };
}

/** trade fields and order fields (`orders` = every order field; `orders.title` = one) */
function tradeFieldSets(fields: string[]): { trade: Set<string>; order: Set<string> | null } {
  const trade = new Set<string>();
  let order: Set<string> | null = null;
  for (const f of fields) {
    if (f === 'orders' || f === 'order') {
      order = new Set(orderFields);
    } else if (f.startsWith('orders.') || f.startsWith('order.')) {
      order ??= new Set();
      order.add(f.slice(f.indexOf('.') + 1));
    } else trade.add(f);
  }
  if (order) trade.add('orders');
  return { trade, order };
}

function tradeStatusFilter(call: Call): ((t: SimTrade) => boolean) | null {
  const status = call.str('status');
  if (status === undefined) return null;
  if (status === 'ALL_WAIT_PAY') return (t) => t.status === 'WAIT_BUYER_PAY';
  if (status === 'ALL_CLOSED') return (t) => t.status === 'TRADE_CLOSED' || t.status === 'TRADE_CLOSED_BY_TAOBAO';
  if (!(tradeStatuses as readonly string[]).includes(status) && !['TRADE_NO_CREATE_PAY', 'SELLER_CONSIGNED_PART', 'TRADE_BUYER_SIGNED', 'PAY_PENDING', 'WAIT_PRE_AUTH_CONFIRM', 'PAID_FORBID_CONSIGN'].includes(status)) {
    throw invalid('status', `未知的交易状态：${status}`);
  }
  return (t) => t.status === status;
}

function tradeList(call: Call, trades: SimTrade[]): Record<string, unknown> {
  const { trade, order } = tradeFieldSets(call.fields());
  const statusOk = tradeStatusFilter(call);
  const buyer = call.str('buyer_nick');
  const page = call.page();
  const matching = trades.filter((t) => (statusOk === null || statusOk(t)) && (buyer === undefined || t.buyer.nick === buyer)).reverse();
  const { items, extra } = paged(matching, page);
  const seller = call.sim.sellerInfo;
  return {
    trades: items.length > 0 ? { trade: items.map((t) => pick(renderTrade(t, seller, false, order), trade)) } : undefined,
    ...extra,
  };
}

// ---------------------------------------------------------------- the methods

const methods: Record<string, MethodSpec> = {
  'taobao.user.seller.get': {
    session: true,
    handle(call) {
      const fields = new Set(call.fields());
      const user = { user_id: call.sim.sellerInfo.userId, nick: call.sim.seller.nick, type: call.tmall ? 'B' : 'C', has_shop: true, sex: 'm', avatar: 'https://img.alicdn.com/topsim/avatar.jpg' };
      return { user: pick(user, fields) };
    },
  },

  'taobao.trades.sold.increment.get': {
    session: true,
    handle(call) {
      call.fields();
      call.required('start_modified');
      call.required('end_modified');
      const start = call.date('start_modified') as number;
      const end = call.date('end_modified') as number;
      if (end < start) throw invalid('end_modified', 'end_modified 不能早于 start_modified');
      if (end - start > DAY_MS) throw invalid('end_modified', 'start_modified 与 end_modified 的间隔不能超过一天');
      return tradeList(call, call.sim.tradesByModified.range(start, end));
    },
  },

  'taobao.trades.sold.get': {
    session: true,
    handle(call) {
      call.fields();
      const start = call.date('start_created') ?? null;
      const end = call.date('end_created') ?? null;
      if (start !== null && end !== null && end < start) throw invalid('end_created', 'end_created 不能早于 start_created');
      return tradeList(call, call.sim.tradesByCreated.range(start, end));
    },
  },

  'taobao.trade.fullinfo.get': {
    session: true,
    handle(call) {
      const { trade, order } = tradeFieldSets(call.fields());
      const t = call.trade();
      return { trade: pick(renderTrade(t, call.sim.sellerInfo, true, order), trade) };
    },
  },

  'taobao.refunds.receive.get': {
    session: true,
    handle(call) {
      const fields = new Set(call.fields().filter((f) => refundListFields.includes(f)));
      const status = call.str('status');
      if (status !== undefined && !(refundStatuses as readonly string[]).includes(status) && !(exchangeStatuses as readonly string[]).includes(status)) {
        throw invalid('status', `未知的退款状态：${status}`);
      }
      const start = call.date('start_modified') ?? null;
      const end = call.date('end_modified') ?? null;
      if (start !== null && end !== null && end < start) throw invalid('end_modified', 'end_modified 不能早于 start_modified');
      const buyer = call.str('buyer_nick');
      const page = call.page();
      const matching = call.sim.refundsByModified
        .range(start, end)
        .filter((r) => (status === undefined || r.status === status) && (buyer === undefined || r.trade.buyer.nick === buyer))
        .reverse();
      const { items, extra } = paged(matching, page);
      const seller = call.sim.sellerInfo;
      return {
        refunds: items.length > 0 ? { refund: items.map((r) => pick(call.sim.answerRefund(r, renderRefund(r, seller, false)), fields)) } : undefined,
        ...extra,
      };
    },
  },

  'taobao.refund.get': {
    session: true,
    handle(call) {
      const fields = new Set(call.fields().filter((f) => refundFullFields.includes(f)));
      const r = call.refund();
      return { refund: pick(call.sim.answerRefund(r, renderRefund(r, call.sim.sellerInfo, true)), fields) };
    },
  },

  'taobao.refund.refusereason.get': {
    session: true,
    handle(call) {
      const r = call.refund();
      const phase = call.required('refund_phase');
      if (phase !== 'onsale' && phase !== 'aftersale') throw invalid('refund_phase', 'refund_phase 只能是 onsale 或 aftersale');
      const fields = new Set(call.fields());
      void r; // the same list for every refund
      const reasons = refuseReasons.map((x) => pick({ reason_id: x.id, reason_text: x.text, reason_tips: x.tips }, fields));
      return { reasons: { reason: reasons }, total_results: reasons.length, has_next: false };
    },
  },

  'taobao.rp.refunds.agree': {
    session: true,
    handle(call) {
      const text = call.required('refund_infos');
      const format = 'refund_infos 的格式为 refund_id|金额(分)|refund_version|refund_phase，多个用逗号分隔';
      const items = text.split(',').map((s) => s.trim());
      const parsed = items.map((s) => {
        const parts = s.split('|');
        const [id, amount, version, phase] = parts;
        if (parts.length < 3 || parts.length > 4 || !/^[0-9]{1,19}$/.test(id ?? '') || !/^[0-9]{1,12}$/.test(amount ?? '') || !/^[0-9]{1,16}$/.test(version ?? '')) {
          throw invalid('refund_infos', format);
        }
        if (phase !== undefined && phase !== 'onsale' && phase !== 'aftersale') throw invalid('refund_infos', format);
        if (call.tmall && phase === undefined) throw invalid('refund_infos', `天猫退款须传 refund_phase：${format}`);
        return { id: BigInt(id as string), amountFen: Number(amount), version: Number(version), phase };
      });
      const maxCount = call.tmall ? 30 : 20;
      const maxFen = call.tmall ? 1_000_000 : 600_000;
      if (parsed.length > maxCount) throw business('isv.refunds-agree-over-limit', `一次最多同意${maxCount}笔退款`);
      if (parsed.reduce((s, x) => s + x.amountFen, 0) > maxFen) throw business('isv.refunds-agree-over-limit', `一次同意退款的总金额不能超过${maxFen / 100}元`);

      const results = parsed.map((item) => {
        const fail = (message: string) => ({ refund_id: item.id.toString(), succ: false, message });
        const r = call.sim.refunds.get(item.id);
        if (!r) return fail('退款单不存在');
        if (r.status === 'CLOSED') return fail('退款已关闭');
        if (r.status === 'SUCCESS') return fail('退款已成功');
        if (item.version !== r.version) return fail('退款版本已过期');
        if (item.phase !== undefined && item.phase !== r.phase) return fail('退款阶段不匹配');
        if (r.csStatus === 2 || r.csStatus === 3) return fail('退款已申请客服介入，不能操作');
        const okStatus = (r.status === 'WAIT_SELLER_AGREE' && !r.hasGoodReturn) || r.status === 'WAIT_SELLER_CONFIRM_GOODS';
        if (!okStatus) {
          return fail(r.status === 'WAIT_SELLER_AGREE' ? '买家要求退货，请先同意退货' : `当前退款状态（${r.status}）不能同意退款`);
        }
        if (item.amountFen <= 0) return fail('退款金额不正确');
        if (item.amountFen > r.refundFeeFen) return fail('退款金额超过买家申请的退款金额');
        r.refundFeeFen = item.amountFen;
        r.status = 'SUCCESS';
        call.sim.addRefundMessage(r, { ownerRole: '2', content: `卖家同意退款，退款金额：${yuanText(item.amountFen)}元`, messageType: 'NORMAL', picUrls: [] });
        call.sim.changeRefund(r, ['taobao_refund_RefundSuccess']);
        return { refund_id: r.refundId.toString(), succ: true, message: '退款成功' };
      });
      const ok = results.filter((x) => x.succ).length;
      const msgCode = ok === results.length ? 'OP_SUCC' : ok > 0 ? 'SOME_OP_SUCC' : 'OP_FAILURE_UE';
      return {
        msg_code: msgCode,
        succ: ok === results.length,
        message: msgCode === 'OP_SUCC' ? '操作成功' : msgCode === 'SOME_OP_SUCC' ? '部分退款操作失败' : (results[0]?.message ?? '操作失败'),
        results: { refund_mapping_result: results },
      };
    },
  },

  'taobao.rp.returngoods.agree': {
    session: true,
    handle(call) {
      const r = call.refund();
      const address = call.str('address');
      const addressId = call.str('seller_address_id');
      if (address === undefined && addressId === undefined) throw missing('address');
      if (addressId !== undefined && !/^[0-9]{1,19}$/.test(addressId)) throw invalid('seller_address_id', 'seller_address_id 必须是数字');
      call.int('post_fee_bear_role', 0, 1);
      statusGuard(r);
      call.versionAndPhase(r);
      if (r.status !== 'WAIT_SELLER_AGREE' || !r.hasGoodReturn) throw business('isv.refund-status-not-allowed', `当前退款状态（${r.status}${r.hasGoodReturn ? '' : '，仅退款'}）不能同意退货`);
      const text =
        address !== undefined
          ? [call.str('name'), call.str('mobile') ?? call.str('tel'), address, call.str('post')].filter((x): x is string => x !== undefined).join('，')
          : shopAddressText();
      r.address = text;
      r.status = 'WAIT_BUYER_RETURN_GOODS';
      const remark = call.str('remark');
      call.sim.addRefundMessage(r, { ownerRole: '2', content: `卖家同意了退货申请，退货地址：${text}${remark ? `，备注：${remark}` : ''}`, messageType: 'RETURN_GOODS_APPROVED', picUrls: [] });
      call.sim.changeRefund(r, ['taobao_refund_RefundSellerAgreeAgreement']);
      return { is_success: true };
    },
  },

  'taobao.refund.refuse': {
    session: true,
    handle(call) {
      const r = call.refund();
      const message = call.required('refuse_message');
      const length = [...message].length;
      if (length < 2 || length > 200) throw invalid('refuse_message', '拒绝理由须为2–200个字');
      if (call.p.refuse_proof !== undefined) throw invalid('refuse_proof', 'refuse_proof 须作为图片文件上传（multipart/form-data）');
      const proof = call.files.refuse_proof;
      if (call.tmall && !proof) throw missing('refuse_proof');
      if (proof && proof.bytes.length > 130_000) throw invalid('refuse_proof', '拒绝凭证图片不能超过130K');
      const reasonId = call.int('refuse_reason_id', 0, Number.MAX_SAFE_INTEGER);
      if (reasonId !== undefined && !refuseReasons.some((x) => x.id === reasonId)) throw invalid('refuse_reason_id', `未知的拒绝原因：${reasonId}`);
      statusGuard(r);
      call.versionAndPhase(r);
      if (r.status !== 'WAIT_SELLER_AGREE' && r.status !== 'WAIT_SELLER_CONFIRM_GOODS') throw business('isv.refund-status-not-allowed', `当前退款状态（${r.status}）不能拒绝退款`);
      if (cannotRefuse(r)) throw business('isv.refund-cannot-refuse', '卖家未发货，不能拒绝退款，请先发货或同意退款');
      r.status = 'SELLER_REFUSE_BUYER';
      const reason = reasonId === undefined ? '' : `（${refuseReasons.find((x) => x.id === reasonId)?.text}）`;
      call.sim.addRefundMessage(r, {
        ownerRole: '2',
        content: `卖家拒绝了退款申请${reason}，拒绝理由：${message}`,
        messageType: 'NORMAL',
        picUrls: proof ? [`https://img.alicdn.com/imgextra/topsim/proof-${r.refundId}-${Date.now() % 100_000}.jpg`] : [],
      });
      call.sim.changeRefund(r, ['taobao_refund_RefundSellerRefuseAgreement']);
      return { is_success: true, refund: { refund_id: r.refundId.toString(), status: r.status, modified: formatTopTime(new Date(r.modifiedMs)) } };
    },
  },

  'taobao.refund.message.add': {
    session: true,
    handle(call) {
      const r = call.refund();
      const content = call.required('content');
      if (Buffer.byteLength(content, 'utf8') > 400) throw invalid('content', '留言内容不能超过400字节');
      const image = call.files.image;
      if (image && image.bytes.length > 500 * 1024) throw invalid('image', '图片不能超过500K');
      const m = call.sim.addRefundMessage(r, {
        ownerRole: '2',
        content,
        messageType: 'NORMAL',
        picUrls: image ? [`https://img.alicdn.com/imgextra/topsim/message-${r.refundId}-${image.fileName || 'image'}`] : [],
      });
      call.sim.publishRefund('taobao_refund_RefundCreateMessage', r);
      return { refund_message: { id: m.id, created: formatTopTime(new Date(m.createdMs)) } };
    },
  },

  'taobao.refund.messages.get': {
    session: true,
    handle(call) {
      const fields = new Set(call.fields().filter((f) => refundMessageFields.includes(f)));
      const r = call.refund();
      if (call.tmall) call.required('refund_phase');
      const phase = call.str('refund_phase');
      if (phase !== undefined && phase !== 'onsale' && phase !== 'aftersale') throw invalid('refund_phase', 'refund_phase 只能是 onsale 或 aftersale');
      const page = { ...call.page(), useHasNext: false };
      const all = call.sim.refundMessages(r);
      const { items, extra } = paged(all, page);
      const seller = call.sim.sellerInfo;
      return {
        refund_messages: items.length > 0 ? { refund_message: items.map((m) => pick(renderRefundMessage(r, m, seller), fields)) } : undefined,
        ...extra,
      };
    },
  },

  'taobao.trade.memo.update': {
    session: true,
    handle(call) {
      const t = call.trade();
      const memo = call.str('memo');
      if (memo !== undefined && Buffer.byteLength(memo, 'utf8') > 1000) throw invalid('memo', '备注不能超过1000字节');
      const flag = call.int('flag', 0, 5);
      const reset = call.bool('reset') ?? false;
      if (reset) t.sellerMemo = null;
      else if (memo !== undefined) t.sellerMemo = memo;
      if (flag !== undefined) t.sellerFlag = flag;
      call.sim.touchTrade(t);
      call.sim.publishTrade('taobao_trade_TradeMemoModified', t);
      return { trade: { tid: t.tid, modified: formatTopTime(new Date(t.modifiedMs)) } };
    },
  },

  'taobao.logistics.trace.search': {
    session: true,
    handle(call) {
      const t = call.trade();
      call.int('is_split', 0, 1);
      if (t.consignMs === null || t.parcel === null) throw business('isv.logistics-trace-not-exist', '该交易尚未发货，没有物流信息');
      const trace = traceOf(t, call.sim.nowMs());
      return {
        tid: t.tid,
        out_sid: t.parcel.sid,
        company_name: t.parcel.courier.name,
        status: trace.status,
        trace_list: { transit_step_info: trace.steps },
      };
    },
  },

  'taobao.tmc.messages.consume': {
    session: false,
    handle(call) {
      groupGuard(call);
      const quantity = call.int('quantity', 10, 200) ?? 100;
      const sim = call.sim;
      const messages = sim.consumeMessages(quantity).map((m) => ({
        content: m.content,
        id: m.id,
        pub_app_key: PLATFORM_APP_KEY,
        pub_time: formatTopTime(new Date(m.pubTimeMs)),
        topic: m.topic,
        user_id: sim.sellerInfo.userId,
        user_nick: sim.seller.nick,
      }));
      return { messages: messages.length > 0 ? { tmc_message: messages } : undefined };
    },
  },

  'taobao.tmc.messages.confirm': {
    session: false,
    handle(call) {
      groupGuard(call);
      const ids = call
        .required('s_message_ids')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (ids.length === 0) throw missing('s_message_ids');
      if (ids.length > 200) throw invalid('s_message_ids', '一次最多确认200条消息');
      if (ids.some((s) => !/^[0-9]{1,19}$/.test(s))) throw invalid('s_message_ids', 's_message_ids 须为逗号分隔的消息id');
      call.sim.confirmMessages(ids.map((s) => BigInt(s)));
      return { is_success: true };
    },
  },

  'taobao.tmc.user.permit': {
    session: true,
    handle(call) {
      const topics = call.str('topics');
      if (topics === undefined) {
        call.sim.permittedTopics = null;
        return { is_success: true };
      }
      const list = topics
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const unknown = list.find((s) => !(knownTopicList as readonly string[]).includes(s));
      if (unknown !== undefined) throw invalid('topics', `未知的消息主题：${unknown}`);
      call.sim.permittedTopics = new Set(list);
      return { is_success: true };
    },
  },
};

/** TOP method names the sim answers. */
export const supportedMethods = Object.keys(methods);


function groupGuard(call: Call): void {
  const group = call.str('group_name');
  if (group !== undefined && group !== 'default') throw business('isv.group-not-exist', `消息分组不存在：${group}`);
}

function statusGuard(r: SimRefund): void {
  if (r.status === 'CLOSED') throw business('isv.refund-closed', '退款已关闭');
  if (r.status === 'SUCCESS') throw business('isv.refund-success', '退款已成功');
  if (r.csStatus === 2 || r.csStatus === 3) throw business('isv.refund-under-intervention', '退款已申请客服介入，不能操作');
}

function yuanText(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- the courier's trace

interface TraceStep {
  status_time: string;
  status_desc: string;
  action: string;
}

/**
 * A plausible trace for the trade's parcel, the same on every call: 揽收 at
 * shipping, then 运输中 and 派送中 as time passes, 已签收 once the buyer signed.
 */
export function traceOf(t: SimTrade, nowMs: number): { status: string; steps: TraceStep[] } {
  const rand = new Rand(Number(t.tid % 2_147_483_647n));
  const courier = t.parcel?.courier.name ?? '快递';
  const consign = t.consignMs ?? nowMs;
  const city = t.receiver.city;
  const district = t.receiver.district;
  const phone = () => `1${rand.pick(['3', '5', '8'])}${rand.digits(9)}`;
  const plan: { offset: number; action: string; desc: string; status: string }[] = [
    { offset: 0, action: 'GOT', desc: `【温州市】${courier} 温州鹿城区双屿营业部 已揽收，揽投员：陈师傅，电话：${phone()}`, status: '揽收' },
    { offset: rand.range(4, 8) * HOUR_MS, action: 'DEPARTURE', desc: `【温州市】快件离开【温州转运中心】，已发往【${city}转运中心】`, status: '运输中' },
    { offset: rand.range(20, 36) * HOUR_MS, action: 'ARRIVAL', desc: `【${city}】快件已到达【${city}转运中心】`, status: '运输中' },
    { offset: rand.range(38, 44) * HOUR_MS, action: 'DEPARTURE', desc: `【${city}】快件离开【${city}转运中心】，已发往【${district}营业部】`, status: '运输中' },
    { offset: rand.range(46, 52) * HOUR_MS, action: 'SENT_SCAN', desc: `【${city}】${district}营业部 派件员：张师傅，电话：${phone()}，正在为您派件`, status: '派送中' },
  ];
  const signed = t.signedMs;
  const steps: { at: number; action: string; desc: string; status: string }[] = [];
  if (signed !== null) {
    // squeeze the plan in between shipping and signing
    const span = Math.max(signed - consign, plan.length * MINUTE_MS);
    const last = (plan[plan.length - 1] as { offset: number }).offset;
    const scale = Math.min(1, (span * 0.95) / last);
    for (const s of plan) steps.push({ at: consign + s.offset * scale, action: s.action, desc: s.desc, status: s.status });
    steps.push({ at: signed, action: 'SIGNED', desc: `【${city}】已签收，签收人：本人签收。感谢使用${courier}，期待再次为您服务`, status: '已签收' });
  } else {
    for (const s of plan) if (s.offset === 0 || consign + s.offset <= nowMs) steps.push({ at: consign + s.offset, action: s.action, desc: s.desc, status: s.status });
  }
  return {
    status: steps[steps.length - 1]?.status ?? '揽收',
    steps: steps.map((s) => ({ status_time: formatTopTime(new Date(Math.floor(s.at / 1000) * 1000)), status_desc: s.desc, action: s.action })),
  };
}
