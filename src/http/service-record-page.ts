/**
 * S5.3 the service and repair record (售后服务及维修记录单) as a printable page,
 * laid out like the paper form: the call, the product and its warranty, the
 * fault, the routing (leadership's decision out of warranty), the dispatch
 * register's lines, the inspection and quote, the work, payment and invoice,
 * the return to the clerk and the follow-up call, with signature boxes.
 * Self-contained zh-CN HTML: the style inline, no script (the CSP forbids
 * inline scripts); every value escaped. It prints on A4.
 * The customer's phone numbers and addresses come as the caller may see them:
 * in full for the roles that may reveal them (the paper goes with the lead to
 * the site; the print was audited as a reveal), masked for the others; the
 * footer says which.
 */
import type { DispatchView, RecordView } from '../app/service/views.ts';
import { marketLabels, periodLabel } from '../core/service/archive.ts';
import { satisfactionLabels } from '../core/service/follow-up.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A value, or a blank line to fill by hand on paper. */
const v = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === '' ? '<span class="blank"></span>' : escapeHtml(String(value));

/** An instant in Shanghai time: 2026-03-02 10:00. */
function at(iso: string | null | undefined): string {
  if (!iso) return '<span class="blank"></span>';
  const d = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
  return escapeHtml(`${d.slice(0, 10)} ${d.slice(11, 16)}`);
}

/** The dispatch deadline (the next day's 00:00, exclusive) as the paper writes it: the last day, 24:00. */
function deadline(iso: string): string {
  return `${escapeHtml(new Date(Date.parse(iso) - 1 + 8 * 3_600_000).toISOString().slice(0, 10))} 24:00 前`;
}

const yuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '<span class="blank"></span>' : `¥${(fen / 100).toFixed(2)}`);
const box = (checked: boolean) => (checked ? '☑' : '☐');

const statusLabels: Record<string, string> = {
  closed_on_phone: '电话已解决',
  awaiting_assignment: '待交负责人',
  awaiting_decision: '待领导决定',
  assigned: '负责人处理中',
  quoted: '已报价，待客户决定',
  repairing: '维修中',
  settling: '收款及开票中',
  work_done: '维修完成，待交回内勤',
  returned: '已交回内勤，待存档',
  archived: '已存档',
  cancelled: '已取消',
};
const dispatchStatusLabels: Record<string, string> = { registered: '已派出', on_site: '已到达现场', completed: '已完成', cancelled: '已取消' };
const flagLabels: Record<string, string> = {
  on_time: '按时到达',
  late_with_notice: '超时（已提前告知客户）',
  late_without_notice: '超时且未提前告知客户',
  pending: '未到时限',
  cancelled: '已取消',
};
const channelLabels: Record<string, string> = { phone: '电话', sms: '短信', wechat: '微信', in_person: '当面' };
const paymentLabels: Record<string, string> = { bank_transfer: '银行转账', cash: '现金', wechat_pay: '微信支付', alipay: '支付宝', other: '其他' };
const unitLabels: Record<string, string> = { project: '项目负责人', rnd_production: '研发生产部负责人' };

const style = `
*{box-sizing:border-box}
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;margin:0;background:#f4f5f7;font-size:13px;line-height:1.5}
main{max-width:860px;margin:24px auto;background:#fff;padding:28px 32px;border:1px solid #d0d3d9}
h1{text-align:center;font-size:24px;letter-spacing:6px;margin:0 0 4px}
.meta{display:flex;justify-content:space-between;margin-bottom:8px;color:#4e5969}
table.form{border-collapse:collapse;width:100%;table-layout:fixed}
table.form th,table.form td{border:1px solid #1f2329;padding:5px 6px;vertical-align:top;word-break:break-all}
table.form th{background:#f2f3f5;font-weight:normal;width:8.5em;text-align:left}
table.form td.section{background:#e5e6eb;font-weight:bold;letter-spacing:2px}
table.inner{border-collapse:collapse;width:100%}
table.inner th,table.inner td{border:1px solid #86909c;padding:3px 5px;font-size:12px;width:auto}
.blank{display:inline-block;min-width:7em;border-bottom:1px solid #86909c;height:1em}
.tall{height:3.2em}
.warn{color:#c7000b;font-weight:bold}
.ok{color:#00754a;font-weight:bold}
.reason{font-size:12px;color:#4e5969}
.sign{height:3.5em}
footer{margin-top:12px;font-size:11px;color:#86909c}
@page{size:A4;margin:12mm}
@media print{body{background:#fff}main{margin:0;border:none;padding:0;max-width:none}tr{break-inside:avoid}}
`;

