/**
 * The server's errors in words a person understands, zh-CN and en: by code,
 * never the raw code. A validation error names the field when it can.
 */
import { parcelUnavailableLabels, type ParcelUnavailable } from '../../../src/contract/tracking-labels.ts';
import { ApiError } from './api.ts';
import { yuan } from './format.ts';
import type { Lang } from './i18n.tsx';

type Pair = readonly [zh: string, en: string];

const byCode: Record<string, Pair> = {
  NETWORK: ['连接不到服务器，请检查网络后重试。', 'The server could not be reached; check the connection and try again.'],
  VALIDATION_FAILED: ['填写的内容有误，请检查后再提交。', 'Something in the form is not valid; check it and send again.'],
  UNAUTHENTICATED: ['登录已失效，请重新登录。', 'Your session has ended; please sign in again.'],
  FORBIDDEN: ['您的角色没有这项操作的权限。', 'Your role may not do this.'],
  NOT_FOUND: ['没有找到这条记录（可能不属于当前店铺）。', 'Not found (it may belong to another shop).'],
  ROUTE_NOT_FOUND: ['没有这个功能。', 'There is no such function.'],
  VERSION_CONFLICT: ['这条记录刚被别人改过，已为您刷新，请确认后再操作。', 'Somebody changed this a moment ago; it has been reloaded — check it and try again.'],
  ACTION_NOT_ALLOWED: ['当前状态下不能做这个操作。', 'This cannot be done in the current state.'],
  AMOUNT_OVER_CAP: ['退款金额超过了可退金额。', 'The amount is more than can be refunded.'],
  PARTIAL_REFUND_NEEDS_RECEIPT: ['未收到货只能全额退款；部分退款需要先收到货。', 'Goods not received are refunded in full; a part refund needs the goods received.'],
  NOT_ESCROW: ['这笔订单不是担保交易，不能在这里退款。', 'This order was not paid through escrow; it cannot be refunded here.'],
  ORDER_CLOSED: ['订单已关闭。', 'The order is closed.'],
  ORDER_EXISTS: ['订单号已存在。', 'That order number exists already.'],
  ORDER_STATE: ['订单当前的状态不允许这个操作。', "The order's state does not allow this."],
  ORDER_HAS_OPEN_REFUND: ['订单还有进行中的退款，先处理退款。', 'The order has an open refund; handle it first.'],
  REFUND_ALREADY_OPEN: ['这笔订单（这件商品）已经有一个进行中的退款申请。', 'There is an open refund for this order (or item) already.'],
  REFUSE_BEFORE_SHIPMENT: ['未发货的订单不能拒绝退款（S2.1）。', 'An order not yet shipped cannot be refused (S2.1).'],
  REFUSAL_NEEDS_EVIDENCE: ['拒绝退款必须上传凭证（S2.8）。', 'Refusing needs evidence (S2.8).'],
  RETURN_ADDRESS_REQUIRED: ['同意退货需要填写退货地址。', 'Agreeing to a return needs the return address.'],
  TYPE_GOODS_MISMATCH: ['退款类型和货物状态不匹配：未收到货只能选“仅退款”。', 'The type does not fit the goods status: goods not received can only be "refund only".'],
  INTERVENTION_TOO_EARLY: ['卖家拒绝后需要等待一段时间才能申请客服介入。', 'Intervention can be asked for only some time after the refusal.'],
  INTERVENTION_NOT_REQUESTED: ['还没有申请客服介入。', 'No intervention was asked for.'],
  CALENDAR_OUT_OF_RANGE: ['日历还没有这一年的节假日安排，期限暂时算不出来。', "The calendar has no holiday schedule for that year yet; the deadline cannot be counted."],
  IDEMPOTENCY_KEY_REUSED: ['这次提交和上一次不一致，请刷新页面后重试。', 'This submission differs from the previous one; reload and try again.'],
  IDEMPOTENCY_KEY_IN_USE: ['上一次提交还在处理中，请稍候。', 'The previous submission is still being handled; wait a moment.'],
  SIGN_IN_FAILED: ['用户名或密码不对。', 'The username or password is wrong.'],
  SIGN_IN_THROTTLED: ['尝试次数太多，请过几分钟再试。', 'Too many attempts; try again in a few minutes.'],
  CSRF_FAILED: ['页面已过期，请刷新页面后重试。', 'The page is out of date; reload it and try again.'],
  PASSWORD_REJECTED: ['这个密码不能用：8–128 个字符，且不能是常见密码。', 'That password cannot be used: 8–128 characters, not a common one.'],
  USERNAME_TAKEN: ['用户名已被使用。', 'That username is taken.'],
  GUARD_REASON_NEEDS_CHANGE: ['按店铺规范，“收到商品不符/商品质量问题”的退款要先请买家修改原因（S1.5）。', 'By the SOP, a "not as described"/"quality" refund first needs the buyer to change the reason (S1.5).'],
  GUARD_RETURN_NOT_CHECKED: ['仓库还没有登记退货到货，或三项检查没有勾完，不能确认收货（S1.13）。', 'The warehouse has not recorded the return, or the three checks are not ticked (S1.13).'],
  GUARD_UNSHIPPED_NOT_VOIDED: ['仓库还没有作废这笔未发货订单，不能退款（S1.1）。', 'The warehouse has not voided this unshipped order yet (S1.1).'],
  GUARD_AMOUNT_NOT_CONFIRMED: ['请先核对并填写退款金额（S1.1）。', 'Check and enter the amount first (S1.1).'],
  GUARD_ALREADY_REFUNDED: ['这笔订单已经退过款，不能再次退款（S1.16）。', 'This order was refunded already; it cannot be refunded twice (S1.16).'],
  GUARD_REFUSAL_FACTS_MISSING: ['拒绝前需要：商品是否热销/主推、评分，以及一次联系到买家的电话（S1.15）。', 'Before refusing: the product facts and a call that reached the buyer (S1.15).'],
  GUARD_OVERRIDE_REFUSED: ['只有主管可以放行，并要写明理由。', 'Only a supervisor may go past the SOP, with a reason.'],
  RULE_SET_INVALID: ['规则集有错误，请看标出的行。', 'The rule set has errors; see the lines marked.'],
  PAYLOAD_TOO_LARGE: ['文件或内容太大。', 'The file or content is too large.'],
  UNSUPPORTED_MEDIA_TYPE: ['不支持这种文件类型（支持 JPG、PNG、WEBP、PDF）。', 'That file type is not supported (JPG, PNG, WEBP, PDF).'],
  ASSIGNEE_NOT_ELIGIBLE: ['只能分配给本店在职的售后客服或主管。', "Refunds can be given only to the shop's active agents or supervisors."],
  REFUND_ALREADY_ASSIGNED: ['这条退款已经有同事在处理了；需要的话请主管改派。', 'A colleague is working on this refund already; a supervisor can reassign it.'],
  EVIDENCE_TYPE_MISMATCH: ['文件内容和它的类型不符（支持 JPG、PNG、WEBP、PDF）。', 'The file is not what its type says (JPG, PNG, WEBP, PDF).'],
  DEVICE_EXISTS: ['本店已经登记过这个串号（IMEI/MEID）。', 'This shop has registered this IMEI/MEID already.'],
  WARRANTY_POLICY_INVALID: ['三包政策有错误，请看列出的问题。', 'The warranty policy has errors; see the problems listed.'],
  SERVICE_POINTS_INVALID: ['售后网点表有错误，请检查后再保存。', 'The service point list has errors; check it and save again.'],
  ARCHIVE_EXISTS: ['本店已经为这个出厂编号建过售后档案（一台设备一份档案）。', 'This shop has a service archive for this serial number already (one archive per unit).'],
  PLATFORM_OWNS_IT: ['这是淘宝/天猫上的订单或退款，这一步由买家或平台在平台上操作，shouhou 会自动跟进。', 'This is a Taobao/Tmall order or refund: the buyer or the platform does this step there, and shouhou follows.'],
  PLATFORM_SYNC_PENDING: ['上一个处理还在发往平台，请等平台确认后再操作。', 'The previous decision is still on its way to the platform; wait until the platform confirms it.'],
  INTERNAL: ['服务器出了问题，什么都没有改。请稍后重试。', 'Something went wrong on the server; nothing was changed. Try again later.'],
  GUARD_DAMAGED_REFUND_ONLY: ['按店铺规范，“收到商品破损”选择仅退款的不能同意：电话问清楚，告知买家会拒绝并按退货退款重新申请（S1.9）。', 'By the SOP, refund-only for goods received damaged is not agreed: phone the buyer and tell them to apply again as a return (S1.9).'],
  GUARD_UNSHIPPED_REASON_NEEDS_CHANGE: ['“未按约定时间发货/缺货”对店铺不利：先电话请买家修改退款原因，再按未发退退款（S1.3）。', '"Late shipment"/"out of stock" count against the shop: phone the buyer to change the reason first, then refund as an unshipped refund (S1.3).'],
  GUARD_INVOICE_NOT_REGISTERED: ['“发票问题”的退款要先电话问清楚：需要发票的登记发票本，不需要的请买家修改原因和类型（S1.8）。', 'An "invoice" refund: phone first; register the invoice title in the invoice book, or ask the buyer to change the reason and type (S1.8).'],
  EVIDENCE_NOT_FOUND: ['凭证文件不存在或不属于本店（买家只能引用自己上传的文件），请重新上传。', 'That evidence file does not exist or is not this shop\'s (a buyer cites only their own uploads); upload it again.'],
  EVIDENCE_IN_USE: ['这个凭证文件已经用在另一笔退款或记录上了；同一个文件要用在这里，请重新上传一份。', 'That evidence file is already cited by another refund or record; upload it again to use it here.'],
  BATCH_AGREE_NOT_ALLOWED: ['批量同意只处理金额上限以内的仅退款，这一笔请在退款页面处理。', 'Batch agree takes refund-only refunds within the limit; handle this one on its own page.'],
  EXPORT_TOO_LARGE: ['筛选出的退款太多，一次最多导出 50,000 条，请缩小筛选范围后再导出。', 'The filter holds too many refunds to export at once (at most 50,000); narrow it and export again.'],
};

