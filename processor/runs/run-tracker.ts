// Which runs each in-flight span belongs to, and the state of every run in flight.
//
// Lifecycle: a run's state is created when its root span starts (an `invoke_agent` span, an OpenInference AGENT
// span, or a local root span) and removed when that span ends (rolled up) or when it is evicted. Each span that
// starts inherits its parent's chain of runs, innermost last; a run span adds itself. Nested runs therefore see
// their whole subtree, and an inner run also has figures of its own.
//
// Bounds: at most `maxRuns` runs (the oldest is evicted first) and no run older than `maxRunAgeMs` (one unref'd
// sweep timer). Every eviction is reported; affected runs are marked incomplete. In-flight spans are kept in two
// generations that rotate every `maxRunAgeMs`, so a span that never ends is forgotten after one to two times
// that, without a clock read or an allocation per span.
import { RunState } from './run-state.ts';

export interface RunLimits {
  /** Runs held at once. Each holds a few hundred bytes plus up to 256 step sizes. Default 10 000. */
  maxRuns: number;
  /** A run (or in-flight span) older than this is evicted, so a root that never ends does not leak. Default 1 h. */
  maxRunAgeMs: number;
  /** How often the age limit is enforced. Default 60 s. */
  sweepIntervalMs: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { maxRuns: 10_000, maxRunAgeMs: 3_600_000, sweepIntervalMs: 60_000 };

export type EvictionReason = 'max_runs' | 'max_age';

export interface RunTrackerHooks {
  onEvicted(state: RunState, reason: EvictionReason): void;
}

const NO_RUNS: readonly RunState[] = Object.freeze([]);

export class RunTracker {
  private readonly runs = new Map<string, RunState>();
  /** Chains of in-flight spans started in this generation and in the one before. */
  private open = new Map<string, readonly RunState[]>();
  private previous = new Map<string, readonly RunState[]>();
  private generationStartedAt: number;
  private readonly limits: RunLimits;
  private readonly now: () => number;
  private readonly hooks: RunTrackerHooks;
  private timer: NodeJS.Timeout | undefined;

  constructor(limits: RunLimits, hooks: RunTrackerHooks, now: () => number = Date.now) {
    this.limits = limits;
    this.hooks = hooks;
    this.now = now;
    this.generationStartedAt = now();
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  get openSpans(): number {
    return this.open.size + this.previous.size;
  }

  /** Records a started span (`runName` when it starts a run); returns its chain of runs, innermost last. */
  start(spanId: string, traceId: string, parentSpanId: string | undefined, run: { name: string; explicit: boolean } | undefined): readonly RunState[] {
    this.ensureSweeping();
    const parentChain = parentSpanId === undefined ? NO_RUNS : (this.chainOf(parentSpanId) ?? NO_RUNS);
    let chain = parentChain;
    if (run !== undefined) {
      if (this.runs.size >= this.limits.maxRuns) this.evictOldest();
      const state = new RunState(spanId, traceId, run.name, this.now());
      state.explicit = run.explicit;
      this.runs.set(spanId, state);
      chain = [...parentChain, state];
    }
    if (chain.length > 0) this.open.set(spanId, chain);
    return chain;
  }

  /** The chain of runs of a span in flight. */
  chainOf(spanId: string): readonly RunState[] | undefined {
    return this.open.get(spanId) ?? this.previous.get(spanId);
  }

  /** The chain of a span that is ending, forgotten from now on. */
  end(spanId: string): readonly RunState[] | undefined {
    const chain = this.open.get(spanId);
    if (chain !== undefined) {
      this.open.delete(spanId);
      return chain;
    }
    const older = this.previous.get(spanId);
    if (older !== undefined) this.previous.delete(spanId);
    return older;
  }

  /** The run whose root span this is, if it is still held; removed from the tracker. */
  takeRun(spanId: string): RunState | undefined {
    const state = this.runs.get(spanId);
    if (!state) return undefined;
    this.runs.delete(spanId);
    state.closed = true;
    return state;
  }

  sweep(): void {
    const cutoff = this.now() - this.limits.maxRunAgeMs;
    for (const state of this.runs.values()) {
      if (state.startedAt > cutoff) break; // insertion order is start order
      this.evict(state, 'max_age');
    }
    if (this.generationStartedAt <= cutoff) {
      this.previous = this.open;
      this.open = new Map();
      this.generationStartedAt = this.now();
    }
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private evictOldest(): void {
    const oldest = this.runs.values().next().value;
    if (oldest) this.evict(oldest, 'max_runs');
  }

  private evict(state: RunState, reason: EvictionReason): void {
    this.runs.delete(state.id);
    state.closed = true;
    state.incomplete = true;
    this.hooks.onEvicted(state, reason);
  }

  private ensureSweeping(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.limits.sweepIntervalMs);
    this.timer.unref();
  }
}
