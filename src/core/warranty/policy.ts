/**
 * The 三包 policy for mobile phones as data (S4.2–S4.5): a versioned table a
 * shop may copy and edit. Every period, condition, postage share, list of
 * things to send and clause text that `decideWarranty` uses comes from here,
 * so a decision can quote the clause that decides it.
 *
 * The clause texts quote the seed (第四篇 售后流程范本, written in traditional
 * characters) in simplified characters, with its typing slips mended: 格承担 →
 * 各承担, 全套退会 → 全套退回, 发挥我司 → 发回我司, 出售是原样 → 出售时原样, 造人为 →
 * 遭人为, 电池带有触电 → 触点; the garbled "??ǎl票" reads 保修卡、发票 (the card
 * and the invoice).
 *
 * Clauses that rest on the national rules carry their article as data
 * (`citation`), so a shop can check and correct it like any other text. The
 * articles of 《移动电话机商品修理更换退货责任规定》 cited here: 第十一条 (7日),
 * 第十二条 (8–15日), 第十三条 (two repairs) and 第十六条 were read in a copy of
 * the rules' text; 第十八条 (the 三包有效期 from the invoice, less repair days)
 * and 第二十一条 (an exchange starts the periods again) come from secondary
 * sources and are worth checking against the official text.
 */
import type { Period, PeriodUnit } from './periods.ts';

/** What the buyer gets (S4.2–S4.4). */
export const remedies = [
  /** 退货: the goods come back, the buyer is refunded */
  'return',
  /** 换货: a new host of the same model; the accessories are not exchanged (S4.5) */
  'exchange_host',
  /** a new accessory of the same model (S4.2) */
  'exchange_accessory',
  /** 免费保修 */
  'free_repair',
  /** repair at the buyer's cost (out of warranty) */
  'paid_repair',
  /** nothing under 三包: what was sent comes back as it is (S4.3 全套退回) */
  'no_remedy',
] as const;
export type Remedy = (typeof remedies)[number];

/** The accessories the seed gives a 三包 period (S4.2). */
export const accessoryKinds = [
  /** 电池 */
  'battery',
  /** 外接有线耳机 */
  'wired_earphones',
  /** 多媒体卡 (memory card) */
  'memory_card',
  /** 原装充电器 */
  'charger',
  /** 原装蓝牙耳机 */
  'bluetooth_headset',
] as const;
export type AccessoryKind = (typeof accessoryKinds)[number];
export type ItemPart = 'host' | AccessoryKind;

/** Who may confirm a fault so that it counts (S4.2 厂家授权客服中心; S4.3/S4.4 our own test when there is no local centre). */
export const faultConfirmers = [
  /** 厂家授权客服中心 / 厂家维修中心或特约维修点 */
  'authorised_centre',
  /** 我司检测: the buyer accepted our test report (S4.3) */
  'our_test',
] as const;
export type FaultConfirmer = (typeof faultConfirmers)[number];

/** Marks that make a returned phone unsellable (S4.4 影响二次销售). */
export const resaleMarks = [
  /** 手机电池带有触点 (the battery shows contact marks: it has been used) */
  'battery_contact_marks',
  /** 有使用记录 */
  'usage_records',
  /** 手机配件封标损坏 */
  'accessory_seal_broken',
  /** 手机及配件遭人为原因损坏 */
  'human_damage',
] as const;
export type ResaleMark = (typeof resaleMarks)[number];

/** What a buyer may have to send (S4.4: everything as sold; S4.6: a note of the fault). */
export const sendItems = [
  'host',
  'accessories',
  'faulty_accessory',
  'manual',
  'warranty_card',
  'invoice',
  'labels',
  'packaging',
  'reason_note',
  'fault_note',
  'test_report',
] as const;
export type SendItem = (typeof sendItems)[number];

/** Where a clause's text comes from. */
export type ClauseSource =
  /** the seed's text (第四篇), quoted */
  | 'seed'
  /** the national rules (移动电话机商品修理更换退货责任规定) or law, not in the seed */
  | 'national'
  /** the shop's own wording, filling a gap the seed leaves */
  | 'shop';

export interface Clause {
  id: string;
  /** the MISSION rule it implements, e.g. S4.2 */
  rule: string;
  titleZh: string;
  titleEn: string;
  /** the text a decision quotes (zh-CN) */
  textZh: string;
  source: ClauseSource;
  /** the law and article it rests on, e.g. 《移动电话机商品修理更换退货责任规定》第十三条 */
  citation?: string | null | undefined;
}

