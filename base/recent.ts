// Sets and maps that remember what was added lately: at least the last `capacity` entries, at most twice as many.
// Entries are forgotten a generation at a time: when the young generation holds `capacity` entries it becomes the old
// one and the previous old one is dropped whole. A full collection that deletes its oldest entry on every insert
// (OldestFirstSet, for a bound that must be exact) leaves a deleted slot each time, and the hash table pays for the
// slots in rehashing; here nothing is ever deleted, and an insert is one hash operation. For what is only ever added
// and looked up: duplicate-call judging keeps the counted calls of the last while this way.

/** The old generation of a collection that has not aged yet: nothing (read only, so one serves every collection). */
const NONE: ReadonlySet<never> & ReadonlyMap<never, never> = new Map() as unknown as ReadonlySet<never> & ReadonlyMap<never, never>;

export class RecentSet<T> {
  private young = new Set<T>();
  private old: ReadonlySet<T> = NONE;
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  add(value: T): void {
    if (this.young.size >= this.capacity) this.age();
    this.young.add(value);
  }

  has(value: T): boolean {
    return this.young.has(value) || this.old.has(value);
  }

  clear(): void {
    if (this.young.size > 0) this.young = new Set();
    this.old = NONE;
  }

  /** Values remembered now (between `capacity` and twice it once full; a value added twice may count twice). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private age(): void {
    this.old = this.young;
    this.young = new Set();
  }
}

export class RecentMap<K, V> {
  private young = new Map<K, V>();
  private old: ReadonlyMap<K, V> = NONE;
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Sets the value of `key`, the newest entry (an older value of it is no longer read). */
  set(key: K, value: V): void {
    if (this.young.size >= this.capacity) this.age();
    this.young.set(key, value);
  }

  /** Values are never undefined, so an undefined one is an absent key. */
  get(key: K): V | undefined {
    const value = this.young.get(key);
    return value !== undefined ? value : this.old.get(key);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  private age(): void {
    this.old = this.young;
    this.young = new Map();
  }
}
