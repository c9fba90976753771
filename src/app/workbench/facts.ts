/**
 * What is known about a refund, for its playbook and its guards: the order's
 * remarks, the contacts, the ticks, the warehouse's arrival record, the
 * unshipped batch line, the products' flags.
 */
import { evaluatePlaybook } from '../../core/playbook/playbook-evaluator.ts';
import { returnCheck } from '../../core/playbook/return-check.ts';
import type { DoneWhen, FactSource, RefundFacts } from '../../core/playbook/rule-set.ts';
import { returnPostageText, type ReturnPostagePayer } from '../../core/workbench/return-postage.ts';
import { checkGuards, type GuardedAction, type GuardViolation } from '../../core/guards/refund-guards.ts';
import type { Order, ReasonCode, Refund } from '../../core/refund/refund-model.ts';
import type { Q } from '../../db/order-repository.ts';
import { currentRuleSet } from './rule-sets.ts';

export const AFTER_SALE_REMARK = '客户申请了售后退款';

/** S1.13 look 2: a remark that says the warehouse got the return back (the arrival record writes one; the warehouse may write its own). */
export const WAREHOUSE_ARRIVAL_REMARK = '仓库已收到';

export interface KnownAboutRefund {
  remarks: { id: number; text: string; at: Date; author: string }[];
  contacts: { channel: 'phone' | 'wangwang'; outcome: string }[];
  /** S1.6, S1.19: the courier tasks of this refund that are done (the courier's answer is recorded) */
  courierTasksDone: { kind: 'trace' | 'recall' }[];
  /** S1.10: design and merchandise answered a verification task of this refund */
  departmentAnswered: boolean;
  /** S1.3, S1.5, S1.10: the buyer was asked to change the reason (oldest first) */
  corrections: { fromReason: ReasonCode; toReason: ReasonCode; askedVia: 'phone' | 'wangwang'; buyerAnswer: string }[];
  /** S1.8: the order is in the invoice book (an invoice record not cancelled) */
  invoiceRegistered: boolean;
  ticked: string[];
  warehouseReceived: boolean;
  /** S1.13 look 2: the warehouse's remark that the return arrived is on the order */
  warehouseRemarked: boolean;
  /** S1.13: who pays the return postage, once decided */
  returnPostage: ReturnPostageView | null;
  batchLine: 'pending' | 'voided' | 'already_shipped' | null;
  productFactsKnown: boolean;
  /** where the facts that tick items by themselves come from */
  sources: Partial<Record<DoneWhen, FactSource>>;
}

/** S1.13: the return postage decision as stored on the refund. */
export interface ReturnPostageView {
  payer: ReturnPostagePayer;
  amountFen: number;
  note: string | null;
  by: string | null;
  at: string | null;
}

const arrivalConditions: Record<string, string> = { resellable: '不影响二次销售', not_resellable: '影响二次销售' };

/** S1.13: the refund's return postage decision, or null while undecided. */
export async function loadReturnPostage(db: Q, refundId: number): Promise<ReturnPostageView | null> {
  const row = await db
    .selectFrom('refunds')
    .select(['return_postage_payer', 'return_postage_fen', 'return_postage_note', 'return_postage_by', 'return_postage_at'])
    .where('id', '=', refundId)
    .executeTakeFirst();
  if (!row?.return_postage_payer || row.return_postage_fen === null || row.return_postage_fen === undefined) return null;
  return {
    payer: row.return_postage_payer as ReturnPostagePayer,
    amountFen: Number(row.return_postage_fen),
    note: row.return_postage_note ?? null,
    by: row.return_postage_by ?? null,
    at: row.return_postage_at ?? null,
  };
}