function dispatchRows(dispatches: readonly DispatchView[]): string {
  if (dispatches.length === 0) return '<tr><td colspan="4">无派出登记</td></tr>';
  return dispatches
    .map((d) => {
      const notice = d.notice
        ? `${at(d.notice.toldAt)} ${escapeHtml(channelLabels[d.notice.channel] ?? d.notice.channel)}告知，改约 ${escapeHtml(d.notice.promisedOn)}${d.notice.inAdvance ? '' : '（未在时限前）'}`
        : '—';
      const flag = flagLabels[d.flags.flag] ?? d.flags.flag;
      return `<tr><th>派出 #${d.id}</th><td colspan="3">
<table class="inner"><tr><th>派出人员</th><td>${v(d.lead.displayName)}</td><th>事由</th><td>${d.purpose === 'inspection' ? '现场检查' : '维修'}</td><th>状态</th><td>${escapeHtml(dispatchStatusLabels[d.status] ?? d.status)}</td></tr>
<tr><th>应到达时限</th><td>${deadline(d.deadlineAt)}</td><th>计划日期</th><td>${v(d.plannedOn)}</td><th>到达时间</th><td>${at(d.arrivedAt)}</td></tr>
<tr><th>提前告知客户</th><td colspan="3">${notice}</td><th>时效</th><td class="${d.flags.flag === 'late_without_notice' ? 'warn' : ''}">${escapeHtml(flag)}</td></tr>
<tr><th>到达地点</th><td colspan="5">${v(d.destination)}</td></tr></table></td></tr>`;
    })
    .join('');
}

