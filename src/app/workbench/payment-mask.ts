/**
 * The buyer's payment account, real name and tax id are shown to the roles
 * that pay or handle them (agent, supervisor, finance) and masked for the
 * others: in the record lists, a record's page and the exports alike.
 */
const SEES_PAYMENT_DETAILS: ReadonlySet<string> = new Set(['agent', 'supervisor', 'finance']);
const PAYMENT_FIELDS: ReadonlySet<string> = new Set(['alipayAccount', 'realName', 'taxId']);

export function seesPaymentDetails(role: string): boolean {
  return SEES_PAYMENT_DETAILS.has(role);
}

/** One field's value masked: 李* for a name, 138****34 for an account or a tax id. */
export function maskValue(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.length === 0) return value;
  if (key === 'realName') return `${[...value][0]}*`;
  return value.length <= 4 ? '****' : `${value.slice(0, 3)}****${value.slice(-2)}`;
}

/** A record's data with every payment field masked, at any depth. */
export function maskPayment(data: unknown, depth = 0): unknown {
  if (depth > 5 || data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map((x) => maskPayment(x, depth + 1));
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, PAYMENT_FIELDS.has(k) ? maskValue(k, v) : maskPayment(v, depth + 1)]),
  );
}

/** The data as this role may see it. */
export function paymentDetailsFor<T>(data: T, role: string): T {
  return seesPaymentDetails(role) ? data : (maskPayment(data) as T);
}
