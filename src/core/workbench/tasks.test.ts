/** Courier tasks (S1.6 trace, S1.19 recall), department tasks (S1.10), complaint records (S1.17, S4.8). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  applyComplaintAction,
  applyCourierTaskAction,
  applyDepartmentTaskAction,
  complaintActions,
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
      allowedActions: ['reply', 'escalate'],
    });
    const closed = applyComplaintAction(again, { action: 'close', outcome: '买家撤销投诉' }, ctx).record;
    expect(closed).toMatchObject({ status: 'closed', outcome: '买家撤销投诉', closedAt: ctx.now.toISOString() });
  });

  it('S4.8 escalates ordinary → malicious with a note, never back', () => {
    const escalated = applyComplaintAction(open, { action: 'escalate', note: '买家要求额外赔偿500元，否则持续投诉' }, ctx);
    expect(escalated).toMatchObject({ from: 'open', to: 'open', data: { from: 'ordinary', to: 'malicious' }, record: { severity: 'malicious' } });
    expect(details(() => applyComplaintAction(escalated.record, { action: 'escalate', note: '再次' }, ctx))).toMatchObject({
      code: 'ACTION_NOT_ALLOWED',
      reason: 'already_malicious',
    });
    expect(details(() => applyComplaintAction(open, { action: 'escalate', note: '' }, ctx))).toMatchObject({ reason: 'note_required' });
  });

  it('S4.8 property: no sequence of actions lowers the severity or leaves closed', () => {
    const command = fc.constantFrom<ComplaintCommand>(
      { action: 'reply', text: '已处理' },
      { action: 'escalate', note: '恶意索赔' },
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
