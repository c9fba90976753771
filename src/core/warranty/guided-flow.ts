/**
 * S4.6 the ordinary after-sales case as a guided flow (普通售后): "询问用户手机故障，
 * 如果为保障卡上简易问题可以提示用户自行排除下故障，如若不行，建议用户去当地售后进行
 * 检测。如当地未有售后受理点，用户可以寄回手机进行代检。但必须同意售后寄回检测细则。"
 * The steps and the self-fixes of the card (S4.1) are data; `nextGuidedStep`
 * reads the answers so far and gives the next step, so the agent's script and
 * the buyer portal walk the same path.
 */
import { issue, throwIfIssues, type FieldIssue } from '../workbench/fields.ts';
import { clauseOf, type Clause, type WarrantyPolicy } from './policy.ts';
import { defaultReturnContact, findServicePoints, type ReturnContact, type ServicePoint, type ServicePointDirectory, type ServicePointLookup } from './service-points.ts';

/** S4.1 the simple self-fixes of the card (关于一些简易的售后处理). */
export const selfFixes = {
  factory_reset: {
    zh: '恢复出厂设置（恢复前请备份通讯录、照片等资料）',
    en: 'Restore the factory settings (back up contacts, photos and other data first).',
    seedZh: '手机卡机严重手机死机（可以简易用户恢复出厂设置）',
  },
  check_charger_and_cable: {
    zh: '检测是否为充电头或者数据线的问题：换一个充电头或数据线再试',
    en: 'Check whether the charger head or the cable is at fault: try another charger head or cable.',
    seedZh: '手机充不进去电（简易的检测下是否为充电头或者数据线问题）',
  },
  activate_battery: {
    zh: '激活电池：用万能充给电池充电，或者用数据线连接电脑给手机充电',
    en: 'Wake the battery up: charge it with a universal charger (万能充), or connect the phone to a computer with the cable.',
    seedZh: '一些可能存在用户手机自动关机亏电，需要电池激活。需要用万能充激活下电池（用万能充充电）或者用数据线链接电脑给手机充电。',
  },
} as const;
export type SelfFixId = keyof typeof selfFixes;

/** The faults the agent asks about first; those on the card come with their self-fix. */
export const symptoms = [
  { id: 'freeze', zh: '手机卡机严重、死机', en: 'The phone freezes or hangs', selfFixes: ['factory_reset'] },
  { id: 'not_charging', zh: '手机充不进电', en: 'The phone does not charge', selfFixes: ['check_charger_and_cable'] },
  { id: 'shuts_down', zh: '手机自动关机、亏电', en: 'The phone shuts itself down, the battery runs flat', selfFixes: ['activate_battery'] },
  { id: 'other', zh: '其他故障', en: 'Another fault', selfFixes: [] },
] as const satisfies readonly { id: string; zh: string; en: string; selfFixes: readonly SelfFixId[] }[];
export type SymptomId = (typeof symptoms)[number]['id'];
export type Symptom = (typeof symptoms)[number];

export interface GuidedAnswers {
  symptom?: SymptomId | null | undefined;
  /** after trying the self-fixes */
  selfFix?: 'fixed' | 'not_fixed' | null | undefined;
  /** after being pointed to the local service centre */
  localCentre?: 'will_visit' | 'cannot_visit' | null | undefined;
  /** the buyer's city or address, for the service points */
  region?: string | null | undefined;
  brand?: string | null | undefined;
}

export type GuidedStepId =
  /** ask what is wrong */
  | 'ask_fault'
  /** offer the card's self-fixes and ask whether they helped */
  | 'offer_self_fix'
  /** fixed by the buyer: nothing more to do */
  | 'resolved'
  /** point to the local service centre and ask whether the buyer can go */
  | 'point_to_local_centre'
  /** the buyer goes to the centre: what to bring, what the report gives (end of the flow) */
  | 'visit_local_centre'
  /** no centre the buyer can use: send the phone back for our test, on the terms of S4.3 (end of the flow) */
  | 'send_back';

export interface GuidedStep {
  step: GuidedStepId;
  /** what the agent says, or the portal shows */
  promptZh: string;
  promptEn: string;
  /** ask_fault: the faults to pick from */
  choices?: readonly Symptom[];
  /** offer_self_fix */
  selfFixes?: { id: SelfFixId; zh: string; en: string }[];
  /** point_to_local_centre, send_back: what the directory has for the buyer's city and brand */
  lookup?: ServicePointLookup | null;
  points?: ServicePoint[];
  /** send_back: the terms the buyer must accept (S4.3), the address and what to send (S4.4) */
  terms?: Clause;
  returnContact?: ReturnContact;
  mustSend?: { zh: string; en: string }[];
  /** the steps already passed, for the record */
  path: GuidedStepId[];
}

export interface GuidedFlowContext {
  policy: WarrantyPolicy;
  directory: ServicePointDirectory;
  returnContact?: ReturnContact | undefined;
}

