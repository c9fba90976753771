/** before → after of the fields that changed, for an event. Dates compare by instant. */
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
    const from = JSON.stringify(b[key] ?? null);
    const to = JSON.stringify(a[key] ?? null);
    if (from !== to) changes[key] = { from: JSON.parse(from) as unknown, to: JSON.parse(to) as unknown };
  }
  return changes;
}
