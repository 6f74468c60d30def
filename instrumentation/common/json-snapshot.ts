// A private copy of a value as JSON.stringify saw it, and a walk that tells whether a value would serialise to the
// same JSON text, without building the text. The prefix fingerprint (prompt-shape.ts) keeps the last prefixes it saw
// this way: an agent sends the same system prompt and tools on every step, and walking them beside the copy costs a
// fraction of serialising and hashing them again. The copy is made from the JSON text, so it is ours: an app that
// changes its tools in place makes its next prefix differ from the copy.
//
// The walk follows JSON.stringify's rules for plain data (key order, keys whose value is undefined, a function or a
// symbol left out, such array items and non-finite numbers written as null). Anything else (a toJSON method, a Date,
// a class instance, a BigInt) answers "not the same", and the caller serialises as before: the answer may be
// "different" when the JSON would be the same, never "the same" when it would differ.

/** An object of the copy: its keys in JSON order and their values. */
class SnapshotObject {
  readonly keys: string[];
  readonly values: Snapshot[];

  constructor(keys: string[], values: Snapshot[]) {
    this.keys = keys;
    this.values = values;
  }
}

export type Snapshot = string | number | boolean | null | Snapshot[] | SnapshotObject;

const MAX_DEPTH = 256;

/** The copy of a value parsed from JSON text (JSON.parse's output). */
export function snapshotOf(parsed: unknown): Snapshot {
  if (Array.isArray(parsed)) return parsed.map(snapshotOf);
  if (parsed !== null && typeof parsed === 'object') {
    const keys = Object.keys(parsed);
    return new SnapshotObject(
      keys,
      keys.map((key) => snapshotOf((parsed as Record<string, unknown>)[key])),
    );
  }
  return parsed as string | number | boolean | null;
}

/** Whether JSON.stringify(value) is the JSON text the snapshot was parsed from (false when that cannot be told cheaply). */
export function sameJson(value: unknown, snapshot: Snapshot, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value === snapshot;
    case 'number':
      return Number.isFinite(value) ? value === snapshot : snapshot === null;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return snapshot === null;
  if (depth >= MAX_DEPTH || snapshot === null || typeof snapshot !== 'object') return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return Array.isArray(snapshot) && sameItems(value, snapshot, depth);
  if (!(snapshot instanceof SnapshotObject)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  let index = 0;
  for (const key in record) {
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    if (snapshot.keys[index] !== key || !sameJson(item, snapshot.values[index]!, depth + 1)) return false;
    index += 1;
  }
  return index === snapshot.keys.length;
}

function sameItems(items: readonly unknown[], snapshot: readonly Snapshot[], depth: number): boolean {
  if (items.length !== snapshot.length) return false;
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    // An array item JSON cannot write is written as null.
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') {
      if (snapshot[i] !== null) return false;
    } else if (!sameJson(item, snapshot[i]!, depth + 1)) return false;
  }
  return true;
}
