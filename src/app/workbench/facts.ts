/**
 * What is known about a refund, for its playbook and its guards: the order's
 * remarks, the contacts, the ticks, the warehouse's arrival record, the
 * unshipped batch line, the products' flags.
 */
import { evaluatePlaybook } from '../../core/playbook/playbook-evaluator.ts';
import type { RefundFacts } from '../../core/playbook/rule-set.ts';
import { checkGuards, type GuardedAction, type GuardViolation } from '../../core/guards/refund-guards.ts';
import type { Order, Refund } from '../../core/refund/refund-model.ts';
import type { Q } from '../../db/order-repository.ts';
import { currentRuleSet } from './rule-sets.ts';

export const AFTER_SALE_REMARK = '客户申请了售后退款';

export interface KnownAboutRefund {
  remarks: { text: string; at: Date }[];
  contacts: { channel: 'phone' | 'wangwang'; outcome: string }[];
  ticked: string[];
  warehouseReceived: boolean;
  batchLine: 'pending' | 'voided' | 'already_shipped' | null;
  productFactsKnown: boolean;
}

export async function loadKnown(db: Q, refund: Refund, order: Order): Promise<KnownAboutRefund> {
  const [remarks, records, ticks, batch, products] = await Promise.all([
    db.selectFrom('order_remarks').select(['text', 'created_at']).where('order_id', '=', order.id).orderBy('id').execute(),
    db.selectFrom('records').select(['kind', 'data', 'status']).where('refund_id', '=', refund.id).where('kind', 'in', ['contact', 'return_arrival']).execute(),
    db.selectFrom('checklist_ticks').select('item_id').where('refund_id', '=', refund.id).execute(),
    db.selectFrom('batch_lines').select('status').where('refund_id', '=', refund.id).orderBy('batch_id', 'desc').limit(1).executeTakeFirst(),
    db
      .selectFrom('products')
      .select('sku')
      .where('shop_id', '=', order.shopId)
      .where('sku', 'in', [
        '',
        ...order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo).map((l) => l.sku),
      ])
      .execute(),
  ]);
  const skus = new Set(order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo).map((l) => l.sku));
  return {
    remarks: remarks.map((r) => ({ text: r.text, at: new Date(r.created_at) })),
    contacts: records
      .filter((r) => r.kind === 'contact')
      .map((r) => JSON.parse(r.data) as { channel: 'phone' | 'wangwang'; outcome: string }),
    ticked: ticks.map((t) => t.item_id),
    warehouseReceived: records.some((r) => r.kind === 'return_arrival'),
    batchLine: (batch?.status as KnownAboutRefund['batchLine']) ?? null,
    productFactsKnown: skus.size > 0 && [...skus].every((sku) => products.some((p) => p.sku === sku)),
  };
}

export function refundFacts(refund: Refund, order: Order, known: KnownAboutRefund): RefundFacts {
  return {
    type: refund.type,
    reason: refund.reason,
    phase: refund.phase,
    status: refund.status,
    goodsStatus: refund.goodsStatus,
    shipped: order.shipment !== null,
    signed: order.shipment?.signedAt != null,
    warehouseReceived: known.warehouseReceived,
    voidConfirmed: known.batchLine === 'voided',
    remarks: known.remarks.map((r) => r.text),
    contacts: known.contacts.map((c) => ({ channel: c.channel })),
    ticked: known.ticked,
  };
}

/** The playbook card of a refund: the matching rules, the checklist, the actions, the guards. */
export async function playbookFor(db: Q, refund: Refund, order: Order) {
  const [current, known] = await Promise.all([currentRuleSet(db, order.shopId), loadKnown(db, refund, order)]);
  const skus = order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo).map((l) => l.sku);
  const products = await db
    .selectFrom('products')
    .select(['sku', 'hot_selling', 'main_promoted', 'rating'])
    .where('shop_id', '=', order.shopId)
    .where('sku', 'in', ['', ...skus])
    .execute();
  return {
    ruleSetVersion: current.version,
    ...evaluatePlaybook(current.ruleSet, refundFacts(refund, order, known)),
    // S1.15/S1.16: what the agent looks at before deciding
    facts: {
      signedAt: order.shipment?.signedAt?.toISOString() ?? null,
      products: skus.map((sku) => {
        const p = products.find((x) => x.sku === sku);
        return { sku, known: !!p, hotSelling: p ? p.hot_selling === 1 : null, mainPromoted: p ? p.main_promoted === 1 : null, rating: p?.rating ?? null };
      }),
    },
  };
}

export interface GuardInput {
  /** S1.1: the amount the agent checked against the order */
  confirmedAmountFen?: number | undefined;
  /** S1.15: the buyer's problem, as the agent understood it */
  buyerProblem?: string | undefined;
  /** S1.15: how many pieces of chat evidence the refusal carries */
  chatEvidence?: number | undefined;
}

/** The guards this action breaks under the shop's current rule set, and that rule set's version. */
export async function guardsBroken(
  db: Q,
  options: { action: GuardedAction; refund: Refund; order: Order; siblings: readonly Refund[]; input: GuardInput },
): Promise<{ violations: GuardViolation[]; ruleSetVersion: number }> {
  const { refund, order } = options;
  const current = await currentRuleSet(db, order.shopId);
  // a rule set that names no guards needs no facts
  if (!current.ruleSet.rules.some((r) => (r.guards ?? []).length > 0)) return { violations: [], ruleSetVersion: current.version };
  const known = await loadKnown(db, refund, order);
  const view = evaluatePlaybook(current.ruleSet, refundFacts(refund, order, known));
  const matched = new Set(view.rules.map((r) => r.id));
  const returnRules = new Set(
    current.ruleSet.rules.filter((r) => matched.has(r.id) && (r.guards ?? []).includes('GUARD_RETURN_NOT_CHECKED')).map((r) => r.id),
  );
  const afterSaleRemark = known.remarks.find((r) => r.text.includes(AFTER_SALE_REMARK));
  const violations = checkGuards({
    action: options.action,
    refund,
    order,
    applicable: view.guards,
    batchLine: known.batchLine,
    confirmedAmountFen: options.input.confirmedAmountFen,
    warehouseReceived: known.warehouseReceived,
    // the S1.13 rule's own 'arrived' item stands for the warehouse's record, which the guard checks itself
    openChecks: view.checklist.filter((c) => returnRules.has(c.ruleId) && !c.done && !(known.warehouseReceived === false && c.id.endsWith('.arrived'))).map((c) => c.text),
    afterSaleRemarkAt: afterSaleRemark?.at ?? null,
    siblings: options.siblings,
    refusal: {
      productFactsKnown: known.productFactsKnown,
      buyerProblem: !!options.input.buyerProblem?.trim(),
      chatEvidence: (options.input.chatEvidence ?? 0) > 0,
      // S1.15: the buyer was actually spoken to (a call that did not get through does not count)
      phoneCallLogged: known.contacts.some((c) => c.channel === 'phone' && ['reached', 'agreed', 'refused'].includes(c.outcome)),
    },
  });
  return { violations, ruleSetVersion: current.version };
}