/** When a period starts: the purchase (S4.2 自购买之日起) or the delivery (签收). */
export type PeriodStart = 'purchase' | 'delivery';

/** One step of the remedy ladder: within `period` of `from`, a confirmed fault and the condition give `grants`. */
export interface RemedyRung {
  id: string;
  clauseId: string;
  /** the remedies it gives, best first; the buyer may choose any (退换: return or exchange) */
  grants: readonly [Remedy, ...Remedy[]];
  period: Period;
  from: PeriodStart;
  /** whether the fault must be confirmed, and by whom */
  confirmation: { required: boolean; acceptedBy: readonly FaultConfirmer[] };
  /** 外观无划伤 */
  requireNoScratches: boolean;
  /** 附件无损坏 */
  requireAccessoriesIntact: boolean;
  /** the 三包有效期: the days the item spent in 三包 repair are added to it (扣除因修理占用的时间); not the 7/15-day windows, which count from the sale */
  extendedByRepairDays: boolean;
}

/** How the periods are counted beyond the count itself (the national rules and the Civil Code). */
export interface PeriodRules {
  /** periods "from the purchase" start on the invoice date when the sale has one (自开具发票之日起计算), else the purchase date */
  fromInvoice: boolean;
  /** the clause of the invoice start and of the repair days (三包有效期) */
  validityClauseId: string;
  /** an exchanged host's periods start again on the exchange day (换货之日起重新计算) */
  exchangeRestarts: boolean;
  exchangeRestartClauseId: string;
  /** 民法典 第二百零三条: a last day that is a day off moves to the next working day; off by default */
  holidayEndsNextWorkingDay: boolean;
  holidayClauseId: string;
}

/** 第十三条: within the 三包有效期, a fault that this many 三包 repairs did not fix gives `grants` (the seller exchanges the host). */
export interface RepeatedRepairRule {
  clauseId: string;
  /** the 三包 repairs of the same fault before this request: two by the national rules */
  repairs: number;
  grants: readonly [Remedy, ...Remedy[]];
}

export interface AccessoryRule {
  labelZh: string;
  labelEn: string;
  rung: RemedyRung;
}

/** A share of the postage: the buyer's percent of each leg; the shop pays the rest. */
export interface PostageSplit {
  clauseId: string;
  /** the parcel from the buyer to the shop */
  buyerToShopBuyerPercent: number;
  /** the parcel back to the buyer (for a return: the original delivery) */
  shopToBuyerBuyerPercent: number;
}

export interface SendList {
  clauseId: string;
  items: readonly SendItem[];
}

/** A performance fault of the national list (移动电话机商品性能故障表). */
export interface PerformanceFault {
  code: string;
  /** the parts it can occur on */
  parts: readonly ItemPart[];
  textZh: string;
}

export interface WarrantyPolicy {
  id: string;
  version: number;
  nameZh: string;
  nameEn: string;
  clauses: Readonly<Record<string, Clause>>;
  host: {
    /** tried in order; the first that holds decides, the later ones are the buyer's other options */
    rungs: readonly RemedyRung[];
    /** a performance fault no rung covers */
    afterWarranty: { remedy: Remedy; clauseId: string };
    /** 第十三条: checked within the longest rung's period, before it (the free repair) */
    repeatedRepair: RepeatedRepairRule;
  };
  periodRules: PeriodRules;
  accessories: Readonly<Record<AccessoryKind, AccessoryRule>>;
  /** an accessory fault outside its period */
  accessoryAfterWarranty: { remedy: Remedy; clauseId: string };
  /** 赠送附件不作保修 */
  gifts: { covered: boolean; clauseId: string };
  /** S4.3: the test found no fault, or human damage */
  noFault: { remedy: Remedy; clauseId: string };
  humanDamage: { remedy: Remedy; clauseId: string };
  /** S4.4: a return for the buyer's own reasons */
  personalReturn: {
    clauseId: string;
    /** the clause that sets the period (the seed gives none) */
    periodClauseId: string;
    period: Period;
    from: PeriodStart;
    /** any of these refuses the return */
    disqualifyingMarks: readonly ResaleMark[];
  };
  postage: {
    /** S4.3: a confirmed quality fault */
    qualityFault: PostageSplit;
    /** S4.3: no fault, human damage, out of warranty, a gift */
    notCovered: PostageSplit;
    /** S4.4 */
    personalReason: PostageSplit;
  };
  mustSend: Readonly<Record<Remedy | 'personal_return' | 'testing', SendList>>;
  /** S4.3: the terms a buyer accepts before sending a phone for testing */
  sendBackTermsClauseId: string;
  /** S4.5: the host only; the box's MEID differs from the new host's */
  exchangeHostOnlyClauseId: string;
  boxIdNoticeClauseId: string;
  /** S4.4: contact us first or the return may be refused */
  contactFirstClauseId: string;
  performanceFaults: readonly PerformanceFault[];
  remedyLabels: Readonly<Record<Remedy, { zh: string; en: string }>>;
  sendItemLabels: Readonly<Record<SendItem, { zh: string; en: string }>>;
  resaleMarkLabels: Readonly<Record<ResaleMark, { zh: string; en: string }>>;
}

