/**
 * Who acts on the engine. A token (and later a user) has one role in one shop.
 * buyer: the buyer of the order; agent: the seller's after-sales agent;
 * platform: the marketplace's customer service (客服介入); system: machines
 * (connectors, the deadline sweeper).
 */
export const roles = ['buyer', 'agent', 'platform', 'system'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  id: number;
  shopId: number;
  role: Role;
  name: string;
  /** for a buyer: the buyer nick whose orders this actor may act on */
  buyerNick: string | null;
}
