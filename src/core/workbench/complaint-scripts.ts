/**
 * The phone complaints of 第四篇 (天猫与网厅售后流程细则) and what the agent
 * says and does for each, as data: S4.7 the two common complaints — the phone
 * failed as soon as it arrived (dead on arrival) and the buyer rejects our test
 * report — and S4.8 the malicious complaint (an escalated ordinary one),
 * settled with the telecom operator.
 *
 * `seed` quotes the seed verbatim (it is written in traditional characters);
 * each step's zh-CN is the same words in simplified characters, en a short
 * rendering. Pure data, no imports: the web page reads it directly.
 */

/** S4.7: the two common complaints (投诉普遍问题). */
export const complaintPhoneCases = [
  /** 机器质量问题(手机刚收到,未经使用便出现故障) */
  'dead_on_arrival',
  /** 手机寄回不认可我方出具检测报告 */
  'report_rejected',
] as const;
export type ComplaintPhoneCase = (typeof complaintPhoneCases)[number];

export const complaintScriptKeys = [...complaintPhoneCases, 'malicious', 'operator_coordination'] as const;
export type ComplaintScriptKey = (typeof complaintScriptKeys)[number];

export interface ScriptText {
  'zh-CN': string;
  en: string;
}

export interface ScriptStep extends ScriptText {
  key: string;
}

export interface ComplaintScript {
  key: ComplaintScriptKey;
  rule: 'S4.7' | 'S4.8';
  title: ScriptText;
  /** the seed's words this script follows, verbatim */
  seed: string;
  /** in order */
  steps: readonly ScriptStep[];
}

const S47_SEED =
  '投訴普遍問題如下：機器質量問題（手機剛收到，未經使用便出現故障），手機寄回不認可我方出具檢測報告。客服人員將先予安撫用戶，并咨詢用戶手機出現何種問題，告知用戶看下售后保障卡，當地是否有售后檢測中心。并提前申明告知用戶售后寄回細則。';
const S48_SEED = '惡意投訴：一般惡意投訴均為普通投訴升級。并先安撫用戶。首先需要明確用戶投訴內容，用戶為何投訴，投訴要求如何，最后溝通電信協調解決。';

/** S4.7 the steps both common complaints share: soothe, ask, point to the card and the local centre. */
const s47Opening: readonly ScriptStep[] = [
  { key: 'soothe', 'zh-CN': '先予安抚用户', en: 'Soothe the buyer first' },
  { key: 'ask', 'zh-CN': '咨询用户手机出现何种问题', en: 'Ask what is wrong with the phone' },
  {
    key: 'card',
    'zh-CN': '告知用户看下售后保障卡，当地是否有售后检测中心',
    en: 'Point to the after-sales card: is there a service and test centre nearby',
  },
];

export const complaintScripts = {
  dead_on_arrival: {
    key: 'dead_on_arrival',
    rule: 'S4.7',
    title: { 'zh-CN': '机器质量问题（手机刚收到，未经使用便出现故障）', en: 'Dead on arrival (faulty as received, never used)' },
    seed: S47_SEED,
    steps: [
      ...s47Opening,
      {
        key: 'rules',
        'zh-CN': '提前申明告知用户售后寄回细则：7日内凭厂家维修中心或特约维修点开具的质量检测报告，可以退换货，15日以内可换同种型号的主机（其他附件不作更换）',
        en: 'State the send-back rules in advance: within 7 days, with a test report from the maker\'s or an authorised centre, return or exchange; within 15 days, the same model\'s handset (accessories not replaced)',
      },
    ],
  },
  report_rejected: {
    key: 'report_rejected',
    rule: 'S4.7',
    title: { 'zh-CN': '手机寄回不认可我方出具检测报告', en: 'The buyer rejects our test report' },
    seed: S47_SEED,
    steps: [
      ...s47Opening,
      {
        key: 'rules',
        'zh-CN': '提前申明告知用户售后寄回细则：认可我司出具的检测报告，同意以我司出具的检测报告为依据处理售后问题',
        en: 'Restate the send-back rules the buyer agreed to: our test report is accepted and after-sales is handled on its basis',
      },
    ],
  },
  malicious: {
    key: 'malicious',
    rule: 'S4.8',
    title: { 'zh-CN': '恶意投诉（一般恶意投诉均为普通投诉升级）', en: 'Malicious complaint (an escalated ordinary one)' },
    seed: S48_SEED,
    steps: [
      { key: 'soothe', 'zh-CN': '先安抚用户', en: 'Soothe the buyer first' },
      { key: 'what', 'zh-CN': '明确用户投诉内容', en: 'Establish what the complaint is' },
      { key: 'why', 'zh-CN': '用户为何投诉', en: 'Establish why the buyer complains' },
      { key: 'demands', 'zh-CN': '投诉要求如何', en: 'Establish what the buyer demands' },
      { key: 'operator', 'zh-CN': '最后沟通电信协调解决', en: 'Finally, settle it with the telecom operator' },
    ],
  },
  operator_coordination: {
    key: 'operator_coordination',
    rule: 'S4.8',
    title: { 'zh-CN': '沟通电信协调解决', en: 'Coordination with the operator' },
    seed: S48_SEED,
    steps: [
      { key: 'contact', 'zh-CN': '沟通电信（运营商营业厅），说明用户投诉内容、为何投诉、投诉要求', en: 'Call the operator (its business hall) with what, why and the demands' },
      { key: 'record', 'zh-CN': '记下营业厅、对接人和协调结果', en: 'Record the hall, the contact person and what was agreed' },
      { key: 'settle', 'zh-CN': '按协调结果解决，写明处理结果后结案', en: 'Settle as agreed, then close with the outcome' },
    ],
  },
} as const satisfies Record<ComplaintScriptKey, ComplaintScript>;

/**
 * The scripts for a complaint, in the order they apply: its S4.7 case (when
 * known), then, once it is malicious, S4.8 and the operator coordination.
 */
export function complaintScriptsFor(complaint: { phoneCase?: ComplaintPhoneCase | null | undefined; severity: string }): ComplaintScript[] {
  const out: ComplaintScript[] = [];
  if (complaint.phoneCase) out.push(complaintScripts[complaint.phoneCase]);
  if (complaint.severity === 'malicious') out.push(complaintScripts.malicious, complaintScripts.operator_coordination);
  return out;
}