function period(count: number, unit: PeriodUnit, labelZh: string, labelEn: string): Period {
  return { count, unit, labelZh, labelEn };
}

const bothConfirmers: readonly FaultConfirmer[] = ['authorised_centre', 'our_test'];

const clauseList: readonly Clause[] = [
  {
    id: 'sanbao.host.return_7d',
    rule: 'S4.2',
    titleZh: '7日内退换',
    titleEn: 'Return or exchange within 7 days',
    textZh:
      '自购买之日起7日内，主机出现非人为损坏的性能故障，须经厂家授权客服中心作出故障属实的鉴定后，且外观无划伤附件无损坏，可以享受退换处理。',
    source: 'seed',
    citation: '《移动电话机商品修理更换退货责任规定》第十一条',
  },
  {
    id: 'sanbao.host.exchange_15d',
    rule: 'S4.2',
    titleZh: '15日内换主机',
    titleEn: 'Host exchange within 15 days',
    textZh:
      '自购买之日起15日内，主机出现非人为损坏的性能故障，须经厂家授权客服中心作出故障属实的鉴定后，且外观无划伤，可以更换同种型号的主机（其他附件不作更换）。',
    source: 'seed',
    citation: '《移动电话机商品修理更换退货责任规定》第十二条',
  },
  {
    id: 'sanbao.host.repair_1y',
    rule: 'S4.2',
    titleZh: '一年内免费保修',
    titleEn: 'Free repair within one year',
    textZh: '自购买之日起一年内，主机出现非人为损坏的性能故障，可以享受免费保修服务。',
    source: 'seed',
  },
  {
    id: 'sanbao.host.repeat_repair',
    rule: 'S4.2',
    titleZh: '两次修理仍不能正常使用',
    titleEn: 'Two repairs did not fix it',
    textZh:
      '在三包有效期内，移动电话机主机出现《移动电话机商品性能故障表》所列性能故障，经两次修理，仍不能正常使用的，凭三包凭证中修理者提供的修理记录，由销售者负责为消费者免费更换同型号同规格的移动电话机主机。',
    source: 'national',
    citation: '《移动电话机商品修理更换退货责任规定》第十三条',
  },
  {
    id: 'sanbao.validity',
    rule: 'S4.2',
    titleZh: '三包有效期的起算与修理占用时间',
    titleEn: 'When the warranty period starts, and repair days',
    textZh: '三包有效期自开具发票之日起计算，扣除因修理占用、无零配件待修延误的时间。（未开具发票的，自购买之日起计算。）',
    source: 'national',
    citation: '《移动电话机商品修理更换退货责任规定》第十八条',
  },
  {
    id: 'sanbao.exchange_restart',
    rule: 'S4.5',
    titleZh: '换货后三包有效期重新计算',
    titleEn: 'An exchange starts the periods again',
    textZh: '换货后，商品三包有效期自换货之日起重新计算，由销售者在发货票背面加盖印章，注明更换日期，并提供新的三包凭证。',
    source: 'national',
    citation: '《移动电话机商品修理更换退货责任规定》第二十一条',
  },
  {
    id: 'law.civil_code_203',
    rule: 'S4.2',
    titleZh: '期间最后一日为法定休假日',
    titleEn: 'A period ending on a statutory holiday',
    textZh: '期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。',
    source: 'national',
    citation: '《中华人民共和国民法典》第二百零三条',
  },
  {
    id: 'law.consumer_protection_24',
    rule: 'S4.3',
    titleZh: '退货、更换、修理的运输费用',
    titleEn: 'Transport costs of a return, exchange or repair',
    textZh:
      '经营者提供的商品或者服务不符合质量要求的，消费者可以依照国家规定、当事人约定退货，或者要求经营者履行更换、修理等义务。……依照前款规定进行退货、更换、修理的，经营者应当承担运输等必要费用。',
    source: 'national',
    citation: '《中华人民共和国消费者权益保护法》第二十四条',
  },
  {
    id: 'sanbao.host.paid_repair',
    rule: 'S4.2',
    titleZh: '三包有效期外有偿维修',
    titleEn: 'Paid repair after the warranty',
    textZh: '超出三包有效期（自购买之日起一年）的主机性能故障，不再享受免费保修，可到品牌售后网点有偿维修。',
    source: 'shop',
  },
  {
    id: 'sanbao.accessories',
    rule: 'S4.2',
    titleZh: '附件三包',
    titleEn: 'Accessories under 三包',
    textZh:
      '移动电话机附件在三包有效期内（电池六个月；外接有线耳机、多媒体卡三个月；原装充电器、原装蓝牙耳机一年）出现非人为损坏的性能故障，可更换同种型号移动电话机附件。',
    source: 'seed',
  },
  {
    id: 'sanbao.accessories.expired',
    rule: 'S4.2',
    titleZh: '附件超出三包有效期',
    titleEn: 'Accessory out of its period',
    textZh: '附件超出其三包有效期（电池六个月；外接有线耳机、多媒体卡三个月；原装充电器、原装蓝牙耳机一年）后出现的故障，不再更换。',
    source: 'shop',
  },
  {
    id: 'sanbao.gifts',
    rule: 'S4.2',
    titleZh: '赠品不保修',
    titleEn: 'Gifts are not covered',
    textZh: '赠送附件不作保修。',
    source: 'seed',
  },
  {
    id: 'sendback.terms',
    rule: 'S4.3',
    titleZh: '售后寄回检测细则',
    titleEn: 'Send-back testing terms',
    textZh:
      '用户寄回售后检测必须同意以下细则：认可我司出具的检测报告，同意以我司出具的检测报告为依据处理售后问题。如出现非人为损坏引起的质量问题或故障，我们将严格执行国家有关手机的三包政策：7日内凭厂家维修中心或特约维修点开具的质量检测报告，可以退换货，15日以内可换同种型号的主机（其他附件不作更换），往返运费由您和我司各承担一半。如售后检测机器无质量问题或人为损坏，我们只能给您全套退回，往返运费由您个人承担。请您理解！请您仔细阅读以上内容，取得同意后可以将售后机器发回我司帮您检测，谢谢合作！',
    source: 'seed',
  },
  {
    id: 'sendback.quality_postage',
    rule: 'S4.3',
    titleZh: '质量问题运费各半',
    titleEn: 'Quality fault: postage split',
    textZh: '如出现非人为损坏引起的质量问题或故障，我们将严格执行国家有关手机的三包政策……往返运费由您和我司各承担一半。',
    source: 'seed',
  },
  {
    id: 'sendback.no_fault',
    rule: 'S4.3',
    titleZh: '无质量问题或人为损坏',
    titleEn: 'No fault or human damage',
    textZh: '如售后检测机器无质量问题或人为损坏，我们只能给您全套退回，往返运费由您个人承担。',
    source: 'seed',
  },
  {
    id: 'returns.personal_reason',
    rule: 'S4.4',
    titleZh: '个人原因退换货',
    titleEn: 'Returns for personal reasons',
    textZh:
      '如商品无质量问题，因您个人主观原因导致的退换货，在不影响二次销售的情况下（影响二次销售：手机电池带有触点，有使用记录，手机配件封标损坏，手机及配件遭人为原因损坏）我司将提供退换货服务，但运费将由您承担往返运费。',
    source: 'seed',
  },
  {
    id: 'returns.personal_reason_period',
    rule: 'S4.4',
    titleZh: '个人原因退货期限',
    titleEn: 'Period for personal-reason returns',
    textZh: '个人原因退货须在签收商品之日起7日内提出（七日无理由退货，自收到商品之次日起计算）。',
    source: 'national',
  },
  {
    id: 'returns.as_sold',
    rule: 'S4.4',
    titleZh: '退换货须保持原样',
    titleEn: 'Everything as sold',
    textZh:
      '退换货时请注意商品包装完好，商品附件、说明书、保修卡、发票、标签等保持商品出售时原样，并注明退换货原因。如存在质量问题，请寄回检测报告。如当地未有售后检测中心，手机寄回我方将先进行检测，如果符合退换货标准，我方将给予退换货。如若不符，我方将给予寄回。',
    source: 'seed',
  },
  {
    id: 'returns.contact_first',
    rule: 'S4.4',
    titleZh: '须先联系客服',
    titleEn: 'Contact us first',
    textZh: '无论您处于上述任何一条原因退换货，请之前一定要与客服人员联系确认是否处于退换货范围，否则我司将有权拒绝您的退换货。',
    source: 'seed',
  },
  {
    id: 'repair.send_note',
    rule: 'S4.6',
    titleZh: '寄回维修',
    titleEn: 'Sending a phone back',
    textZh: '如果不行，当地也未有售后服务点，请按照售后保障卡上面的售后地址予以寄回，并标注手机原因。',
    source: 'seed',
  },
  {
    id: 'repair.accessory_send',
    rule: 'S4.2',
    titleZh: '附件更换',
    titleEn: 'Exchanging an accessory',
    textZh: '更换附件请寄回出现故障的附件，并附保修卡、发票，注明故障情况。',
    source: 'shop',
  },
  {
    id: 'exchange.host_only',
    rule: 'S4.5',
    titleZh: '换新只换机头',
    titleEn: 'An exchange replaces the host only',
    textZh: '当手机寄回检测，并维修中心出具可换新检测报告后，我方将给用户换新，并寄回。且，售后换新只更换机头，其他附属配件不给予更换。',
    source: 'seed',
  },
  {
    id: 'exchange.box_meid',
    rule: 'S4.5',
    titleZh: '盒子串码与新主机不同',
    titleEn: "The box's MEID differs from the new host's",
    textZh: '售后的话，不是全套换新的，是只换机头的。您可以看一下手机盒子上的串码MEID和您现有主机的MEID（在手机后方，打开后盖可以发现）是不同的。',
    source: 'seed',
  },
];

