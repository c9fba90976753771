/**
 * The clerk's desk (S5.6, S5.7, S5.8): the periodic review of everything left
 * unattended, the follow-up calls, the emergencies' reminders, the leads to
 * pick from, and the reports (response times, warranty vs paid work,
 * satisfaction by product). Reads only.
 */
import type { Actor, Role } from '../../core/roles.ts';
import { addCalendarDays, shanghaiMidnight } from '../../core/service/dates.ts';
import { unattended, type ReviewSubject } from '../../core/service/dispatch.ts';
import { followUpTask, type FollowUpTaskStatus } from '../../core/service/follow-up.ts';
import { remindersDue } from '../../core/service/repair-record.ts';
import { responseTimes, satisfactionByProduct, workMix } from '../../core/service/reports.ts';
import { listDispatches, listDispatchesOfRecords, listServiceRecords, listShopUsersWithRole, findServiceRecordsByIds } from '../../db/service-repository.ts';
import { requirePermission } from '../access.ts';
import { sheet, typed, type Cell, type WorkbookInput } from '../export/spreadsheet.ts';
import type { AppContext } from '../context.ts';
import { serviceActorOf } from './common.ts';
import { openStatuses } from './records.ts';
import { archiveSummaryOf } from './views.ts';
import type { FollowUpRow, ReminderRow, ReviewRow, ServiceReports } from '../../contract/service-views.ts';

export type { FollowUpRow, ReminderRow, ReviewRow, ServiceReports };

const roleLabels: Partial<Record<Role, string>> = { clerk: '市场部内勤', field_lead: '项目/研发生产负责人', leadership: '领导' };


/**
 * S5.6: everything open with no change for more than `thresholdHours`, and
 * whatever its age every dispatch late without notice and every emergency
 * record with missing paperwork; each with its owner. The longest idle first.
 */
export async function reviewUnattended(ctx: AppContext, options: { actor: Actor; thresholdHours: number }): Promise<{ thresholdHours: number; items: ReviewRow[] }> {
  requirePermission(options.actor, 'service.review');
  const db = ctx.db.kysely;
  const now = ctx.clock.now();
  const shopId = options.actor.shopId;
  const [records, dispatches] = await Promise.all([
    listServiceRecords(db, { shopId, statuses: openStatuses }),
    listDispatches(db, { shopId, statuses: ['registered', 'on_site'], limit: 10_000 }),
  ]);
  const byId = new Map(records.map((r) => [r.id, r]));
  const extra = await findServiceRecordsByIds(db, shopId, dispatches.map((d) => d.dispatch.recordId).filter((id) => !byId.has(id)));
  for (const [id, r] of extra) byId.set(id, r);
  const subjects: ReviewSubject[] = [
    ...records.map((r) => ({ kind: 'repair_record' as const, id: r.id, record: r.record })),
    ...dispatches.map((d) => ({ kind: 'dispatch' as const, id: d.id, dispatch: d.dispatch })),
  ];
  const recordOfDispatch = new Map(dispatches.map((d) => [d.id, d.dispatch.recordId]));
  const items = unattended(subjects, now, options.thresholdHours).map((item): ReviewRow => {
    const recordId = item.kind === 'dispatch' ? (recordOfDispatch.get(item.id) ?? 0) : item.id;
    const record = byId.get(recordId)?.record ?? null;
    return {
      ...item,
      recordId,
      dispatchId: item.kind === 'dispatch' ? item.id : null,
      ownerName: item.owner.name ?? roleLabels[item.owner.role] ?? item.owner.role,
      archive: record ? archiveSummaryOf(record) : null,
    };
  });
  return { thresholdHours: options.thresholdHours, items };
}


/** S5.7: the follow-up calls by state: due (overdue included) the longest-waiting first, scheduled by due time, done and unreached newest first. */
export async function listFollowUps(ctx: AppContext, options: { actor: Actor; state: FollowUpTaskStatus }): Promise<FollowUpRow[]> {
  requirePermission(options.actor, 'service.read');
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const column = options.state === 'done' ? 'done' : options.state === 'unreached' ? 'unreached' : 'pending';
  const rows = await listServiceRecords(ctx.db.kysely, {
    shopId: options.actor.shopId,
    followUpStatus: column,
    ...(options.state === 'due' ? { followUpDueBefore: nowIso } : options.state === 'scheduled' ? { followUpDueFrom: nowIso } : {}),
    limit: 500,
  });
  const out: FollowUpRow[] = [];
  for (const r of rows) {
    const task = followUpTask(r.record, now);
    if (!task || task.status !== options.state) continue;
    out.push({ recordId: r.id, status: r.record.status, version: r.version, archive: archiveSummaryOf(r.record), returnedAt: r.record.returnedAt, dueAt: task.dueAt, attempts: task.attempts, state: task.status, task });
  }
  if (options.state === 'due' || options.state === 'scheduled') out.sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.recordId - b.recordId);
  return out;
}


/**
 * S5.8: the reminders due now for incomplete emergency records, for the
 * signed-in person: those naming them, and those for their role when nobody
 * is named. A supervisor (or an admin) sees them all.
 */
