// Holds each trace in collector mode until its run root has arrived and it has been quiet for a while, so a run
// whose spans come from several services, in several requests, out of order, is rolled up whole (the pattern of
// the OpenTelemetry Collector's groupbytrace processor).
//
// Lifecycle: spans are added as requests arrive; `take(now)` hands back the traces that are ready — root seen and
// quiet for `quietMs`, or older than `maxAgeMs` with no root — rolled up. Bounds: at most `maxTraces` traces and
// `maxSpans` spans held; past either, the oldest trace is taken early and marked incomplete, and counted.
// A span of a trace already handed back is late: it is returned at once, to be forwarded as it is.
import { positive } from '../../instrumentation/common/budget.ts';
import { rollupTrace, type TraceRollupHooks, type TraceSpan } from './trace-rollup.ts';

export interface TraceBufferLimits {
  /** Quiet time after the last span of a trace whose root has arrived. Default 2 s. */
  quietMs: number;
  /** A trace whose root never arrives is forwarded un-rolled after this. Default 30 s. */
  maxAgeMs: number;
  /** Traces held at once. Default 10 000. */
  maxTraces: number;
  /** Spans held at once, over all traces. Default 200 000. */
  maxSpans: number;
}

export const DEFAULT_TRACE_BUFFER_LIMITS: TraceBufferLimits = { quietMs: 2000, maxAgeMs: 30_000, maxTraces: 10_000, maxSpans: 200_000 };

/** A buffered span, with whatever the caller needs to forward it (its resource and scope). */
export interface BufferedSpan<Origin> extends TraceSpan {
  origin: Origin;
}

interface HeldTrace<Origin> {
  spans: BufferedSpan<Origin>[];
  firstArrival: number;
  lastArrival: number;
  rootSeen: boolean;
}

export interface TakenTrace<Origin> {
  traceId: string;
  spans: BufferedSpan<Origin>[];
  reason: 'complete' | 'max_age' | 'evicted' | 'flush';
  runs: number;
}

export interface TraceBufferStats {
  evictedTraces: number;
  lateSpans: number;
}

const MAX_REMEMBERED_TRACES = 100_000;

export class TraceBuffer<Origin> {
  private readonly traces = new Map<string, HeldTrace<Origin>>();
  private readonly released = new Set<string>();
  private heldSpans = 0;
  readonly stats: TraceBufferStats = { evictedTraces: 0, lateSpans: 0 };
  readonly limits: TraceBufferLimits;

  private readonly hooks: TraceRollupHooks;

  constructor(limits: Partial<TraceBufferLimits> = {}, hooks: TraceRollupHooks = {}) {
    this.hooks = hooks;
    // A limit given as undefined keeps its default.
    this.limits = { ...DEFAULT_TRACE_BUFFER_LIMITS };
    for (const [key, value] of Object.entries(limits)) if (value !== undefined) this.limits[key as keyof TraceBufferLimits] = value;
    for (const [key, value] of Object.entries(this.limits)) positive(value, `collect traces.${key}`, false);
  }

  get heldTraces(): number {
    return this.traces.size;
  }

  /** Adds spans; returns the late ones (their trace was already handed back) and traces evicted to make room. */
  add(spans: BufferedSpan<Origin>[], now: number): { late: BufferedSpan<Origin>[]; evicted: TakenTrace<Origin>[] } {
    const late: BufferedSpan<Origin>[] = [];
    const evicted: TakenTrace<Origin>[] = [];
    for (const span of spans) {
      if (this.released.has(span.traceId)) {
        this.stats.lateSpans += 1;
        late.push(span);
        continue;
      }
      let held = this.traces.get(span.traceId);
      if (!held) {
        if (this.traces.size >= this.limits.maxTraces) evicted.push(this.evictOldest());
        held = { spans: [], firstArrival: now, lastArrival: now, rootSeen: false };
        this.traces.set(span.traceId, held);
      }
      held.spans.push(span);
      held.lastArrival = now;
      if (!span.parentSpanId) held.rootSeen = true;
      this.heldSpans += 1;
      while (this.heldSpans > this.limits.maxSpans && this.traces.size > 0) evicted.push(this.evictOldest());
    }
    return { late, evicted };
  }

  /** The traces ready at `now`, rolled up and released. */
  take(now: number): TakenTrace<Origin>[] {
    const ready: TakenTrace<Origin>[] = [];
    for (const [traceId, held] of this.traces) {
      if (held.rootSeen && now - held.lastArrival >= this.limits.quietMs) ready.push(this.release(traceId, held, 'complete'));
      else if (now - held.firstArrival >= this.limits.maxAgeMs) ready.push(this.release(traceId, held, 'max_age'));
    }
    return ready;
  }

  /** Every trace held, rolled up as it stands (at shutdown). */
  flush(): TakenTrace<Origin>[] {
    return [...this.traces].map(([traceId, held]) => this.release(traceId, held, 'flush'));
  }

  private evictOldest(): TakenTrace<Origin> {
    const [traceId, held] = this.traces.entries().next().value!;
    this.stats.evictedTraces += 1;
    return this.release(traceId, held, 'evicted');
  }

  private release(traceId: string, held: HeldTrace<Origin>, reason: TakenTrace<Origin>['reason']): TakenTrace<Origin> {
    this.traces.delete(traceId);
    this.heldSpans -= held.spans.length;
    this.released.add(traceId);
    if (this.released.size > MAX_REMEMBERED_TRACES) this.released.delete(this.released.values().next().value!);
    // An evicted trace is rolled up as far as it got: its runs say they are incomplete.
    const runs = rollupTrace(held.spans, { ...this.hooks, incomplete: reason === 'evicted' || (reason === 'max_age' && !held.rootSeen) });
    return { traceId, spans: held.spans, reason, runs };
  }
}
