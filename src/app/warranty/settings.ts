/**
 * The shop's 三包 policy (S4.2–S4.5) and its service-point directory with the
 * card's return contact (S4.1), as data versioned per shop. Version 0 is the
 * built-in default; each save is the next version, and the stored policy's
 * own `version` is that number, so a decision or a send-back that names a
 * policy version names the row it came from.
 */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { checkWarrantyPolicy, defaultWarrantyPolicy, withPolicyDefaults, type WarrantyPolicy } from '../../core/warranty/policy.ts';
import { checkPolicyLimits, checkReturnContact, checkServicePointDirectory } from '../../core/warranty/settings-check.ts';
import {
  defaultReturnContact,
  defaultServicePoints,
  findServicePoints,
  withDirectoryDefaults,
  type ReturnContact,
  type ServicePoint,
  type ServicePointDirectory,
  type ServicePointLookup,
} from '../../core/warranty/service-points.ts';
import type { Q } from '../../db/order-repository.ts';
import { insertWarrantySetting, latestWarrantySetting, warrantySettingAt } from '../../db/warranty-repository.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';

export interface CurrentPolicy {
  /** 0: the built-in default */
  version: number;
  policy: WarrantyPolicy;
  /** when this version was saved; null for the default */
  updatedAt: string | null;
}

export interface CurrentDirectory {
  version: number;
  directory: ServicePointDirectory;
  returnContact: ReturnContact;
  updatedAt: string | null;
}

/** The built-in policy as a shop's version 0. */
export const builtInPolicy: WarrantyPolicy = { ...defaultWarrantyPolicy, version: 0 };
const builtInDirectory: ServicePointDirectory = { ...defaultServicePoints, version: 0 };

/** The shop's policy in force: its newest saved version, or the default. */
export async function currentPolicy(db: Q, shopId: number): Promise<CurrentPolicy> {
  const row = await latestWarrantySetting(db, { shopId, kind: 'policy' });
  if (!row) return { version: 0, policy: builtInPolicy, updatedAt: null };
  // a version saved before issue 13 gains the period rules of the national rules (the holiday rule stays off)
  return { version: row.version, policy: withPolicyDefaults(row.data as WarrantyPolicy), updatedAt: row.createdAt };
}

/** The policy of a version (0: the default); a send-back is decided under the version it was opened under. */
export async function policyAtVersion(db: Q, shopId: number, version: number): Promise<WarrantyPolicy> {
  if (version === 0) return builtInPolicy;
  const row = await warrantySettingAt(db, { shopId, kind: 'policy', version });
  if (!row) throw new AppError('NOT_FOUND', `Warranty policy version ${version} was not found.`, {});
  return withPolicyDefaults(row.data as WarrantyPolicy);
}

export async function currentDirectory(db: Q, shopId: number): Promise<CurrentDirectory> {
  const row = await latestWarrantySetting(db, { shopId, kind: 'service_points' });
  if (!row) return { version: 0, directory: builtInDirectory, returnContact: defaultReturnContact, updatedAt: null };
  const data = row.data as { directory: ServicePointDirectory; returnContact: ReturnContact };
  return { version: row.version, directory: withDirectoryDefaults(data.directory), returnContact: data.returnContact, updatedAt: row.createdAt };
}

export async function readWarrantyPolicy(ctx: AppContext, options: { actor: Actor; version?: number | undefined }): Promise<CurrentPolicy> {
  requirePermission(options.actor, 'warranty.settings.read');
  if (options.version === undefined) return currentPolicy(ctx.db.kysely, options.actor.shopId);
  if (options.version === 0) return { version: 0, policy: builtInPolicy, updatedAt: null };
  const row = await warrantySettingAt(ctx.db.kysely, { shopId: options.actor.shopId, kind: 'policy', version: options.version });
  if (!row) throw new AppError('NOT_FOUND', `Warranty policy version ${options.version} was not found.`, {});
  return { version: row.version, policy: withPolicyDefaults(row.data as WarrantyPolicy), updatedAt: row.createdAt };
}

