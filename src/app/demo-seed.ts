/** PLACEHOLDER: replaced by the demo seed implementation. */
import type { Role } from '../core/roles.ts';
import type { Shop } from '../db/shop-repository.ts';
import type { AppContext } from './context.ts';

export interface DemoSeedResult {
  shop: Shop;
  tokens: Record<Role, string>;
  orders: number;
  refunds: number;
}

export async function seedDemo(_ctx: AppContext): Promise<DemoSeedResult> {
  throw new Error('not yet');
}
