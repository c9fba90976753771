/**
 * Real-looking exports of a Taobao shop's back office, made on the spot (issue
 * 14 §1): the order report (one row per line of an order) and the refund
 * report, as a GBK or UTF-8 (BOM) CSV the way 千牛 writes it (long ids as
 * ="…" so that Excel keeps their digits) or as an XLSX with a merged title row
 * above the header. For the benchmark's 200,000 rows, the tests and the e2e
 * test; deterministic for a seed.
 */
import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Rand } from '../core/random.ts';

export const orderReportHeaders = [
  '订单编号',
  '买家会员名',
  '买家实际支付金额',
  '买家应付邮费',
  '订单状态',
  '收货人姓名',
  '联系手机',
  '收货地址',
  '宝贝标题',
  '商家编码',
  '销售属性',
  '购买数量',
  '价格',
  '物流公司',
  '物流单号',
  '订单创建时间',
  '订单付款时间',
  '订单备注',
] as const;

export const refundReportHeaders = ['退款编号', '订单编号', '买家会员名', '退款状态', '退款类型', '买家申请退款金额', '退款原因', '退款说明', '申请时间', '超时时间', '物流公司', '物流单号', '售中或售后'] as const;

export type OrderReportRow = Record<(typeof orderReportHeaders)[number], string>;
export type RefundReportRow = Record<(typeof refundReportHeaders)[number], string>;

