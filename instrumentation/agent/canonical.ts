// Canonical serialisation of tool arguments: object keys sorted, numbers in JSON's one form, and strings that
// hold JSON objects or arrays (as models send tool arguments) parsed and serialised the same way, so key order,
// whitespace and number formatting ("1.50" vs "1.5") never change the result. Used for memoisation keys and to
// recognise a tool called again with the same arguments.
import { hash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, new WeakSet()));
}

function canonical(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return canonicalString(value, seen);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return typeof value === 'function' || value === undefined ? null : value;
  if (seen.has(value)) throw new TypeError('canonicalJson: circular arguments');
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => canonical(item, seen));
    if (value instanceof Date) return value.toISOString();
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined && typeof item !== 'function') sorted[key] = canonical(item, seen);
    }
    return sorted;
  } finally {
    seen.delete(value);
  }
}

function canonicalString(text: string, seen: WeakSet<object>): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return text;
  try {
    return { $json: canonical(JSON.parse(trimmed), seen) };
  } catch {
    return text;
  }
}

/** SHA-256 (hex) of a tool's name and its canonical arguments. */
export function toolArgsHash(name: string, args: readonly unknown[]): string {
  return hash('sha256', `${name}\u0000${canonicalJson(args)}`, 'hex');
}
