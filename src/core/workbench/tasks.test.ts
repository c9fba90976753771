/** Courier tasks (S1.6 trace, S1.19 recall), department tasks (S1.10), complaint records (S1.17, S4.8). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  applyComplaintAction,
  applyCourierTaskAction,
  applyDepartmentTaskAction,
  complaintActionRoles,
  complaintActions,
  escalationTextLimit,
  complaintReplyLimit,
  complaintTransitions,
  departmentTaskRemark,
  openComplaint,
  openCourierTask,
  openDepartmentTask,
  shoeProblemLabels,
  validateComplaintReply,
  type Complaint,
  type ComplaintCommand,
} from './tasks.ts';
import { complaintPhoneCases, complaintScriptKeys, complaintScripts, complaintScriptsFor } from './complaint-scripts.ts';

const ctx = { now: new Date('2026-03-02T02:00:00.000Z') };

function details(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, ...e.details };
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('courier tasks', () => {
  const trace = openCourierTask({ kind: 'trace', orderNo: 'T500', courier: '中通快递', trackingNo: '773012345678901' }, ctx);
  const recall = openCourierTask({ kind: 'recall', orderNo: 'T501', courier: '圆通速递', trackingNo: 'YT7512345678901', note: '买家拒签' }, ctx);

  it('S1.6 a trace task is done with the courier\'s answer and how the buyer was told; the handover remark is optional', () => {
    const done = applyCourierTaskAction(trace, { action: 'complete', outcome: '快件在杭州转运中心滞留，明天派送', buyerToldVia: 'wangwang' }, ctx);
    expect(done).toMatchObject({ from: 'open', to: 'done', orderRemark: null, next: null });
    expect(done.record.done).toMatchObject({ outcome: '快件在杭州转运中心滞留，明天派送', handoverRemark: null, buyerToldVia: 'wangwang', parcelLost: false });
  });

  it('S1.6 the outcome text and the buyer contact are required', () => {
    const d = details(() => applyCourierTaskAction(trace, { action: 'complete', outcome: ' ', buyerToldVia: 'email' as 'phone' }, ctx)) as {
      issues: { reason: string }[];
    };
    expect(d.issues.map((i) => i.reason)).toEqual(['outcome_required', 'buyer_told_via_unknown_value']);
  });

  it('S1.6 a lost parcel (掉件) points to opening a claim form', () => {
    const done = applyCourierTaskAction(trace, { action: 'complete', outcome: '快递确认掉件', buyerToldVia: 'phone', parcelLost: true }, ctx);
    expect(done.next).toBe('open_claim');
  });

  it('S1.19 a recall is done only with a remark for the next shift and pre-sales, which goes on the order', () => {
    expect(details(() => applyCourierTaskAction(recall, { action: 'complete', outcome: '快递已安排退回', buyerToldVia: 'phone' }, ctx))).toMatchObject({
      code: 'VALIDATION_FAILED',
      reason: 'handover_remark_required',
    });
    const done = applyCourierTaskAction(recall, { action: 'complete', outcome: '快递已安排退回', buyerToldVia: 'phone', handoverRemark: '拒签追件中，已告知买家' }, ctx);
    expect(done.orderRemark).toBe('拒签追件中，已告知买家');
    expect(done.record.status).toBe('done');
  });

  it('S1.19 validates the task: kind, order, courier, tracking number', () => {
    const d = details(() => openCourierTask({ kind: 'lost' as 'trace', orderNo: '', courier: '', trackingNo: '12' }, ctx)) as { issues: { reason: string }[] };
    expect(d.issues.map((i) => i.reason)).toEqual(['kind_unknown_value', 'order_no_required', 'courier_required', 'tracking_no_invalid_format']);
  });

  it('S1.6 cancel needs a reason; done and cancelled are final', () => {
    const cancelled = applyCourierTaskAction(trace, { action: 'cancel', reason: '买家已收到' }, ctx).record;
    expect(cancelled.cancelled?.reason).toBe('买家已收到');
    expect(details(() => applyCourierTaskAction(cancelled, { action: 'complete', outcome: '已签收', buyerToldVia: 'phone' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'transition_not_allowed',
    });
  });
});

describe('department tasks', () => {
  const input = {
    orderNo: 'T500',
    refundId: 7,
    problem: 'heel' as const,
    description: '买家说鞋跟比页面照片高约1厘米',
    photos: ['https://img.example.com/a.jpg', 'file_01HX9', 'https://img.example.com/a.jpg'],
  };

  it('S1.10 goes to design and merchandise by default, with the problem and de-duplicated photos', () => {
    const task = openDepartmentTask(input, ctx);
    expect(task).toMatchObject({ status: 'open', departments: ['design', 'merchandise'], problem: 'heel', refundId: 7 });
    expect(task.photos).toEqual(['https://img.example.com/a.jpg', 'file_01HX9']);
    expect(openDepartmentTask({ ...input, departments: ['merchandise'] }, ctx).departments).toEqual(['merchandise']);
  });

  it('S1.10 the problems carry the seed\'s zh-CN labels; the order remark names the exact problem', () => {
    expect(Object.fromEntries(Object.entries(shoeProblemLabels).map(([k, v]) => [k, v['zh-CN']]))).toEqual({
      heel: '鞋跟',
      upper_pattern: '鞋面花纹',
      toe: '鞋头',
      wrong_item: '发错货',
      other: '其他',
    });
    expect(departmentTaskRemark({ problem: 'toe', description: '鞋头比图片尖' })).toBe('收到商品不符（鞋头）：鞋头比图片尖');
  });

  it('S1.10 refuses more than 9 photos, a photo that is no URL or file id, and an unknown department', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `file${i}`);
    expect(details(() => openDepartmentTask({ ...input, photos: ten }, ctx))).toMatchObject({ reason: 'photos_too_many', limit: 9 });
    expect(openDepartmentTask({ ...input, photos: ten.slice(0, 9) }, ctx).photos).toHaveLength(9);
    expect(details(() => openDepartmentTask({ ...input, photos: ['javascript:alert'] }, ctx))).toMatchObject({ reason: 'photos_invalid' });
    expect(details(() => openDepartmentTask({ ...input, photos: ['data:image/png'] }, ctx))).toMatchObject({ reason: 'photos_invalid' });
    expect(details(() => openDepartmentTask({ ...input, photos: ['a b.jpg'] }, ctx))).toMatchObject({ field: 'photos[0]' });
    // an uploaded file's ref is a photo; a malformed one is not
    expect(openDepartmentTask({ ...input, photos: ['evidence:12'] }, ctx).photos).toEqual(['evidence:12']);
    expect(details(() => openDepartmentTask({ ...input, photos: ['evidence:x1'] }, ctx))).toMatchObject({ field: 'photos[0]' });
    expect(details(() => openDepartmentTask({ ...input, departments: [] }, ctx))).toMatchObject({ reason: 'departments_invalid' });
    expect(details(() => openDepartmentTask({ ...input, departments: ['warehouse' as 'design'] }, ctx))).toMatchObject({ reason: 'departments_invalid' });
    expect(details(() => openDepartmentTask({ ...input, problem: 'sole' as 'heel' }, ctx))).toMatchObject({ reason: 'problem_unknown_value' });
  });

  it('S1.10 design or merchandise answers page fixed or no difference, with a note', () => {
    const task = openDepartmentTask(input, ctx);
    const answered = applyDepartmentTaskAction(task, { action: 'answer', answer: 'page_fixed', note: '已更新详情页鞋跟高度' }, ctx);
    expect(answered).toMatchObject({ from: 'open', to: 'answered', record: { answer: { answer: 'page_fixed', note: '已更新详情页鞋跟高度' } } });
    expect(details(() => applyDepartmentTaskAction(task, { action: 'answer', answer: 'no_difference', note: '' }, ctx))).toMatchObject({ reason: 'note_required' });
    expect(details(() => applyDepartmentTaskAction(answered.record, { action: 'answer', answer: 'no_difference', note: '再次核实' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
    });
  });
});

describe('complaints', () => {
  const input = {
    source: 'platform' as const,
    type: '违背承诺',
    content: '买家投诉未按约定时间发货',
    buyerDemands: '要求赔偿',
    orderNo: 'T500',
  };
  const open = openComplaint(input, ctx);

  it('S1.17 records source, type, content and demands; ordinary by default; links are optional', () => {
    expect(open).toMatchObject({ status: 'open', severity: 'ordinary', orderNo: 'T500', refundId: null, replies: [] });
    expect(openComplaint({ ...input, orderNo: undefined, refundId: 3 }, ctx)).toMatchObject({ orderNo: null, refundId: 3 });
    const d = details(() => openComplaint({ source: 'email' as 'phone', type: '', content: '', buyerDemands: '', refundId: -1 }, ctx)) as {
      issues: { reason: string }[];
    };
    expect(d.issues.map((i) => i.reason)).toEqual(['source_unknown_value', 'type_required', 'content_required', 'buyer_demands_required', 'refund_id_invalid']);
  });

  it('S1.17 a reply to the platform has at most 200 characters, refused above with details.limit', () => {
    expect(validateComplaintReply(` ${'好'.repeat(complaintReplyLimit)} `)).toHaveLength(200);
    expect(details(() => validateComplaintReply('好'.repeat(201)))).toEqual({
      code: 'VALIDATION_FAILED',
      reason: 'reply_too_long',
      field: 'text',
      limit: 200,
      length: 201,
    });
    // counted as characters, not UTF-16 units: 200 emoji fit
    expect(validateComplaintReply('👍'.repeat(200))).toHaveLength(400);
    expect(details(() => validateComplaintReply('  '))).toMatchObject({ reason: 'reply_required' });
  });

  it('S1.17 open → replied → closed with an outcome; replies accumulate', () => {
    const replied = applyComplaintAction(open, { action: 'reply', text: '已与买家电话沟通，按约定补发。' }, ctx);
    expect(replied).toMatchObject({ from: 'open', to: 'replied' });
    const again = applyComplaintAction(replied.record, { action: 'reply', text: '补发单号SF1234567890123。' }, ctx).record;
    expect(again.replies).toHaveLength(2);
    expect(details(() => applyComplaintAction(open, { action: 'close', outcome: '买家撤诉' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      allowedActions: ['reply', 'escalate', 'coordinate_operator'],
    });
    const closed = applyComplaintAction(again, { action: 'close', outcome: '买家撤销投诉' }, ctx).record;
    expect(closed).toMatchObject({ status: 'closed', outcome: '买家撤销投诉', closedAt: ctx.now.toISOString() });
  });

  const established = { what: '买家称手机到货即坏，平台投诉未处理', why: '不认可我方检测报告，认为拖延', demands: '额外赔偿500元，否则持续投诉' };

  it('S4.8 escalates ordinary → malicious with what, why and the demands, never back', () => {
    const escalated = applyComplaintAction(open, { action: 'escalate', ...established }, ctx);
    expect(escalated).toMatchObject({ from: 'open', to: 'open', data: { from: 'ordinary', to: 'malicious', ...established }, record: { severity: 'malicious' } });
    expect(escalated.record.escalation).toEqual({ ...established, at: ctx.now.toISOString() });
    expect(details(() => applyComplaintAction(escalated.record, { action: 'escalate', ...established }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'already_malicious',
    });
  });

  it('S4.8 escalation needs what, why and the demands, each 2–500 characters', () => {
    const none = details(() => applyComplaintAction(open, { action: 'escalate', what: '', why: ' ', demands: undefined as unknown as string }, ctx)) as {
      code: string;
      issues: { reason: string }[];
    };
    expect(none.code).toBe('VALIDATION_FAILED');
    expect(none.issues.map((i) => i.reason)).toEqual(['what_required', 'why_required', 'demands_required']);
    expect(details(() => applyComplaintAction(open, { action: 'escalate', ...established, why: '坏' }, ctx))).toMatchObject({ reason: 'why_too_short', limit: 2 });
    expect(details(() => applyComplaintAction(open, { action: 'escalate', ...established, demands: '赔'.repeat(escalationTextLimit + 1) }, ctx))).toMatchObject({
      reason: 'demands_too_long',
      limit: 500,
    });
    // the old single note is no longer enough
    expect(details(() => applyComplaintAction(open, { action: 'escalate', note: '买家要求额外赔偿' } as unknown as ComplaintCommand, ctx))).toMatchObject({
      reason: 'what_required',
    });
  });

  it('S4.8 coordinates with the telecom operator only once malicious, each time as a history entry', () => {
    const coordination = { action: 'coordinate_operator' as const, operator: '中国电信石家庄裕华营业厅', contact: '李经理', agreed: '营业厅出具检测，属实则换新，买家撤诉' };
    expect(details(() => applyComplaintAction(open, coordination, ctx))).toMatchObject({ code: 'ACTION_NOT_ALLOWED', reason: 'not_malicious' });
    const malicious = applyComplaintAction(open, { action: 'escalate', ...established }, ctx).record;
    const first = applyComplaintAction(malicious, coordination, ctx);
    expect(first).toMatchObject({ from: 'open', to: 'open', action: 'coordinate_operator', data: { operator: '中国电信石家庄裕华营业厅', contact: '李经理' } });
    const second = applyComplaintAction(first.record, { ...coordination, agreed: '买家已到营业厅检测，换新完成' }, ctx).record;
    expect(second.operatorCoordinations?.map((c) => c.agreed)).toEqual(['营业厅出具检测，属实则换新，买家撤诉', '买家已到营业厅检测，换新完成']);
    const d = details(() => applyComplaintAction(malicious, { ...coordination, operator: '', contact: '', agreed: '' }, ctx)) as { issues: { reason: string }[] };
    expect(d.issues.map((i) => i.reason)).toEqual(['operator_required', 'contact_required', 'agreed_required']);
    expect(complaintActionRoles.coordinate_operator).toEqual(['agent', 'supervisor']);
  });

  it('S4.8 closed is final: no reply, escalation or coordination after it', () => {
    const malicious = applyComplaintAction(open, { action: 'escalate', ...established }, ctx).record;
    const replied = applyComplaintAction(malicious, { action: 'reply', text: '已与电信营业厅协调处理。' }, ctx).record;
    const closed = applyComplaintAction(replied, { action: 'close', outcome: '营业厅换新，买家撤诉' }, ctx).record;
    for (const cmd of [
      { action: 'coordinate_operator', operator: '中国电信营业厅', contact: '王', agreed: '再次协调' },
      { action: 'reply', text: '再回复' },
      { action: 'escalate', ...established },
      { action: 'close', outcome: '再结案' },
    ] as ComplaintCommand[]) {
      expect(details(() => applyComplaintAction(closed, cmd, ctx))).toMatchObject({ code: 'ACTION_NOT_ALLOWED', reason: 'transition_not_allowed', allowedActions: [] });
    }
  });

  it('S4.7 records the phone case: dead on arrival or our report rejected; anything else is refused', () => {
    expect(open.phoneCase).toBeNull();
    expect(openComplaint({ ...input, phoneCase: 'dead_on_arrival' }, ctx).phoneCase).toBe('dead_on_arrival');
    expect(openComplaint({ ...input, phoneCase: 'report_rejected' }, ctx).phoneCase).toBe('report_rejected');
    expect(details(() => openComplaint({ ...input, phoneCase: 'lost' as 'dead_on_arrival' }, ctx))).toMatchObject({ reason: 'phone_case_unknown_value' });
  });

  it('S4.8 property: no sequence of actions lowers the severity or leaves closed', () => {
    const command = fc.constantFrom<ComplaintCommand>(
      { action: 'reply', text: '已处理' },
      { action: 'escalate', what: '恶意索赔', why: '不认可检测报告', demands: '额外赔偿' },
      { action: 'coordinate_operator', operator: '中国电信营业厅', contact: '李经理', agreed: '换新' },
      { action: 'close', outcome: '已解决' },
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 12 }), (commands) => {
        let c: Complaint = open;
        for (const cmd of commands) {
          const before = c;
          try {
            c = applyComplaintAction(c, cmd, ctx).record;
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            continue;
          }
          if (before.severity === 'malicious') expect(c.severity).toBe('malicious');
          expect(before.status).not.toBe('closed');
        }
      }),
    );
    expect(complaintActions.every((a) => !(a in complaintTransitions.closed))).toBe(true);
  });
});

describe('complaint scripts (S4.7, S4.8)', () => {
  it('S4.7/S4.8 there is a script for each case, with ordered steps in zh-CN and en, citing its rule and quoting the seed', () => {
    expect(Object.keys(complaintScripts)).toEqual([...complaintScriptKeys]);
    expect(complaintScriptKeys).toEqual(['dead_on_arrival', 'report_rejected', 'malicious', 'operator_coordination']);
    for (const key of complaintScriptKeys) {
      const script = complaintScripts[key];
      expect(script.key).toBe(key);
      expect(script.steps.length).toBeGreaterThanOrEqual(3);
      expect(new Set(script.steps.map((s) => s.key)).size).toBe(script.steps.length);
      for (const step of script.steps) {
        expect(step['zh-CN'].length).toBeGreaterThan(0);
        expect(step.en.length).toBeGreaterThan(0);
      }
    }
    expect(complaintScripts.dead_on_arrival.rule).toBe('S4.7');
    expect(complaintScripts.report_rejected.rule).toBe('S4.7');
    expect(complaintScripts.malicious.rule).toBe('S4.8');
    expect(complaintScripts.operator_coordination.rule).toBe('S4.8');
    expect(complaintScripts.dead_on_arrival.seed).toContain('機器質量問題（手機剛收到，未經使用便出現故障）');
    expect(complaintScripts.report_rejected.seed).toContain('手機寄回不認可我方出具檢測報告');
    expect(complaintScripts.malicious.seed).toContain('一般惡意投訴均為普通投訴升級');
    expect(complaintScripts.operator_coordination.seed).toContain('最后溝通電信協調解決');
  });

  it('S4.7 soothe, ask, point to the card and the local centre, restate the rules — in that order', () => {
    for (const key of complaintPhoneCases) {
      expect(complaintScripts[key].steps.map((s) => s.key)).toEqual(['soothe', 'ask', 'card', 'rules']);
    }
    expect(complaintScripts.dead_on_arrival.steps[0]!['zh-CN']).toBe('先予安抚用户');
    expect(complaintScripts.report_rejected.steps[3]!['zh-CN']).toContain('认可我司出具的检测报告');
  });

  it('S4.8 soothe; what, why, demands; then the telecom operator', () => {
    expect(complaintScripts.malicious.steps.map((s) => s['zh-CN'])).toEqual(['先安抚用户', '明确用户投诉内容', '用户为何投诉', '投诉要求如何', '最后沟通电信协调解决']);
  });

  it('S4.7/S4.8 a complaint shows its case\'s script, and once malicious the S4.8 and operator scripts', () => {
    const base = { source: 'phone' as const, type: '质量问题', content: '手机刚收到就开不了机', buyerDemands: '换新' };
    const doa = openComplaint({ ...base, phoneCase: 'dead_on_arrival' }, ctx);
    expect(complaintScriptsFor(doa).map((s) => s.key)).toEqual(['dead_on_arrival']);
    expect(complaintScriptsFor(openComplaint(base, ctx))).toEqual([]);
    const escalated = applyComplaintAction(doa, { action: 'escalate', what: '到货即坏', why: '不认可检测报告', demands: '退款并赔偿' }, ctx).record;
    expect(complaintScriptsFor(escalated).map((s) => s.key)).toEqual(['dead_on_arrival', 'malicious', 'operator_coordination']);
  });
});