/** Field names as people know them, for validation errors. */
const fieldNames: Record<string, Pair> = {
  amountFen: ['退款金额', 'amount'],
  confirmedAmountFen: ['核对金额', 'confirmed amount'],
  reason: ['原因', 'reason'],
  evidence: ['凭证', 'evidence'],
  returnAddress: ['退货地址', 'return address'],
  trackingNo: ['快递单号', 'tracking number'],
  courier: ['快递公司', 'courier'],
  orderNo: ['订单号', 'order number'],
  phone: ['手机号', 'phone number'],
  username: ['用户名', 'username'],
  password: ['密码', 'password'],
  newPassword: ['新密码', 'new password'],
  description: ['说明', 'description'],
  note: ['备注', 'note'],
  text: ['内容', 'text'],
  photos: ['照片', 'photos'],
  'override.reason': ['放行理由（至少 5 个字）', 'the reason for overriding (5+ characters)'],
  taxId: ['税号', 'tax id'],
  title: ['抬头', 'title'],
  alipayAccount: ['支付宝账号', 'Alipay account'],
  realName: ['真实姓名', 'real name'],
  deviceId: ['串号（IMEI/MEID）', 'IMEI/MEID'],
  'exchange.oldDeviceId': ['原主机串号', "the old host's IMEI/MEID"],
  'exchange.newDeviceId': ['新主机串号', "the new host's IMEI/MEID"],
  faultDescription: ['故障描述', 'fault description'],
  purchaseDate: ['购买日期', 'purchase date'],
  deliveryDate: ['签收日期', 'delivery date'],
  requestDate: ['提出日期', 'request date'],
  region: ['地区', 'region'],
  model: ['型号', 'model'],
  brand: ['品牌', 'brand'],
  summary: ['报告摘要', 'summary'],
  centreName: ['授权中心名称', 'authorised centre'],
  policyVersion: ['检测细则的版本（请刷新后重新阅读）', 'the version of the terms (reload and read them again)'],
  returnConsignee: ['退货联系人', 'return consignee'],
  returnPhone: ['退货联系电话', 'return phone'],
  url: ['接收地址', 'address'],
  eventTypes: ['通知类型', 'notice types'],
  sellerNick: ['卖家昵称', 'seller nick'],
  appKey: ['App Key', 'App Key'],
  appSecret: ['App Secret', 'App Secret'],
  sessionKey: ['授权码（Session Key）', 'session key'],
  sessionExpiresAt: ['授权到期时间', 'session expiry'],
  gatewayUrl: ['网关地址', 'gateway URL'],
  signMethod: ['签名方式', 'signing method'],
  ratePerSecond: ['每秒调用上限', 'calls per second'],
  backfillDays: ['首次同步天数', 'days to backfill'],
  name: ['名称', 'name'],
};

