// The bytes collector mode holds, against one limit (`--max-memory-bytes`): request bodies being read and inflated
// (intake), spans held until their trace is rolled up (held), and requests for the upstream (queued). Counted, not
// measured: each buffer takes a lease for what it allocates, so the sum is known at every request and a client can
// be told to come back (503 with Retry-After) before anything has to be dropped.
//
// A lease belongs to the buffer it counts and is given back once, by whatever ends that buffer's life (delivered,
// dropped, refused, failed): `release()` a second time does nothing, so a path that ends a buffer can always
// release it without knowing whether another path did already. A buffer that grows or shrinks in place (a body
// read chunk by chunk, a request's spans leaving one by one) resizes its lease.
import type { TokenledgerCollectorMemoryPart } from '../conventions/attributes.ts';

export type MemoryPart = TokenledgerCollectorMemoryPart;

export class MemoryBudget {
  readonly limit: number;
  private readonly parts: Record<MemoryPart, number> = { intake: 0, held: 0, queued: 0 };
  private total = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  get used(): number {
    return this.total;
  }

  part(part: MemoryPart): number {
    return this.parts[part];
  }

  /** Whether `bytes` more would stay within the limit. */
  fits(bytes: number): boolean {
    return this.total + bytes <= this.limit;
  }

  /** Counts `bytes` against the limit until the lease is released; only a lease moves the counts. */
  charge(part: MemoryPart, bytes: number): Lease {
    return new Lease(bytes, (delta) => {
      this.parts[part] += delta;
      this.total += delta;
    });
  }
}

/** Bytes one buffer holds against the budget, until released (once). */
export class Lease {
  private readonly move: (delta: number) => void;
  private held: number;
  private released = false;

  constructor(bytes: number, move: (delta: number) => void) {
    this.move = move;
    this.held = bytes;
    move(bytes);
  }

  get bytes(): number {
    return this.held;
  }

  /** The buffer grew by `bytes` (a released lease counts nothing more). */
  grow(bytes: number): void {
    if (this.released) return;
    this.held += bytes;
    this.move(bytes);
  }

  /** Part of the buffer was freed: at most what is held. */
  shrink(bytes: number): void {
    if (this.released) return;
    const freed = Math.min(bytes, this.held);
    this.held -= freed;
    this.move(-freed);
  }

  /** The buffer is gone: everything it held is given back. A second release does nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.move(-this.held);
    this.held = 0;
  }
}
