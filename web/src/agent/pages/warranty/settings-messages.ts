/**
 * The 三包 settings tab's words (zh-CN and en): the policy editor, the
 * service-point editor, and the server's problems of a policy or a directory
 * (src/core/warranty/policy.ts checkWarrantyPolicy, settings-check.ts), which
 * it writes in English, put in Chinese for a Chinese reader.
 */
import { defineMessages, type Lang } from '../../../shared/i18n.tsx';

export type PeriodUnit = 'day' | 'month' | 'year';

export const settingsMessages = defineMessages({
  'zh-CN': {
    tabLabel: '三包设置',
    intro: '本店的三包政策和售后网点都是数据，每次保存成为新的版本（旧版本保留）。三包判定、送检单和保障卡按这里的内容出具（S4.1–S4.5）。',
    sectionPolicy: '三包政策',
    sectionPoints: '售后网点与退换货地址',
    loading: '加载中…',
    cancel: '取消',
    revert: '放弃修改',
    unsaved: '有未保存的修改',
    nothingChanged: '没有修改，不需要保存。',
    saveNewVersion: '保存为新版本',
    inForce: '当前生效',
    versionDefault: '内置默认（第 0 版）',
    versionN: '第 {version} 版',
    savedAt: '保存时间',
    neverSaved: '未保存过（使用内置默认）',
    staleTitle: '在你编辑期间，别人已保存了第 {version} 版',
    staleText: '继续保存会以你的内容作为下一版，覆盖对方的修改。要先看看对方的版本，请取消并刷新页面。',
    staleOverwrite: '仍然保存',
    tooLong: '最多 {max} 个字',
    // ---- the policy ----
    policyName: '政策名称',
    versionsNote:
      '判定引用作出时的版本：每个三包判定都写明“依据政策 … 第 N 版”，送检单按开单时的版本处理，买家同意的检测细则也是那一版的文字。保存新版本只影响之后的判定和新开的送检单，已有的不会改变；保障卡总是打印当前生效的版本。',
    openSendBacksBy: '进行中的送检单所依据的版本：',
    openSendBacksCount: '{version} · {n} 单',
    draftFrom: '草稿来自 {version}',
    viewVersion: '查看版本',
    viewCurrent: '{version}（当前）',
    viewingOld: '正在查看 {version}（只读）',
    viewingOldHint: '这是以前的版本，当时作出的判定和开出的送检单按它处理。可以把它作为草稿，修改后保存为新版本。',
    backToCurrent: '回到当前版本',
    useAsDraft: '以此版本为草稿',
    policySaved: '三包政策已保存为第 {version} 版。之后的判定和新开的送检单按这一版处理。',
    fixFields: '有几项填写得不对，请看标红的地方。',
    policyFormLabel: '三包政策',
    hostPeriods: '主机期限（自购买之日起）',
    personalReturnPeriod: '个人原因退货期限（自签收之日起）',
    periodsHint: '购买（或签收）当天是第 0 天，例如“7日内”到第 7 天结束。改了期限，请同时修改下面对应条款的文字——判定和保障卡引用的是条款原文。',
    accessoryPeriods: '附件三包期限（自购买之日起）',
    giftsNote: '赠品不保修（S4.2），与期限无关。',
    periodRequired: '请填写期限',
    periodWhole: '期限必须是从 1 起的整数',
    periodMax: '期限最长 {max} {unit}',
    periodCountAria: '{what}：数量',
    periodUnitAria: '{what}：单位',
    unit_day: '天',
    unit_month: '个月',
    unit_year: '年',
    postage: '运费分担（S4.3/S4.4）',
    postage_qualityFault: '质量问题（故障属实）',
    postage_notCovered: '不在三包范围（无故障、人为损坏、过保、赠品）',
    postage_personalReason: '个人原因退换货',
    buyerToShop: '寄来运费买家承担',
    shopToBuyer: '寄回运费买家承担',
    postageHint: '填买家承担的百分比，其余由本店承担；例如质量问题默认往返运费各承担一半（50%）。',
    postageLawTitle: '请先了解法律规定',
    postageLawNote:
      '《消费者权益保护法》第二十四条规定：因质量问题退货、更换、修理的，经营者应当承担运输等必要费用。店铺售后范本约定质量问题往返运费由买家和本店各承担一半（上面默认的 50%）。请店铺知情后决定买家承担的比例。',
    periodRulesTitle: '期限的计算',
    ruleFromInvoice: '三包期限自开具发票之日起算（没有发票的自购买之日起算）',
    ruleExchangeRestarts: '换货后，新主机的三包期限自换货之日起重新计算',
    ruleHoliday: '期限最后一天是法定休假日的，顺延至下一个工作日',
    ruleHolidayHint: '依据《民法典》第二百零三条，默认关闭：三包期限是商品的保修时长，不是办事的期限。开启后按国家公布的节假日安排（含调休）顺延。',
    repeatRepairs: '同一故障修理几次仍不能正常使用，即可更换同型号主机',
    repeatRepairsHint: '国家规定为两次。三包维修占用的天数顺延三包有效期。',
    repeatRepairsRange: '请填 1–10 的整数',
    percentRange: '请填 0–100 的整数',
    policyNames: '政策名称',
    nameZh: '名称（中文）',
    nameEn: '名称（英文）',
    nameRequired: '请填写政策名称',
    clausesTitle: '条款文字（{n} 条）',
    clausesHint: '判定结果、送检细则和保障卡都引用这些条款的原文。点开一条即可修改。',
    clauseTitleZh: '标题（中文）',
    clauseTitleEn: '标题（英文）',
    clauseTitleRequired: '请填写条款标题',
    clauseText: '条款文字：{title}',
    clauseTextRequired: '条款文字不能为空',
    clauseTextTooLong: '条款文字最多 5000 字',
    clauseTextStaleTitle: '条款文字可能和新的期限不一致',
    clauseTextStale: '{what}改为 {label}，但条款“{clause}”的文字里没有出现 {n}。请一并修改条款文字。',
    clauseQuotesOld: '条款“{clause}”里还写着“{old}”，而{what}现在是 {label}：请看看是否也要修改。',
    source_seed: '店铺规范原文',
    source_national: '国家规定',
    source_shop: '本店补充',
    advancedJson: '高级：以 JSON 编辑整个政策',
    advancedJsonHint: '这里可以修改表单里没有的内容（每级的处理方式、需要寄回的物品、性能故障表、各种名称）。保存前会检查是否为合法的 JSON；其余由服务器检查，有问题会列在保存按钮上方。',
    jsonLabel: '政策（JSON）',
    jsonEmpty: '请填写政策的 JSON',
    jsonNotObject: 'JSON 必须是一个对象 {…}，不能是数组或单个值',
    jsonSyntax: '这不是合法的 JSON：{detail}',
    saveJson: '把 JSON 保存为新版本',
    jsonFromForm: '用上面表单的内容重新生成',
    // ---- service points and the return contact ----
    pointsIntro:
      '保障卡按买家所在城市和手机品牌列出售后网点（S4.1）。默认是河北 11 个地市 × 各品牌的“待补充”占位；只有“启用”且填写了名称和地址的网点会印在卡上，其余显示“待补充”。',
    pointCounts: '共 {total} 个网点 · 启用 {active} · 待补充 {toFill}',
    placesIntro: '地址里只写县级市或新区的，按所属城市的网点列出：',
    placesOfCity: '{city}：{places}',
    placesSep: '、',
    pointsTitle: '售后网点',
    pointsSaved: '售后网点已保存为第 {version} 版，之后打印的保障卡按这一版列出网点。',
    filterCity: '按城市筛选',
    filterBrand: '按品牌筛选',
    filterStatus: '按状态筛选',
    addPoint: '添加网点',
    colCity: '城市',
    colBrand: '品牌',
    colName: '网点名称',
    colAddress: '地址',
    colPhone: '电话',
    colHours: '营业时间',
    colStatus: '状态',
    colActions: '操作',
    status_active: '启用',
    status_to_be_filled: '待补充',
    toFill: '待补充',
    hoursPlaceholder: '如 周一至周日 9:00–18:00',
    apply: '确定',
    edit: '编辑',
    editAria: '编辑网点 {point}',
    markToFill: '标为待补充',
    markToFillAria: '把网点 {point} 标为待补充',
    remove: '删除',
    removeAria: '删除网点 {point}',
    confirmRemove: '删除网点 {point}？保存后生效。',
    shownTotal: '共 {n} 条',
    noPoints: '没有符合条件的网点',
    nameRequiredActive: '启用的网点必须填写名称',
    addressRequiredActive: '启用的网点必须填写地址',
    phoneInvalid: '电话格式不对：手机 11 位（如 13812345678），固话带区号（如 0311-86881234），或 400/800 号码',
    finishRow: '正在编辑的网点有错误，请先改好（或取消编辑）再保存。',
    fixContact: '退换货地址一栏有错误，请看标红的地方。',
    fixPoints: '有几个网点需要先改好：',
    problemActiveNeeds: '{point}：已启用，但没有名称或地址',
    problemBadPhone: '{point}：电话 {phone} 的格式不对',
    contactTitle: '保障卡上的退换货地址与客服电话',
    contactHint: '印在每张保障卡的“联系我们”里，买家寄回手机也寄到这里。',
    contactAddress: '退换货地址',
    contactAddressRequired: '请填写退换货地址',
    contactConsignee: '收货人',
    contactConsigneeRequired: '请填写收货人',
    contactPhone: '收货电话',
    phoneHint: '手机或带区号的固话；不填则卡上显示“待补充”。',
    contactHotline: '售后客服热线',
    hotlineHint: '可以是 400/800 号码；不填则卡上显示“待补充”。',
  },
  en: {
    tabLabel: 'Warranty settings',
    intro: "The shop's 三包 policy and service points are data; every save is a new version (the older ones are kept). Decisions, send-backs and warranty cards come from here (S4.1–S4.5).",
    sectionPolicy: '三包 policy',
    sectionPoints: 'Service points and return address',
    loading: 'Loading…',
    cancel: 'Cancel',
    revert: 'Discard changes',
    unsaved: 'Unsaved changes',
    nothingChanged: 'Nothing changed; nothing to save.',
    saveNewVersion: 'Save as a new version',
    inForce: 'In force',
    versionDefault: 'built-in default (version 0)',
    versionN: 'version {version}',
    savedAt: 'Saved',
    neverSaved: 'never (the built-in default)',
    staleTitle: 'Somebody saved version {version} while you were editing',
    staleText: "Saving now makes your text the next version, replacing their changes. To look at theirs first, cancel and reload the page.",
    staleOverwrite: 'Save anyway',
    tooLong: 'At most {max} characters',
    policyName: 'Policy',
    versionsNote:
      "Decisions quote the version they were made under: every 三包 decision says \"under policy … version N\", a send-back is decided under the version it was opened with, and the testing terms a buyer accepted are that version's text. A new version changes only later decisions and new send-backs; the warranty card always prints the version in force.",
    openSendBacksBy: 'Open send-backs by the version they were opened under:',
    openSendBacksCount: '{version} · {n}',
    draftFrom: 'Draft from {version}',
    viewVersion: 'View version',
    viewCurrent: '{version} (in force)',
    viewingOld: 'Viewing {version} (read only)',
    viewingOldHint: 'An earlier version: the decisions made and the send-backs opened under it keep it. You can take it as a draft, change it and save it as a new version.',
    backToCurrent: 'Back to the version in force',
    useAsDraft: 'Use this version as the draft',
    policySaved: 'The 三包 policy was saved as version {version}. Later decisions and new send-backs use it.',
    fixFields: 'Some fields are not right; see the ones marked in red.',
    policyFormLabel: '三包 policy',
    hostPeriods: 'Host periods (from the purchase)',
    personalReturnPeriod: 'Personal-reason return period (from delivery)',
    periodsHint: "The day of purchase (or delivery) is day 0: \"within 7 days\" ends with day 7. When you change a period, change its clause's text below too — decisions and cards quote the clause's words.",
    accessoryPeriods: 'Accessory periods (from the purchase)',
    giftsNote: 'Gifts are never covered (S4.2), whatever the period.',
    periodRequired: 'Enter the period',
    periodWhole: 'A period is a whole number from 1',
    periodMax: 'A period is at most {max} {unit}',
    periodCountAria: '{what}: number',
    periodUnitAria: '{what}: unit',
    unit_day: 'days',
    unit_month: 'months',
    unit_year: 'years',
    postage: 'Postage split (S4.3/S4.4)',
    postage_qualityFault: 'Quality fault (confirmed)',
    postage_notCovered: 'Not covered (no fault, human damage, out of warranty, a gift)',
    postage_personalReason: 'Personal-reason return or exchange',
    buyerToShop: 'Buyer pays of the leg to us',
    shopToBuyer: 'Buyer pays of the leg back',
    postageHint: "The buyer's percent of each leg; the shop pays the rest. A quality fault splits both legs half and half (50%) by default.",
    postageLawTitle: 'Know the law first',
    postageLawNote:
      "Art. 24 of the Consumer Rights Protection Law puts the transport costs of a return, exchange or repair for a quality fault on the seller. The shop's after-sales template splits the round trip half and half for a quality fault (the 50% default above). Decide the buyer's share knowingly.",
    periodRulesTitle: 'Counting the periods',
    ruleFromInvoice: 'The periods count from the invoice date (without an invoice, from the purchase)',
    ruleExchangeRestarts: "After an exchange, the new host's periods start again on the exchange day",
    ruleHoliday: 'A period whose last day is a statutory holiday ends on the next working day',
    ruleHolidayHint: 'Civil Code art. 203; off by default, since a warranty period is how long the goods are covered, not a deadline to act. Turned on, the official holiday schedule (with its make-up working days) moves the last day.',
    repeatRepairs: 'Repairs of the same fault after which the host is exchanged',
    repeatRepairsHint: 'Two under the national rules. The days in 三包 repair extend the period.',
    repeatRepairsRange: 'A whole number from 1 to 10',
    percentRange: 'A whole number 0–100',
    policyNames: 'Name of the policy',
    nameZh: 'Name (Chinese)',
    nameEn: 'Name (English)',
    nameRequired: 'Enter the name of the policy',
    clausesTitle: 'Clause texts ({n})',
    clausesHint: 'Decisions, the send-back terms and the warranty card quote these clauses word for word. Open one to change it.',
    clauseTitleZh: 'Title (Chinese)',
    clauseTitleEn: 'Title (English)',
    clauseTitleRequired: 'Enter the title of the clause',
    clauseText: 'Text of the clause: {title}',
    clauseTextRequired: 'The text of a clause cannot be empty',
    clauseTextTooLong: 'At most 5000 characters',
    clauseTextStaleTitle: 'A clause text may not match the new period',
    clauseTextStale: '{what} is now {label}, but the text of the clause “{clause}” does not mention {n}. Change the clause text as well.',
    clauseQuotesOld: 'The clause “{clause}” still says “{old}”, while {what} is now {label}: check whether it should change too.',
    source_seed: "the shop's SOP",
    source_national: 'national rules',
    source_shop: "the shop's own",
    advancedJson: 'Advanced: edit the whole policy as JSON',
    advancedJsonHint:
      'For what the form does not show (what each rung grants, what must be sent, the performance faults, the names). The text is checked to be JSON before it is sent; the server checks the rest and lists any problem above the save button.',
    jsonLabel: 'Policy (JSON)',
    jsonEmpty: "Enter the policy's JSON",
    jsonNotObject: 'The JSON must be an object {…}, not an array or a single value',
    jsonSyntax: 'This is not valid JSON: {detail}',
    saveJson: 'Save the JSON as a new version',
    jsonFromForm: 'Rebuild from the form above',
    pointsIntro:
      "The warranty card lists the service points of the buyer's city for the phone's brand (S4.1). The default is Hebei's 11 cities × the brands as placeholders (to be filled); only an active point with a name and an address is printed, the others read 待补充 (to be filled).",
    pointCounts: '{total} points · {active} active · {toFill} to be filled',
    placesIntro: 'An address that names only a county-level city or a new area gets the points of the city that serves it:',
    placesOfCity: '{city}: {places}',
    placesSep: ', ',
    pointsTitle: 'Service points',
    pointsSaved: 'The service points were saved as version {version}; cards printed from now on list them.',
    filterCity: 'Filter by city',
    filterBrand: 'Filter by brand',
    filterStatus: 'Filter by status',
    addPoint: 'Add a point',
    colCity: 'City',
    colBrand: 'Brand',
    colName: 'Name',
    colAddress: 'Address',
    colPhone: 'Phone',
    colHours: 'Hours',
    colStatus: 'Status',
    colActions: 'Actions',
    status_active: 'active',
    status_to_be_filled: 'to be filled',
    toFill: 'to be filled',
    hoursPlaceholder: 'e.g. Mon–Sun 9:00–18:00',
    apply: 'Done',
    edit: 'Edit',
    editAria: 'Edit the point {point}',
    markToFill: 'Mark to be filled',
    markToFillAria: 'Mark the point {point} to be filled',
    remove: 'Remove',
    removeAria: 'Remove the point {point}',
    confirmRemove: 'Remove the point {point}? It takes effect when you save.',
    shownTotal: '{n} points',
    noPoints: 'No point matches',
    nameRequiredActive: 'An active point needs a name',
    addressRequiredActive: 'An active point needs an address',
    phoneInvalid: 'Not a phone number: a mobile has 11 digits (13812345678), a landline its area code (0311-86881234), or a 400/800 number',
    finishRow: 'The point being edited has errors; correct it (or cancel the edit) before saving.',
    fixContact: 'The return address has errors; see the fields marked in red.',
    fixPoints: 'Some points need correcting first:',
    problemActiveNeeds: '{point}: active, but without a name or an address',
    problemBadPhone: '{point}: the phone {phone} is not a phone number',
    contactTitle: "The card's return address and hotline",
    contactHint: 'Printed under “Contact us” on every warranty card; phones sent back come here.',
    contactAddress: 'Return address',
    contactAddressRequired: 'Enter the return address',
    contactConsignee: 'Consignee',
    contactConsigneeRequired: 'Enter the consignee',
    contactPhone: "Consignee's phone",
    phoneHint: 'A mobile or a landline with its area code; left empty, the card reads 待补充 (to be filled).',
    contactHotline: 'After-sales hotline',
    hotlineHint: 'May be a 400/800 number; left empty, the card reads 待补充 (to be filled).',
  },
});

