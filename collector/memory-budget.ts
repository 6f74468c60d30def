// The bytes collector mode holds, against one limit (`--max-memory-bytes`): request bodies being read and inflated
// (intake), spans held until their trace is rolled up (held), and requests for the upstream (queued). Counted, not
// measured: each part charges what it allocates and releases it when done, so the sum is known at every request
// and a client can be told to come back (503 with Retry-After) before anything has to be dropped.
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

  charge(part: MemoryPart, bytes: number): void {
    this.parts[part] += bytes;
    this.total += bytes;
  }

  release(part: MemoryPart, bytes: number): void {
    this.parts[part] -= bytes;
    this.total -= bytes;
  }
}
