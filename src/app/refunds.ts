/** Refund use cases: apply, act, read, list. Each action is one transaction with its event. */
import { AppError, isAppError } from '../core/errors.ts';
import { tradeStatusAfterRefund } from '../core/refund/order-transitions.ts';
import { applyForRefund, type RefundApplication } from '../core/refund/refund-application.ts';
import { phoneSearchKey } from '../core/refund/buyer-phone.ts';
import {
  isOpenStatus,
  type GoodsStatus,
  type Order,
  type Refund,
  type RefundPhase,
  type TradeStatus,
  type RefundStatus,
  type RefundType,
  type ReasonCode,
} from '../core/refund/refund-model.ts';
import {
  allowedRefundActions,
  applyRefundCommand,
  type RefundAction,
  type RefundCommand,
  type RefundContext,
} from '../core/refund/refund-transitions.ts';
import type { Actor } from '../core/roles.ts';
import type { ShopSettings } from '../core/shop-settings.ts';
import { computeDeadline } from '../core/refund/refund-deadlines.ts';
import { findOrderById, findOrderByNo, findOrderOfRefund, insertMilestoneRemarkOnce, type PayoutWrite, type Q } from '../db/order-repository.ts';
import {
  findRefund,
  insertRefund,
  insertRefundEvent,
  listDueRefunds,
  listRefundEvents,
  listRefunds,
  listRefundsOfOrder,
  listRefundsOfOrderWithRuleSet,
  countRefunds,
  type RefundListFilter,
  refundRowToRefund,
  updateRefund,
  updateRefundWithEvent,
  type RefundEvent,
} from '../db/refund-repository.ts';
import { NO_DEADLINE } from '../db/schema.ts';
import { findShop } from '../db/shop-repository.ts';
import { assertOrderVisible, mayDo, requirePermission, rolesSeeingFullPii, type Permission } from './access.ts';
import type { AppContext } from './context.ts';
import { appendAudit, auditActor, freeChainHeadQuery, holdChainHead, prepareAudit } from './audit.ts';
import { cachedShopSettings } from './shops.ts';
import { AFTER_SALE_REMARK, guardsBroken, loadReturnPostage, playbookFor, type GuardInput, type ReturnPostageView } from './workbench/facts.ts';
import { assigneesIn, seesAssignees, type Assignee } from './workbench/assignments.ts';
import type { GuardViolation } from '../core/guards/refund-guards.ts';
import { diffFields } from './diff.ts';
import { decisionPayload, enqueue } from './platform/outbox.ts';
import { findBindingRow } from './platform/bindings.ts';
import { orderSource } from './orders.ts';
import { assertEvidenceRefs } from './evidence.ts';

async function shopSettings(db: Q, shopId: number): Promise<ShopSettings> {
  const shop = await findShop(db, shopId);
  if (!shop) throw new AppError('NOT_FOUND', 'The shop was not found.', {});
  return shop.settings;
}

/** The buyer applies for a refund (S3). */
export async function applyRefund(
  ctx: AppContext,
  options: { actor: Actor; orderNo: string; application: RefundApplication },
): Promise<Refund> {
  const { actor } = options;
  requirePermission(actor, 'refund.apply');
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const order = await findOrderByNo(trx, { shopId: actor.shopId, orderNo: options.orderNo, lock: true });
    assertOrderVisible(actor, order, `Order ${options.orderNo}`);
    const source = await orderSource(trx, order.id);
    if (source === 'taobao' || source === 'tmall') {
      throw new AppError('PLATFORM_OWNS_IT', `Order ${order.orderNo} is on ${source === 'tmall' ? 'Tmall' : 'Taobao'}: apply for the refund there; it shows here within minutes.`, { source });
    }
    // a new case: its evidence files are the buyer's own and cited nowhere yet
    await assertEvidenceRefs(trx, { shopId: actor.shopId, buyerNick: buyerOf(actor), refs: options.application.evidence ?? [], usedBy: {} });
    const refunds = await listRefundsOfOrder(trx, order.id);
    const settings = await shopSettings(trx, actor.shopId);
    const draft = applyForRefund({ order, refunds, application: options.application, settings, calendar: ctx.calendar, now });
    const refund = await insertRefund(trx, draft, order.id);
    await insertRefundEvent(trx, {
      shopId: refund.shopId,
      refundId: refund.id,
      version: refund.version,
      at: now,
      actorId: actor.id,
      actorRole: actor.role,
      action: 'apply',
      fromStatus: null,
      toStatus: refund.status,
      changes: {},
      data: {
        type: refund.type,
        goodsStatus: refund.goodsStatus,
        reason: refund.reason,
        amountFen: refund.amountFen,
        phase: refund.phase,
        lineNo: refund.lineNo,
      },
    });
    await appendAudit(trx, {
      at: now,
      ...auditActor(actor),
      action: 'refund.apply',
      targetType: 'refund',
      targetId: refund.id,
      outcome: 'ok',
      details: { orderNo: order.orderNo, type: refund.type, reason: refund.reason, amountFen: refund.amountFen },
    });
    return refund;
  });
}

