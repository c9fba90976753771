/** The shop's products as S1.15 needs them before a refusal: hot-selling, main-promoted, the item rating. */
import { AppError } from '../../core/errors.ts';
import type { Actor } from '../../core/roles.ts';
import { requirePermission } from '../access.ts';
import { appendAudit, auditActor } from '../audit.ts';
import type { AppContext } from '../context.ts';

export interface Product {
  sku: string;
  title: string;
  styleCategory: string;
  hotSelling: boolean;
  mainPromoted: boolean;
  /** the item rating (单款评分), e.g. "4.8" */
  rating: string;
  updatedAt: string;
}

export async function listProducts(ctx: AppContext, options: { actor: Actor; skus?: string[] }): Promise<Product[]> {
  requirePermission(options.actor, 'workbench.records.read');
  let q = ctx.db.kysely.selectFrom('products').selectAll().where('shop_id', '=', options.actor.shopId);
  if (options.skus) q = q.where('sku', 'in', ['', ...options.skus]);
  const rows = await q.orderBy('sku').execute();
  return rows.map((r) => ({
    sku: r.sku,
    title: r.title,
    styleCategory: r.style_category,
    hotSelling: r.hot_selling === 1,
    mainPromoted: r.main_promoted === 1,
    rating: r.rating,
    updatedAt: r.updated_at,
  }));
}

/** Creates or changes a product (merchandise, supervisor, or a connector); audited. */
export async function saveProduct(
  ctx: AppContext,
  options: { actor: Actor; sku: string; title: string; styleCategory: string; hotSelling: boolean; mainPromoted: boolean; rating: string },
): Promise<Product> {
  requirePermission(options.actor, 'workbench.products');
  if (!/^(?:[0-4](?:\.\d)?|5(?:\.0)?)$/.test(options.rating)) {
    throw new AppError('VALIDATION_FAILED', 'The rating is a number from 0 to 5 with at most one decimal, e.g. 4.8.', { field: 'rating' });
  }
  const now = ctx.clock.now().toISOString();
  const values = {
    title: options.title,
    style_category: options.styleCategory,
    hot_selling: options.hotSelling ? 1 : 0,
    main_promoted: options.mainPromoted ? 1 : 0,
    rating: options.rating,
    updated_at: now,
  };
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto('products')
      .values({ shop_id: options.actor.shopId, sku: options.sku, ...values })
      .onConflict((oc) => oc.columns(['shop_id', 'sku']).doUpdateSet(values))
      .execute();
    await appendAudit(trx, {
      at: ctx.clock.now(),
      ...auditActor(options.actor),
      action: 'product.save',
      targetType: 'product',
      targetId: options.sku,
      outcome: 'ok',
      details: { hotSelling: options.hotSelling, mainPromoted: options.mainPromoted, rating: options.rating },
    });
  });
  return { sku: options.sku, title: options.title, styleCategory: options.styleCategory, hotSelling: options.hotSelling, mainPromoted: options.mainPromoted, rating: options.rating, updatedAt: now };
}
