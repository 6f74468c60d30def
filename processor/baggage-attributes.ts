// Copies the baggage entries the app names (TOKENLEDGER_BAGGAGE_KEYS) onto the spans tokenledger accounts for, as
// OpenTelemetry JS's BaggageSpanProcessor (@opentelemetry/baggage-span-processor) does for every span: read from the
// parent context when the span starts, written under the entry's own name. Only LLM call, tool and run spans get
// them here, and an attribute the span already has is kept. Values of the keys named in `hashKeys` (a user id) are
// replaced by a keyed hash, so the telemetry can group by user without holding the id.
import { createHash, createHmac } from 'node:crypto';
import { propagation, type Attributes, type Context } from '@opentelemetry/api';
import { validateKeys } from '../metrics/attribution.ts';
import { OldestFirstMap } from '../ledger/oldest-first.ts';

export interface BaggageAttributionOptions {
  /** The baggage entries to copy, e.g. ['tenant.id', 'user.id', 'feature']. */
  baggageKeys: readonly string[];
  /** Distinct values per key on the metrics; later ones are recorded as `_overflow`. Default 100. */
  maxValuesPerKey?: number;
  /** Keys (among baggageKeys) whose values are recorded as a hash, e.g. ['user.id']. Default none. */
  hashKeys?: readonly string[];
  /**
   * The key of the HMAC-SHA256 that hashes those values. Without it the hash is a plain SHA-256, which anyone can
   * recompute for a guessed id (an e-mail address): set one to keep ids from being recovered. Default none.
   */
  hashSalt?: string;
}

/** Hashes remembered per value (bounded), so a busy user costs one HMAC, not one per span. */
const MAX_REMEMBERED_HASHES = 1000;

export class BaggageAttributes {
  readonly keys: readonly string[];
  private readonly hashKeys: ReadonlySet<string>;
  private readonly salt: string | undefined;
  private readonly hashes = new OldestFirstMap<string, string>();

  /** Throws, naming what is wrong, for an empty key or a hash key that is not copied. */
  constructor(options: BaggageAttributionOptions) {
    this.keys = validateKeys(options.baggageKeys, 'baggage keys');
    const hashKeys = validateKeys(options.hashKeys ?? [], 'baggage hash keys');
    for (const key of hashKeys) {
      if (!this.keys.includes(key)) throw new Error(`tokenledger: baggage hash key ${key} is not one of the baggage keys (${this.keys.join(', ')})`);
    }
    this.hashKeys = new Set(hashKeys);
    if (options.hashSalt !== undefined && options.hashSalt === '') throw new Error('tokenledger: baggage hash salt must not be empty');
    this.salt = options.hashSalt;
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
      (added ??= {})[key] = this.hashKeys.has(key) ? this.hash(entry.value) : entry.value;
    }
    return added;
  }

  /** The first 16 hex digits (64 bits) of HMAC-SHA256(salt, value), or of SHA-256(value) without a salt. */
  hash(value: string): string {
    const remembered = this.hashes.get(value);
    if (remembered !== undefined) return remembered;
    const digest = (this.salt === undefined ? createHash('sha256') : createHmac('sha256', this.salt)).update(value).digest('hex').slice(0, 16);
    if (this.hashes.size >= MAX_REMEMBERED_HASHES) this.hashes.delete(this.hashes.oldest()!);
    this.hashes.set(value, digest);
    return digest;
  }
}