const actionPermission = {
  agree: 'refund.agree',
  refuse: 'refund.refuse',
  modify: 'refund.modify',
  withdraw: 'refund.withdraw',
  return_shipment: 'refund.return_shipment',
  confirm_receipt: 'refund.confirm_receipt',
  request_intervention: 'refund.request_intervention',
  platform_decision: 'refund.platform_decision',
} as const satisfies Partial<Record<RefundAction, Permission>>;

export type PublicRefundCommand = Extract<RefundCommand, { action: keyof typeof actionPermission }>;

interface LoadedRefund {
  refund: Refund;
  order: Order;
  siblings: Refund[];
  settings: ShopSettings;
  /** the shop's rule set head, read with the refunds (null before the shop saved one) */
  ruleSetHead: { id: number; version: number } | null;
}

/**
 * Reads a refund, its order with the lines and the order's other refunds, locking the order (PostgreSQL) so that
 * all changes to one order queue up: two statements (issue 16 §2), the refunds read after the lock is held.
 */
async function loadForChange(trx: Q, ctx: AppContext, actor: Actor, refundId: number): Promise<LoadedRefund> {
  const order = await findOrderOfRefund(trx, { shopId: actor.shopId, refundId, lock: true });
  if (!order) throw new AppError('NOT_FOUND', `Refund ${refundId} was not found.`, {});
  assertOrderVisible(actor, order, `Refund ${refundId}`);
  // on PostgreSQL the same read locks a free audit chain's head for the action's audit row (one round trip fewer)
  const { refunds: all, ruleSetHead, chainHead } = await listRefundsOfOrderWithRuleSet(trx, { orderId: order.id, shopId: actor.shopId, chainHead: freeChainHeadQuery });
  if (chainHead) holdChainHead(trx, chainHead);
  const refund = all.find((r) => r.id === refundId);
  if (!refund) throw new AppError('NOT_FOUND', `Refund ${refundId} was not found.`, {});
  return { refund, order, siblings: all.filter((r) => r.id !== refundId), settings: await cachedShopSettings(ctx, trx, actor.shopId), ruleSetHead };
}

