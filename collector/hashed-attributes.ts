// `--baggage-hash-keys`: in collector mode a user id arrives on spans in plain text (the app copied its baggage
// there), so the named attributes are replaced by their hash on every span, before anything reads them: the
// forwarded span, the run it rolls into and the metrics' labels all see the hash, never the id. The hash is the one
// the in-process processor writes (metrics/attribution-hash.ts): with the same salt, the same id gives the same value.
import type { AttributionHasher } from '../metrics/attribution-hash.ts';
import { fromAnyValue, type KeyValue } from './enrich.ts';

/**
 * Replaces, in place, the values of the hasher's keys: a string, number or boolean by the hash of its text, an
 * array by an array of its items' hashes. A value of another kind (bytes, a key-value list) cannot be hashed as the
 * in-process processor would, so it is removed rather than forwarded as it came. Returns whether any was.
 */
export function hashAttributeValues(keyValues: KeyValue[] | undefined, hasher: AttributionHasher): boolean {
  if (!keyValues) return false;
  let changed = false;
  for (let i = keyValues.length - 1; i >= 0; i -= 1) {
    const { key, value } = keyValues[i]!;
    if (!hasher.keys.has(key)) continue;
    changed = true;
    const plain = fromAnyValue(value);
    if (plain === undefined) keyValues.splice(i, 1);
    else if (Array.isArray(plain)) keyValues[i] = { key, value: { arrayValue: { values: plain.map((item) => ({ stringValue: hasher.hash(String(item)) })) } } };
    else keyValues[i] = { key, value: { stringValue: hasher.hash(String(plain)) } };
  }
  return changed;
}
