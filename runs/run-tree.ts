// The one rollup engine: the tree of runs of the spans in flight, fed span by span by the span ledger
// (span-ledger/span-ledger.ts) — as spans start and end in process, and as each held trace is replayed in collector
// mode and the cost lab. It knows nothing of where spans come from; the same calls give the same runs, totals, KPIs
// and learned ideal steps.
//
// Rules:
// - A span starts a run when the ledger says so (an agent span; a plain root span, as an implicit run). A span
//   inside a run points at its innermost run; each run points at the run it is nested in. Memory is O(1) per span
//   and per run, whatever the nesting depth: no chain is copied.
// - An LLM call adds its figures to every run above it that is still open when it ends, a tool execution its
//   count, a span provider requests were made in without an LLM span those requests (the run is then incomplete);
//   a call a guardrail refused was never sent and adds nothing. A span that ends after all its runs closed is late.
//   Calls are added in the order they end, so retries read as they happened.
// - A run is its whole subtree: when its root ends while spans under it are still open (a stream the caller drains
//   after the handler returned), the rollup waits for them, at most `runWaitMs`; past that (or at a flush) it is
//   rolled up with what it has, incomplete (`calls_open_at_end`) when LLM calls or tools were still open.
// - When a run is rolled up: outcome, ideal steps (declared, else learned per agent from its earlier successful
//   complete runs), KPIs. It is reported (onRollup) when it is explicit, or implicit with calls or tools under it and
//   no explicit run (then the explicit run is the task and the root is just a request). Nested runs are rolled up
//   before the runs they are in.
//
// Bounds: at most `maxRuns` runs (oldest evicted first), none older than `maxRunAgeMs`, none nested deeper than
// `maxRunDepth` (a deeper agent span is not a run of its own; its calls count toward the runs above it), and at
// most `maxSpans` spans in flight. Every eviction is counted and marks the runs it touches incomplete; an evicted
// run's state is let go at once. One sweep timer on the injected clock enforces the age limit and forgets spans
// whose runs all closed; a waiting run has one timer of its own.
import type { Attributes } from '@opentelemetry/api';
import { systemClock, type Clock } from '../base/clock.ts';
import { OldestFirstMap, OldestFirstSet } from '../base/oldest-first.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import { IdealStepsLearner } from './ideal-steps.ts';
import { runOutcome } from './run-spans.ts';
import { RunState } from './run-state.ts';
import { summarizeRun, type RunSummary } from './run-summary.ts';

/** Bounds on what the run tree holds in memory; what is evicted is counted, and the runs it touches marked incomplete. */
export interface RunLimits {
  /** Runs held at once. Each holds about a kilobyte plus up to 256 step sizes. Default 10 000. */
  maxRuns: number;
  /** A run older than this is evicted, so a root that never ends does not leak. Default 1 h. */
  maxRunAgeMs: number;
  /** How often the age limit is enforced. Default 60 s. */
  sweepIntervalMs: number;
  /** Runs nested deeper than this are not runs of their own. Default 64. */
  maxRunDepth: number;
  /** Spans in flight inside runs held at once (about 100 bytes each). Default 100 000. */
  maxSpans: number;
  /**
   * How long a run whose root ended waits for spans still open under it before it is rolled up without them
   * (TOKENLEDGER_RUN_WAIT_MS). Default 5 s; 0 rolls a run up when its root ends.
   */
  runWaitMs: number;
}

/** The run limits a processor has unless given others (about 30 MB at most). */
export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxRuns: 10_000,
  maxRunAgeMs: 3_600_000,
  sweepIntervalMs: 60_000,
  maxRunDepth: 64,
  maxSpans: 100_000,
  runWaitMs: 5_000,
};

export type EvictionReason = 'max_runs' | 'max_age' | 'max_depth';

export interface RunTreeHooks {
  /** `spanId`: the span that started the run (for max_depth, the span too deep to start one, still in flight). */
  onRunEvicted?(reason: EvictionReason, spanId: string): void;
  onSpanEvicted?(): void;
  onLate?(): void;
  /** A run was rolled up and is reported (its root's id is `state.id`): when its root ends, or later if it waited. */
  onRollup?(state: RunState, summary: RunSummary): void;
  /** A run closed, reported or not, rolled up or evicted: what was kept for it elsewhere may go. */
  onRunClosed?(state: RunState): void;
}

/** A span that starts a run: its name (the agent's) and whether it is explicit. */
export interface RunStart {
  name: string;
  explicit: boolean;
}

/** What an ended span was, as far as runs go. */
export interface EndedSpan {
  /** The call's figures, when the span is a counted LLM call. */
  call?: CallFigures;
  /** When the span is a tool execution: whether it failed. */
  toolFailed?: boolean;
  /** The span said at its start that it is an LLM call or a tool (what a run waits for). */
  counted: boolean;
  /** The span's attributes, read when it is a run's root (declared outcome and ideal steps). */
  attributes: Attributes;
  /** The span ended with an error status. */
  failed: boolean;
  /** Provider API requests made while the span was active that no LLM span covered. */
  uncoveredRequests?: number;
}

