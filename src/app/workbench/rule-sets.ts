/**
 * The shop's rule set (its SOP as data): versioned per shop; a change is a
 * new version; the default one is written from S1 and S2. Parsed rule sets
 * are kept per process, keyed by shop and version.
 */
import { defaultRuleSetText } from '../../core/playbook/default-rule-set.ts';
import type { RuleSet } from '../../core/playbook/rule-set.ts';
import { parseRuleSet } from '../../core/playbook/rule-set-parser.ts';
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import type { Q } from '../../db/order-repository.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';

export interface CurrentRuleSet {
  /** 0 for the built-in default, before the shop saved one */
  version: number;
  name: string;
  text: string;
  ruleSet: RuleSet;
}

let parsedDefault: RuleSet | null = null;
function defaultRuleSet(): RuleSet {
  if (!parsedDefault) {
    const parsed = parseRuleSet(defaultRuleSetText);
    if (!parsed.ok) throw new Error(`the default rule set does not parse: ${JSON.stringify(parsed.errors)}`);
    parsedDefault = parsed.ruleSet;
  }
  return parsedDefault;
}

/**
 * Parsed rule sets, per database: keyed by the Kysely adapter, which a
 * database's transactions share (shop ids repeat across databases).
 */
const parsedCaches = new WeakMap<object, Map<string, { name: string; text: string; ruleSet: RuleSet }>>();
function cacheOf(db: Q): Map<string, { name: string; text: string; ruleSet: RuleSet }> {
  const owner = db.getExecutor().adapter;
  let cache = parsedCaches.get(owner);
  if (!cache) parsedCaches.set(owner, (cache = new Map()));
  return cache;
}

/** The shop's current rule set (its newest version, or the default). The text is read only when not yet parsed. */
export async function currentRuleSet(db: Q, shopId: number, knownHead?: { id: number; version: number } | null): Promise<CurrentRuleSet> {
  // the head, when the caller read it with its own rows (a refund action, issue 16 §2), is not read again
  const head =
    knownHead !== undefined
      ? (knownHead ?? undefined)
      : await db.selectFrom('rule_sets').select(['id', 'version']).where('shop_id', '=', shopId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!head) return { version: 0, name: 'default', text: defaultRuleSetText, ruleSet: defaultRuleSet() };
  const parsedCache = cacheOf(db);
  const key = `${shopId}:${head.id}:${head.version}`;
  let cached = parsedCache.get(key);
  if (!cached) {
    const row = await db.selectFrom('rule_sets').select(['name', 'text']).where('id', '=', head.id).executeTakeFirstOrThrow();
    const parsed = parseRuleSet(row.text);
    if (!parsed.ok) throw new Error(`stored rule set ${shopId} v${head.version} does not parse`);
    cached = { name: row.name, text: row.text, ruleSet: parsed.ruleSet };
    if (parsedCache.size > 200) parsedCache.clear();
    parsedCache.set(key, cached);
  }
  return { version: head.version, ...cached };
}

export async function readRuleSet(ctx: AppContext, options: { actor: Actor; version?: number | undefined }): Promise<CurrentRuleSet> {
  requirePermission(options.actor, 'ruleset.read');
  if (options.version === undefined) return currentRuleSet(ctx.db.kysely, options.actor.shopId);
  if (options.version === 0) return { version: 0, name: 'default', text: defaultRuleSetText, ruleSet: defaultRuleSet() };
  const row = await ctx.db.kysely
    .selectFrom('rule_sets')
    .select(['version', 'name', 'text'])
    .where('shop_id', '=', options.actor.shopId)
    .where('version', '=', options.version)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', `Rule set version ${options.version} was not found.`, {});
  const parsed = parseRuleSet(row.text);
  if (!parsed.ok) throw new Error('stored rule set does not parse');
  return { version: row.version, name: row.name, text: row.text, ruleSet: parsed.ruleSet };
}

export async function listRuleSetVersions(ctx: AppContext, options: { actor: Actor }) {
  requirePermission(options.actor, 'ruleset.read');
  const rows = await ctx.db.kysely
    .selectFrom('rule_sets')
    .select(['version', 'name', 'created_at', 'actor_id'])
    .where('shop_id', '=', options.actor.shopId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, name: r.name, createdAt: r.created_at, actorId: r.actor_id }));
}

/** Saves a new version (import or change); an invalid one is refused with the lines that are wrong. */
export async function saveRuleSet(ctx: AppContext, options: { actor: Actor; text: string; ip: string | null }): Promise<{ version: number; name: string }> {
  requirePermission(options.actor, 'ruleset.write');
  const parsed = parseRuleSet(options.text);
  if (!parsed.ok) {
    const first = parsed.errors[0];
    throw new AppError(
      'RULE_SET_INVALID',
      first ? `The rule set is not valid: line ${first.line}: ${first.message}` : 'The rule set is not valid.',
      { errors: parsed.errors },
    );
  }
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('rule_sets')
      .select('version')
      .where('shop_id', '=', options.actor.shopId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const version = (last?.version ?? 0) + 1;
    await trx
      .insertInto('rule_sets')
      .values({
        shop_id: options.actor.shopId,
        version,
        name: parsed.ruleSet.name,
        text: options.text,
        created_at: now.toISOString(),
        actor_id: options.actor.id,
      })
      .execute();
    await appendAudit(trx, {
      at: now,
      ...auditActor(options.actor),
      action: 'ruleset.save',
      targetType: 'rule_set',
      targetId: version,
      outcome: 'ok',
      ip: options.ip,
      // which guards the shop keeps, so that dropping one is on the record
      details: {
        name: parsed.ruleSet.name,
        rules: parsed.ruleSet.rules.length,
        guards: [...new Set(parsed.ruleSet.rules.flatMap((r) => r.guards ?? []))].sort(),
      },
    });
    return { version, name: parsed.ruleSet.name };
  });
}
