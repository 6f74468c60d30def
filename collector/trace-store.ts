// Holds each trace in collector mode until its run root has arrived and it has been quiet for a while, so a run
// whose spans come from several services, in several requests, out of order, is rolled up whole (the pattern of
// the OpenTelemetry Collector's groupbytrace processor). Storage only: what is done with a released trace (its
// rollup, trace-rollup.ts) is the caller's.
//
// Lifecycle: spans are added as requests arrive; `take(now)` hands back the traces that are ready — root seen and
// quiet for `quietMs`, or older than `maxAgeMs` with no root. Bounds: at most `maxTraces` traces and `maxSpans`
// spans held; past either, the oldest trace is handed back early, marked evicted, and counted; `evictBytes` does
// the same when memory is short. A span of a trace already handed back is late: it is returned at once, to be
// forwarded as it is. Time is the injected clock's (a ManualClock in tests; the cost lab's replay counts time in
// spans read): the store only reads it.
import { systemClock, type Clock } from '../base/clock.ts';
import { positive } from '../base/positive.ts';
import { OldestFirstMap, OldestFirstSet } from '../base/oldest-first.ts';

export interface TraceStoreLimits {
  /** Quiet time after the last span of a trace whose root has arrived. Default 2 s. */
  quietMs: number;
  /** A trace whose root never arrives is forwarded un-rolled after this. Default 30 s. */
  maxAgeMs: number;
  /** Traces held at once. Default 10 000. */
  maxTraces: number;
  /** Spans held at once, over all traces. Default 200 000. */
  maxSpans: number;
}

export const DEFAULT_TRACE_STORE_LIMITS: TraceStoreLimits = { quietMs: 2000, maxAgeMs: 30_000, maxTraces: 10_000, maxSpans: 200_000 };

/** What the store needs of a span. */
export interface StoredSpan {
  traceId: string;
  parentSpanId: string;
  /** What holding it costs, in bytes (an estimate the memory limit is counted with). */
  heldBytes: number;
}

interface HeldTrace<S> {
  spans: S[];
  bytes: number;
  firstArrival: number;
  lastArrival: number;
  rootSeen: boolean;
}

export type ReleaseReason = 'complete' | 'max_age' | 'evicted' | 'flush';

export interface ReleasedTrace<S> {
  traceId: string;
  spans: S[];
  reason: ReleaseReason;
  /** Whether the trace's root span arrived: only then are its runs whole. */
  rootSeen: boolean;
}

export interface TraceStoreStats {
  evictedTraces: number;
  lateSpans: number;
}

/** How many released traces the store remembers: a span of one of them is late; of one released before them, it starts the trace again. */
const MAX_REMEMBERED_TRACES = 100_000;

export class TraceStore<S extends StoredSpan> {
  private readonly traces = new OldestFirstMap<string, HeldTrace<S>>();
  private readonly released = new OldestFirstSet<string>();
  private heldSpans = 0;
  readonly stats: TraceStoreStats = { evictedTraces: 0, lateSpans: 0 };
  readonly limits: TraceStoreLimits;
  private readonly clock: Pick<Clock, 'now'>;
  /** Told of a released trace the store no longer remembers (a holder of what its late spans need lets it go). */
  private readonly onForgotten: ((traceId: string) => void) | undefined;

  constructor(limits: Partial<TraceStoreLimits> = {}, clock: Pick<Clock, 'now'> = systemClock, onForgotten?: (traceId: string) => void) {
    this.clock = clock;
    this.onForgotten = onForgotten;
    // A limit given as undefined keeps its default.
    this.limits = { ...DEFAULT_TRACE_STORE_LIMITS };
    for (const [key, value] of Object.entries(limits)) if (value !== undefined) this.limits[key as keyof TraceStoreLimits] = value;
    for (const [key, value] of Object.entries(this.limits)) positive(value, `collect traces.${key}`, false);
  }

  get heldTraces(): number {
    return this.traces.size;
  }

  /** Adds spans; returns the late ones (their trace was already handed back) and traces evicted to make room. */
  add(spans: S[]): { late: S[]; evicted: ReleasedTrace<S>[] } {
    const now = this.clock.now();
    const late: S[] = [];
    const evicted: ReleasedTrace<S>[] = [];
    // The spans of a trace mostly come one after another: the trace of the span before is looked up once.
    let lastTraceId: string | undefined;
    let lastHeld: HeldTrace<S> | undefined;
    for (const span of spans) {
      // A trace held is not one handed back (a late span is not held again).
      let held = span.traceId === lastTraceId ? lastHeld : this.traces.get(span.traceId);
      if (!held) {
        if (this.released.has(span.traceId)) {
          this.stats.lateSpans += 1;
          late.push(span);
          continue;
        }
        if (this.traces.size >= this.limits.maxTraces) evicted.push(this.evictOldest());
        held = { spans: [], bytes: 0, firstArrival: now, lastArrival: now, rootSeen: false };
        this.traces.set(span.traceId, held);
      }
      held.spans.push(span);
      held.bytes += span.heldBytes;
      held.lastArrival = now;
      if (!span.parentSpanId) held.rootSeen = true;
      this.heldSpans += 1;
      lastTraceId = span.traceId;
      lastHeld = held;
      while (this.heldSpans > this.limits.maxSpans && this.traces.size > 0) {
        evicted.push(this.evictOldest());
        lastTraceId = undefined;
      }
    }
    return { late, evicted };
  }

  /** The traces ready now, released. */
  take(): ReleasedTrace<S>[] {
    const now = this.clock.now();
    const ready: ReleasedTrace<S>[] = [];
    for (const [traceId, held] of this.traces) {
      if (held.rootSeen && now - held.lastArrival >= this.limits.quietMs) ready.push(this.release(traceId, held, 'complete'));
      else if (now - held.firstArrival >= this.limits.maxAgeMs) ready.push(this.release(traceId, held, 'max_age'));
    }
    return ready;
  }

  /** Every trace held, released as it stands (at shutdown). */
  flush(): ReleasedTrace<S>[] {
    return [...this.traces].map(([traceId, held]) => this.release(traceId, held, 'flush'));
  }

  /** Evicts the oldest traces until at least `bytes` of spans were handed back (or none is left). */
  evictBytes(bytes: number): ReleasedTrace<S>[] {
    const evicted: ReleasedTrace<S>[] = [];
    let freed = 0;
    while (freed < bytes && this.traces.size > 0) {
      freed += this.traces.get(this.traces.oldest()!)!.bytes;
      evicted.push(this.evictOldest());
    }
    return evicted;
  }

  private evictOldest(): ReleasedTrace<S> {
    const traceId = this.traces.oldest()!;
    const held = this.traces.get(traceId)!;
    this.stats.evictedTraces += 1;
    return this.release(traceId, held, 'evicted');
  }

  private release(traceId: string, held: HeldTrace<S>, reason: ReleaseReason): ReleasedTrace<S> {
    this.traces.delete(traceId);
    this.heldSpans -= held.spans.length;
    this.released.add(traceId);
    if (this.released.size > MAX_REMEMBERED_TRACES) {
      const forgotten = this.released.oldest()!;
      this.released.delete(forgotten);
      this.onForgotten?.(forgotten);
    }
    return { traceId, spans: held.spans, reason, rootSeen: held.rootSeen };
  }
}