export async function remindersFor(ctx: AppContext, options: { actor: Actor }): Promise<ReminderRow[]> {
  requirePermission(options.actor, 'service.read');
  const now = ctx.clock.now();
  const me = serviceActorOf(options.actor);
  const everyone = options.actor.role === 'supervisor' || options.actor.role === 'admin';
  const rows = await listServiceRecords(ctx.db.kysely, { shopId: options.actor.shopId, incomplete: true, limit: 500 });
  return rows.flatMap((r) =>
    remindersDue(r.record, now)
      .filter((m) => everyone || m.remind.userId === me.userId || (m.remind.userId === null && m.remind.role === me.role))
      .map((m) => ({ ...m, recordId: r.id, version: r.version, archive: archiveSummaryOf(r.record) })),
  );
}

/** S5.4: the project and R&D/production leads of the shop, for the assignee and dispatch pickers. */
export async function listLeads(ctx: AppContext, options: { actor: Actor }): Promise<{ userId: number; username: string; displayName: string }[]> {
  requirePermission(options.actor, 'service.read');
  return listShopUsersWithRole(ctx.db.kysely, { shopId: options.actor.shopId, role: 'field_lead' });
}


/** The reports over the calls of a period (Shanghai dates, both included; open-ended without them). */
export async function serviceReports(ctx: AppContext, options: { actor: Actor; from?: string | undefined; to?: string | undefined }): Promise<ServiceReports> {
  requirePermission(options.actor, 'service.reports');
  const period = { from: options.from ?? null, to: options.to ?? null };
  // the core checks the dates; the query narrows to the period's instants first
  const safe = (d: string | null) => (d !== null && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ? d : null);
  const from = safe(period.from);
  const to = safe(period.to);
  const records = await listServiceRecords(ctx.db.kysely, {
    shopId: options.actor.shopId,
    calledFrom: from ? shanghaiMidnight(from).toISOString() : undefined,
    calledBefore: to ? shanghaiMidnight(addCalendarDays(to, 1)).toISOString() : undefined,
  });
  const dispatches = await listDispatchesOfRecords(ctx.db.kysely, options.actor.shopId, records.map((r) => r.id));
  const recs = records.map((r) => r.record);
  return {
    ...period,
    responseTimes: responseTimes(dispatches.map((d) => d.dispatch), period),
    workMix: workMix(recs, period),
    satisfactionByProduct: satisfactionByProduct(recs, period),
  };
}

/** The reports as sheets for CSV and XLSX (zh-CN headings). */
export function serviceReportSheets(r: ServiceReports): WorkbookInput {
  const t = r.responseTimes;
  const m = r.workMix;
  const keyValues = (name: string, rows: [string, Cell][]) =>
    sheet({
      name,
      columns: [
        { header: '指标', key: 'item', type: 'text' },
        { header: '数值', key: 'value', type: 'text', width: 14 },
      ],
      rows: rows.map(([item, value]) => ({ item, value })),
    });
  return {
    sheets: [
      keyValues('售后服务报表', [
        ['开始日期', r.from === null ? '—' : typed('date', r.from)],
        ['结束日期', r.to === null ? '—' : typed('date', r.to)],
      ]),
      keyValues('响应时间（来电→到达现场，S5.8）', [
        ['到场记录数', typed('integer', t.count)],
        ['中位数（分钟）', typed('integer', t.medianMinutes)],
        ['P90（分钟）', typed('integer', t.p90Minutes)],
        ['最长（分钟）', typed('integer', t.maxMinutes)],
        ['当天或次日到达', typed('integer', t.onTime)],
        ['超时', typed('integer', t.late)],
        ['按时率', typed('percent', t.onTimeShare)],
      ]),
      keyValues('保修与有偿维修（S5.4、S5.5）', [
        ['记录总数（不含取消）', typed('integer', m.total)],
        ['电话解决', typed('integer', m.phone)],
        ['保修期内', typed('integer', m.warranty)],
        ['过保·领导决定无偿', typed('integer', m.freeByDecision)],
        ['过保·待领导决定', typed('integer', m.undecided)],
        ['有偿', typed('integer', m.paid.count)],
        ['有偿·待客户决定', typed('integer', m.paid.pendingDecision)],
        ['有偿·客户同意', typed('integer', m.paid.accepted)],
        ['有偿·客户不维修', typed('integer', m.paid.declined)],
        ['同意报价金额（元）', typed('money_fen', m.paid.acceptedFen)],
        ['已收款（元）', typed('money_fen', m.paid.collectedFen)],
        ['已开票（元）', typed('money_fen', m.paid.invoicedFen)],
        ['未收款（元）', typed('money_fen', m.paid.outstandingFen)],
        ['已取消', typed('integer', m.cancelled)],
      ]),
      sheet({
        name: '满意度（按产品，S5.7）',
        columns: [
          { header: '产品', key: 'product', type: 'text', width: 24 },
          { header: '回访接通数', key: 'count', type: 'integer' },
          { header: '平均满意度', key: 'average', type: 'decimal' },
          { header: '1 非常不满意', key: 's1', type: 'integer' },
          { header: '2 不满意', key: 's2', type: 'integer' },
          { header: '3 一般', key: 's3', type: 'integer' },
          { header: '4 满意', key: 's4', type: 'integer' },
          { header: '5 非常满意', key: 's5', type: 'integer' },
        ],
        rows: r.satisfactionByProduct.map((s) => ({
          product: s.product,
          count: s.count,
          average: s.average,
          s1: s.distribution[1],
          s2: s.distribution[2],
          s3: s.distribution[3],
          s4: s.distribution[4],
          s5: s.distribution[5],
        })),
      }),
    ],
  };
}