const rungNames: Record<string, readonly [zh: string, en: string]> = {
  'host.return_7d': ['主机退换期限', 'the host return/exchange period'],
  'host.exchange_15d': ['主机换货期限', 'the host exchange period'],
  'host.repair_1y': ['主机免费保修期', 'the host free-repair period'],
  'accessory.battery': ['电池三包期', 'the battery period'],
  'accessory.wired_earphones': ['外接有线耳机三包期', 'the wired earphones period'],
  'accessory.memory_card': ['多媒体卡三包期', 'the memory card period'],
  'accessory.charger': ['原装充电器三包期', 'the original charger period'],
  'accessory.bluetooth_headset': ['原装蓝牙耳机三包期', 'the original Bluetooth headset period'],
  personalReturn: ['个人原因退货期限', 'the personal-reason return period'],
};

/** A rung (or period) by what it is to a person; its id when the page does not know it. */
export function rungName(id: string, lang: Lang): string {
  const pair = rungNames[id];
  if (!pair) return id;
  if (lang !== 'en') return pair[0];
  return pair[1].charAt(0).toUpperCase() + pair[1].slice(1);
}

/** How a card and a decision print a period (the default policy's 7日, 六个月, 一年 style). */
export function periodLabels(count: number, unit: PeriodUnit): { labelZh: string; labelEn: string } {
  const zh = unit === 'day' ? `${count}日` : unit === 'month' ? `${count}个月` : `${count}年`;
  const en = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return { labelZh: zh, labelEn: en };
}