const asSold: readonly SendItem[] = ['host', 'accessories', 'manual', 'warranty_card', 'invoice', 'labels', 'packaging', 'reason_note'];

/** The default policy: the national 三包 rules for mobile phones as the seed gives them (S4.2–S4.5). */
export const defaultWarrantyPolicy: WarrantyPolicy = {
  id: 'sanbao-mobile-default',
  version: 1,
  nameZh: '国家手机类三包政策（默认）',
  nameEn: 'National 三包 policy for mobile phones (default)',
  clauses: Object.fromEntries(clauseList.map((c) => [c.id, c])),
  host: {
    rungs: [
      {
        id: 'host.return_7d',
        clauseId: 'sanbao.host.return_7d',
        // 退换处理: return, or an exchange, which is of the host only (S4.5)
        grants: ['return', 'exchange_host'],
        period: period(7, 'day', '7日', '7 days'),
        from: 'purchase',
        confirmation: { required: true, acceptedBy: bothConfirmers },
        requireNoScratches: true,
        requireAccessoriesIntact: true,
        extendedByRepairDays: false,
      },
      {
        id: 'host.exchange_15d',
        clauseId: 'sanbao.host.exchange_15d',
        grants: ['exchange_host'],
        period: period(15, 'day', '15日', '15 days'),
        from: 'purchase',
        confirmation: { required: true, acceptedBy: bothConfirmers },
        requireNoScratches: true,
        requireAccessoriesIntact: false,
        extendedByRepairDays: false,
      },
      {
        id: 'host.repair_1y',
        clauseId: 'sanbao.host.repair_1y',
        grants: ['free_repair'],
        period: period(1, 'year', '一年', '1 year'),
        from: 'purchase',
        // the seed asks for no confirmation here: the repairing centre diagnoses
        confirmation: { required: false, acceptedBy: bothConfirmers },
        requireNoScratches: false,
        requireAccessoriesIntact: false,
        // the 三包有效期 itself: days in 三包 repair are added to it
        extendedByRepairDays: true,
      },
    ],
    afterWarranty: { remedy: 'paid_repair', clauseId: 'sanbao.host.paid_repair' },
    repeatedRepair: { clauseId: 'sanbao.host.repeat_repair', repairs: 2, grants: ['exchange_host'] },
  },
  periodRules: defaultPeriodRules(),
  accessories: {
    battery: { labelZh: '电池', labelEn: 'battery', rung: accessoryRung('battery', period(6, 'month', '六个月', '6 months')) },
    wired_earphones: {
      labelZh: '外接有线耳机',
      labelEn: 'wired earphones',
      rung: accessoryRung('wired_earphones', period(3, 'month', '三个月', '3 months')),
    },
    memory_card: { labelZh: '多媒体卡', labelEn: 'memory card', rung: accessoryRung('memory_card', period(3, 'month', '三个月', '3 months')) },
    charger: { labelZh: '原装充电器', labelEn: 'original charger', rung: accessoryRung('charger', period(1, 'year', '一年', '1 year')) },
    bluetooth_headset: {
      labelZh: '原装蓝牙耳机',
      labelEn: 'original Bluetooth headset',
      rung: accessoryRung('bluetooth_headset', period(1, 'year', '一年', '1 year')),
    },
  },
  accessoryAfterWarranty: { remedy: 'no_remedy', clauseId: 'sanbao.accessories.expired' },
  gifts: { covered: false, clauseId: 'sanbao.gifts' },
  noFault: { remedy: 'no_remedy', clauseId: 'sendback.no_fault' },
  humanDamage: { remedy: 'no_remedy', clauseId: 'sendback.no_fault' },
  personalReturn: {
    clauseId: 'returns.personal_reason',
    periodClauseId: 'returns.personal_reason_period',
    period: period(7, 'day', '7日', '7 days'),
    from: 'delivery',
    disqualifyingMarks: ['battery_contact_marks', 'usage_records', 'accessory_seal_broken', 'human_damage'],
  },
  postage: {
    qualityFault: { clauseId: 'sendback.quality_postage', buyerToShopBuyerPercent: 50, shopToBuyerBuyerPercent: 50 },
    notCovered: { clauseId: 'sendback.no_fault', buyerToShopBuyerPercent: 100, shopToBuyerBuyerPercent: 100 },
    personalReason: { clauseId: 'returns.personal_reason', buyerToShopBuyerPercent: 100, shopToBuyerBuyerPercent: 100 },
  },
  mustSend: {
    return: { clauseId: 'returns.as_sold', items: [...asSold, 'test_report'] },
    // the buyer sends the whole set; the new host comes back with the buyer's own accessories and box (S4.5)
    exchange_host: { clauseId: 'returns.as_sold', items: [...asSold, 'test_report'] },
    exchange_accessory: { clauseId: 'repair.accessory_send', items: ['faulty_accessory', 'warranty_card', 'invoice', 'fault_note'] },
    free_repair: { clauseId: 'repair.send_note', items: ['host', 'warranty_card', 'invoice', 'fault_note'] },
    paid_repair: { clauseId: 'repair.send_note', items: ['host', 'fault_note'] },
    no_remedy: { clauseId: 'sendback.no_fault', items: [] },
    personal_return: { clauseId: 'returns.as_sold', items: asSold },
    // sent for our test, the set must allow a return or exchange if the test confirms the fault
    testing: { clauseId: 'returns.as_sold', items: [...asSold, 'fault_note'] },
  },
  sendBackTermsClauseId: 'sendback.terms',
  exchangeHostOnlyClauseId: 'exchange.host_only',
  boxIdNoticeClauseId: 'exchange.box_meid',
  contactFirstClauseId: 'returns.contact_first',
  // 移动电话机商品性能故障表 (national rules, not in the seed): the faults that count as performance faults
  performanceFaults: [
    { code: 'host.function_failure', parts: ['host'], textZh: '说明书所列功能失效' },
    { code: 'host.display', parts: ['host'], textZh: '屏幕无显示/错字/漏划' },
    { code: 'host.power_or_network', parts: ['host'], textZh: '无法开机、不能正常登录或通信' },
    { code: 'host.no_ring', parts: ['host'], textZh: '无振铃' },
    { code: 'host.dialing_error', parts: ['host'], textZh: '拨号错误' },
    { code: 'host.abnormal_shutdown', parts: ['host'], textZh: '非正常关机' },
    { code: 'host.sim_contact', parts: ['host'], textZh: 'SIM卡接触不良' },
    { code: 'host.keys', parts: ['host'], textZh: '按键控制失效' },
    { code: 'host.audio', parts: ['host'], textZh: '无声响、单向无声或音量不正常' },
    { code: 'host.casing_crack', parts: ['host'], textZh: '因结构或材料因素造成的外壳裂损' },
    { code: 'charger.not_working', parts: ['charger'], textZh: '不工作或工作不正常、使用指定充电器无法正常充电' },
    { code: 'battery.not_working', parts: ['battery'], textZh: '充电后移动电话仍不能正常工作' },
    { code: 'earphones.no_call_audio', parts: ['wired_earphones'], textZh: '不能正常送受话' },
    { code: 'card.not_working', parts: ['memory_card'], textZh: '不能正常工作' },
  ],
  remedyLabels: {
    return: { zh: '退货', en: 'return' },
    exchange_host: { zh: '更换同型号主机', en: 'exchange of the host' },
    exchange_accessory: { zh: '更换同型号附件', en: 'exchange of the accessory' },
    free_repair: { zh: '免费保修', en: 'free repair' },
    paid_repair: { zh: '有偿维修', en: 'paid repair' },
    no_remedy: { zh: '不予三包处理', en: 'no remedy' },
  },
  sendItemLabels: {
    host: { zh: '手机主机', en: 'the phone (host)' },
    accessories: { zh: '全部附件', en: 'all accessories' },
    faulty_accessory: { zh: '故障附件', en: 'the faulty accessory' },
    manual: { zh: '说明书', en: 'the manual' },
    warranty_card: { zh: '保修卡', en: 'the warranty card' },
    invoice: { zh: '发票', en: 'the invoice' },
    labels: { zh: '标签', en: 'the labels' },
    packaging: { zh: '完好的原包装', en: 'the original packaging, intact' },
    reason_note: { zh: '注明退换货原因', en: 'a note of the reason for the return or exchange' },
    fault_note: { zh: '标注手机故障', en: 'a note of the fault' },
    test_report: { zh: '质量检测报告', en: 'the test report' },
  },
  resaleMarkLabels: {
    battery_contact_marks: { zh: '手机电池带有触点', en: 'the battery shows contact marks' },
    usage_records: { zh: '有使用记录', en: 'usage records' },
    accessory_seal_broken: { zh: '手机配件封标损坏', en: "an accessory's seal is broken" },
    human_damage: { zh: '手机及配件遭人为原因损坏', en: 'human damage to the phone or accessories' },
  },
};