/** The record form as one HTML page. */
export function serviceRecordPage(options: {
  shopName: string;
  view: RecordView;
  dispatches: readonly DispatchView[];
  printedAt: Date;
  /** full: the contact in full (the print is a reveal, in the audit trail); masked: as the other answers */
  contact?: 'full' | 'masked';
}): string {
  const { view, dispatches } = options;
  const r = view.record;
  const p = r.product;
  const a = view.archive;
  const w = r.warranty;
  const warranty = w
    ? `<span class="${w.inWarranty ? 'ok' : 'warn'}">${w.inWarranty ? '在保修期内' : w.state === 'expired' ? '已过保修期' : '保修未起算'}</span><div class="reason">${escapeHtml(w.reason['zh-CN'])}</div>`
    : '<span class="warn">产品未确定（紧急情况，手续待补充）</span>';
  const decision = r.decision
    ? `${box(r.decision.billing === 'free')} 无偿维修 ${box(r.decision.billing === 'paid')} 有偿维修  领导：${v(r.decision.by.name)} ${at(r.decision.at)}${r.decision.note ? `<div class="reason">${escapeHtml(r.decision.note)}</div>` : ''}`
    : r.coverage === 'in_warranty'
      ? '保修期内，无偿维修（S5.4）'
      : `${box(false)} 无偿维修 ${box(false)} 有偿维修  领导签字：<span class="blank"></span>`;
  const assignee = r.assignee ? `${escapeHtml(r.assignee.name)}(${escapeHtml(unitLabels[r.assignee.unit] ?? r.assignee.unit)})` : '<span class="blank"></span>';
  const q = r.quote;
  const quoteItems = q
    ? `<table class="inner"><tr><th>收费项目</th><th>标准编号</th><th>数量</th><th>单价</th><th>金额</th></tr>${q.items
        .map((i) => `<tr><td>${escapeHtml(i.description)}</td><td>${v(i.standardCode)}</td><td>${i.quantity}</td><td>${yuan(i.unitPriceFen)}</td><td>${yuan(i.amountFen)}</td></tr>`)
        .join('')}<tr><th colspan="4">合计</th><td>${yuan(q.totalFen)}</td></tr></table>`
    : '<div class="tall"></div>';
  const work = r.work;
  const parts =
    work && work.parts.length > 0
      ? `<table class="inner"><tr><th>配件名称</th><th>型号</th><th>数量</th></tr>${work.parts.map((x) => `<tr><td>${escapeHtml(x.name)}</td><td>${v(x.model)}</td><td>${x.quantity}</td></tr>`).join('')}</table>`
      : work
        ? '无'
        : '<div class="tall"></div>';
  const followUps =
    r.followUps.length > 0
      ? `<table class="inner"><tr><th>回访时间</th><th>回访人</th><th>是否接通</th><th>满意度</th><th>客户意见</th></tr>${r.followUps
          .map(
            (f) =>
              `<tr><td>${at(f.at)}</td><td>${escapeHtml(f.by.name)}</td><td>${f.reached ? '接通' : '未接通'}</td><td>${f.satisfaction === null ? '—' : `${f.satisfaction} ${escapeHtml(satisfactionLabels[f.satisfaction]['zh-CN'])}`}</td><td>${v(f.comments)}</td></tr>`,
          )
          .join('')}</table>`
      : `回访时间：<span class="blank"></span> 满意度：${[1, 2, 3, 4, 5].map((s) => `${box(false)}${s}`).join(' ')} 客户意见：<span class="blank"></span>`;
  const gaps =
    view.gaps.length > 0
      ? `<tr><th>手续待补充</th><td colspan="3" class="warn">紧急情况先行处理（S5.8），待补充：${view.gaps.map((g) => escapeHtml(g.label['zh-CN'])).join('、')}</td></tr>`
      : '';
  const followUpDue = view.followUp && view.followUp.dueAt ? `（回访应于 ${at(view.followUp.dueAt)} 起进行）` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>售后服务及维修记录单 No.${view.id}</title><style>${style}</style></head>
<body><main>
<h1>售后服务及维修记录单</h1>
<div class="meta"><span>${escapeHtml(options.shopName)}</span><span>编号：No.${String(view.id).padStart(6, '0')}</span><span>状态：${escapeHtml(statusLabels[view.status] ?? view.status)}</span></div>
<table class="form">
<tr><td class="section" colspan="4">一、来电登记（市场部内勤）</td></tr>
<tr><th>来电时间</th><td>${at(r.call.at)}</td><th>接听人</th><td>${v(r.call.receivedBy.name)}</td></tr>
<tr><th>来电人</th><td>${v(r.call.callerName)}</td><th>来电号码</th><td>${v(r.call.callerPhone)}</td></tr>
<tr><th>来电单位</th><td colspan="3">${v(view.callerOrganisation ?? p?.organisation)}</td></tr>
<tr><td class="section" colspan="4">二、产品及保修（售后档案${p ? ` #${p.archiveId}` : ''}）</td></tr>
<tr><th>客户单位</th><td>${v(p?.organisation)}</td><th>联系人/电话</th><td>${v(p?.contact)} ${v(p?.phone)}</td></tr>
<tr><th>设备所在地址</th><td colspan="3">${v(p?.siteAddress)}</td></tr>
<tr><th>产品名称/型号</th><td>${v(p?.product)}</td><th>出厂编号</th><td>${v(p?.serialNo)}</td></tr>
<tr><th>合同编号</th><td>${v(p?.contractNo)}</td><th>项目类别</th><td>${p ? escapeHtml(marketLabels[p.market]['zh-CN']) : '<span class="blank"></span>'}</td></tr>
<tr><th>保修起止</th><td>${v(w?.start)} 至 ${v(w?.end)}</td><th>保修期限</th><td>${a ? escapeHtml(periodLabel(a.warrantyPeriod)['zh-CN']) : w ? escapeHtml(periodLabel(w.period)['zh-CN']) : '<span class="blank"></span>'}</td></tr>
<tr><th>是否在保</th><td colspan="3">${warranty}</td></tr>
<tr><td class="section" colspan="4">三、故障情况</td></tr>
<tr><th>故障描述</th><td colspan="3" class="tall">${v(r.call.fault)}</td></tr>
<tr><th>电话解决</th><td colspan="3">${r.phoneSolution ? `${box(true)} 是：${escapeHtml(r.phoneSolution.solution)}` : `${box(false)} 是 ${box(true)} 否`}</td></tr>
${r.emergency ? `<tr><th>紧急情况</th><td colspan="3">${box(true)} 先行处理，开始于 ${at(r.emergency.startedAt)}(${escapeHtml(r.emergency.declaredBy.name)})${r.emergency.note ? `:${escapeHtml(r.emergency.note)}` : ''}</td></tr>` : ''}
${gaps}
<tr><td class="section" colspan="4">四、处理意见</td></tr>
<tr><th>维修方式</th><td colspan="3">${decision}</td></tr>
<tr><th>交负责人</th><td>${assignee}</td><th>交接时间</th><td>${at(r.assignments[r.assignments.length - 1]?.at)}</td></tr>
<tr><td class="section" colspan="4">五、售后派出登记（当天或第二天到达现场，不能到达须提前告知客户）</td></tr>
${dispatchRows(dispatches)}
<tr><td class="section" colspan="4">六、现场检查及报价（有偿维修）</td></tr>
<tr><th>检查情况</th><td colspan="3">${v(q?.findings)}</td></tr>
<tr><th>收费标准</th><td colspan="3">${v(q?.feeStandard)}</td></tr>
<tr><th>费用明细</th><td colspan="3">${quoteItems}</td></tr>
<tr><th>客户选择</th><td colspan="3">${box(r.customerDecision?.accepted === true)} 同意维修 ${box(r.customerDecision?.accepted === false)} 不维修 ${r.customerDecision ? at(r.customerDecision.at) : ''}${r.customerDecision?.note ? `<div class="reason">${escapeHtml(r.customerDecision.note)}</div>` : ''}</td></tr>
<tr><td class="section" colspan="4">七、维修情况（负责人填写）</td></tr>
<tr><th>维修方式</th><td>${work ? (work.method === 'phone' ? '电话处理' : '现场维修') : '<span class="blank"></span>'}</td><th>完成时间</th><td>${at(work?.finishedAt)}</td></tr>
<tr><th>维修内容</th><td colspan="3" class="tall">${v(work?.workDone)}</td></tr>
<tr><th>更换配件</th><td colspan="3">${parts}</td></tr>
<tr><th>工时</th><td>${work ? `${work.labourMinutes} 分钟` : '<span class="blank"></span>'}</td><th>负责人</th><td>${v(work?.by.name)}</td></tr>
<tr><td class="section" colspan="4">八、收款及发票</td></tr>
<tr><th>收款金额</th><td>${yuan(r.payment?.amountFen)}</td><th>收款方式/日期</th><td>${r.payment ? `${escapeHtml(paymentLabels[r.payment.method] ?? r.payment.method)} ${escapeHtml(r.payment.receivedOn)}` : '<span class="blank"></span>'}</td></tr>
<tr><th>发票号码</th><td>${v(r.invoice?.number)}</td><th>开票日期/金额</th><td>${r.invoice ? `${escapeHtml(r.invoice.issueDate)} ${yuan(r.invoice.amountFen)}` : '<span class="blank"></span>'}</td></tr>
<tr><td class="section" colspan="4">九、交回存档</td></tr>
<tr><th>交回内勤</th><td>${at(r.returnedAt)}</td><th>存档</th><td>${r.archived ? `${at(r.archived.at)} ${escapeHtml(r.archived.by.name)}` : '<span class="blank"></span>'}</td></tr>
<tr><td class="section" colspan="4">十、回访记录（交回三日后） ${followUpDue}</td></tr>
<tr><td colspan="4">${followUps}</td></tr>
${r.cancelled ? `<tr><th>取消</th><td colspan="3">${at(r.cancelled.at)} ${escapeHtml(r.cancelled.by.name)}:${escapeHtml(r.cancelled.reason)}</td></tr>` : ''}
<tr><th>负责人签字</th><td class="sign"></td><th>内勤签字</th><td class="sign"></td></tr>
<tr><th>客户签字</th><td class="sign"></td><th>领导签字</th><td class="sign"></td></tr>
</table>
<footer>打印于 ${at(options.printedAt.toISOString())} · 记录版本 ${view.version}${
    options.contact === 'full'
      ? ' · 含客户完整电话和地址，本次打印已记入审计日志，请妥善保管，用后交回内勤存档'
      : options.contact === 'masked'
        ? ' · 客户电话和地址已隐去部分内容'
        : ''
  }</footer>
</main></body></html>`;
}
