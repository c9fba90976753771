/**
 * Issue 15 §2: the shop's audit trail as a file — the rows the trail's filter
 * holds, newest first as on the page, as XLSX or CSV through the one
 * spreadsheet module: the time on the Shanghai clock, who and in which role,
 * the action, its target, the outcome in words and the details flattened into
 * "key: value" lines a person reads. At most AUDIT_EXPORT_MAX_ROWS rows: a
 * larger filter is refused before a row is read.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor, Role } from '../../core/roles.ts';
import { requirePermission } from '../access.ts';
import type { AppContext } from '../context.ts';
import type { AuditOutcome } from '../audit.ts';
import { excelLimits, sheet, type Sheet } from './spreadsheet.ts';

/** Issue 15 §2: at most this many rows in one export of the trail (as the queue's). */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

const roleText = {
  admin: '管理员',
  supervisor: '主管',
  agent: '客服',
  presales: '售前',
  warehouse: '仓库',
  finance: '财务',
  design: '设计部',
  merchandise: '货品部',
  clerk: '服务网点文员',
  field_lead: '现场负责人',
  leadership: '领导',
  buyer: '买家',
  platform: '平台',
  system: '系统',
} as const satisfies Record<Role, string>;

const actorKindText: Record<string, string> = { user: '用户', token: '接口令牌', buyer: '买家', system: '系统', anonymous: '未登录' };
const outcomeText = { ok: '成功', denied: '被拒绝', failed: '失败' } as const satisfies Record<AuditOutcome, string>;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * The details as "key: value" lines: a nested object's keys joined by dots
 * (guard.rule: S1.5), a list of plain values joined by "、", a list of objects
 * numbered (items.1.code: …). Cut to what a cell holds.
 */
export function flattenDetails(details: Record<string, unknown>): string {
  const lines: string[] = [];
  const walk = (prefix: string, value: unknown, depth: number): void => {
    if (value !== null && typeof value === 'object' && depth < 6) {
      if (Array.isArray(value)) {
        if (value.every((v) => v === null || typeof v !== 'object')) {
          lines.push(`${prefix}: ${value.length === 0 ? '—' : value.map(scalar).join('、')}`);
          return;
        }
        value.forEach((v, i) => walk(`${prefix}.${i + 1}`, v, depth + 1));
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) lines.push(`${prefix}: —`);
      for (const [k, v] of entries) walk(prefix ? `${prefix}.${k}` : k, v, depth + 1);
      return;
    }
    lines.push(`${prefix}: ${scalar(value)}`);
  };
  for (const [k, v] of Object.entries(details)) walk(k, v, 0);
  const text = lines.join('\n');
  return text.length > excelLimits.cellChars ? `${text.slice(0, excelLimits.cellChars - 1)}…` : text;
}

/** The sheet of the shop's trail under the trail's filter (an action), newest first. */
export async function exportAudit(ctx: AppContext, options: { actor: Actor; action?: string | undefined; maxRows?: number }): Promise<Sheet> {
  const { actor } = options;
  requirePermission(actor, 'audit.read');
  const max = options.maxRows ?? AUDIT_EXPORT_MAX_ROWS;
  let q = ctx.db.kysely.selectFrom('audit_log').where('shop_id', '=', actor.shopId);
  if (options.action) q = q.where('action', '=', options.action);
  const counted = await q.select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  const count = Number(counted.n);
  if (count > max) {
    throw new AppError('EXPORT_TOO_LARGE', `The trail's filter holds ${count} rows; an export takes at most ${max}. Narrow the filter (an action) and export again.`, {
      count,
      maxRows: max,
    });
  }
  const rows = await q.selectAll().orderBy('id', 'desc').limit(max).execute();
  return sheet({
    name: '操作日志',
    columns: [
      { header: '编号', key: 'id', type: 'integer' },
      { header: '时间', key: 'at', type: 'datetime', width: 20 },
      { header: '操作人', key: 'who', type: 'text' },
      { header: '身份', key: 'kind', type: 'text' },
      { header: '角色', key: 'role', type: 'text' },
      { header: '操作', key: 'action', type: 'text', width: 28 },
      { header: '对象', key: 'target', type: 'text', width: 22 },
      { header: '结果', key: 'outcome', type: 'text' },
      { header: 'IP', key: 'ip', type: 'text' },
      { header: '详情', key: 'details', type: 'text', width: 60 },
    ],
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      who: r.actor_name,
      kind: actorKindText[r.actor_kind] ?? r.actor_kind,
      role: r.role === null ? null : ((roleText as Record<string, string>)[r.role] ?? r.role),
      action: r.action,
      target: r.target_type === null ? null : r.target_id === null ? r.target_type : `${r.target_type} #${r.target_id}`,
      outcome: (outcomeText as Record<string, string>)[r.outcome] ?? r.outcome,
      ip: r.ip,
      details: flattenDetails(JSON.parse(r.details) as Record<string, unknown>),
    })),
  });
}