/** ACTION_NOT_ALLOWED says why in details.reason: the platform's reasons in words. */
const byReason: Record<string, Pair> = {
  code_taken: ['这个店铺代码已经被使用了，请换一个。', 'That shop code is taken; choose another.'],
  binding_not_active: ['店铺的平台授权没有生效（已解除或需要重新授权），请先重新授权。', "The shop's platform binding is not active (revoked or needing re-authorisation); re-authorise it first."],
  nothing_to_retry: ['这个问题没有可以重新读取的内容，看过后请点“忽略”。', 'There is nothing to read again for this problem; dismiss it once looked at.'],
  platform_version_unknown: ['还不知道平台上这笔退款的最新版本，请等下一次同步后刷新再操作。', "The platform's version of this refund is not known yet; wait for the next sync, reload and try again."],
  platform_error: ['平台没有接受这次请求。', 'The platform did not accept the request.'],
  no_outgoing_parcel: ['这笔订单没有发给买家的快递单号，查不到签收时间。', 'The order has no parcel to the buyer with a tracking number.'],
  no_trace: ['查不到这个包裹的物流，记不了签收时间。', "The parcel's trace cannot be read, so the sign time cannot be recorded."],
  parcel_mismatch: ['平台物流里的快递单号和订单上的不一样，请先核对快递单号。', "The platform's trace is of another tracking number than the order's; check the number first."],
  parcel_not_signed: ['物流还没有显示签收，不能记下签收时间。', 'The trace does not show the parcel signed for yet.'],
  sign_time_unknown: ['物流里没有写明签收的记录和时间，请到快递公司官网核对。', "No scan in the trace says when it was signed for; check on the courier's site."],
  signed_before_shipped: ['物流里的签收时间早于订单的发货时间，可能不是这个订单的包裹，请核对快递单号。', "The trace's sign time is before the order was shipped: it may be another parcel; check the tracking number."],
  sign_time_in_future: ['物流里的签收时间比现在还晚，快递公司的记录可能有误，请稍后刷新物流再试。', "The trace's sign time is later than now: the courier's record may be wrong; reload the tracking later."],
};