const catalog = [
  { sku: 'XZ-2061', title: '春季新款真皮单鞋女 尖头细跟浅口', price: 19_900, sizes: ['35', '36', '37', '38'] },
  { sku: 'XZ-1032', title: '一字带细跟高跟鞋 8cm 婚鞋伴娘鞋', price: 25_900, sizes: ['35', '36', '37'] },
  { sku: 'XZ-3110', title: '百搭小白鞋女 真皮休闲板鞋', price: 12_900, sizes: ['36', '37', '38', '39'] },
  { sku: 'XZ-4201', title: '切尔西短靴女 粗跟弹力靴', price: 32_900, sizes: ['36', '37', '38'] },
];
const colours = ['黑色', '米白', '杏色', '酒红'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
const givenNames = ['小美', '丽娜', '婷婷', '晓燕', '静', '芳', '雪', '佳怡', '欣然', '思雨'];
const places = [
  ['浙江省', '杭州市', '西湖区', '文三路'],
  ['江苏省', '南京市', '鼓楼区', '中山北路'],
  ['广东省', '深圳市', '南山区', '科技园路'],
  ['上海市', '上海市', '浦东新区', '世纪大道'],
  ['四川省', '成都市', '武侯区', '人民南路'],
];
const couriers = [
  ['中通快递', 'ZT'],
  ['圆通速递', 'YT'],
  ['韵达快递', 'YD'],
  ['顺丰速运', 'SF'],
];
const orderStatuses: [string, number][] = [
  ['买家已付款，等待卖家发货', 2],
  ['卖家已发货，等待买家确认', 4],
  ['交易成功', 5],
  ['交易关闭', 1],
];

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const pad = (n: number) => String(n).padStart(2, '0');
/** A Shanghai wall-clock time as the exports write it. */
export function shanghaiText(at: Date): string {
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** An order number like Taobao's (19 digits) from a sequence number. */
export const sampleOrderNo = (n: number) => `39${String(10_000_000_000_000_000n + BigInt(n)).slice(1)}`;
export const sampleRefundNo = (n: number) => `20${String(1_000_000_000_000_000n + BigInt(n)).slice(1)}`;

/** The rows of `orders` orders (one to three lines each), paid before `before`. */
export function* sampleOrderRows(options: { orders: number; seed?: number; first?: number; before?: Date }): Generator<OrderReportRow> {
  const rand = new Rand(options.seed ?? 14);
  const before = (options.before ?? new Date('2026-11-20T02:00:00Z')).getTime();
  for (let i = 0; i < options.orders; i++) {
    const orderNo = sampleOrderNo((options.first ?? 1) + i);
    const lines = rand.weighted([
      [1, 6],
      [2, 3],
      [3, 1],
    ] as const);
    const items = Array.from({ length: lines }, () => {
      const p = rand.pick(catalog);
      return { ...p, size: rand.pick(p.sizes), colour: rand.pick(colours), quantity: rand.chance(0.9) ? 1 : 2 };
    });
    const postage = rand.chance(0.8) ? 0 : 1000;
    const paid = items.reduce((s, x) => s + x.price * x.quantity, 0) + postage - (rand.chance(0.3) ? 1000 : 0);
    const status = rand.weighted(orderStatuses);
    const shipped = status !== '买家已付款，等待卖家发货';
    const [courier, prefix] = rand.pick(couriers);
    const place = rand.pick(places);
    const paidAt = new Date(before - rand.int(3_600, 60 * 86_400) * 1000);
    const name = `${rand.pick(surnames)}${rand.pick(givenNames)}`;
    for (const item of items) {
      yield {
        订单编号: orderNo,
        买家会员名: `tb_${name}${rand.int(10, 99)}`,
        买家实际支付金额: yuan(paid),
        买家应付邮费: yuan(postage),
        订单状态: status,
        收货人姓名: name,
        联系手机: `1${rand.pick(['38', '39', '58', '86', '77'])}${String(rand.int(0, 99_999_999)).padStart(8, '0')}`,
        收货地址: `${place.join(' ')} ${rand.int(1, 999)} 号 ${rand.int(1, 20)} 幢 ${rand.int(101, 2502)}(310000)`,
        宝贝标题: item.title,
        商家编码: item.sku,
        销售属性: `颜色分类:${item.colour};尺码:${item.size}`,
        购买数量: String(item.quantity),
        价格: yuan(item.price),
        物流公司: shipped ? courier! : '',
        物流单号: shipped ? `${prefix}${String(rand.int(100_000_000, 999_999_999))}` : '',
        订单创建时间: shanghaiText(new Date(paidAt.getTime() - 60_000)),
        订单付款时间: shanghaiText(paidAt),
        订单备注: rand.chance(0.1) ? '顾客要求尽快发货' : '',
      };
    }
  }
}

/** The refund report's rows for some of `orderRows`' orders (their first line's amount). */
export function* sampleRefundRows(orderRows: Iterable<OrderReportRow>, options: { every?: number; seed?: number; first?: number } = {}): Generator<RefundReportRow> {
  const rand = new Rand(options.seed ?? 41);
  const seen = new Set<string>();
  let n = options.first ?? 1;
  for (const row of orderRows) {
    if (seen.has(row.订单编号)) continue;
    seen.add(row.订单编号);
    if (rand.int(1, options.every ?? 3) !== 1) continue;
    const returned = row.订单状态 !== '买家已付款，等待卖家发货' && rand.chance(0.5);
    const applied = new Date(new Date(`${row.订单付款时间.replace(' ', 'T')}+08:00`).getTime() + 3 * 86_400_000);
    const status = rand.pick(returned ? ['买家已经申请退款，等待卖家同意', '卖家已经同意退款，等待买家退货', '买家已经退货，等待卖家确认收货', '退款成功'] : ['买家已经申请退款，等待卖家同意', '退款成功', '退款关闭']);
    const sentBack = status === '买家已经退货，等待卖家确认收货' || (returned && status === '退款成功');
    yield {
      退款编号: sampleRefundNo(n++),
      订单编号: row.订单编号,
      买家会员名: row.买家会员名,
      退款状态: status,
      退款类型: returned ? '退货退款' : '仅退款',
      买家申请退款金额: row.价格,
      退款原因: rand.pick(['七天无理由退换货', '尺码拍错/不喜欢/效果不好', '商品质量问题', '未按约定时间发货']),
      退款说明: rand.chance(0.5) ? '鞋子偏小，想退' : '',
      申请时间: shanghaiText(applied),
      超时时间: status.startsWith('退款') ? '' : shanghaiText(new Date(applied.getTime() + 5 * 86_400_000)),
      物流公司: sentBack ? '圆通速递' : '',
      物流单号: sentBack ? `YT${rand.int(100_000_000, 999_999_999)}` : '',
      售中或售后: row.订单状态 === '交易成功' ? '售后' : '售中',
    };
  }
}

const idColumns = new Set(['订单编号', '退款编号', '子订单编号', '物流单号', '联系手机']);

/** The rows as a CSV the way the back office writes it: ids as ="…", CRLF; GBK, or UTF-8 with a BOM. */
export function toCsvBytes(headers: readonly string[], rows: Iterable<Record<string, string>>, encoding: 'gbk' | 'utf-8-bom'): Buffer {
  const parts: Buffer[] = [];
  const encode = (text: string) => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
  if (encoding === 'utf-8-bom') parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  parts.push(encode(stringify([headers as string[]], { record_delimiter: 'windows' })));
  let batch: string[][] = [];
  const flush = () => {
    if (batch.length === 0) return;
    parts.push(encode(stringify(batch, { record_delimiter: 'windows' })));
    batch = [];
  };
  for (const row of rows) {
    batch.push(headers.map((h) => (idColumns.has(h) && row[h] ? `="${row[h]}"` : (row[h] ?? ''))));
    if (batch.length >= 5000) flush();
  }
  flush();
  return Buffer.concat(parts);
}

/**
 * The rows as an XLSX written by exceljs's streaming writer with shared strings (as Excel writes them), with
 * a title row merged across the header above it (as the back office's exports have).
 */
export async function toXlsxBytes(headers: readonly string[], rows: Iterable<Record<string, string>>, options: { title?: string; sheet?: string } = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  const sheet = book.addWorksheet(options.sheet ?? '订单报表');
  let r = 1;
  if (options.title) {
    const title = sheet.getRow(r++);
    title.getCell(1).value = options.title;
    title.getCell(1).font = { bold: true, size: 14 };
    sheet.mergeCells(1, 1, 1, headers.length);
    title.commit();
  }
  const head = sheet.getRow(r++);
  headers.forEach((h, i) => (head.getCell(i + 1).value = h));
  head.font = { bold: true };
  head.commit();
  for (const row of rows) {
    const x = sheet.getRow(r++);
    headers.forEach((h, i) => {
      const v = row[h] ?? '';
      // amounts and quantities as numbers, as Excel keeps them; ids and everything else as text
      x.getCell(i + 1).value = v !== '' && /^(买家实际支付金额|买家应付邮费|价格|购买数量|买家申请退款金额)$/.test(h) ? Number(v) : v === '' ? null : v;
    });
    x.commit();
  }
  sheet.commit();
  await book.commit();
  await done;
  return Buffer.concat(chunks);
}
