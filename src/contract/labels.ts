/** zh-CN and en labels of the engine's vocabulary: one source for the API, exports and the web app. */
import type {
  DeadlineKind,
  GoodsStatus,
  ReasonCode,
  RefundPhase,
  RefundStatus,
  RefundType,
  TradeStatus,
  SyncState,
} from '../core/refund/refund-model.ts';

export interface Label {
  'zh-CN': string;
  en: string;
}

export const reasonLabels = {
  no_reason_7d: { 'zh-CN': '7天无理由', en: '7-day no-reason return' },
  not_as_described: { 'zh-CN': '收到商品不符', en: 'Not as described' },
  quality: { 'zh-CN': '商品质量问题', en: 'Quality problem' },
  damaged: { 'zh-CN': '收到商品破损', en: 'Arrived damaged' },
  postage: { 'zh-CN': '退运费', en: 'Postage refund' },
  not_received: { 'zh-CN': '未收到货', en: 'Not received' },
  invoice: { 'zh-CN': '发票问题', en: 'Invoice problem' },
  unwanted: { 'zh-CN': '不想要了', en: 'No longer wanted' },
  wrong_order: { 'zh-CN': '拍错/多拍', en: 'Ordered by mistake' },
  late_shipment: { 'zh-CN': '未按约定时间发货', en: 'Not shipped on time' },
  out_of_stock: { 'zh-CN': '卖家缺货', en: 'Out of stock' },
  negotiated: { 'zh-CN': '与卖家协商一致', en: 'Agreed with the seller' },
  price_difference: { 'zh-CN': '退差价', en: 'Price difference' },
  other: { 'zh-CN': '其他原因', en: 'Other reason' },
} as const satisfies Record<ReasonCode, Label>;

export const syncStateLabels = {
  pending: { 'zh-CN': '同步中', en: 'Syncing' },
  synced: { 'zh-CN': '已同步', en: 'Synced' },
  failed: { 'zh-CN': '同步失败', en: 'Sync failed' },
} as const satisfies Record<SyncState, Label>;

export const refundStatusLabels = {
  WAIT_SELLER_AGREE: { 'zh-CN': '买家已申请退款，等待卖家同意', en: 'Waiting for the seller to agree' },
  WAIT_BUYER_RETURN_GOODS: { 'zh-CN': '退款协议达成，等待买家退货', en: 'Agreed; waiting for the buyer to return the goods' },
  WAIT_SELLER_CONFIRM_GOODS: { 'zh-CN': '买家已退货，等待卖家确认收货', en: 'Returned; waiting for the seller to confirm receipt' },
  SELLER_REFUSE_BUYER: { 'zh-CN': '卖家拒绝退款', en: 'Refused by the seller' },
  CLOSED: { 'zh-CN': '退款关闭', en: 'Closed' },
  SUCCESS: { 'zh-CN': '退款成功', en: 'Refunded' },
} as const satisfies Record<RefundStatus, Label>;

export const tradeStatusLabels = {
  WAIT_SELLER_SEND_GOODS: { 'zh-CN': '买家已付款，等待卖家发货', en: 'Paid; waiting for shipment' },
  WAIT_BUYER_CONFIRM_GOODS: { 'zh-CN': '卖家已发货', en: 'Shipped' },
  TRADE_FINISHED: { 'zh-CN': '交易成功', en: 'Finished' },
  TRADE_CLOSED: { 'zh-CN': '交易关闭', en: 'Closed' },
} as const satisfies Record<TradeStatus, Label>;

export const refundTypeLabels = {
  refund_only: { 'zh-CN': '仅退款', en: 'Refund only' },
  return_and_refund: { 'zh-CN': '退货退款', en: 'Return and refund' },
} as const satisfies Record<RefundType, Label>;

export const goodsStatusLabels = {
  not_received: { 'zh-CN': '未收到货', en: 'Not received' },
  received: { 'zh-CN': '已收到货', en: 'Received' },
  returned: { 'zh-CN': '已退货', en: 'Returned' },
} as const satisfies Record<GoodsStatus, Label>;

export const phaseLabels = {
  on_sale: { 'zh-CN': '售中', en: 'On sale' },
  after_sale: { 'zh-CN': '售后', en: 'After sale' },
} as const satisfies Record<RefundPhase, Label>;

export const deadlineLabels = {
  seller_answer: { 'zh-CN': '卖家处理退款申请，超时自动同意', en: 'Seller to answer; agreed automatically when it passes' },
  buyer_return: { 'zh-CN': '买家退货，超时退款关闭', en: 'Buyer to ship the return; closes when it passes' },
  seller_confirm: { 'zh-CN': '卖家确认收货，超时自动退款', en: 'Seller to confirm receipt; refunded automatically when it passes' },
  buyer_after_refusal: { 'zh-CN': '买家修改申请或要求客服介入，超时退款关闭', en: 'Buyer to modify or ask for intervention; closes when it passes' },
  platform_decision: { 'zh-CN': '淘宝客服介入处理（7个工作日内）', en: 'Platform to decide (within 7 working days)' },
} as const satisfies Record<DeadlineKind, Label>;