export interface SpanEnd {
  /** The innermost run the span was in (for a call's metrics), if any. */
  run?: RunState;
  /** The span is the root of this run, whose rollup waits for spans still open under it. */
  waiting?: RunState;
  /** The span was the root of a run that was evicted or nested too deep: its figures are incomplete. */
  lostRunId?: string;
}

const NOTHING: SpanEnd = Object.freeze({});

export class RunTree {
  private readonly runs = new OldestFirstMap<string, RunState>();
  /** The innermost run of each span in flight inside a run. */
  private readonly spans = new OldestFirstMap<string, RunState>();
  /** Ids of runs evicted (or too deep) whose root has not ended yet; bounded like the runs. */
  private readonly lost = new OldestFirstSet<string>();
  private readonly limits: RunLimits;
  private readonly hooks: RunTreeHooks;
  private readonly clock: Clock;
  readonly learner: IdealStepsLearner;
  private timer: { cancel(): void } | undefined;
  private readonly sweeping: boolean;

  /** `sweep: false` for a tree that lives only while one trace is replayed (collector mode): no timer. */
  constructor(limits: RunLimits = DEFAULT_RUN_LIMITS, hooks: RunTreeHooks = {}, options: { clock?: Clock; learner?: IdealStepsLearner; sweep?: boolean } = {}) {
    this.limits = limits;
    this.hooks = hooks;
    this.clock = options.clock ?? systemClock;
    this.learner = options.learner ?? new IdealStepsLearner();
    this.sweeping = options.sweep ?? true;
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  get trackedSpans(): number {
    return this.spans.size;
  }

  /**
   * Records a started span; returns the run it starts, if any. `parentSpanId` only for a parent in this tree;
   * `counted`: the span says at its start that it is an LLM call or a tool.
   */
  start(spanId: string, traceId: string, parentSpanId: string | undefined, run: RunStart | undefined, counted = false): RunState | undefined {
    if (this.sweeping) this.ensureSweeping();
    const parent = parentSpanId === undefined ? undefined : this.spans.get(parentSpanId);
    let innermost = parent;
    let started: RunState | undefined;
    if (run !== undefined) {
      if (parent !== undefined && parent.depth + 1 >= this.limits.maxRunDepth) {
        this.forget(spanId, 'max_depth');
      } else {
        if (this.runs.size >= this.limits.maxRuns) this.evictOldest();
        started = new RunState(spanId, traceId, run.name, this.clock.now(), run.explicit, parent);
        this.runs.set(spanId, started);
        if (run.explicit) supersedeImplicitRoot(parent);
        innermost = started;
      }
    }
    if (innermost !== undefined) {
      if (this.spans.size >= this.limits.maxSpans) this.evictOldestSpan();
      this.spans.set(spanId, innermost);
      for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) {
        state.open += 1;
        if (counted) state.openCounted += 1;
      }
    }
    return started;
  }

  /** The innermost run of a span in flight. */
  runOf(spanId: string): RunState | undefined {
    return this.spans.get(spanId);
  }

  end(spanId: string, span: EndedSpan): SpanEnd {
    const innermost = this.spans.get(spanId);
    let ready: RunState[] | undefined;
    if (innermost !== undefined) {
      this.spans.delete(spanId);
      if (span.call !== undefined || span.toolFailed !== undefined) this.add(innermost, span);
      if (span.uncoveredRequests) addUncovered(innermost, span.uncoveredRequests);
      ready = closeSpan(innermost, span.counted);
    }
    const state = this.runs.get(spanId);
    let result: SpanEnd;
    if (state === undefined) {
      result = this.lost.delete(spanId) ? { run: innermost, lostRunId: spanId } : innermost === undefined ? NOTHING : { run: innermost };
    } else if (state.open > 0 && this.limits.runWaitMs > 0) {
      state.rootEnded = { attributes: span.attributes, failed: span.failed };
      state.waitTimer = this.clock.after(this.limits.runWaitMs, () => this.stopWaiting(state));
      result = { run: innermost, waiting: state };
    } else {
      // Not waiting (runWaitMs 0): calls still open are not in the run, which says so.
      if (state.openCounted > 0) state.callsOpenAtEnd = true;
      this.rollUp(state, span.attributes, span.failed);
      result = { run: innermost };
    }
    // Runs above that waited only for this span: rolled up after the run it ended (nested runs come first).
    if (ready)
      for (const above of ready)
        if (above !== state && above.rootEnded && !above.closed) this.rollUp(above, above.rootEnded.attributes, above.rootEnded.failed);
    return result;
  }

  /** Rolls up every run still waiting for spans under it (a flush, a shutdown): incomplete where calls are open. */
  flush(): void {
    for (const state of [...this.runs.values()]) if (state.rootEnded) this.stopWaiting(state);
  }

