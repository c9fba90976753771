/** The TMC topics the sim publishes, and the app key platform messages are published under. */

/** pub_app_key of messages Taobao itself publishes */
export const PLATFORM_APP_KEY = '12497914';

export const knownTopics = [
  'taobao_refund_RefundCreated',
  'taobao_refund_RefundSellerAgreeAgreement',
  'taobao_refund_RefundSellerRefuseAgreement',
  'taobao_refund_RefundBuyerModifyAgreement',
  'taobao_refund_RefundBuyerReturnGoods',
  'taobao_refund_RefundCreateMessage',
  'taobao_refund_RefundClosed',
  'taobao_refund_RefundSuccess',
  'taobao_refund_TaobaoInterApplied',
  'taobao_refund_TaobaoIntervened',
  'taobao_trade_TradeCreate',
  'taobao_trade_TradeBuyerPay',
  'taobao_trade_TradeSellerShip',
  'taobao_trade_TradeSuccess',
  'taobao_trade_TradeClose',
  'taobao_trade_TradeMemoModified',
  'taobao_trade_TradePartlyRefund',
] as const;
export type Topic = (typeof knownTopics)[number];
