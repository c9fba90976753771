/** before → after of the fields that changed, for an event. Dates compare by instant; objects by their JSON. */
export function diffFields(
  before: object,
  after: object,
  ignore: readonly string[] = ['updatedAt', 'version'],
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (ignore.includes(key)) continue;
    const from = b[key] ?? null;
    const to = a[key] ?? null;
    if (from === to) continue;
    if (typeof from !== 'object' && typeof to !== 'object') {
      changes[key] = { from, to };
      continue;
    }
    // a date (or a date and null) needs no JSON round trip: its JSON is its ISO string (the write path, issue 16 §2)
    if ((from === null || from instanceof Date) && (to === null || to instanceof Date)) {
      const f = from === null ? null : (from as Date).toISOString();
      const t = to === null ? null : (to as Date).toISOString();
      if (f !== t) changes[key] = { from: f, to: t };
      continue;
    }
    const fromJson = JSON.stringify(from);
    const toJson = JSON.stringify(to);
    if (fromJson !== toJson) changes[key] = { from: JSON.parse(fromJson) as unknown, to: JSON.parse(toJson) as unknown };
  }
  return changes;
}