/** Applies a command inside an open transaction: the refund, its event, any payout and the order's resulting status. */
async function commitChange(
  trx: Q,
  ctx: AppContext,
  loaded: LoadedRefund,
  command: RefundCommand,
  actor: Actor,
  now: Date,
  /** the rule set the seller's staff handled it under */
  ruleSetVersion?: number,
): Promise<Refund> {
  const { refund, order, siblings, settings } = loaded;
  const by = { actorId: actor.kind === 'system' ? null : actor.id, role: actor.role };
  const coreCtx: RefundContext = { now, role: by.role, order, siblings, settings, calendar: ctx.calendar };
  const change = applyRefundCommand(refund, command, coreCtx);
  const event = {
    shopId: refund.shopId,
    refundId: refund.id,
    version: change.refund.version,
    at: now,
    actorId: by.actorId,
    actorRole: by.role,
    action: command.action,
    fromStatus: refund.status,
    toStatus: change.refund.status,
    changes: diffFields(refund, change.refund),
    data: change.data,
  };
  // the change, its event and its audit row: one statement on PostgreSQL
  const audit = await prepareAudit(trx, {
    at: now,
    ...auditActor(actor),
    action: `refund.${command.action}`,
    targetType: 'refund',
    targetId: refund.id,
    outcome: 'ok',
    details: { from: refund.status, to: change.refund.status, version: change.refund.version, payoutFen: change.payoutFen },
  });
  // a refund that pays: its payout and, when it closes the order, the order's move with its event (same statement)
  let payout: PayoutWrite | undefined;
  if (change.payoutFen !== null) {
    const status = tradeStatusAfterRefund(order, [...siblings, change.refund]);
    const move =
      status === order.status
        ? null
        : {
            next: { ...order, status, updatedAt: now, version: order.version + 1 },
            expectedVersion: order.version,
            event: {
              shopId: order.shopId,
              orderId: order.id,
              at: now,
              actorId: by.actorId,
              actorRole: by.role,
              action: 'close_by_refund',
              fromStatus: order.status,
              toStatus: status,
              data: { refundId: refund.id, note: 'the whole payment was refunded' },
            },
          };
    payout = { payout: { refundId: refund.id, shopId: refund.shopId, orderId: order.id, amountFen: change.payoutFen, at: now }, move };
  }
  const written = await updateRefundWithEvent(trx, { refund: change.refund, expectedVersion: refund.version, before: refund, ruleSetVersion }, event, audit, payout);
  if (!written.refund) throw new AppError('VERSION_CONFLICT', `Refund ${refund.id} changed meanwhile; reload it.`, {});
  if (!written.order) throw new AppError('VERSION_CONFLICT', `Order ${order.orderNo} changed meanwhile; try again.`, {});
  return change.refund;
}

/** A person's or connector's action on a refund, at the version they saw. */
export async function actOnRefund(
  ctx: AppContext,
  options: {
    actor: Actor;
    refundId: number;
    version: number;
    command: PublicRefundCommand;
    /** what the workbench's guards look at (S1.1, S1.15) */
    guardInput?: GuardInput | undefined;
    /** a supervisor's written reason to go ahead despite a guard */
    override?: { reason: string } | undefined;
  },
): Promise<Refund> {
  const { actor, command } = options;
  requirePermission(actor, actionPermission[command.action]);
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const loaded = await loadForChange(trx, ctx, actor, options.refundId);
    if (loaded.refund.version !== options.version) {
      throw new AppError(
        'VERSION_CONFLICT',
        `Refund ${options.refundId} is at version ${loaded.refund.version}, not ${options.version}: somebody changed it; reload it.`,
        { currentVersion: loaded.refund.version },
      );
    }
    // the seller's people work under the shop's rule set, signed in or with a token; the buyer, the platform and
    // the system (the deadline sweeper, connectors) are not the seller's SOP
    let ruleSetVersion: number | null = null;
    if (isSellerStaff(actor)) {
      const guarded = command.action === 'agree' || command.action === 'refuse' || command.action === 'confirm_receipt';
      const input = { ...options.guardInput, chatEvidence: command.action === 'refuse' ? command.evidence.length : undefined };
      if (guarded) {
        const { violations, ruleSetVersion: version } = await guardsBroken(trx, {
          action: command.action,
          refund: loaded.refund,
          order: loaded.order,
          siblings: loaded.siblings,
          input,
          ruleSetHead: loaded.ruleSetHead,
        });
        ruleSetVersion = version;
        if (violations.length > 0) await overrideOrRefuse(trx, actor, loaded.refund, violations, options.override, now);
      } else {
        ruleSetVersion = loaded.ruleSetHead?.version ?? 0;
      }
    }
    // the files a refusal or a modification cites exist, are the shop's (the buyer's own, for the buyer) and belong to this refund
    const evidence = command.action === 'refuse' || command.action === 'modify' ? command.evidence : undefined;
    if (evidence && evidence.length > 0) {
      await assertEvidenceRefs(trx, { shopId: actor.shopId, buyerNick: buyerOf(actor), refs: evidence, usedBy: { refundId: loaded.refund.id } });
    }
    // issue 12: a platform refund of a shop bound to its platform changes there: the seller's decision goes through
    // the outbox. A shop that only imports the platform's exports (no binding) records its decisions here.
    const bound = loaded.refund.platform ? (await findBindingRow(trx, loaded.refund.shopId)) !== undefined : false;
    const refund = bound
      ? await queuePlatformDecision(trx, ctx, { loaded, command, actor, now, ruleSetVersion })
      : await commitChange(trx, ctx, loaded, command, actor, now, ruleSetVersion ?? undefined);
    // S1.16/S1.20: an after-sale refund agreed in the workbench remarks the order "客户申请了售后退款",
    // so that it is never refunded twice (once per refund)
    if (isSellerStaff(actor) && command.action === 'agree' && refund.phase === 'after_sale') {
      await insertMilestoneRemarkOnce(trx, {
        shopId: loaded.order.shopId,
        orderId: loaded.order.id,
        actorId: actor.kind === 'system' ? null : actor.id,
        author: actor.name,
        flag: 1,
        text: AFTER_SALE_REMARK,
        at: now,
        since: loaded.refund.createdAt,
        actorRole: actor.role,
        orderStatus: loaded.order.status,
      });
    }
    return refund;
  });
}