function accessoryRung(kind: AccessoryKind, p: Period): RemedyRung {
  return {
    id: `accessory.${kind}`,
    clauseId: 'sanbao.accessories',
    grants: ['exchange_accessory'],
    period: p,
    from: 'purchase',
    // the seed's clause is silent; S4.3 makes our test report decide what is sent back
    confirmation: { required: true, acceptedBy: bothConfirmers },
    requireNoScratches: false,
    requireAccessoriesIntact: false,
    extendedByRepairDays: true,
  };
}

function defaultPeriodRules(): PeriodRules {
  return {
    fromInvoice: true,
    validityClauseId: 'sanbao.validity',
    exchangeRestarts: true,
    exchangeRestartClauseId: 'sanbao.exchange_restart',
    // 民法典 第二百零三条 is a shop's choice for a warranty period (see periods.ts): off unless the shop turns it on
    holidayEndsNextWorkingDay: false,
    holidayClauseId: 'law.civil_code_203',
  };
}

/**
 * A stored policy brought up to the fields added since it was saved (issue
 * 13): the period rules and the repeated-repair rule of the national rules,
 * the clauses they name, and whether a rung is extended by repair days (the
 * rungs counted in months or years: the 三包有效期, not the 7/15-day windows).
 * What the shop saved is kept as it is.
 */
