// Maps and sets that forget their oldest entry to stay bounded. `map.keys().next()` is not a constant-time way to
// find it: V8 leaves a hole where an entry is deleted, and a new iterator walks every hole before the first live
// entry, so a full map that evicts its oldest on every insert walks thousands of holes each time (17 µs an insert
// at 10 000 entries, 180 µs at 100 000, on the bench machine). Keeping one iterator across calls would walk each
// hole once, but it also keeps every table the map has outgrown since. So the order is kept beside the entries: a
// queue of keys as they were inserted, read from a head that only moves forward, compacted when it holds more
// than twice as many keys as the collection.

/** The insertion order of one collection's keys, told of every insert and delete of a key. */
class InsertionOrder<K> {
  private queue: K[] = [];
  private head = 0;
  /** Keys deleted while their place is still in the queue (a key deleted and added again is queued twice). */
  private readonly stale = new Map<K, number>();

  private readonly liveKeys: () => Iterable<K>;

  /** Starts from the keys the collection holds now, in its own order. */
  constructor(liveKeys: () => Iterable<K>) {
    this.liveKeys = liveKeys;
    this.compact();
  }

  added(key: K, size: number): void {
    this.queue.push(key);
    if (this.queue.length > 2 * size + 64) this.compact();
  }

  deleted(key: K): void {
    // The usual case, the oldest evicted, moves the head; any other key is skipped when the head reaches it.
    // (The stale count is read only when there is one: evicting the oldest is on every full collection's insert.)
    if (this.queue[this.head] === key && (this.stale.size === 0 || !this.stale.has(key))) this.head += 1;
    else this.stale.set(key, (this.stale.get(key) ?? 0) + 1);
  }

  cleared(): void {
    this.queue = [];
    this.head = 0;
    this.stale.clear();
  }

  oldest(): K | undefined {
    while (this.head < this.queue.length) {
      const key = this.queue[this.head]!;
      if (this.stale.size === 0) return key;
      const staleCount = this.stale.get(key);
      if (staleCount === undefined) return key;
      if (staleCount === 1) this.stale.delete(key);
      else this.stale.set(key, staleCount - 1);
      this.head += 1;
    }
    return undefined;
  }

  private compact(): void {
    this.queue = [...this.liveKeys()];
    this.head = 0;
    this.stale.clear();
  }
}

/**
 * A Map whose oldest-inserted key is `oldest()`, in amortised constant time. The order is tracked from the first
 * `oldest()` on (a map that never fills up pays nothing), built then from the keys present.
 */
export class OldestFirstMap<K, V> extends Map<K, V> {
  private order: InsertionOrder<K> | undefined;

  /** The key inserted longest ago among those present (setting a present key again keeps its place). */
  oldest(): K | undefined {
    return (this.order ??= new InsertionOrder(() => super.keys())).oldest();
  }

  override set(key: K, value: V): this {
    if (this.order === undefined) return super.set(key, value);
    // A new key grows the map; setting a present key again does not (and keeps its place).
    const size = this.size;
    super.set(key, value);
    if (this.size !== size) this.order.added(key, this.size);
    return this;
  }

  override delete(key: K): boolean {
    if (!super.delete(key)) return false;
    this.order?.deleted(key);
    return true;
  }

  override clear(): void {
    this.order?.cleared();
    super.clear();
  }
}

/** A Set whose oldest-added value is `oldest()`, in amortised constant time; tracked as OldestFirstMap's keys are. */
export class OldestFirstSet<T> extends Set<T> {
  private order: InsertionOrder<T> | undefined;

  oldest(): T | undefined {
    return (this.order ??= new InsertionOrder(() => super.values())).oldest();
  }

  override add(value: T): this {
    if (this.order === undefined) return super.add(value);
    const size = this.size;
    super.add(value);
    if (this.size !== size) this.order.added(value, this.size);
    return this;
  }

  override delete(value: T): boolean {
    if (!super.delete(value)) return false;
    this.order?.deleted(value);
    return true;
  }

  override clear(): void {
    this.order?.cleared();
    super.clear();
  }
}
