/** S1.2: what really happened, recorded apart from the platform reason, for the supervisor's statistics. */
export const rootCauses = [
  'size_small',
  'size_large',
  'quality_defect',
  'not_as_pictured',
  'wrong_item_sent',
  'damaged_in_transit',
  'lost_parcel',
  'late_shipment',
  'out_of_stock',
  'changed_mind',
  'ordered_by_mistake',
  'price',
  'invoice',
  'other',
] as const;
export type RootCause = (typeof rootCauses)[number];

export const rootCauseLabels = {
  size_small: { 'zh-CN': '尺码偏小', en: 'Runs small' },
  size_large: { 'zh-CN': '尺码偏大', en: 'Runs large' },
  quality_defect: { 'zh-CN': '质量问题（开胶、断跟等）', en: 'Quality defect' },
  not_as_pictured: { 'zh-CN': '与页面图片不符（鞋跟、鞋面花纹、鞋头）', en: 'Not as pictured' },
  wrong_item_sent: { 'zh-CN': '发错货', en: 'Wrong item sent' },
  damaged_in_transit: { 'zh-CN': '运输破损', en: 'Damaged in transit' },
  lost_parcel: { 'zh-CN': '快递掉件', en: 'Lost parcel' },
  late_shipment: { 'zh-CN': '发货慢', en: 'Shipped late' },
  out_of_stock: { 'zh-CN': '缺货', en: 'Out of stock' },
  changed_mind: { 'zh-CN': '不想要了', en: 'Changed mind' },
  ordered_by_mistake: { 'zh-CN': '拍错/多拍', en: 'Ordered by mistake' },
  price: { 'zh-CN': '价格/活动', en: 'Price or promotion' },
  invoice: { 'zh-CN': '发票', en: 'Invoice' },
  other: { 'zh-CN': '其他', en: 'Other' },
} as const satisfies Record<RootCause, { 'zh-CN': string; en: string }>;
