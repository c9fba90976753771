/**
 * Customers' phone numbers and site addresses in full (issue 11). The desk's
 * answers carry them masked, as the shop's buyers' are (the http layer masks
 * them); the roles that need them for their work (service.pii.reveal: the
 * clerk who calls the customers, the field lead who goes on site, the
 * supervisor standing in for the clerk) reveal them one archive or one record
 * at a time, with a reason, and each reveal is a row of the audit trail
 * written in the transaction that reads them. Printing the record form
 * (售后服务及维修记录单, handed to the lead) with the contact in full is such a
 * reveal too.
 */
import type { Actor } from '../../core/roles.ts';
import type { Q } from '../../db/order-repository.ts';
import { findArchive, findServiceRecord, listDispatchesOfRecords } from '../../db/service-repository.ts';
import { mayDo, requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';
import type { PiiField } from '../orders.ts';
import { notFound, serviceContextOf } from './common.ts';
import { getServiceRecord, recordDetailIn, type RecordDetail } from './records.ts';

/** The audit trail's action of every reveal on the desk (the permission's name, as an order's reveal is order.pii.reveal). */
export const SERVICE_REVEAL_ACTION = 'service.pii.reveal';

/** The reason a printed record form gives in the trail. */
export const PRINT_REASON = '打印售后服务及维修记录单';

async function auditReveal(
  trx: Q,
  e: { actor: Actor; at: Date; targetType: 'service_archive' | 'repair_record'; targetId: number; fields: readonly PiiField[]; reason: string; ip: string | null; via?: 'print' },
): Promise<void> {
  await appendAudit(trx, {
    at: e.at,
    ...auditActor(e.actor),
    action: SERVICE_REVEAL_ACTION,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: 'ok',
    ip: e.ip,
    details: { fields: [...e.fields], reason: e.reason, ...(e.via ? { via: e.via } : {}) },
  });
}

/** An archive's customer phone and site address in full, as it is today: permission-checked and audited. */
export async function revealArchiveContact(
  ctx: AppContext,
  options: { actor: Actor; id: number; fields: PiiField[]; reason: string; ip: string | null },
): Promise<{ phone?: string; address?: string }> {
  const { actor } = options;
  requirePermission(actor, 'service.pii.reveal');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const found = await findArchive(trx, { shopId: actor.shopId, id: options.id });
    if (!found) throw notFound('service archive', options.id);
    await auditReveal(trx, { actor, at: now, targetType: 'service_archive', targetId: found.id, fields: options.fields, reason: options.reason, ip: options.ip });
    const c = found.archive.customer;
    return {
      ...(options.fields.includes('phone') ? { phone: c.phone } : {}),
      ...(options.fields.includes('address') ? { address: c.siteAddress } : {}),
    };
  });
}

export interface RecordContacts {
  /** the customer's phone as the record keeps it (its archive's when the call was taken); null without a product */
  phone?: string | null;
  /** who called (来电号码); null when not given yet */
  callerPhone?: string | null;
  /** the site address as the record keeps it; null without a product */
  address?: string | null;
  /** where each of its dispatches goes */
  dispatches?: { id: number; destination: string }[];
}

/** A record's phone numbers (the customer's, the caller's) and addresses (the site, each dispatch's destination) in full: permission-checked and audited. */
export async function revealRecordContacts(
  ctx: AppContext,
  options: { actor: Actor; id: number; fields: PiiField[]; reason: string; ip: string | null },
): Promise<RecordContacts> {
  const { actor } = options;
  requirePermission(actor, 'service.pii.reveal');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const stored = await findServiceRecord(trx, { shopId: actor.shopId, id: options.id });
    if (!stored) throw notFound('repair record', options.id);
    await auditReveal(trx, { actor, at: now, targetType: 'repair_record', targetId: stored.id, fields: options.fields, reason: options.reason, ip: options.ip });
    const r = stored.record;
    const out: RecordContacts = {};
    if (options.fields.includes('phone')) {
      out.phone = r.product?.phone ?? null;
      out.callerPhone = r.call.callerPhone;
    }
    if (options.fields.includes('address')) {
      out.address = r.product?.siteAddress ?? null;
      const dispatches = await listDispatchesOfRecords(trx, actor.shopId, [stored.id]);
      out.dispatches = dispatches.map((d) => ({ id: d.id, destination: d.dispatch.destination }));
    }
    return out;
  });
}

/**
 * The record for its printed form. The paper goes with the lead to the site:
 * for the roles that may reveal, it carries the contact in full and the
 * print is audited as a reveal (in the transaction that reads the record);
 * for everyone else it is masked like every other answer (`full: false`).
 */
export async function serviceRecordForPrint(ctx: AppContext, options: { actor: Actor; id: number; ip: string | null }): Promise<{ detail: RecordDetail; full: boolean }> {
  const { actor } = options;
  if (!mayDo(actor.role, 'service.pii.reveal')) return { detail: await getServiceRecord(ctx, options), full: false };
  requirePermission(actor, 'service.read');
  const sctx = serviceContextOf(ctx, actor);
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const detail = await recordDetailIn(trx, { actor, id: options.id, sctx });
    await auditReveal(trx, { actor, at: sctx.now, targetType: 'repair_record', targetId: detail.id, fields: ['phone', 'address'], reason: PRINT_REASON, ip: options.ip, via: 'print' });
    return { detail, full: true };
  });
}
