/**
 * Issue 14 §1: what a spreadsheet import reads, field by field: the shop's
 * order report and refund report as the platform exports them. Each field has
 * the header names of the platform's export and their common variants (the
 * first that a file has wins, so the order is a preference), whether it is
 * required, and its name in zh-CN and en for the mapping step.
 *
 * Pure data without imports: the web app reads it through src/contract.
 */

export const importKinds = ['orders', 'refunds'] as const;
/** orders: the order report (订单报表, one row per order or per line); refunds: the refund report (退款报表) */
export type ImportKind = (typeof importKinds)[number];

export interface ImportField {
  key: string;
  /** true: the row is refused without it; a string: one field of that group is needed (退款类型 or 是否需要退货) */
  required: boolean | string;
  label: { 'zh-CN': string; en: string };
  /** header names as exports write them, in order of preference */
  aliases: readonly string[];
}

const field = (key: string, zh: string, en: string, aliases: readonly string[], required: boolean | string = false): ImportField => ({
  key,
  required,
  label: { 'zh-CN': zh, en },
  aliases,
});

export const orderFields = [
  field('orderNo', '订单编号', 'Order number', ['订单编号', '订单号', '主订单编号', '交易编号', '订单ID', 'tid'], true),
  field('lineId', '子订单编号', 'Sub-order number', ['子订单编号', '子订单号', '子订单ID', 'oid']),
  field('buyerNick', '买家会员名', "Buyer's nick", ['买家会员名', '买家昵称', '买家旺旺', '旺旺名', '买家账号', '会员名']),
  field('paid', '买家实际支付金额', 'Amount paid', ['买家实际支付金额', '实付金额', '实际支付金额', '买家实付金额', '订单实付金额', '支付金额'], true),
  field('goods', '买家应付货款', 'Goods total', ['买家应付货款', '应付货款', '商品总价', '商品金额']),
  field('postage', '买家应付邮费', 'Postage', ['买家应付邮费', '邮费', '运费', '快递费']),
  field('status', '订单状态', 'Order status', ['订单状态', '交易状态'], true),
  field('receiverName', '收货人姓名', 'Consignee', ['收货人姓名', '收货人', '收件人姓名', '收件人']),
  field('phone', '联系手机', 'Mobile phone', ['联系手机', '收货人手机', '收货人手机号', '手机号码', '手机号', '手机', '联系电话']),
  field('address', '收货地址', 'Shipping address', ['收货地址', '收货人地址', '收件地址', '详细地址']),
  field('title', '宝贝标题', 'Item title', ['宝贝标题', '标题', '商品标题', '商品名称', '宝贝名称']),
  field('sku', '商家编码', 'Merchant SKU code', ['商家编码', 'SKU商家编码', '外部系统编号', '商品编码', 'SKU编码', '货号']),
  field('properties', '销售属性', 'SKU properties', ['销售属性', '商品属性', '宝贝属性', 'SKU属性', '颜色尺码', '规格']),
  field('quantity', '购买数量', 'Quantity', ['购买数量', '宝贝总数量', '宝贝数量', '商品数量', '数量']),
  field('unitPrice', '价格', 'Unit price', ['价格', '单价', '宝贝单价', '商品单价', '商品价格']),
  field('linePaid', '子订单实付金额', "Line's paid amount", ['子订单实付金额', '分摊后实付金额', '分摊实付金额']),
  field('courier', '物流公司', 'Courier', ['物流公司', '快递公司', '发货物流公司']),
  field('trackingNo', '物流单号', 'Tracking number', ['物流单号', '运单号', '快递单号', '发货物流单号']),
  field('createdAt', '订单创建时间', 'Created at', ['订单创建时间', '创建时间', '下单时间']),
  field('paidAt', '订单付款时间', 'Paid at', ['订单付款时间', '付款时间', '支付时间']),
  field('shippedAt', '发货时间', 'Shipped at', ['发货时间', '卖家发货时间']),
  field('finishedAt', '确认收货时间', 'Finished at', ['确认收货时间', '交易成功时间', '交易结束时间']),
  field('sellerMemo', '订单备注', "Seller's remark", ['订单备注', '商家备注', '卖家备注']),
] as const satisfies readonly ImportField[];

export const refundFields = [
  field('refundId', '退款编号', 'Refund number', ['退款编号', '退款单号', '退款ID', 'refund_id'], true),
  field('orderNo', '订单编号', 'Order number', ['订单编号', '订单号', '主订单编号', '交易编号', 'tid'], true),
  field('lineId', '子订单编号', 'Sub-order number', ['子订单编号', '子订单号', 'oid']),
  field('status', '退款状态', 'Refund status', ['退款状态', '售后状态'], true),
  field('refundType', '退款类型', 'Refund type', ['退款类型', '售后类型', '申请类型'], 'type'),
  field('needsReturn', '是否需要退货', 'Goods to return', ['是否需要退货', '需要退货', '是否退货'], 'type'),
  field('amount', '买家申请退款金额', 'Amount asked', ['买家申请退款金额', '申请退款金额', '退款金额', '买家退款金额'], true),
  field('reason', '退款原因', 'Reason', ['退款原因', '售后原因', '原因']),
  field('description', '退款说明', 'Description', ['退款说明', '退款描述', '买家退款说明', '问题描述', '说明']),
  field('buyerNick', '买家会员名', "Buyer's nick", ['买家会员名', '买家昵称', '买家旺旺', '会员名']),
  field('createdAt', '申请时间', 'Applied at', ['申请时间', '退款申请时间', '买家申请退款时间', '申请退款时间', '创建时间']),
  field('timeout', '超时时间', 'Times out at', ['超时时间', '退款超时时间', '处理超时时间', '超时截止时间']),
  field('courier', '物流公司', 'Return courier', ['物流公司', '退货物流公司', '退货快递公司']),
  field('trackingNo', '物流单号', 'Return tracking number', ['物流单号', '退货物流单号', '退货运单号', '退货快递单号']),
  field('phase', '售中或售后', 'On sale or after sale', ['售中或售后', '售中/售后', '退款阶段', '售后阶段']),
  field('goodsStatus', '货物状态', 'Goods status', ['货物状态', '买家收货状态', '收货状态']),
  field('intervention', '客服介入状态', 'Intervention', ['客服介入状态', '是否客服介入', '小二介入状态']),
] as const satisfies readonly ImportField[];

export type OrderFieldKey = (typeof orderFields)[number]['key'];
export type RefundFieldKey = (typeof refundFields)[number]['key'];

export const importFieldsOf: Record<ImportKind, readonly ImportField[]> = { orders: orderFields, refunds: refundFields };

/** At most this many data rows in one file (issue 14: up to 200,000). */
export const MAX_IMPORT_ROWS = 200_000;

/** The largest file accepted: a 200,000-row order report is about 56 MB as a GBK CSV, 75 MB in UTF-8, 27 MB as XLSX. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