/**
 * The seller's decision on a platform refund (issue 12 §5): the engine's rules say whether it is allowed and
 * what the refund becomes; the decision is written to the outbox in this transaction and the refund shows
 * 同步中 until the platform has taken it. Its status changes when the platform's refund is read back.
 */
async function queuePlatformDecision(
  trx: Q,
  ctx: AppContext,
  o: { loaded: LoadedRefund; command: PublicRefundCommand; actor: Actor; now: Date; ruleSetVersion: number | null },
): Promise<Refund> {
  const { loaded, command, actor, now } = o;
  const { refund, order, siblings, settings } = loaded;
  if (!isSellerStaff(actor) || (command.action !== 'agree' && command.action !== 'refuse' && command.action !== 'confirm_receipt')) {
    throw new AppError('PLATFORM_OWNS_IT', 'This refund is on the platform: the buyer and the platform act on it there, and shouhou follows.', { action: command.action });
  }
  if (refund.platform?.sync?.state === 'pending') {
    throw new AppError('PLATFORM_SYNC_PENDING', 'A decision on this refund is still on its way to the platform; wait until it is synced.', {});
  }
  const change = applyRefundCommand(refund, command, { now, role: actor.role, order, siblings, settings, calendar: ctx.calendar });
  const payload = decisionPayload({
    refund,
    action: command.action,
    expectStatus: change.refund.status,
    settings,
    returnAddress: command.action === 'agree' ? command.returnAddress : undefined,
    refusal: command.action === 'refuse' ? { reason: command.reason, evidence: command.evidence } : undefined,
  });
  const outboxId = await enqueue(trx, { shopId: refund.shopId, refundId: refund.id, orderId: order.id, payload, actorId: actor.id, now });
  const version = refund.version + 1;
  const updated = await trx
    .updateTable('refunds')
    .set({ sync_state: 'pending', sync_message: null, version, updated_at: now.toISOString(), ...(o.ruleSetVersion !== null ? { rule_set_version: o.ruleSetVersion } : {}) })
    .where('id', '=', refund.id)
    .where('version', '=', refund.version)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', `Refund ${refund.id} changed meanwhile; reload it.`, {});
  await insertRefundEvent(trx, {
    shopId: refund.shopId,
    refundId: refund.id,
    version,
    at: now,
    actorId: actor.id,
    actorRole: actor.role,
    action: command.action,
    fromStatus: refund.status,
    toStatus: refund.status,
    changes: {},
    // a refusal's evidence stays on record here (its files are this refund's: assertEvidenceRefs reads refusal events)
    data: { platform: 'queued', outboxId, expectStatus: change.refund.status, kind: payload.kind, ...(command.action === 'refuse' ? { evidence: command.evidence } : {}) },
  });
  await appendAudit(trx, {
    at: now,
    ...auditActor(actor),
    action: `refund.${command.action}`,
    targetType: 'refund',
    targetId: refund.id,
    outcome: 'ok',
    details: { from: refund.status, expect: change.refund.status, version, platform: 'queued', outboxId },
  });
  return { ...refund, version, updatedAt: now, platform: { ...refund.platform!, sync: { state: 'pending', message: null } } };
}