  sweep(): void {
    const cutoff = this.clock.now() - this.limits.maxRunAgeMs;
    for (const state of this.runs.values()) {
      if (state.startedAt > cutoff) break; // insertion order is start order
      this.evict(state, 'max_age');
    }
    for (const [spanId, innermost] of this.spans) if (allClosed(innermost)) this.spans.delete(spanId);
  }

  shutdown(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.flush();
  }

  /** A waiting run's time is up: rolled up with what it has. */
  private stopWaiting(state: RunState): void {
    if (state.closed || state.rootEnded === undefined) return;
    if (state.openCounted > 0) state.callsOpenAtEnd = true;
    this.rollUp(state, state.rootEnded.attributes, state.rootEnded.failed);
  }

  private rollUp(state: RunState, attributes: Attributes, failed: boolean): void {
    this.runs.delete(state.id);
    state.closed = true;
    state.waitTimer?.cancel();
    state.waitTimer = undefined;
    if (state.reportable) {
      const outcome = runOutcome(attributes, failed, this.learner.ideal(state.agentName));
      const summary = summarizeRun(state, outcome);
      if (outcome.success && summary.complete) this.learner.record(state.agentName, summary.steps);
      this.hooks.onRollup?.(state, summary);
    }
    state.rootEnded = undefined;
    this.hooks.onRunClosed?.(state);
  }

  /** Adds an ended call or tool to every open run above it; a span none of whose runs is open is late. */
  private add(innermost: RunState, span: EndedSpan): void {
    if (span.call?.refused) return;
    let added = false;
    for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) {
      if (state.closed) continue;
      if (span.call !== undefined) state.addCall(span.call);
      else state.addTool(span.toolFailed!);
      added = true;
    }
    if (!added) this.hooks.onLate?.();
  }

  private evictOldest(): void {
    const oldest = this.runs.oldest();
    if (oldest !== undefined) this.evict(this.runs.get(oldest)!, 'max_runs');
  }

  private evict(state: RunState, reason: EvictionReason): void {
    this.runs.delete(state.id);
    state.closed = true;
    state.incomplete = true;
    // A waiting run's root has ended: it is rolled up no more, and nothing is told of it but the eviction.
    const rootEnded = state.rootEnded !== undefined;
    state.release();
    // Its root span will be told it is incomplete when it ends; nothing else of the run is kept for it.
    this.spans.delete(state.id);
    if (rootEnded) this.hooks.onRunEvicted?.(reason, state.id);
    else this.forget(state.id, reason);
    this.hooks.onRunClosed?.(state);
  }

  /** Remembers a run that will not be rolled up (bounded: the oldest ids go first), and counts it. */
  private forget(spanId: string, reason: EvictionReason): void {
    if (this.lost.size >= this.limits.maxRuns) this.lost.delete(this.lost.oldest()!);
    this.lost.add(spanId);
    this.hooks.onRunEvicted?.(reason, spanId);
  }

  /** Forgets the oldest span in flight; the runs it belongs to will miss its figures. */
  private evictOldestSpan(): void {
    const spanId = this.spans.oldest()!;
    const innermost = this.spans.get(spanId)!;
    this.spans.delete(spanId);
    for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) state.incomplete = true;
    // It will never end here: the runs above stop waiting for it (openCounted may stay high; the run is incomplete).
    const ready = closeSpan(innermost, false);
    for (const above of ready ?? []) if (above.rootEnded && !above.closed) this.rollUp(above, above.rootEnded.attributes, above.rootEnded.failed);
    this.hooks.onSpanEvicted?.();
  }

  private ensureSweeping(): void {
    if (this.timer) return;
    this.timer = this.clock.every(this.limits.sweepIntervalMs, () => this.sweep());
  }
}

/** A span in flight under `innermost` ended: the runs above count it no more; returns those that now wait for nothing. */
function closeSpan(innermost: RunState, counted: boolean): RunState[] | undefined {
  let ready: RunState[] | undefined;
  for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) {
    state.open -= 1;
    if (counted) state.openCounted -= 1;
    if (state.open === 0 && state.rootEnded !== undefined) (ready ??= []).push(state);
  }
  return ready;
}

/** An explicit run inside a plain root span makes the root a request around a task, not a run of its own. */
function supersedeImplicitRoot(parent: RunState | undefined): void {
  let root = parent;
  while (root?.parent !== undefined) root = root.parent;
  if (root !== undefined && !root.explicit) root.superseded = true;
}

/** Requests no LLM span covered make every open run above them incomplete: their usage is missing from its totals. */
function addUncovered(innermost: RunState, requests: number): void {
  for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) {
    if (!state.closed) state.uncoveredRequests += requests;
  }
}

function allClosed(innermost: RunState): boolean {
  for (let state: RunState | undefined = innermost; state !== undefined; state = state.parent) if (!state.closed) return false;
  return true;
}