/** The platform's own words inside a server message ("The platform answered: …"), if any. */
function platformWords(message: string): string | null {
  const found = /The platform answered: ([\s\S]+)$/.exec(message);
  return found ? found[1]!.trim() : null;
}

export function errorText(err: unknown, lang: Lang): string {
  const zh = lang !== 'en';
  if (!(err instanceof ApiError)) return zh ? '出了点问题，请重试。' : 'Something went wrong; try again.';
  const pair = byCode[err.code];
  let text = pair ? (zh ? pair[0] : pair[1]) : zh ? `操作没有成功（${err.status}）。` : `That did not work (${err.status}).`;
  const reason = typeof err.details.reason === 'string' ? byReason[err.details.reason] : undefined;
  if (err.code === 'ACTION_NOT_ALLOWED' && reason) {
    text = zh ? reason[0] : reason[1];
    // no trace to read a sign time from: why, in the parcel card's own words
    const why = err.details.reason === 'no_trace' && typeof err.details.unavailable === 'string' ? parcelUnavailableLabels[err.details.unavailable as ParcelUnavailable] : undefined;
    if (why) text += zh ? why['zh-CN'] : ` ${why.en}`;
    const words = err.details.reason === 'platform_error' ? platformWords(err.message) : null;
    if (words) text += zh ? `平台说：“${words}”` : ` The platform said: "${words}"`;
    if (!zh) return text;
  }
  if (err.code === 'RETURN_ADDRESS_REQUIRED' && Array.isArray(err.details.missing) && err.details.missing.length > 0) {
    const missing = (err.details.missing as string[]).map((f) => fieldNames[f]?.[zh ? 0 : 1] ?? f);
    text = zh
      ? `平台同意退货需要退货地址、联系人和电话，店铺设置里还缺：${missing.join('、')}。请主管在“店铺设置”里填写后再操作。`
      : `The platform needs the return address with its consignee and phone; the shop settings lack: ${missing.join(', ')}. A supervisor sets them in Shop settings.`;
    if (!zh) return text;
  }
  if (err.code === 'BATCH_AGREE_NOT_ALLOWED') {
    const d = err.details as { reason?: string; limitFen?: number; amountFen?: number };
    if (d.reason === 'off') text = zh ? '店铺没有开启批量同意（金额上限为 0），请在退款页面逐条处理。' : 'Batch agree is off in this shop (the limit is 0); handle it on its own page.';
    if (d.reason === 'not_refund_only') text = zh ? '这是退货退款：批量同意只处理仅退款，退货请在退款页面同意。' : 'This is a return: batch agree takes refund-only refunds; agree a return on its own page.';
    if (d.reason === 'over_limit' && typeof d.amountFen === 'number' && typeof d.limitFen === 'number') {
      text = zh
        ? `金额 ${yuan(d.amountFen)} 超过批量同意上限 ${yuan(d.limitFen)}，请在退款页面处理。`
        : `The amount ${yuan(d.amountFen)} is over the batch agree limit of ${yuan(d.limitFen)}; handle it on its own page.`;
    }
    return text;
  }
  if (err.code === 'EXPORT_TOO_LARGE' && typeof err.details.count === 'number' && typeof err.details.maxRows === 'number') {
    const [count, max] = [err.details.count.toLocaleString('en-US'), err.details.maxRows.toLocaleString('en-US')];
    return zh
      ? `筛选出的退款有 ${count} 条，一次最多导出 ${max} 条，请缩小筛选范围（状态、原因或申请时间）后再导出。`
      : `The filter holds ${count} refunds; an export takes at most ${max}. Narrow it (a status, a reason, an application date) and export again.`;
  }
  if (err.code === 'VALIDATION_FAILED') {
    // the schema's issues name a path; the workbench's own checks a field (e.g. photos[0])
    const issues = (err.details.issues as { path?: string; field?: string }[] | undefined) ?? [];
    if (typeof err.details.field === 'string') issues.push({ field: err.details.field });
    const names = [...new Set(issues.map((i) => i.path ?? i.field ?? '').filter(Boolean))].map((path) => {
      const known = fieldNames[path] ?? fieldNames[path.split(/[.[]/)[0] ?? ''];
      return known ? (zh ? known[0] : known[1]) : path;
    });
    if (names.length) text = zh ? `请检查：${names.join('、')}。` : `Check: ${names.join(', ')}.`;
    else if (!zh && err.message) text = err.message;
  }
  if (err.code === 'WARRANTY_POLICY_INVALID') {
    const problems = (err.details.errors as string[] | undefined) ?? [];
    if (problems.length) text += ' ' + problems.slice(0, 5).join(' ');
  }
  if (err.code === 'RULE_SET_INVALID') {
    const lines = (err.details.errors as { line?: number; message?: string }[] | undefined) ?? [];
    if (lines.length) text += ' ' + lines.slice(0, 5).map((l) => (l.line ? `#${l.line}: ${l.message}` : l.message)).join('; ');
  }
  // the English server message adds the specifics an English reader can use
  if (!zh && err.message && err.code !== 'VALIDATION_FAILED' && !text.includes(err.message)) text += ` (${err.message})`;
  return text;
}