/** The buyer whose own files a citation may name; undefined for the seller's side (any file of the shop). */
function buyerOf(actor: Actor): string | null | undefined {
  return actor.role === 'buyer' ? actor.buyerNick : undefined;
}

function isSellerStaff(actor: Actor): boolean {
  return actor.role !== 'buyer' && actor.role !== 'platform' && actor.role !== 'system';
}

/** A guard refuses, unless a supervisor overrides it with a written reason; the override is audited. */
async function overrideOrRefuse(
  trx: Q,
  actor: Actor,
  refund: Refund,
  violations: GuardViolation[],
  override: { reason: string } | undefined,
  now: Date,
): Promise<void> {
  const first = violations[0]!;
  if (!override) {
    throw new AppError(first.code, first.message, {
      guards: violations,
      override: 'A supervisor may go ahead anyway with a written reason (override.reason).',
    });
  }
  if (actor.role !== 'supervisor') {
    throw new AppError('GUARD_OVERRIDE_REFUSED', 'Only a supervisor may override a guard of the SOP.', { guards: violations });
  }
  const reason = override.reason.trim();
  if ([...reason].length < 5) {
    throw new AppError('VALIDATION_FAILED', 'An override needs a written reason of at least 5 characters.', { field: 'override.reason' });
  }
  await appendAudit(trx, {
    at: now,
    ...auditActor(actor),
    action: 'guard.override',
    targetType: 'refund',
    targetId: refund.id,
    outcome: 'ok',
    details: { guards: violations.map((v) => v.code), reason },
  });
}

/**
 * Applies every passed deadline once (auto-agree, close, auto-refund). Safe with
 * several processes on one PostgreSQL: each refund is re-read under its order's
 * lock and changed only if its deadline is still due. A deadline that cannot be
 * applied (an auto-agreed return in a shop without a return address) is marked
 * with its problem, recorded as an event, and left for a person; it never stops
 * the sweep of the others.
 */
export async function sweepDueDeadlines(ctx: AppContext, options: { batch?: number } = {}): Promise<number> {
  const batch = options.batch ?? 200;
  let applied = 0;
  for (;;) {
    const now = ctx.clock.now();
    const due = await listDueRefunds(ctx.db.kysely, { now, limit: batch });
    let handled = 0; // applied or marked blocked in this round
    for (const { id, shopId } of due) {
      const system: Actor = { id: 0, shopId, role: 'system', name: 'deadline sweeper', buyerNick: null, kind: 'system' };
      const stillDue = (r: Refund) => !!r.deadline && r.deadline.at !== null && r.deadline.at <= now && r.deadline.effect !== 'none' && !r.deadline.problem;
      try {
        const done = await ctx.db.kysely.transaction().execute(async (trx) => {
          const loaded = await loadForChange(trx, ctx, system, id);
          if (!stillDue(loaded.refund)) return false; // another process got there first
          await commitChange(trx, ctx, loaded, { action: 'expire' }, system, now);
          return true;
        });
        if (done) {
          applied += 1;
          handled += 1;
        }
      } catch (e) {
        if (!isAppError(e) || e.code === 'VERSION_CONFLICT') throw e;
        await ctx.db.kysely.transaction().execute(async (trx) => {
          const { refund } = await loadForChange(trx, ctx, system, id);
          if (!stillDue(refund) || !refund.deadline) return;
          const blocked: Refund = {
            ...refund,
            deadline: { ...refund.deadline, problem: { code: e.code, message: e.message } },
            updatedAt: now,
            version: refund.version + 1,
          };
          if (!(await updateRefund(trx, blocked, refund.version))) return;
          handled += 1;
          await insertRefundEvent(trx, {
            shopId: refund.shopId,
            refundId: refund.id,
            version: blocked.version,
            at: now,
            actorId: null,
            actorRole: 'system',
            action: 'expire_blocked',
            fromStatus: refund.status,
            toStatus: refund.status,
            changes: diffFields(refund, blocked),
            data: { deadline: refund.deadline.kind, code: e.code, message: e.message },
          });
          await appendAudit(trx, {
            at: now,
            ...auditActor(system),
            action: 'refund.expire_blocked',
            targetType: 'refund',
            targetId: refund.id,
            outcome: 'failed',
            details: { deadline: refund.deadline.kind, code: e.code },
          });
        });
      }
    }
    if (due.length < batch || handled === 0) return applied;
  }
}

