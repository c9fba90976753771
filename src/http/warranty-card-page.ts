/**
 * S4.1 the warranty card (售后保障卡) as a printable page: self-contained HTML
 * in zh-CN with its style inline and no script (the CSP allows inline styles,
 * not scripts). It prints on A4, and the browser's print dialog saves it as a
 * PDF. Every value is escaped; placeholders of the directory, a missing
 * hotline or phone read 待补充.
 */
import type { WarrantyCard } from '../app/warranty/devices.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const TODO = '<span class="todo">待补充</span>';

/** A value, or 待补充 when the shop has not filled it. */
const orTodo = (value: string | null | undefined) => (value && value.trim() ? escapeHtml(value) : TODO);

const style = `
*{box-sizing:border-box}
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;margin:0;background:#f4f5f7;line-height:1.6}
main{max-width:800px;margin:24px auto;background:#fff;padding:32px 40px;border:1px solid #d0d3d9}
header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:3px double #1f2329;padding-bottom:8px;margin-bottom:16px}
h1{font-size:26px;margin:0;letter-spacing:4px}
h2{font-size:17px;margin:20px 0 8px;padding-left:8px;border-left:4px solid #c7000b}
h3{font-size:14px;margin:0}
.shop{margin:0;color:#4e5969}
dl{display:grid;grid-template-columns:8em 1fr;gap:4px 12px;margin:0}
dt{color:#4e5969}
dd{margin:0}
ol.clauses{margin:0;padding-left:1.4em}
ol.clauses li{margin-bottom:8px}
ol.clauses p{margin:2px 0 0;font-size:13px}
.rule{color:#86909c;font-size:12px;font-weight:normal}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #c9cdd4;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f2f3f5}
.todo{color:#b45309;font-weight:bold}
tr.placeholder td{background:#fff7e8}
.note{font-size:12px;color:#4e5969}
footer{margin-top:24px;border-top:1px solid #c9cdd4;padding-top:8px;font-size:12px;color:#86909c}
@page{size:A4;margin:14mm}
@media print{body{background:#fff}main{margin:0;border:none;padding:0;max-width:none}footer .screen-only{display:none}h2{break-after:avoid}tr,li{break-inside:avoid}}
`;