export function withPolicyDefaults(policy: WarrantyPolicy): WarrantyPolicy {
  const stored = policy as Partial<WarrantyPolicy> & WarrantyPolicy;
  const fill = (rung: RemedyRung): RemedyRung =>
    typeof rung.extendedByRepairDays === 'boolean' ? rung : { ...rung, extendedByRepairDays: rung.period.unit !== 'day' };
  const periodRules = { ...defaultPeriodRules(), ...(stored.periodRules ?? {}) };
  const repeatedRepair = stored.host.repeatedRepair ?? defaultWarrantyPolicy.host.repeatedRepair;
  const clauses: Record<string, Clause> = { ...policy.clauses };
  for (const id of [periodRules.validityClauseId, periodRules.exchangeRestartClauseId, periodRules.holidayClauseId, repeatedRepair.clauseId, 'law.consumer_protection_24']) {
    const known = defaultWarrantyPolicy.clauses[id];
    if (!Object.prototype.hasOwnProperty.call(clauses, id) && known) clauses[id] = known;
  }
  return {
    ...policy,
    clauses,
    host: { ...policy.host, rungs: policy.host.rungs.map(fill), repeatedRepair },
    accessories: Object.fromEntries(accessoryKinds.map((k) => [k, { ...policy.accessories[k], rung: fill(policy.accessories[k].rung) }])) as WarrantyPolicy['accessories'],
    periodRules,
  };
}