/** A supervisor saves a new version of the policy; one that `checkWarrantyPolicy` faults is refused with every problem. */
export async function saveWarrantyPolicy(ctx: AppContext, options: { actor: Actor; policy: WarrantyPolicy; ip: string | null }): Promise<CurrentPolicy> {
  const { actor } = options;
  requirePermission(actor, 'warranty.settings.write');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const last = await latestWarrantySetting(trx, { shopId: actor.shopId, kind: 'policy' });
    const version = (last?.version ?? 0) + 1;
    // the stored policy carries the version it is saved as, whatever the editor sent
    const policy: WarrantyPolicy = withPolicyDefaults({ ...options.policy, version });
    const errors = [...checkWarrantyPolicy(policy), ...checkPolicyLimits(policy)];
    if (errors.length > 0) {
      throw new AppError('WARRANTY_POLICY_INVALID', `The warranty policy is not valid: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, { errors });
    }
    const at = now.toISOString();
    await insertWarrantySetting(trx, { shopId: actor.shopId, kind: 'policy', version, data: policy, createdAt: at, actorId: actor.id });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'warranty.policy.save',
      targetType: 'warranty_policy',
      targetId: version,
      outcome: 'ok',
      ip: options.ip,
      details: { id: policy.id, name: policy.nameZh, rungs: policy.host.rungs.map((r) => `${r.id}:${r.period.count}${r.period.unit}`) },
    });
    return { version, policy, updatedAt: at };
  });
}

export interface ServicePointsAnswer extends CurrentDirectory {
  /** with region and brand: what the directory has there */
  lookup: ServicePointLookup | null;
  /** the lookup's points: usable ones, or the placeholders still to fill */
  matches: ServicePoint[] | null;
}

/** The points a lookup lists: the usable ones, else the placeholders (shown as 待补充). */
export function pointsOfLookup(lookup: ServicePointLookup): ServicePoint[] {
  if (lookup.status === 'found') return lookup.points;
  if (lookup.status === 'to_be_filled') return lookup.placeholders;
  return [];
}

export async function readServicePoints(ctx: AppContext, options: { actor: Actor; region?: string | undefined; brand?: string | undefined }): Promise<ServicePointsAnswer> {
  requirePermission(options.actor, 'warranty.settings.read');
  const current = await currentDirectory(ctx.db.kysely, options.actor.shopId);
  if (!options.region || !options.brand) return { ...current, lookup: null, matches: null };
  const lookup = findServicePoints(current.directory, { region: options.region, brand: options.brand });
  return { ...current, lookup, matches: pointsOfLookup(lookup) };
}

/** A supervisor saves the directory (and, when given, the card's return contact) as a new version. */
export async function saveServicePoints(
  ctx: AppContext,
  options: { actor: Actor; directory: ServicePointDirectory; returnContact?: ReturnContact | undefined; ip: string | null },
): Promise<CurrentDirectory> {
  const { actor } = options;
  requirePermission(actor, 'warranty.settings.write');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const last = await currentDirectory(trx, actor.shopId);
    const version = last.version + 1;
    const directory: ServicePointDirectory = { ...options.directory, version };
    const returnContact = options.returnContact ?? last.returnContact;
    const errors = [...checkServicePointDirectory(directory), ...checkReturnContact(returnContact)];
    if (errors.length > 0) {
      throw new AppError('SERVICE_POINTS_INVALID', `The service-point directory is not valid: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, { errors });
    }
    const at = now.toISOString();
    await insertWarrantySetting(trx, { shopId: actor.shopId, kind: 'service_points', version, data: { directory, returnContact }, createdAt: at, actorId: actor.id });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'warranty.service_points.save',
      targetType: 'service_points',
      targetId: version,
      outcome: 'ok',
      ip: options.ip,
      details: { points: directory.points.length, active: directory.points.filter((p) => p.status === 'active').length, returnContactChanged: options.returnContact !== undefined },
    });
    return { version, directory, returnContact, updatedAt: at };
  });
}