export function warrantyCardPage(card: WarrantyCard): string {
  const d = card.device;
  const brandName = (id: string) => card.brands.find((b) => b.id === id)?.zh ?? id;
  const lookup = card.servicePointLookup;
  // a county-level city or new area (定州, 辛集, 雄安新区…) is served by its city's points: the card says so
  const cityTitle = lookup.city ? (lookup.place ? `${escapeHtml(lookup.place)}（由${escapeHtml(lookup.city)}网点服务）` : escapeHtml(lookup.city)) : '您所在地区';
  const periodStart = d.hostPeriodsFrom
    ? `本机为换货所得新主机，主机三包有效期自换货之日（${escapeHtml(d.hostPeriodsFrom)}）起重新计算；附件仍自${d.invoiceDate ? '开具发票' : '购买'}之日起计算。`
    : d.invoiceDate
      ? `三包有效期自开具发票之日（${escapeHtml(d.invoiceDate)}）起计算，扣除三包修理占用的时间。`
      : '三包有效期自购买之日起计算，扣除三包修理占用的时间。';
  const brandTitle = lookup.brand ? escapeHtml(lookup.brand.zh) : escapeHtml(d.brand);
  const rows = card.servicePoints.map((p) =>
    p.status === 'to_be_filled'
      ? `<tr class="placeholder" data-point="${escapeHtml(p.id)}"><td>${escapeHtml(p.city)} · ${escapeHtml(brandName(p.brandId))}售后网点</td><td colspan="3">${TODO}（网点名称、地址、电话由本店补充）</td></tr>`
      : `<tr data-point="${escapeHtml(p.id)}"><td>${orTodo(p.name)}</td><td>${orTodo(p.address)}</td><td>${orTodo(p.phone)}</td><td>${p.hours ? escapeHtml(p.hours) : '—'}</td></tr>`,
  );
  const points =
    rows.length > 0
      ? `<table><thead><tr><th>网点</th><th>地址</th><th>电话</th><th>营业时间</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
      : `<p>本地区暂未登记${brandTitle}售后网点。如手机出现故障，请先联系客服，同意《售后寄回检测细则》后寄回我司检测（地址见下方）。</p>`;
  const contact = card.returnContact;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>售后保障卡 · ${escapeHtml(d.brand)} ${escapeHtml(d.model)}</title>
<style>${style}</style>
</head>
<body>
<main>
<header><h1>售后保障卡</h1><p class="shop">${escapeHtml(card.shopName)}</p></header>

<section>
<h2>机器信息</h2>
<dl>
<dt>品牌型号</dt><dd>${escapeHtml(d.brand)} ${escapeHtml(d.model)}</dd>
<dt>${d.idKind === 'imei' ? 'IMEI 串号' : 'MEID 串号'}</dt><dd>${escapeHtml(d.deviceId)}</dd>
<dt>订单编号</dt><dd>${d.orderNo ? escapeHtml(d.orderNo) : '—'}</dd>
<dt>购买日期</dt><dd>${escapeHtml(d.purchaseDate)}</dd>
${d.invoiceDate ? `<dt>发票日期</dt><dd>${escapeHtml(d.invoiceDate)}</dd>` : ''}
${d.deliveryDate ? `<dt>签收日期</dt><dd>${escapeHtml(d.deliveryDate)}</dd>` : ''}
${d.hostPeriodsFrom ? `<dt>换货日期</dt><dd>${escapeHtml(d.hostPeriodsFrom)}</dd>` : ''}
<dt>所在地区</dt><dd>${escapeHtml(card.region)}</dd>
<dt>随机附件</dt><dd>${d.accessories.length > 0 ? d.accessories.map((a) => `${escapeHtml(a.name ?? accessoryNames[a.kind] ?? a.kind)}${a.origin === 'gift' ? '（赠品，不作保修）' : ''}`).join('、') : '—'}</dd>
</dl>
</section>

<section>
<h2>三包政策</h2>
<p class="note">${escapeHtml(card.policy.nameZh)}（第 ${card.policy.version} 版）。${periodStart}</p>
<ol class="clauses">
${card.policyClauses.map((c) => `<li data-clause="${escapeHtml(c.id)}"><h3>${escapeHtml(c.titleZh)} <span class="rule">${escapeHtml(c.rule)}</span></h3><p>${escapeHtml(c.textZh)}${c.citation ? `<br><small>依据：${escapeHtml(c.citation)}</small>` : ''}</p></li>`).join('\n')}
</ol>
</section>

<section>
<h2>${cityTitle}售后网点（${brandTitle}）</h2>
${points}
</section>

<section>
<h2>简易故障自行处理</h2>
<ul>
${card.selfFixes.map((f) => `<li><strong>${escapeHtml(f.problemZh)}</strong>：${escapeHtml(f.zh)}</li>`).join('\n')}
</ul>
<p class="note">如自行处理后仍未解决，请带手机、保修卡和发票前往当地售后网点检测；当地没有网点的，请联系客服，同意《售后寄回检测细则》后寄回我司检测，并标注手机故障。</p>
</section>

<section>
<h2>联系我们</h2>
<dl>
<dt>售后客服热线</dt><dd>${orTodo(card.hotline)}</dd>
<dt>退换货地址</dt><dd>${orTodo(contact.address)}</dd>
<dt>收货人</dt><dd>${orTodo(contact.consignee)}</dd>
<dt>收货电话</dt><dd>${orTodo(contact.phone)}</dd>
</dl>
</section>

<footer>请妥善保管本卡，售后时随机寄回。<span class="screen-only">打印或保存为 PDF：使用浏览器的“打印”（Ctrl+P / ⌘P），目标选择“另存为 PDF”。</span></footer>
</main>
</body>
</html>
`;
}

const accessoryNames: Record<string, string> = {
  battery: '电池',
  charger: '充电器',
  wired_earphones: '有线耳机',
  bluetooth_headset: '蓝牙耳机',
  memory_card: '存储卡',
  data_cable: '数据线',
  other: '其他',
};