/**
 * Deadlines marked with a problem get another chance: a platform decision
 * whose working days ran past the calendar's data (once the next year's
 * schedule is loaded), and an auto-agree that lacked the shop's return address
 * (once the shop has one). Each is recorded as an event; returns how many.
 */
/** Refunds whose platform-decision deadline a calendar could not count: not tried again until the calendar changes. */
const triedWithCalendar = new WeakMap<object, Set<number>>();

export async function retryDeadlineProblems(ctx: AppContext): Promise<number> {
  const rows = await ctx.db.kysely
    .selectFrom('refunds')
    .select(['id', 'shop_id', 'deadline_problem'])
    .where('is_open', '=', 1)
    .where('deadline_problem', 'is not', null)
    .execute();
  let tried = triedWithCalendar.get(ctx.calendar);
  if (!tried) triedWithCalendar.set(ctx.calendar, (tried = new Set()));
  let retried = 0;
  for (const row of rows) {
    // this runs with every sweep: skip, without a transaction, what nothing has changed for
    const code = (JSON.parse(row.deadline_problem!) as { code: string }).code;
    if (code === 'CALENDAR_OUT_OF_RANGE' && tried.has(row.id)) continue;
    if (code === 'RETURN_ADDRESS_REQUIRED' && !(await cachedShopSettings(ctx, ctx.db.kysely, row.shop_id)).returnAddress) continue;
    if (code === 'CALENDAR_OUT_OF_RANGE') tried.add(row.id);
    const system: Actor = { id: 0, shopId: row.shop_id, role: 'system', name: 'deadline sweeper', buyerNick: null, kind: 'system' };
    const done = await ctx.db.kysely.transaction().execute(async (trx) => {
      const { refund, order, settings } = await loadForChange(trx, ctx, system, row.id);
      const d = refund.deadline;
      if (!d?.problem) return false;
      let next: Refund['deadline'];
      if (d.kind === 'platform_decision' && refund.intervention.requestedAt) {
        next = computeDeadline({ refund, order, settings, calendar: ctx.calendar, from: refund.intervention.requestedAt });
        if (next?.problem) return false; // still past the calendar's data
      } else if (d.problem.code === 'RETURN_ADDRESS_REQUIRED' && settings.returnAddress) {
        next = { ...d, problem: null };
      } else {
        return false;
      }
      const now = ctx.clock.now();
      const changed: Refund = { ...refund, deadline: next, updatedAt: now, version: refund.version + 1 };
      if (!(await updateRefund(trx, changed, refund.version, refund))) return false;
      await insertRefundEvent(trx, {
        shopId: refund.shopId,
        refundId: refund.id,
        version: changed.version,
        at: now,
        actorId: null,
        actorRole: 'system',
        action: 'deadline_retry',
        fromStatus: refund.status,
        toStatus: refund.status,
        changes: diffFields(refund, changed),
        data: { deadline: d.kind, problem: d.problem.code },
      });
      await appendAudit(trx, {
        at: now,
        ...auditActor(system),
        action: 'refund.deadline_retry',
        targetType: 'refund',
        targetId: refund.id,
        outcome: 'ok',
        details: { deadline: d.kind, problem: d.problem.code },
      });
      return true;
    });
    if (done) retried += 1;
  }
  return retried;
}

export interface DeadlineView {
  kind: string;
  effect: string;
  at: string | null;
  /** milliseconds until it passes; negative when overdue; null when unknown */
  timeLeftMs: number | null;
  overdue: boolean;
  problem: { code: string; message: string } | null;
}

export function deadlineView(refund: Refund, now: Date): DeadlineView | null {
  const d = refund.deadline;
  if (!d) return null;
  const timeLeftMs = d.at ? d.at.getTime() - now.getTime() : null;
  return {
    kind: d.kind,
    effect: d.effect,
    at: d.at?.toISOString() ?? null,
    timeLeftMs,
    overdue: timeLeftMs !== null && timeLeftMs < 0,
    problem: d.problem,
  };
}