export async function loadKnown(db: Q, refund: Refund, order: Order): Promise<KnownAboutRefund> {
  const [remarks, records, invoices, ticks, batch, products, returnPostage] = await Promise.all([
    db.selectFrom('order_remarks').select(['id', 'text', 'created_at', 'author']).where('order_id', '=', order.id).orderBy('id').execute(),
    db
      .selectFrom('records')
      .leftJoin('actors', 'actors.id', 'records.actor_id')
      .select(['records.id', 'records.kind', 'records.data', 'records.status', 'records.created_at', 'actors.name as actor_name'])
      .where('records.refund_id', '=', refund.id)
      .where('records.kind', 'in', ['contact', 'courier_task', 'department_task', 'return_arrival', 'reason_correction'])
      .orderBy('records.id')
      .execute(),
    db
      .selectFrom('records')
      .leftJoin('actors', 'actors.id', 'records.actor_id')
      .select(['records.id', 'records.data', 'records.created_at', 'actors.name as actor_name'])
      .where('records.order_id', '=', order.id)
      .where('records.kind', '=', 'invoice')
      .where('records.status', '!=', 'cancelled')
      .orderBy('records.id')
      .limit(1)
      .execute(),
    db.selectFrom('checklist_ticks').select('item_id').where('refund_id', '=', refund.id).execute(),
    db
      .selectFrom('batch_lines')
      .leftJoin('actors', 'actors.id', 'batch_lines.actor_id')
      .select(['batch_lines.batch_id', 'batch_lines.status', 'batch_lines.marked_at', 'actors.name as actor_name'])
      .where('batch_lines.refund_id', '=', refund.id)
      .orderBy('batch_lines.batch_id', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('products')
      .select('sku')
      .where('shop_id', '=', order.shopId)
      .where('sku', 'in', [
        '',
        ...order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo).map((l) => l.sku),
      ])
      .execute(),
    loadReturnPostage(db, refund.id),
  ]);
  const skus = new Set(order.lines.filter((l) => refund.lineNo === null || l.lineNo === refund.lineNo).map((l) => l.sku));
  const parsed = records.map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }));
  const recordSource = (kind: FactSource['kind'], r: (typeof parsed)[number], text: string | null): FactSource => ({
    kind,
    id: r.id,
    at: r.created_at,
    by: r.actor_name ?? null,
    text,
  });
  const sources: Partial<Record<DoneWhen, FactSource>> = {};
  // the latest of each: what the agent would look at
  const arrival = parsed.filter((r) => r.kind === 'return_arrival').at(-1);
  if (arrival) {
    const condition = arrivalConditions[String(arrival.data.condition)] ?? null;
    const note = typeof arrival.data.note === 'string' && arrival.data.note.trim() ? arrival.data.note.trim() : null;
    sources['warehouse.received'] = recordSource('return_arrival', arrival, [condition, note].filter(Boolean).join(' · ') || null);
  }
  // S1.13 look 2: the warehouse's remark; the arrival record wrote one with it
  const remarkOfWarehouse = remarks.filter((r) => r.text.includes(WAREHOUSE_ARRIVAL_REMARK)).at(-1);
  if (remarkOfWarehouse) {
    sources['warehouse.remarked'] = { kind: 'remark', id: remarkOfWarehouse.id, at: remarkOfWarehouse.created_at, by: remarkOfWarehouse.author, text: remarkOfWarehouse.text };
  } else if (sources['warehouse.received']) {
    sources['warehouse.remarked'] = sources['warehouse.received'];
  }
  for (const channel of ['phone', 'wangwang'] as const) {
    const contact = parsed.filter((r) => (r.kind === 'contact' && r.data.channel === channel) || (r.kind === 'reason_correction' && r.data.askedVia === channel)).at(-1);
    if (contact) {
      const text = contact.kind === 'contact' ? (typeof contact.data.content === 'string' ? contact.data.content : null) : `修改退款原因：${String(contact.data.fromReason)} → ${String(contact.data.toReason)}`;
      sources[channel === 'phone' ? 'contact.phone' : 'contact.wangwang'] = recordSource(contact.kind === 'contact' ? 'contact' : 'reason_correction', contact, text);
    }
  }
  const courierDone = parsed.filter((r) => r.kind === 'courier_task' && r.status === 'done');
  for (const kind of ['trace', 'recall'] as const) {
    const task = courierDone.filter((r) => r.data.kind === kind).at(-1);
    const outcome = (task?.data.done as { outcome?: unknown } | null | undefined)?.outcome;
    if (task) sources[kind === 'trace' ? 'courier.traced' : 'courier.recalled'] = recordSource('courier_task', task, typeof outcome === 'string' ? outcome : null);
  }
  const answered = parsed.filter((r) => r.kind === 'department_task' && r.status === 'answered').at(-1);
  if (answered) {
    const answer = answered.data.answer as { note?: unknown } | null | undefined;
    sources['department.answered'] = recordSource('department_task', answered, typeof answer?.note === 'string' ? answer.note : null);
  }
  if (batch?.status === 'voided') {
    sources['void.confirmed'] = { kind: 'batch_line', id: batch.batch_id, at: batch.marked_at, by: batch.actor_name ?? null, text: '仓库已作废（未发退清单）' };
  }
  const invoice = invoices[0];
  if (invoice) {
    const data = JSON.parse(invoice.data) as Record<string, unknown>;
    sources['invoice.registered'] = { kind: 'invoice', id: invoice.id, at: invoice.created_at, by: invoice.actor_name ?? null, text: typeof data.title === 'string' ? data.title : null };
  }
  if (returnPostage) {
    sources['return_postage.recorded'] = { kind: 'return_postage', id: null, at: returnPostage.at, by: returnPostage.by, text: returnPostageText(returnPostage) };
  }
  return {
    remarks: remarks.map((r) => ({ id: r.id, text: r.text, at: new Date(r.created_at), author: r.author })),
    contacts: parsed.filter((r) => r.kind === 'contact').map((r) => r.data as { channel: 'phone' | 'wangwang'; outcome: string }),
    departmentAnswered: answered !== undefined,
    courierTasksDone: courierDone.map((r) => ({ kind: r.data.kind === 'recall' ? ('recall' as const) : ('trace' as const) })),
    corrections: parsed.filter((r) => r.kind === 'reason_correction').map((r) => r.data as KnownAboutRefund['corrections'][number]),
    invoiceRegistered: invoices.length > 0,
    ticked: ticks.map((t) => t.item_id),
    warehouseReceived: arrival !== undefined,
    warehouseRemarked: sources['warehouse.remarked'] !== undefined,
    returnPostage,
    batchLine: (batch?.status as KnownAboutRefund['batchLine']) ?? null,
    productFactsKnown: skus.size > 0 && [...skus].every((sku) => products.some((p) => p.sku === sku)),
    sources,
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
    // a reason correction was asked by phone or Wangwang: it is a contact of that channel too (S1.5's checklist)
    contacts: [...known.contacts.map((c) => ({ channel: c.channel })), ...known.corrections.map((c) => ({ channel: c.askedVia }))],
    courierTasksDone: known.courierTasksDone,
    departmentAnswered: known.departmentAnswered,
    ticked: known.ticked,
    corrections: known.corrections.map((c) => ({ fromReason: c.fromReason })),
    invoiceRegistered: known.invoiceRegistered,
    warehouseRemarked: known.warehouseRemarked,
    returnPostage: known.returnPostage,
    sources: known.sources,
    remarkSources: known.remarks.map((r) => ({ kind: 'remark', id: r.id, at: r.at.toISOString(), by: r.author, text: r.text })),
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
  const facts = refundFacts(refund, order, known);
  const playbook = evaluatePlaybook(current.ruleSet, facts);
  return {
    ruleSetVersion: current.version,
    ...playbook,
    // S1.13: the three looks as one list, the one the guard refuses with (null when the guard does not apply)
    returnCheck: returnCheck(current.ruleSet, playbook, facts),
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
  options: {
    action: GuardedAction;
    refund: Refund;
    order: Order;
    siblings: readonly Refund[];
    input: GuardInput;
    /** the rule set's head when the caller already read it (undefined: read it here) */
    ruleSetHead?: { id: number; version: number } | null;
  },
): Promise<{ violations: GuardViolation[]; ruleSetVersion: number }> {
  const { refund, order } = options;
  const current = await currentRuleSet(db, order.shopId, options.ruleSetHead);
  // a rule set that names no guards needs no facts
  if (!current.ruleSet.rules.some((r) => (r.guards ?? []).length > 0)) return { violations: [], ruleSetVersion: current.version };
  const known = await loadKnown(db, refund, order);
  const facts = refundFacts(refund, order, known);
  const view = evaluatePlaybook(current.ruleSet, facts);
  const afterSaleRemark = known.remarks.find((r) => r.text.includes(AFTER_SALE_REMARK));
  const violations = checkGuards({
    action: options.action,
    refund,
    order,
    applicable: view.guards,
    batchLine: known.batchLine,
    confirmedAmountFen: options.input.confirmedAmountFen,
    // S1.13: the same list the receipt dialog shows (playbookFor's returnCheck)
    openChecks: returnCheck(current.ruleSet, view, facts)?.missing ?? [],
    afterSaleRemarkAt: afterSaleRemark?.at ?? null,
    siblings: options.siblings,
    contacts: known.contacts,
    corrections: known.corrections,
    invoiceRegistered: known.invoiceRegistered,
    refusal: {
      productFactsKnown: known.productFactsKnown,
      buyerProblem: !!options.input.buyerProblem?.trim(),
      chatEvidence: (options.input.chatEvidence ?? 0) > 0,
      // S1.15: the buyer was actually spoken to (a call that did not get through does not count)
      phoneCallLogged: known.contacts.some((c) => c.channel === 'phone' && ['reached', 'agreed', 'refused'].includes(c.outcome)),
    },
  });
  // a return decided under 三包 (S4) is a quality return the shop confirmed: the buyer is not to be talked out of
  // its reason, so S1.5's "change the reason first" does not hold it back
  if (violations.some((v) => v.code === 'GUARD_REASON_NEEDS_CHANGE')) {
    const decided = await db.selectFrom('records').select('id').where('kind', '=', 'send_back').where('refund_id', '=', refund.id).limit(1).executeTakeFirst();
    if (decided) return { violations: violations.filter((v) => v.code !== 'GUARD_REASON_NEEDS_CHANGE'), ruleSetVersion: current.version };
  }
  return { violations, ruleSetVersion: current.version };
}
