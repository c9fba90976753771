/**
 * JSON as TOP writes it: int64 ids (tid, oid, TMC message ids…) above 2^53 are
 * plain number literals, so the sim keeps them as bigint and this writer emits
 * a bigint as its digits. Everything else is ordinary JSON; `undefined` members
 * are left out (TOP leaves absent fields out rather than writing null).
 */

export function writeTopJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`not a JSON number: ${value}`);
      out.push(String(value));
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new Error(`cannot write ${typeof value} as JSON`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item === undefined ? null : item, out);
    });
    out.push(']');
    return;
  }
  out.push('{');
  let first = true;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(item, out);
  }
  out.push('}');
}
