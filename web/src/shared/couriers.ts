/** The couriers Chinese shops and buyers use most; any other is typed in. */
export const COMMON_COURIERS = ['顺丰速运', '中通快递', '圆通速递', '韵达快递', '申通快递', '极兔速递', '京东快递', '邮政EMS', '德邦快递'] as const;
