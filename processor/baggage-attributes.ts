// Copies the baggage entries the app names (TOKENLEDGER_BAGGAGE_KEYS) onto the spans tokenledger accounts for, as
// OpenTelemetry JS's BaggageSpanProcessor (@opentelemetry/baggage-span-processor) does for every span: read from the
// parent context when the span starts, written under the entry's own name. Only LLM call, tool and run spans get
// them here, and an attribute the span already has is kept. Values of the keys named in `hashKeys` (a user id) are
// replaced by a keyed hash, so the telemetry can group by user without holding the id.
import { propagation, type Attributes, type Context } from '@opentelemetry/api';
import { validateKeys } from '../metrics/attribution.ts';
import { AttributionHasher, type AttributionHashOptions } from '../metrics/attribution-hash.ts';

/** Which baggage entries become attributes of LLM call, tool and run spans and labels of the metrics, and how. */
export interface BaggageAttributionOptions extends AttributionHashOptions {
  /** The baggage entries to copy, e.g. ['tenant.id', 'user.id', 'feature']. */
  baggageKeys: readonly string[];
  /** Distinct values per key on the metrics; later ones are recorded as `_overflow`. Default 100. */
  maxValuesPerKey?: number;
}

export class BaggageAttributes {
  readonly keys: readonly string[];
  private readonly hasher: AttributionHasher;

  /** Throws, naming what is wrong, for an empty key or a hash key that is not copied. */
  constructor(options: BaggageAttributionOptions) {
    this.keys = validateKeys(options.baggageKeys, 'baggage keys');
    this.hasher = new AttributionHasher(options, this.keys);
  }

  /** The attributes a span starting in `parentContext` gets: the named entries it does not have yet, hashed where asked. */
  attributesFor(parentContext: Context, existing: Attributes): Attributes | undefined {
    const baggage = propagation.getBaggage(parentContext);
    if (baggage === undefined) return undefined;
    let added: Attributes | undefined;
    for (const key of this.keys) {
      if (existing[key] !== undefined) continue;
      const entry = baggage.getEntry(key);
      if (entry === undefined) continue;
      (added ??= {})[key] = this.hasher.keys.has(key) ? this.hasher.hash(entry.value) : entry.value;
    }
    return added;
  }
}
