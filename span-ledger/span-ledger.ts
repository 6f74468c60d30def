// The span ledger: the one path a span takes from its start to its end, whoever feeds it — the span processor as
// spans start and end in process, collector mode and the cost lab as each held trace is replayed. Callers are thin
// adapters that make views of their spans (span-views.ts) and apply what comes back.
//
//   start(view) — the span, classified once by its adapter, joins the duplicate-call judge and the run tree; an agent
//                 span or a plain root starts a run (run-start.ts), which the run observer (the guardrails) is told of.
//   end(view)   — an LLM call is judged first: a span that describes a call another span already counts is marked
//                 a duplicate and carries no cost, so the sum of `tokenledger.cost.usd` over spans is the bill. A
//                 counted call is priced (unless it was priced where it was made), its cost and other backends'
//                 conventions written; then the run tree takes the call, tool or span, the run observer is told,
//                 and the call goes to the sink (the metrics). A run's rollup, when its root ends or later when the
//                 spans it waited for end, comes back as attributes for the root and goes to the sink.
//
// No OpenTelemetry SDK type and no I/O here; time comes from the injected clock (through the run tree).
import type { Attributes } from '@opentelemetry/api';
import type { Clock } from '../base/clock.ts';
import {
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
} from '../conventions/attributes.ts';
import { BACKEND_COST_ATTRIBUTES, backendAttributes, type BackendConvention } from '../ledger/backend-attributes.ts';
import { callFigures, type CallFigures } from '../ledger/call-figures.ts';
import { COST_ATTRIBUTES, writeCostAttributes } from '../ledger/cost-attributes.ts';
import { DuplicateCalls, duplicateAttributes, type DuplicateLimits } from '../ledger/duplicate-calls.ts';
import { callDescription, isRefusedCall, requestModelOf } from '../ledger/llm-spans.ts';
import type { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { responseIdOf } from '../ledger/sources/registry.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';
import type { IdealStepsLearner } from '../runs/ideal-steps.ts';
import type { RunState } from '../runs/run-state.ts';
import { runAttributes, type RunSummary } from '../runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, RunTree, type RunLimits } from '../runs/run-tree.ts';
import { runStartOf } from './run-start.ts';
import type { LedgerSink, RunObserver, SpanEndView, SpanEnded, SpanStartView } from './span-views.ts';

/** What a span priced in another process states about its cost, in every convention tokenledger writes. */
const STATED_COST: readonly string[] = [...COST_ATTRIBUTES, ...BACKEND_COST_ATTRIBUTES];
const DUPLICATE_MARKS: readonly string[] = [ATTR_TOKENLEDGER_CALL_DUPLICATE_OF, ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON];

export interface SpanLedgerOptions {
  pricer: CallPricer;
  sink: LedgerSink;
  /** Track runs and roll them up (default true); without, calls are only priced and recorded. */
  runs?: boolean;
  limits?: Partial<RunLimits>;
  judgeLimits?: Partial<DuplicateLimits>;
  /** Ideal steps learned per agent, shared across ledgers (collector mode makes one ledger per trace). */
  learner?: IdealStepsLearner;
  clock?: Clock;
  /** Whether the run tree sweeps old runs on a timer (false for a ledger that lives while one trace is replayed). */
  sweep?: boolean;
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes. */
  genaiCostAttributes?: boolean;
  /** Also write each counted call's figures in these conventions. */
  backendConventions?: readonly BackendConvention[];
  observer?: RunObserver;
  /** A run whose root ended earlier and waited for spans under it is rolled up: the attributes for its root. */
  onRunReleased?(rootSpanId: string, attributes: Attributes): void;
}

export class SpanLedger {
  private readonly options: SpanLedgerOptions;
  private readonly duplicates: DuplicateCalls;
  private readonly tree: RunTree | undefined;
  /** The span whose end is being processed, where a rollup of its own run is handed out. */
  private ending: { spanId: string; ended: SpanEnded; weight: number } | undefined;
  /** Each run's weight (its root's sampling weight), when it is not 1. */
  private readonly weights = new WeakMap<RunState, number>();

  constructor(options: SpanLedgerOptions) {
    this.options = options;
    const limits = { ...DEFAULT_RUN_LIMITS, ...options.limits };
    this.duplicates = new DuplicateCalls({ maxSpans: limits.maxSpans, ...options.judgeLimits });
    if (options.runs === false) return;
    this.tree = new RunTree(
      limits,
      {
        onRunEvicted: (reason, spanId) => {
          options.sink.evicted(reason);
          // An evicted run costs nothing more: the judge forgets its root too (the searches stop at it anyway).
          if (reason !== 'max_depth') this.duplicates.end(spanId);
        },
        onSpanEvicted: () => options.sink.spanEvicted(),
        onLate: () => options.sink.late(),
        onRollup: (state, summary) => this.rolledUp(state, summary),
        onRunClosed: (state) => options.observer?.runClosed(state),
      },
      { clock: options.clock, learner: options.learner, sweep: options.sweep },
    );
  }

  get activeRuns(): number {
    return this.tree?.activeRuns ?? 0;
  }

  get trackedSpans(): number {
    return this.tree?.trackedSpans ?? 0;
  }

  get judgedSpans(): number {
    return this.duplicates.spansInFlight;
  }

  /** The innermost run of a span in flight (the guardrails ask before a call). */
  runOf(spanId: string): RunState | undefined {
    return this.tree?.runOf(spanId);
  }

  get learner(): IdealStepsLearner | undefined {
    return this.tree?.learner;
  }

  /** A span started; returns the run it starts, if any. */
  start(view: SpanStartView): RunState | undefined {
    const { kind } = view.spanClass;
    const run = runStartOf(view.spanClass, view.parentSpanId === undefined);
    this.duplicates.start(view.spanId, view.traceId, view.parentSpanId, run?.explicit === true || kind === 'tool', kind === 'call');
    if (this.tree === undefined) return undefined;
    const started = this.tree.start(view.spanId, view.traceId, view.parentSpanId, run, kind === 'call' || kind === 'tool');
    if (started !== undefined) {
      started.attribution = view.attributes;
      this.options.observer?.runStarted(started, view.attributes, view.handle);
    }
    return started;
  }

  /** A span ended: what to add to it, and its call's figures when it is a counted call. */
  end(view: SpanEndView): SpanEnded {
    const { spanId, usage } = view;
    const weight = view.weight ?? 1;
    const ended: SpanEnded = { attributes: {}, waiting: false };
    // The judge is asked before it forgets the span (whether a provider request was made inside a call needs it).
    const duplicate = usage === undefined ? undefined : this.duplicates.judge(spanId, view.traceId, responseIdOf(view.attributes), view.times);
    const requests = usage === undefined ? (view.providerRequests ?? 0) : 0;
    const uncoveredRequests = requests > 0 && !this.duplicates.insideCall(spanId) ? requests : 0;
    this.duplicates.end(spanId);
    if (usage !== undefined) {
      if (duplicate === undefined) {
        ended.call = this.priced(view, usage, ended.attributes);
        // Another process judged it a duplicate; this ledger, which sees the whole trace, counts it.
        if (view.attributes[ATTR_TOKENLEDGER_CALL_DUPLICATE_OF] !== undefined) ended.removed = DUPLICATE_MARKS;
      } else {
        // A duplicate keeps the usage its source stated, and is neither priced, a step of a run, nor a call in the metrics.
        Object.assign(ended.attributes, duplicateAttributes(duplicate));
        if (view.pricedElsewhere) ended.removed = STATED_COST;
      }
    }
    const { call } = ended;
    const counted = call !== undefined && !call.refused;
    if (this.tree === undefined) {
      if (counted) this.options.sink.recordCall(view.attributes, call, view.durationSeconds, undefined, undefined, weight);
      return ended;
    }
    const kind = view.spanClass.kind;
    const toolFailed = (view.kindAtEnd ?? kind) === 'tool' ? view.failed : undefined;
    this.ending = { spanId, ended, weight };
    try {
      const result = this.tree.end(spanId, {
        call,
        toolFailed,
        counted: kind === 'call' || kind === 'tool',
        attributes: view.attributes,
        failed: view.failed,
        uncoveredRequests,
      });
      if (result.waiting !== undefined) {
        ended.waiting = true;
        if (weight !== 1) this.weights.set(result.waiting, weight);
      }
      if (result.lostRunId !== undefined)
        Object.assign(ended.attributes, { [ATTR_TOKENLEDGER_RUN_ID]: result.lostRunId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
      this.options.observer?.spanEnded(spanId, call, toolFailed, view.attributes, result.run);
      if (counted) this.options.sink.recordCall(view.attributes, call, view.durationSeconds, result.run?.agentName, result.run, weight);
    } finally {
      this.ending = undefined;
    }
    return ended;
  }

  /** Rolls up every run still waiting for spans under it (a flush): each root's attributes come by onRunReleased. */
  flush(): void {
    this.tree?.flush();
  }

  shutdown(): void {
    this.tree?.shutdown();
  }

  /** Forgets the calls the duplicate judge counted (a ledger reused for another trace: nothing of the last one is in it). */
  forgetCounted(): void {
    this.duplicates.forgetCounted();
  }

  /** Prices a counted call and writes its cost (a call a guardrail refused was never sent and is not priced). */
  private priced(view: SpanEndView, usage: UsageFigures, out: Attributes): CallFigures {
    const model = requestModelOf(view.attributes);
    if (isRefusedCall(view.attributes)) return { model, failed: view.failed, refused: true };
    let priced = view.pricedElsewhere;
    if (priced === undefined) {
      priced = this.options.pricer.price(usage, callDescription(view.attributes, new Date(view.startMs)));
      writeCostAttributes(priced, out, { genaiCostAttributes: this.options.genaiCostAttributes });
    }
    const call = callFigures(usage, priced, model, view.failed);
    const conventions = this.options.backendConventions;
    if (conventions !== undefined && conventions.length > 0) Object.assign(out, backendAttributes(conventions, call, { ...view.attributes, ...out }));
    return call;
  }

  /**
   * A run rolled up: handed out with the end of its root when that is the span ending now (the adapter writes its
   * attributes where they go), else, for a root that waited, as attributes by onRunReleased.
   */
  private rolledUp(state: RunState, summary: RunSummary): void {
    const guard = this.options.observer?.runAttributes(state);
    const own = this.ending?.spanId === state.id ? this.ending : undefined;
    this.options.sink.recordRun(summary, state, own?.weight ?? this.weights.get(state) ?? 1);
    if (own) own.ended.run = { summary, guard };
    else this.options.onRunReleased?.(state.id, runAttributes(summary, guard));
  }
}