const unitZh: Record<string, string> = { day: '天', month: '个月', year: '年' };
const postageZh: Record<string, string> = { qualityFault: '质量问题', notCovered: '不在三包范围', personalReason: '个人原因' };
const sendListZh: Record<string, string> = {
  return: '退货',
  exchange_host: '换主机',
  exchange_accessory: '换附件',
  free_repair: '免费保修',
  paid_repair: '有偿维修',
  no_remedy: '不予三包',
  personal_return: '个人原因退货',
  testing: '寄回检测',
};
const whereFixedZh: Record<string, string> = {
  'The personal-reason return': '个人原因退货',
  'The personal-reason return period': '个人原因退货期限',
  'The host after warranty': '主机保修期外的处理',
  'The accessory after warranty': '附件三包期外的处理',
  'The gift rule': '赠品规则',
  'The no-fault rule': '检测无故障的处理',
  'The human-damage rule': '人为损坏的处理',
  'The send-back terms': '寄回检测细则',
  'The host-only exchange': '换货只换机头',
  'The box MEID notice': '包装盒串号说明',
  'The contact-first rule': '须先联系客服',
  'The repeated-repair rule': '两次修理仍不能正常使用',
  'The period rules (invoice start, repair days)': '期限计算（发票起算、维修顺延）',
  'The period rules (exchange restart)': '期限计算（换货重新起算）',
  'The period rules (holiday)': '期限计算（节假日顺延）',
};