export interface RefundDetail {
  refund: Refund;
  order: Order;
  playbook: Awaited<ReturnType<typeof playbookFor>> | null;
  /** S1.2: what really happened, as the seller recorded it (null for the buyer and the platform, or not yet recorded) */
  rootCause: { cause: string; note: string | null } | null;
  /** S1.13: who pays the return postage (null for the buyer and the platform, or undecided) */
  returnPostage: ReturnPostageView | null;
  deadline: DeadlineView | null;
  allowedActions: RefundAction[];
  events: RefundEvent[];
  /** who works it (null: nobody, or the caller is the buyer or the platform) */
  assignee: Assignee | null;
}

export async function getRefund(ctx: AppContext, options: { actor: Actor; refundId: number }): Promise<RefundDetail> {
  const { actor } = options;
  requirePermission(actor, 'refund.read');
  const db = ctx.db.kysely;
  const found = await findRefund(db, { shopId: actor.shopId, refundId: options.refundId });
  if (!found) throw new AppError('NOT_FOUND', `Refund ${options.refundId} was not found.`, {});
  const order = await findOrderById(db, { orderId: found.orderId });
  assertOrderVisible(actor, order, `Refund ${options.refundId}`);
  const [siblings, settings, events, assignees] = await Promise.all([
    listRefundsOfOrder(db, order.id),
    shopSettings(db, actor.shopId),
    listRefundEvents(db, found.id),
    assigneesIn(db, actor, [found.id]),
  ]);
  const { orderId: _orderId, ...refund } = found;
  const now = ctx.clock.now();
  const allowedActions = allowedRefundActions(refund, {
    now,
    role: actor.role,
    order,
    siblings: siblings.filter((r) => r.id !== refund.id),
    settings,
    calendar: ctx.calendar,
  });
  // the playbook is the seller's SOP: not for the buyer or the platform
  const playbook = actor.role === 'buyer' || actor.role === 'platform' ? null : await playbookFor(db, refund, order);
  let rootCause: { cause: string; note: string | null } | null = null;
  let returnPostage: ReturnPostageView | null = null;
  if (playbook) {
    returnPostage = await loadReturnPostage(db, refund.id);
    const row = await db.selectFrom('refunds').select(['rule_set_version', 'root_cause', 'root_cause_note']).where('id', '=', refund.id).executeTakeFirst();
    Object.assign(playbook, { handledUnderVersion: row?.rule_set_version ?? null });
    rootCause = row?.root_cause ? { cause: row.root_cause, note: row.root_cause_note } : null;
    // S1.2: once a refund is over, the agent records what really happened, for the supervisor's statistics
    if (!isOpenStatus(refund.status)) {
      playbook.checklist.push({ ruleId: 'S1.2', id: 'S1.2.root_cause', text: '退款已结束：记录真实原因（与平台退款原因分开）', done: rootCause !== null, doneBy: rootCause ? 'facts' : null, doneWhen: null, tickable: false, source: null });
    }
  }
  return { refund, order, playbook, rootCause, returnPostage, deadline: deadlineView(refund, now), allowedActions, events, assignee: assignees.get(refund.id) ?? null };
}

