// Where memoised tool results are kept. The default is an in-memory LRU; any store with `get`/`set` plugs in
// (Redis: `get: (key) => redis.get(key)`, `set: (key, value, ttlMs) => redis.set(key, value, 'PX', ttlMs)`).
// Values are the results serialised as JSON.
import { OldestFirstMap } from '../../base/oldest-first.ts';

/** Where memoised tool results are kept: any store with these two methods (Redis, say). Values are JSON text. */
export interface MemoStore {
  /** The value stored under `key`, or nothing when there is none or it expired. */
  get(key: string): Promise<string | undefined | null> | string | undefined | null;
  /** Stores `value` under `key` for `ttlMs` milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<unknown> | unknown;
}

/** An in-memory LRU with a TTL per entry. `maxEntries` bounds memory (default 1000 results). */
export class LruMemoStore implements MemoStore {
  private readonly entries = new OldestFirstMap<string, { value: string; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(maxEntries = 1000, now: () => number = Date.now) {
    if (!Number.isInteger(maxEntries) || maxEntries <= 0) throw new TypeError(`LruMemoStore: maxEntries must be a positive integer, got ${maxEntries}`);
    this.maxEntries = maxEntries;
    this.now = now;
  }

  /** The value stored under `key`, or undefined when there is none or it expired. */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** Stores `value` under `key` for `ttlMs` milliseconds, forgetting the least recently used entry when full. */
  set(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.oldest()!);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  /** The entries held now, expired ones included until they are read or pushed out. */
  get size(): number {
    return this.entries.size;
  }
}