function whereZh(where: string): string {
  let r: RegExpExecArray | null;
  if ((r = /^The rung (.+)$/.exec(where))) {
    const name = rungName(r[1]!, 'zh-CN');
    return name === r[1] ? `规则 ${r[1]}` : `${name}(${r[1]})`;
  }
  if ((r = /^The postage split (.+)$/.exec(where))) return `运费分担“${postageZh[r[1]!] ?? r[1]}”`;
  if ((r = /^The send list (.+)$/.exec(where))) return `寄回清单“${sendListZh[r[1]!] ?? r[1]}”`;
  return whereFixedZh[where] ?? where;
}

/**
 * One of the server's problems with a policy or a directory, in the reader's
 * language: the English as the server wrote it, or its Chinese; a problem
 * the page does not know stays as written.
 */
export function problemText(problem: string, lang: Lang): string {
  if (lang === 'en') return problem;
  const p = problem.trim();
  let r: RegExpExecArray | null;
  if ((r = /^(.+) names the clause (.+), which the policy lacks\.$/.exec(p))) return `${whereZh(r[1]!)}引用的条款 ${r[2]} 不存在。`;
  if (/^The version must be a whole number from 1\.$/.test(p)) return '版本号必须是从 1 起的整数。';
  if ((r = /^The clause stored as (.+) says its id is (.+)\.$/.exec(p))) return `条款 ${r[1]} 里写的 id 是 ${r[2]}，两者必须一致。`;
  if ((r = /^The clause (.+) has no text\.$/.exec(p))) return `条款 ${r[1]} 没有文字。`;
  if ((r = /^(.+): the period must be a whole number of (day|month|year)s from 1\.$/.exec(p))) return `${whereZh(r[1]!)}：期限必须是从 1 起的整数（单位：${unitZh[r[2]!]}）。`;
  if ((r = /^(.+): a period is at most (\d+) (day|month|year)s\.$/.exec(p))) return `${whereZh(r[1]!)}：期限最长 ${r[2]} ${unitZh[r[3]!]}。`;
  if ((r = /^The rung (.+) grants nothing\.$/.exec(p))) return `${whereZh(`The rung ${r[1]}`)}没有给出任何处理方式。`;
  if ((r = /^The rung (.+) requires a confirmation nobody may give\.$/.exec(p))) return `${whereZh(`The rung ${r[1]}`)}要求确认故障，却没有指定谁可以确认。`;
  if ((r = /^The rung (.+) is shorter than the rung before it \((.+)\):/.exec(p))) {
    return `${whereZh(`The rung ${r[1]}`)}比前一级${whereZh(`The rung ${r[2]}`)}短：主机的各级期限要从短到长排列。`;
  }
  if ((r = /^The postage split (.+) has a share of (.+); shares are whole percents 0–100\.$/.exec(p))) {
    return `运费分担“${postageZh[r[1]!] ?? r[1]}”中有一个比例是 ${r[2]}：比例必须是 0–100 的整数百分比。`;
  }
  if ((r = /^The repeated-repair rule counts (.+) repairs; it is a whole number 1–10\.$/.exec(p))) return `“两次修理仍不能正常使用”的次数是 ${r[1]}，必须是 1–10 的整数。`;
  if (/^The repeated-repair rule grants nothing\.$/.test(p)) return '“两次修理仍不能正常使用”没有给出任何处理方式。';
  if ((r = /^The place (.+) is listed twice\.$/.exec(p))) return `地区 ${r[1]} 重复了。`;
  if ((r = /^The place (.+) is served by (\S+) (\S+), a city the directory does not list\.$/.exec(p))) return `地区 ${r[1]} 对应的 ${r[2]}${r[3]} 不在城市列表里。`;
  if ((r = /^The brand (.+) is listed twice\.$/.exec(p))) return `品牌 ${r[1]} 重复了。`;
  if ((r = /^The city (\S+) (\S+) is listed twice\.$/.exec(p))) return `城市 ${r[1]}${r[2]} 重复了。`;
  if ((r = /^The service point (.+) is listed twice\.$/.exec(p))) return `网点 ${r[1]} 重复了。`;
  if ((r = /^The service point (.+) is of the brand (.+), which the directory does not list\.$/.exec(p))) return `网点 ${r[1]} 的品牌 ${r[2]} 不在品牌列表里。`;
  if ((r = /^The service point (.+) is in (\S+) (\S+), a city the directory does not list\.$/.exec(p))) return `网点 ${r[1]} 所在的 ${r[2]}${r[3]} 不在城市列表里。`;
  if ((r = /^The service point (.+) is active but has no name or no address/.exec(p))) return `网点 ${r[1]} 已启用，但没有名称或地址：请补全，或改回“待补充”。`;
  if (p.startsWith('The return address')) return '退换货地址必须填写。';
  if (p.startsWith('The consignee')) return '收货人必须填写。';
  return problem;
}
