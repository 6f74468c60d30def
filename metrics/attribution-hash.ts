// The hash that stands for an attribution value the telemetry must not hold (a user id): in process it replaces the
// baggage value copied onto a span (processor/baggage-attributes.ts), in collector mode the value that arrived on a
// span (collector/hashed-attributes.ts). One implementation, so the same id with the same salt gives the same hash
// whichever deployable recorded it.
import { createHash, createHmac } from 'node:crypto';
import { validateKeys } from './attribution.ts';
import { OldestFirstMap } from '../base/oldest-first.ts';

export interface AttributionHashOptions {
  /** Keys whose values are recorded as a hash, e.g. ['user.id']. Default none. */
  hashKeys?: readonly string[];
  /**
   * The key of the HMAC-SHA256 that hashes those values. Without it the hash is a plain SHA-256, which anyone can
   * recompute for a guessed id (an e-mail address): set one to keep ids from being recovered. Default none.
   */
  hashSalt?: string;
}

/** Hashes remembered per value (bounded), so a busy user costs one HMAC, not one per span. */
const MAX_REMEMBERED_HASHES = 1000;

export class AttributionHasher {
  readonly keys: ReadonlySet<string>;
  private readonly salt: string | undefined;
  private readonly remembered = new OldestFirstMap<string, string>();

  /** Throws, naming what is wrong, for an empty key, a hash key that is not attributed, or an empty salt. */
  constructor(options: AttributionHashOptions, attributedKeys: readonly string[], where = 'baggage') {
    const keys = validateKeys(options.hashKeys ?? [], `${where} hash keys`);
    for (const key of keys) {
      if (!attributedKeys.includes(key))
        throw new Error(`tokenledger: ${where} hash key ${key} is not one of the ${where} keys (${attributedKeys.join(', ')})`);
    }
    this.keys = new Set(keys);
    if (options.hashSalt !== undefined && options.hashSalt === '') throw new Error(`tokenledger: ${where} hash salt must not be empty`);
    this.salt = options.hashSalt;
  }

  /** The first 16 hex digits (64 bits) of HMAC-SHA256(salt, value), or of SHA-256(value) without a salt. */
  hash(value: string): string {
    const known = this.remembered.get(value);
    if (known !== undefined) return known;
    const digest = (this.salt === undefined ? createHash('sha256') : createHmac('sha256', this.salt)).update(value).digest('hex').slice(0, 16);
    if (this.remembered.size >= MAX_REMEMBERED_HASHES) this.remembered.delete(this.remembered.oldest()!);
    this.remembered.set(value, digest);
    return digest;
  }
}