export interface RefundListQuery {
  statuses?: RefundStatus[] | undefined;
  open?: boolean | undefined;
  type?: RefundType | undefined;
  reasons?: ReasonCode[] | undefined;
  phase?: RefundPhase | undefined;
  goodsStatus?: GoodsStatus | undefined;
  orderNo?: string | undefined;
  /** the return shipment's tracking number (the warehouse scans a returned parcel) */
  trackingNo?: string | undefined;
  /** issue 16 §1: the buyer's phone number as the caller gives it (spaces, dashes, +86 allowed) */
  phone?: string | undefined;
  /** who works it: the caller ('me'), nobody ('none'), or a user id */
  assignee?: 'me' | 'none' | number | undefined;
  deadlineBefore?: Date | undefined;
  createdFrom?: Date | undefined;
  orderStatus?: TradeStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

function encodeCursor(sortDeadline: string, id: number): string {
  return Buffer.from(`${sortDeadline}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { sortDeadline: string; id: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,10})$/.exec(text);
  if (!match?.[1] || !match[2] || Number(match[2]) > 2_147_483_647) throw new AppError('VALIDATION_FAILED', 'The cursor is not one this API gave out.', { field: 'cursor' });
  return { sortDeadline: match[1], id: Number(match[2]) };
}

export interface RefundPage {
  items: { refund: Refund; deadline: DeadlineView | null; assignee: Assignee | null }[];
  nextCursor: string | null;
}

/** The assignee filter as the repository takes it: a user id, or null for nobody. */
function assigneeFilter(actor: Actor, assignee: RefundListQuery['assignee']): number | null | undefined {
  if (assignee === undefined) return undefined;
  if (!seesAssignees(actor)) {
    throw new AppError('VALIDATION_FAILED', 'The assignee filter is for the seller\'s staff.', { field: 'assignee' });
  }
  if (assignee === 'none') return null;
  if (assignee === 'me') {
    if (actor.userId == null) {
      throw new AppError('VALIDATION_FAILED', 'assignee=me needs a person signed in; an API token is nobody\'s: use assignee=<userId>.', { field: 'assignee' });
    }
    return actor.userId;
  }
  return assignee;
}

/**
 * The phone filter's key (issue 16 §1). Only for the roles that may see a buyer's number in full (revealing it, or
 * their own): a role that sees 138****1234 could otherwise find the four hidden digits by trying them.
 */
function phoneFilter(actor: Actor, phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  if (!mayDo(actor.role, 'order.pii.reveal') && !rolesSeeingFullPii.includes(actor.role)) {
    throw new AppError('VALIDATION_FAILED', "The phone filter is for the roles that may see a buyer's phone number.", { field: 'phone' });
  }
  const key = phoneSearchKey(phone);
  if (key === null) {
    throw new AppError('VALIDATION_FAILED', 'phone: an 11-digit mobile number (+86 allowed) or a landline with its area code (0571-88886666).', { field: 'phone' });
  }
  return key;
}

/** The list's filter as the repository takes it, scoped to what the actor may see (a buyer: their own orders). */
export function shopRefundFilter(actor: Actor, query: Omit<RefundListQuery, 'cursor' | 'limit'>): Omit<RefundListFilter, 'limit'> {
  return {
    shopId: actor.shopId,
    statuses: query.statuses,
    open: query.open,
    type: query.type,
    reasons: query.reasons,
    phase: query.phase,
    goodsStatus: query.goodsStatus,
    orderNo: query.orderNo,
    trackingNo: query.trackingNo,
    buyerPhoneKey: phoneFilter(actor, query.phone),
    assigneeUserId: assigneeFilter(actor, query.assignee),
    buyerNick: actor.role === 'buyer' ? (actor.buyerNick ?? '\u0000') : undefined,
    orderId: actor.orderScopeId ?? undefined,
    deadlineBefore: query.deadlineBefore,
    createdFrom: query.createdFrom,
    orderStatus: query.orderStatus,
  };
}

/** A shop's refunds by deadline, soonest first (refunds without a deadline last). */
export async function listShopRefunds(ctx: AppContext, options: { actor: Actor; query: RefundListQuery }): Promise<RefundPage> {
  const { actor, query } = options;
  requirePermission(actor, 'refund.read');
  const rows = await listRefunds(ctx.db.kysely, {
    ...shopRefundFilter(actor, query),
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const now = ctx.clock.now();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => {
      const refund = refundRowToRefund(row);
      const assignee =
        seesAssignees(actor) && row.assignee_user_id !== null ? { userId: row.assignee_user_id, displayName: row.assignee_display_name ?? '' } : null;
      return { refund, deadline: deadlineView(refund, now), assignee };
    }),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.sort_deadline ?? NO_DEADLINE, last.id) : null,
  };
}

/** How many refunds the list's filter holds (the queue's view tabs): one count on the list's indexes. */
export async function countShopRefunds(ctx: AppContext, options: { actor: Actor; query: Omit<RefundListQuery, 'cursor' | 'limit'> }): Promise<number> {
  requirePermission(options.actor, 'refund.read');
  return countRefunds(ctx.db.kysely, shopRefundFilter(options.actor, options.query));
}
