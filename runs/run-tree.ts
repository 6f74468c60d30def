// The one rollup engine: the tree of runs of the spans in flight, fed span by span, used by the span processor
// (as spans start and end) and by collector mode (replaying each held trace). It knows nothing of where spans
// come from; the same calls give the same runs, totals, KPIs and learned ideal steps.
//
// Rules:
// - A span starts a run when runStartedBy says so (an agent span; a plain root span, as an implicit run). A span
//   inside a run points at its innermost run; each run points at the run it is nested in. Memory is O(1) per span
//   and per run, whatever the nesting depth: no chain is copied.
// - An LLM call adds its figures to every run above it that is still open when it ends, a tool execution its
//   count, a span provider requests were made in without an LLM span those requests (the run is then incomplete); a call a guardrail refused was never sent and adds nothing. A span that ends after all its runs closed
//   is late. Calls are added in the order they end, so retries read as they happened.
// - When a run's root ends it is rolled up: outcome, ideal steps (declared, else learned per agent from its
//   earlier successful complete runs), KPIs. It is reported when it is explicit, or implicit with calls or tools
//   under it and no explicit run (then the explicit run is the task and the root is just a request).
//
// Bounds: at most `maxRuns` runs (oldest evicted first), none older than `maxRunAgeMs`, none nested deeper than
// `maxRunDepth` (a deeper agent span is not a run of its own; its calls count toward the runs above it), and at
// most `maxSpans` spans in flight. Every eviction is counted and marks the runs it touches incomplete; an evicted
// run's state is let go at once. One unref'd sweep timer enforces the age limit and forgets spans whose runs all
// closed.
import type { Attributes } from '@opentelemetry/api';
import type { CallFigures } from '../ledger/call-figures.ts';
import { IdealStepsLearner } from './ideal-steps.ts';
import { runOutcome } from './run-spans.ts';
import { RunState } from './run-state.ts';
import { summarizeRun, type RunSummary } from './run-summary.ts';
import { OldestFirstMap, OldestFirstSet } from '../base/oldest-first.ts';

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
}

/** The run limits a processor has unless given others (about 30 MB at most). */
export const DEFAULT_RUN_LIMITS: RunLimits = { maxRuns: 10_000, maxRunAgeMs: 3_600_000, sweepIntervalMs: 60_000, maxRunDepth: 64, maxSpans: 100_000 };

export type EvictionReason = 'max_runs' | 'max_age' | 'max_depth';

export interface RunTreeHooks {
  /** `spanId`: the span that started the run (for max_depth, the span too deep to start one, still in flight). */
  onRunEvicted?(reason: EvictionReason, spanId: string): void;
  onSpanEvicted?(): void;
  onLate?(): void;
}

/** A span that starts a run: its name (the agent's) and whether it is explicit. */
export interface RunStart {
  name: string;
  explicit: boolean;
}

/** What an ended span was, as far as runs go. */
export interface EndedSpan {
  /** The call's figures, when the span is an LLM call. */
  call?: CallFigures;
  /** When the span is a tool execution: whether it failed. */
  toolFailed?: boolean;
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
  /** The span was the root of a run that is rolled up now and reported. */
  rolledUp?: { state: RunState; summary: RunSummary };
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
  private readonly now: () => number;
  readonly learner: IdealStepsLearner;
  private timer: NodeJS.Timeout | undefined;
  private readonly sweeping: boolean;

  /** `sweep: false` for a tree that lives only while one trace is replayed (collector mode): no timer. */
  constructor(
    limits: RunLimits = DEFAULT_RUN_LIMITS,
    hooks: RunTreeHooks = {},
    options: { now?: () => number; learner?: IdealStepsLearner; sweep?: boolean } = {},
  ) {
    this.limits = limits;
    this.hooks = hooks;
    this.now = options.now ?? Date.now;
    this.learner = options.learner ?? new IdealStepsLearner();
    this.sweeping = options.sweep ?? true;
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  get trackedSpans(): number {
    return this.spans.size;
  }

  /** Records a started span; returns the run it starts, if any. `parentSpanId` only for a parent in this tree. */
  start(spanId: string, traceId: string, parentSpanId: string | undefined, run: RunStart | undefined): RunState | undefined {
    if (this.sweeping) this.ensureSweeping();
    const parent = parentSpanId === undefined ? undefined : this.spans.get(parentSpanId);
    let innermost = parent;
    let started: RunState | undefined;
    if (run !== undefined) {
      if (parent !== undefined && parent.depth + 1 >= this.limits.maxRunDepth) {
        this.forget(spanId, 'max_depth');
      } else {
        if (this.runs.size >= this.limits.maxRuns) this.evictOldest();
        started = new RunState(spanId, traceId, run.name, this.now(), run.explicit, parent);
        this.runs.set(spanId, started);
        if (run.explicit) supersedeImplicitRoot(parent);
        innermost = started;
      }
    }
    if (innermost !== undefined) {
      if (this.spans.size >= this.limits.maxSpans) this.evictOldestSpan();
      this.spans.set(spanId, innermost);
    }
    return started;
  }

  /** The innermost run of a span in flight. */
  runOf(spanId: string): RunState | undefined {
    return this.spans.get(spanId);
  }

  end(spanId: string, span: EndedSpan): SpanEnd {
    const innermost = this.spans.get(spanId);
    if (innermost !== undefined) this.spans.delete(spanId);
    if (innermost !== undefined && (span.call !== undefined || span.toolFailed !== undefined)) this.add(innermost, span);
    if (innermost !== undefined && span.uncoveredRequests) addUncovered(innermost, span.uncoveredRequests);
    const state = this.runs.get(spanId);
    if (state === undefined) {
      if (this.lost.delete(spanId)) return { run: innermost, lostRunId: spanId };
      return innermost === undefined ? NOTHING : { run: innermost };
    }
    this.runs.delete(spanId);
    state.closed = true;
    if (!state.reportable) return { run: innermost };
    const outcome = runOutcome(span.attributes, span.failed, this.learner.ideal(state.agentName));
    const summary = summarizeRun(state, outcome);
    if (outcome.success && summary.complete) this.learner.record(state.agentName, summary.steps);
    return { run: innermost, rolledUp: { state, summary } };
  }

  sweep(): void {
    const cutoff = this.now() - this.limits.maxRunAgeMs;
    for (const state of this.runs.values()) {
      if (state.startedAt > cutoff) break; // insertion order is start order
      this.evict(state, 'max_age');
    }
    for (const [spanId, innermost] of this.spans) if (allClosed(innermost)) this.spans.delete(spanId);
  }

  shutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
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
    state.release();
    // Its root span will be told it is incomplete when it ends; nothing else of the run is kept for it.
    this.spans.delete(state.id);
    this.forget(state.id, reason);
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
    this.hooks.onSpanEvicted?.();
  }

  private ensureSweeping(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.limits.sweepIntervalMs);
    this.timer.unref();
  }
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
