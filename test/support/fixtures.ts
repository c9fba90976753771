/** A shop with one actor per role, and orders in the state a test needs. */
import type { AppContext } from '../../src/app/context.ts';
import { confirmOrderAction, createOrder, shipOrderAction, signOrderAction, type NewOrder } from '../../src/app/orders.ts';
import { createActorToken, createShop } from '../../src/app/shops.ts';
import type { Order } from '../../src/core/refund/refund-model.ts';
import { roles, type Actor, type Role } from '../../src/core/roles.ts';
import { platformOnlyRuleSetText } from '../../src/core/playbook/default-rule-set.ts';
import type { ShopSettings } from '../../src/core/shop-settings.ts';
import type { Shop } from '../../src/db/shop-repository.ts';

export interface ShopFixture {
  shop: Shop;
  actors: Record<Role, Actor>;
  tokens: Record<Role, string>;
}

export const BUYER_NICK = 'tb_xiaomei88';


export async function setupShop(
  ctx: AppContext,
  code = 'shop-a',
  settings: Partial<ShopSettings> = {},
  ruleSet: 'engine-only' | 'default' = 'engine-only',
): Promise<ShopFixture> {
  const shop = await createShop(ctx, { code, name: `测试鞋店 ${code}`, settings: { returnAddress: '浙江省杭州市余杭区仓前街道 1 号 售后组 收', ...settings } });
  if (ruleSet === 'engine-only') {
    await ctx.db.kysely
      .insertInto('rule_sets')
      .values({ shop_id: shop.id, version: 1, name: 'engine-only', text: platformOnlyRuleSetText, created_at: ctx.clock.now().toISOString(), actor_id: null })
      .execute();
  }
  const actors = {} as Record<Role, Actor>;
  const tokens = {} as Record<Role, string>;
  for (const role of roles) {
    const { actor, token } = await createActorToken(ctx, {
      shopId: shop.id,
      role,
      name: `${role}@${code}`,
      buyerNick: role === 'buyer' ? BUYER_NICK : null,
    });
    actors[role] = actor;
    tokens[role] = token;
  }
  return { shop, actors, tokens };
}

let seq = 0;

export function orderInput(overrides: Partial<NewOrder> = {}): NewOrder {
  seq += 1;
  return {
    orderNo: `T${Date.now().toString().slice(-8)}${String(seq).padStart(5, '0')}`,
    buyer: {
      nick: BUYER_NICK,
      name: '李小美',
      phone: '13812341234',
      address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号 3 幢 502' },
    },
    lines: [
      { sku: 'XZ-2061', title: '春季新款真皮单鞋 尖头细跟', style: '单鞋', size: '37', unitPriceFen: 19_900, quantity: 1 },
      { sku: 'XZ-3110', title: '休闲平底小白鞋', style: '板鞋', size: '37', unitPriceFen: 12_900, quantity: 1 },
    ],
    paidFen: 32_800,
    postageFen: 0,
    escrow: true,
    ...overrides,
  };
}

export type OrderStage = 'paid' | 'shipped' | 'signed' | 'finished';

/** An order brought to a stage through the real use cases. */
export async function makeOrder(ctx: AppContext, f: ShopFixture, stage: OrderStage, overrides: Partial<NewOrder> = {}): Promise<Order> {
  let order = await createOrder(ctx, { actor: f.actors.system, order: orderInput(overrides) });
  if (stage === 'paid') return order;
  order = (await shipOrderAction(ctx, { actor: f.actors.agent, orderNo: order.orderNo, courier: '中通快递', trackingNo: `ZT${order.id}00001` })).order;
  if (stage === 'shipped') return order;
  order = await signOrderAction(ctx, { actor: f.actors.system, orderNo: order.orderNo });
  if (stage === 'signed') return order;
  return confirmOrderAction(ctx, { actor: f.actors.buyer, orderNo: order.orderNo });
}