function readAnswers(answers: GuidedAnswers): void {
  const issues: FieldIssue[] = [];
  if (answers.symptom != null && !symptoms.some((s) => s.id === answers.symptom)) {
    issues.push(issue('symptom', 'unknown_value', `The fault is one of ${symptoms.map((s) => s.id).join(', ')}.`));
  }
  if (answers.selfFix != null && answers.selfFix !== 'fixed' && answers.selfFix !== 'not_fixed') {
    issues.push(issue('selfFix', 'unknown_value', 'Whether the self-fix helped is fixed or not_fixed.'));
  }
  if (answers.localCentre != null && answers.localCentre !== 'will_visit' && answers.localCentre !== 'cannot_visit') {
    issues.push(issue('localCentre', 'unknown_value', 'Whether the buyer can go to the local centre is will_visit or cannot_visit.'));
  }
  throwIfIssues('S4.6 the guided flow', issues);
}

/** What a centre's report gives, from the host's rungs of the policy: "7日内可退货或更换同型号主机；15日内…". */
function reportGivesZh(policy: WarrantyPolicy): string {
  const from = policy.host.rungs[0]?.from === 'delivery' ? '签收' : '购买';
  return `自${from}之日起${policy.host.rungs
    .map((r) => `${r.period.labelZh}内可${r.grants.map((g) => policy.remedyLabels[g].zh).join('或')}`)
    .join('；')}`;
}

function reportGivesEn(policy: WarrantyPolicy): string {
  const from = policy.host.rungs[0]?.from === 'delivery' ? 'delivery' : 'purchase';
  return `from the ${from}, ${policy.host.rungs.map((r) => `within ${r.period.labelEn}, ${r.grants.map((g) => policy.remedyLabels[g].en).join(' or ')}`).join('; ')}`;
}

/** S4.6: the next step of the ordinary case from the answers so far. */
export function nextGuidedStep(answers: GuidedAnswers, ctx: GuidedFlowContext): GuidedStep {
  readAnswers(answers);
  const path: GuidedStepId[] = ['ask_fault'];
  const symptom = symptoms.find((s) => s.id === answers.symptom);
  if (!symptom) {
    return {
      step: 'ask_fault',
      promptZh: '亲，请问您的手机出现了什么问题？',
      promptEn: 'What is wrong with the phone?',
      choices: symptoms,
      path: [],
    };
  }
  if (symptom.selfFixes.length > 0) {
    if (answers.selfFix == null) {
      const fixes = symptom.selfFixes.map((id) => ({ id, zh: selfFixes[id].zh, en: selfFixes[id].en }));
      return {
        step: 'offer_self_fix',
        promptZh: `亲，这是保障卡上的简易问题，您可以先按以下方式处理下：${fixes.map((f) => f.zh).join('；')}。处理后问题解决了吗？`,
        promptEn: `This is one of the simple problems on the warranty card; please try first: ${fixes.map((f) => f.en).join(' ')} Did that solve it?`,
        selfFixes: fixes,
        path,
      };
    }
    path.push('offer_self_fix');
    if (answers.selfFix === 'fixed') {
      return { step: 'resolved', promptZh: '问题已经解决，感谢您的配合！', promptEn: 'The problem is solved; thank you.', path };
    }
  }
  const lookup = answers.region && answers.brand ? findServicePoints(ctx.directory, { region: answers.region, brand: answers.brand }) : null;
  const points = lookup?.status === 'found' ? lookup.points : [];
  if (points.length > 0 && answers.localCentre !== 'cannot_visit') {
    if (answers.localCentre == null) {
      return {
        step: 'point_to_local_centre',
        promptZh: '亲，您所在区域有售后网点（见售后保障卡），建议您带手机去当地售后进行检测。您方便前往吗？',
        promptEn: 'There is a service centre in your area (see the warranty card); we suggest having the phone tested there. Can you go?',
        lookup,
        points,
        path,
      };
    }
    path.push('point_to_local_centre');
    return {
      step: 'visit_local_centre',
      promptZh: `请携带手机、保修卡和发票前往当地售后网点检测。如网点出具故障属实的检测报告，请凭报告联系客服：${reportGivesZh(ctx.policy)}。`,
      promptEn: `Take the phone, the warranty card and the invoice to the local centre. If its report confirms the fault, contact us with the report: ${reportGivesEn(ctx.policy)}.`,
      lookup,
      points,
      path,
    };
  }
  if (points.length > 0) path.push('point_to_local_centre');
  const terms = clauseOf(ctx.policy, ctx.policy.sendBackTermsClauseId);
  const send = ctx.policy.mustSend.testing.items.map((i) => ctx.policy.sendItemLabels[i]);
  const contact = ctx.returnContact ?? defaultReturnContact;
  return {
    step: 'send_back',
    promptZh: `当地未有售后受理点，您可以将手机寄回我司代为检测，但必须同意售后寄回检测细则。请按照售后保障卡上的售后地址（${contact.address}，收货人：${contact.consignee}）寄回，并标注手机故障。`,
    promptEn: `There is no service centre you can use, so you may send the phone to us for testing, on our send-back testing terms. Send it to the address on the warranty card (${contact.address}, to ${contact.consignee}) with a note of the fault.`,
    lookup,
    points: [],
    terms,
    returnContact: contact,
    mustSend: send,
    path,
  };
}