/** The clause by id; throws when a policy names a clause it lacks (checkWarrantyPolicy catches that first). */
export function clauseOf(policy: WarrantyPolicy, id: string): Clause {
  const clause = Object.prototype.hasOwnProperty.call(policy.clauses, id) ? policy.clauses[id] : undefined;
  if (!clause) throw new RangeError(`The warranty policy ${policy.id} v${policy.version} has no clause ${id}.`);
  return clause;
}

/** The rungs of every accessory and the host, for checks and cards. */
export function allRungs(policy: WarrantyPolicy): RemedyRung[] {
  return [...policy.host.rungs, ...accessoryKinds.map((k) => policy.accessories[k].rung)];
}

/**
 * The problems of a policy a shop edited (one message each, empty when
 * sound): every clause named exists, periods are whole and positive, shares
 * are 0–100, the host's rungs do not shrink.
 */
export function checkWarrantyPolicy(policy: WarrantyPolicy): string[] {
  const problems: string[] = [];
  const need = (id: string, where: string): void => {
    if (!Object.prototype.hasOwnProperty.call(policy.clauses, id)) problems.push(`${where} names the clause ${id}, which the policy lacks.`);
  };
  if (!Number.isInteger(policy.version) || policy.version < 1) problems.push('The version must be a whole number from 1.');
  for (const [id, clause] of Object.entries(policy.clauses)) {
    if (clause.id !== id) problems.push(`The clause stored as ${id} says its id is ${clause.id}.`);
    if (clause.textZh.trim().length === 0) problems.push(`The clause ${id} has no text.`);
  }
  const checkPeriod = (p: Period, where: string): void => {
    if (!Number.isInteger(p.count) || p.count < 1) problems.push(`${where}: the period must be a whole number of ${p.unit}s from 1.`);
  };
  for (const rung of allRungs(policy)) {
    need(rung.clauseId, `The rung ${rung.id}`);
    checkPeriod(rung.period, `The rung ${rung.id}`);
    if (rung.grants.length === 0) problems.push(`The rung ${rung.id} grants nothing.`);
    if (rung.confirmation.required && rung.confirmation.acceptedBy.length === 0) {
      problems.push(`The rung ${rung.id} requires a confirmation nobody may give.`);
    }
  }
  const approxDays = (p: Period): number => (p.unit === 'day' ? p.count : p.unit === 'month' ? p.count * 28 : p.count * 365);
  policy.host.rungs.forEach((rung, i) => {
    const previous = i > 0 ? policy.host.rungs[i - 1] : undefined;
    if (previous && approxDays(rung.period) < approxDays(previous.period)) {
      problems.push(`The rung ${rung.id} is shorter than the rung before it (${previous.id}): the ladder goes from the shortest period to the longest.`);
    }
  });
  checkPeriod(policy.personalReturn.period, 'The personal-reason return');
  need(policy.host.afterWarranty.clauseId, 'The host after warranty');
  need(policy.host.repeatedRepair.clauseId, 'The repeated-repair rule');
  if (!Number.isInteger(policy.host.repeatedRepair.repairs) || policy.host.repeatedRepair.repairs < 1 || policy.host.repeatedRepair.repairs > 10) {
    problems.push(`The repeated-repair rule counts ${policy.host.repeatedRepair.repairs} repairs; it is a whole number 1–10.`);
  }
  if (policy.host.repeatedRepair.grants.length === 0) problems.push('The repeated-repair rule grants nothing.');
  need(policy.periodRules.validityClauseId, 'The period rules (invoice start, repair days)');
  need(policy.periodRules.exchangeRestartClauseId, 'The period rules (exchange restart)');
  need(policy.periodRules.holidayClauseId, 'The period rules (holiday)');
  need(policy.accessoryAfterWarranty.clauseId, 'The accessory after warranty');
  need(policy.gifts.clauseId, 'The gift rule');
  need(policy.noFault.clauseId, 'The no-fault rule');
  need(policy.humanDamage.clauseId, 'The human-damage rule');
  need(policy.personalReturn.clauseId, 'The personal-reason return');
  need(policy.personalReturn.periodClauseId, 'The personal-reason return period');
  for (const [name, split] of Object.entries(policy.postage)) {
    need(split.clauseId, `The postage split ${name}`);
    for (const share of [split.buyerToShopBuyerPercent, split.shopToBuyerBuyerPercent]) {
      if (!Number.isInteger(share) || share < 0 || share > 100) problems.push(`The postage split ${name} has a share of ${share}; shares are whole percents 0–100.`);
    }
  }
  for (const [name, list] of Object.entries(policy.mustSend)) need(list.clauseId, `The send list ${name}`);
  need(policy.sendBackTermsClauseId, 'The send-back terms');
  need(policy.exchangeHostOnlyClauseId, 'The host-only exchange');
  need(policy.boxIdNoticeClauseId, 'The box MEID notice');
  need(policy.contactFirstClauseId, 'The contact-first rule');
  return problems;
}
