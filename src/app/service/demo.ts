/**
 * The demo service desk (S5): a few archives of delivered equipment and the
 * records of their calls, made through the real use cases by the demo users
 * clerk and field-lead (seedDemoUsers), backdated:
 * - a government-procurement unit in warranty, its repair done, returned and
 *   filed five days ago: the follow-up call is due;
 * - a consumer unit out of warranty: the call waits for leadership's decision;
 * - a unit whose dispatch is running late without a notice to the customer;
 * - an emergency a lead started before the paperwork, still incomplete.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { addCalendarDays, shanghaiDate, shanghaiMidnight } from '../../core/service/dates.ts';
import { SettableClock, type AppContext } from '../context.ts';
import { createServiceArchive } from './archives.ts';
import { actOnServiceDispatch } from './dispatches.ts';
import { actOnServiceRecord, openServiceRecord } from './records.ts';

const HOUR_MS = 3_600_000;

async function demoUser(ctx: AppContext, shopId: number, username: string): Promise<Actor> {
  const row = await ctx.db.kysely
    .selectFrom('actors')
    .innerJoin('users', 'users.id', 'actors.user_id')
    .select(['actors.id as actorId', 'actors.role', 'users.id as userId', 'users.display_name'])
    .where('actors.shop_id', '=', shopId)
    .where('users.username', '=', username)
    .where('actors.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `The demo user ${username} is missing (seedDemoUsers makes it).`, {});
  return { id: row.actorId, shopId, role: row.role as Actor['role'], name: row.display_name, kind: 'user', buyerNick: null, userId: row.userId };
}

/** Seeds the demo service desk into the shop; answers the number of archives. */
export async function seedDemoServiceDesk(ctx: AppContext, shopId: number): Promise<number> {
  const [clerk, lead] = await Promise.all([demoUser(ctx, shopId, 'clerk'), demoUser(ctx, shopId, 'field-lead')]);
  const clock = new SettableClock();
  const seed: AppContext = { ...ctx, clock };
  const today = shanghaiDate(ctx.clock.now());
  /** `hours` (Shanghai time of day) on the day `daysAgo` days before today */
  const at = (daysAgo: number, hours: number): Date => new Date(shanghaiMidnight(addCalendarDays(today, -daysAgo)).getTime() + hours * HOUR_MS);
  const day = (daysAgo: number): string => addCalendarDays(today, -daysAgo);
  const leadRef = { userId: lead.userId!, unit: 'project' };

  // 1. government procurement, in warranty: repaired, returned and filed; the follow-up call is due (S5.7)
  clock.set(at(180, 10));
  const school = await createServiceArchive(seed, {
    actor: clerk,
    input: {
      customer: { organisation: '大连市甘井子区教育局', contact: '张科长', phone: '0411-86651234', siteAddress: '辽宁省大连市甘井子区学府路 8 号 教育局三楼信息中心' },
      product: '多媒体教学一体机 JX-86',
      serialNo: 'JX86-2025-00017',
      contractNo: '大政采 2025-118',
      projectName: '甘井子区智慧教室项目',
      market: 'government_procurement',
      deliveredOn: day(195),
      acceptedOn: day(181),
      warrantyPeriod: { count: 3, unit: 'years' },
    },
  });
  clock.set(at(7, 9.5));
  let rec = await openServiceRecord(seed, {
    actor: clerk,
    input: { archiveId: school.id, caller: { name: '张科长', phone: '0411-86651234' }, fault: '三号教室一体机开机无显示，电源指示灯红色常亮' },
  });
  clock.set(at(7, 10));
  rec = await actOnServiceRecord(seed, { actor: clerk, id: rec.id, version: rec.version, action: 'assign', input: { assignee: leadRef } });
  const dispatchOf = async (recordId: number) =>
    (await ctx.db.kysely.selectFrom('service_dispatches').select(['id', 'version']).where('record_id', '=', recordId).orderBy('id', 'desc').executeTakeFirstOrThrow());
  const d = await dispatchOf(rec.id);
  clock.set(at(6, 9));
  await actOnServiceDispatch(seed, { actor: lead, id: d.id, version: d.version, action: 'arrive', input: {} });
  clock.set(at(6, 11.5));
  rec = await actOnServiceRecord(seed, {
    actor: lead,
    id: rec.id,
    version: rec.version,
    action: 'finish_work',
    input: { work: { method: 'on_site', workDone: '更换电源板，通电测试正常，已教老师正确开关机顺序', parts: [{ name: '电源板', model: 'PW-86', quantity: 1 }], labourMinutes: 120 } },
  });
  clock.set(at(5, 9));
  rec = await actOnServiceRecord(seed, { actor: lead, id: rec.id, version: rec.version, action: 'return_to_clerk', input: {} });
  clock.set(at(5, 10));
  await actOnServiceRecord(seed, { actor: clerk, id: rec.id, version: rec.version, action: 'archive', input: {} });

  // 2. consumer market, out of warranty: leadership decides free or paid (S5.5)
  clock.set(at(1100, 10));
  const hotel = await createServiceArchive(seed, {
    actor: clerk,
    input: {
      customer: { organisation: '沈阳和平区悦来酒店', contact: '李经理', phone: '13840001234', siteAddress: '辽宁省沈阳市和平区南京北街 66 号 后厨设备间' },
      product: '商用净水设备 RO-500',
      serialNo: 'RO500-2022-0031',
      contractNo: 'XS-2022-0456',
      market: 'consumer',
      deliveredOn: day(1102),
      acceptedOn: day(1101),
      warrantyPeriod: { count: 12, unit: 'months' },
    },
  });
  clock.set(at(1, 14));
  await openServiceRecord(seed, {
    actor: clerk,
    input: { archiveId: hotel.id, caller: { name: '李经理', phone: '13840001234', organisation: '沈阳和平区悦来酒店' }, fault: '出水量明显变小，压力表读数偏低' },
  });

  // 3. in warranty, the dispatch running late with no notice to the customer (S5.8): flagged
  clock.set(at(100, 10));
  const studio = await createServiceArchive(seed, {
    actor: clerk,
    input: {
      customer: { organisation: '锦州市太和区第二中学', contact: '王主任', phone: '0416-3125678', siteAddress: '辽宁省锦州市太和区解放路 12 号 录播教室' },
      product: '智能录播系统 LB-3',
      serialNo: 'LB3-2025-0102',
      contractNo: '锦政采 2025-031',
      market: 'government_procurement',
      deliveredOn: day(110),
      acceptedOn: day(101),
      warrantyPeriod: { count: 2, unit: 'years' },
    },
  });
  clock.set(at(3, 15));
  rec = await openServiceRecord(seed, { actor: clerk, input: { archiveId: studio.id, caller: { name: '王主任', phone: '0416-3125678' }, fault: '录播主机无法保存录像，提示磁盘错误' } });
  clock.set(at(3, 16));
  await actOnServiceRecord(seed, { actor: clerk, id: rec.id, version: rec.version, action: 'assign', input: { assignee: leadRef } });

  // 4. an emergency: the lead went first, the paperwork is still missing (S5.8)
  const startedAt = new Date(ctx.clock.now().getTime() - 8 * HOUR_MS);
  clock.set(new Date(startedAt.getTime() + 30 * 60_000));
  await openServiceRecord(seed, {
    actor: lead,
    input: {
      emergency: { startedAt: startedAt.toISOString(), note: '客户生产线停机，先行赶赴现场抢修', siteAddress: '辽宁省大连市金州区工业园区 9 号 二车间' },
      caller: { name: '陈工' },
      fault: '控制柜反复跳闸',
    },
  });
  return 3;
}
