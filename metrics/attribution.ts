// Attribution labels: the keys the app names (TOKENLEDGER_BAGGAGE_KEYS: a tenant, a user, a feature) as labels of
// tokenledger's token, cost and run metrics. A record's value of a key is its span's own attribute, else that of the
// innermost run above it that has one (in collector mode a request's root span often carries the tenant alone).
//
// Cardinality is bounded per key: the first `maxValuesPerKey` distinct values are kept as they are, every later value
// is recorded as OVERFLOW_VALUE and counted (tokenledger.attribution.overflow), so a key that turns out to be
// unbounded (a request id by mistake) costs one more series, not one per request. Memory: at most
// `maxValuesPerKey` strings per key.
import type { Attributes } from '@opentelemetry/api';

export const OVERFLOW_VALUE = '_overflow';
export const DEFAULT_MAX_VALUES_PER_KEY = 100;

export interface AttributionOptions {
  /** The attribute (and baggage) names to label metrics with, e.g. `tenant.id`, `user.id`, `feature`. */
  keys: readonly string[];
  /** Distinct values kept per key; later ones are recorded as `_overflow`. Default 100. */
  maxValuesPerKey?: number;
}

/** Where a record's values come from besides its own span: its run, and the runs that run is nested in. */
export interface AttributionSource {
  readonly attribution: Attributes | undefined;
  readonly parent: AttributionSource | undefined;
}

export class AttributionLabels {
  readonly keys: readonly string[];
  private readonly maxValues: number;
  private readonly seen = new Map<string, Set<string>>();
  private readonly onOverflow: (key: string) => void;

  /** Throws, naming what is wrong, when a key is empty or the cap is not a positive integer. */
  constructor(options: AttributionOptions, onOverflow: (key: string) => void = () => {}) {
    this.keys = validateKeys(options.keys, 'attribution keys');
    const max = options.maxValuesPerKey ?? DEFAULT_MAX_VALUES_PER_KEY;
    if (!Number.isInteger(max) || max <= 0) throw new Error(`tokenledger: attribution maxValuesPerKey must be a positive integer, got ${String(max)}`);
    this.maxValues = max;
    for (const key of this.keys) this.seen.set(key, new Set());
    this.onOverflow = onOverflow;
  }

  /** The labels of one record; keys neither the span nor its runs have are left off. */
  labels(own: Attributes | undefined, run: AttributionSource | undefined): Attributes {
    const labels: Attributes = {};
    for (const key of this.keys) {
      const value = attributionValue(key, own, run);
      if (value !== undefined) labels[key] = this.capped(key, value);
    }
    return labels;
  }

  private capped(key: string, value: string): string {
    const values = this.seen.get(key)!;
    if (values.has(value)) return value;
    if (values.size < this.maxValues) {
      values.add(value);
      return value;
    }
    this.onOverflow(key);
    return OVERFLOW_VALUE;
  }
}

function attributionValue(key: string, own: Attributes | undefined, run: AttributionSource | undefined): string | undefined {
  const direct = own?.[key];
  if (direct !== undefined && direct !== null) return String(direct);
  for (let source = run; source !== undefined; source = source.parent) {
    const value = source.attribution?.[key];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

/** The keys, checked: each a non-empty string, none twice. */
export function validateKeys(keys: readonly unknown[], where: string): string[] {
  const checked: string[] = [];
  for (const key of keys) {
    if (typeof key !== 'string' || key.trim() === '') throw new Error(`tokenledger: ${where} must be non-empty names, got ${JSON.stringify(key)}`);
    if (checked.includes(key.trim())) throw new Error(`tokenledger: ${where} name ${key.trim()} twice`);
    checked.push(key.trim());
  }
  return checked;
}
