// Collector mode's and the cost lab's adapter over the span ledger (span-ledger/span-ledger.ts), the path the
// in-process processor feeds as spans start and end: each released trace is replayed through a ledger of its own —
// every span starts, parents before children, then every span ends. A run is its whole subtree, whatever the
// clocks say: a span ends after every span under it (a child that another host's clock puts after its parent's end,
// or that finished after the handler returned, is still in its run); otherwise spans end in the order their
// timestamps say, which orders a run's steps and its retries. So the runs, their totals, the duplicate judgement,
// the prices and the learned ideal steps are the ones the processor would have found had it seen the whole trace.
// Linear in the spans (plus a sort) whatever the nesting depth.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
} from '../conventions/attributes.ts';
import type { BackendConvention } from '../ledger/backend-attributes.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import { AI_FUNCTION_ID, AI_OPERATION_ID, OI_KIND } from '../ledger/foreign-names.ts';
import type { CallPricer, PricedCall } from '../ledger/pricing/call-pricer.ts';
import type { SpanClass } from '../ledger/sources/registry.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';
import type { IdealStepsLearner } from '../runs/ideal-steps.ts';
import type { RunState } from '../runs/run-state.ts';
import { runAttributes, type RunSummary } from '../runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, type RunTreeHooks } from '../runs/run-tree.ts';
import { runStartOf } from '../span-ledger/run-start.ts';
import { SpanLedger } from '../span-ledger/span-ledger.ts';

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  traceId: string;
  name: string;
  startNanos: bigint;
  endNanos: bigint;
  statusCode: number;
  /** At least the ROLLUP_ATTRIBUTES the span has, and its attribution keys (a holder may keep only those). */
  attributes: Attributes;
  /** What it is (ledger/sources/registry.ts), classified when it arrived. */
  spanClass: SpanClass;
  /** Its call usage when it is an LLM call (read when it arrived), else undefined. */
  usage: UsageFigures | undefined;
  /** The cost it came with, priced in the process that made it. */
  pricedElsewhere: PricedCall | undefined;
  /** The calls it stands for (1 / its sampling probability) when its trace state says it was sampled. */
  weight?: number;
  /** Adds attributes to the span as it will be forwarded. */
  setAttributes(attributes: Attributes): void;
  /** Takes attributes off the span as it will be forwarded (a duplicate's stale cost). */
  removeAttributes?(keys: readonly string[]): void;
}

/** The attributes the ledger and the metrics read of a held span, besides its class and usage. */
export const ROLLUP_ATTRIBUTES: readonly string[] = [
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_ERROR_TYPE,
  OI_KIND,
  AI_OPERATION_ID,
  AI_FUNCTION_ID,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
];

export interface TraceRollupHooks extends RunTreeHooks {
  /** Every counted LLM call of the trace (refused ones excepted), with the agent of its innermost run and the run. */
  onCall?(span: TraceSpan, figures: CallFigures, agentName: string | undefined, run: RunState | undefined, weight: number): void;
  /** Every run rolled up and reported, with its state (whose `attribution` is its span's attributes). */
  onRun?(summary: RunSummary, run: RunState, weight: number): void;
}

export interface TraceRollupOptions {
  pricer: CallPricer;
  learner: IdealStepsLearner;
  hooks: TraceRollupHooks;
  genaiCostAttributes?: boolean;
  backendConventions?: readonly BackendConvention[];
}

/** Ledgers that replay one trace at a time: no limits but the depth one, no timer, no waiting. */
const REPLAY_LIMITS = { ...DEFAULT_RUN_LIMITS, maxRuns: Infinity, maxSpans: Infinity, runWaitMs: 0 };

/**
 * Replays a released trace through a span ledger: prices its calls, marks its duplicates, rolls its runs up onto
 * their spans; returns how many runs it found. `whole`: the trace's root arrived and it was not evicted. A trace
 * that is not whole (or a span that arrived after its trace was released) has its explicit runs only marked
 * `tokenledger.run.complete = false`, since figures from part of a run would read as the whole; its calls still
 * count in the call metrics.
 */
export function rollupTrace(spans: readonly TraceSpan[], options: TraceRollupOptions, whole: boolean): number {
  return new TraceRollup(options).rollUp(spans, options.hooks, whole);
}

/**
 * rollupTrace for a caller that replays trace after trace (the cost lab): its ledgers are made once and reused. A
 * replayed trace leaves a ledger as it found it (every span it started has ended, every run is rolled up) but for
 * the counted calls the duplicate judge remembers, which it forgets before the next trace.
 */
export class TraceRollup {
  private readonly options: Omit<TraceRollupOptions, 'hooks'>;
  private readonly ledgers: { whole?: SpanLedger; part?: SpanLedger } = {};
  private hooks: TraceRollupHooks = {};
  /** The span being ended, and its call as the sink is told of it. */
  private current: { span: TraceSpan; call?: { figures: CallFigures; agentName: string | undefined; run: RunState | undefined; weight: number } } | undefined;

  constructor(options: Omit<TraceRollupOptions, 'hooks'>) {
    this.options = options;
  }

  rollUp(spans: readonly TraceSpan[], hooks: TraceRollupHooks, whole: boolean): number {
    this.hooks = hooks;
    const ledger = whole ? (this.ledgers.whole ??= this.ledger(true)) : (this.ledgers.part ??= this.ledger(false));
    try {
      return this.replay(spans, ledger, whole);
    } finally {
      ledger.forgetCounted();
      this.hooks = {};
      this.current = undefined;
    }
  }

  private ledger(runs: boolean): SpanLedger {
    const options = this.options;
    return new SpanLedger({
      pricer: options.pricer,
      learner: options.learner,
      runs,
      limits: REPLAY_LIMITS,
      judgeLimits: { maxSpans: Infinity, maxCounted: Infinity },
      sweep: false,
      genaiCostAttributes: options.genaiCostAttributes,
      backendConventions: options.backendConventions,
      sink: {
        // Told once the span's own attributes (its cost) are written, after the ledger ends it.
        recordCall: (_attributes, figures, _seconds, agentName, run, weight) => {
          if (this.current) this.current.call = { figures, agentName, run, weight };
        },
        recordRun: (summary, run, weight) => this.hooks.onRun?.(summary, run, weight),
        evicted: (reason) => this.hooks.onRunEvicted?.(reason as never, ''),
        spanEvicted: () => this.hooks.onSpanEvicted?.(),
        late: () => this.hooks.onLate?.(),
      },
      onRunReleased: () => {},
    });
  }

  private replay(spans: readonly TraceSpan[], ledger: SpanLedger, whole: boolean): number {
    const { hooks } = this;
    const { order, isRoot, parentOf } = startOrder(spans);
    let runs = 0;
    for (const span of order) {
      const root = isRoot.has(span);
      if (runStartOf(span.spanClass, root) !== undefined) runs += 1;
      if (!whole && span.spanClass.kind === 'agent') span.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: span.spanId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
      ledger.start({
        spanId: span.spanId,
        traceId: span.traceId,
        parentSpanId: root ? undefined : span.parentSpanId,
        spanClass: span.spanClass,
        attributes: span.attributes,
      });
    }
    for (const span of endOrder(order, parentOf)) {
      const current: NonNullable<TraceRollup['current']> = { span };
      this.current = current;
      const ended = ledger.end({
        spanId: span.spanId,
        traceId: span.traceId,
        spanClass: span.spanClass,
        attributes: span.attributes,
        usage: span.usage,
        failed: span.statusCode === SpanStatusCode.ERROR,
        startMs: span.startNanos > 0n ? Number(span.startNanos / 1_000_000n) : Date.now(),
        durationSeconds: span.endNanos > span.startNanos ? Number(span.endNanos - span.startNanos) / 1e9 : 0,
        times: { start: Number(span.startNanos), end: Number(span.endNanos) },
        pricedElsewhere: span.pricedElsewhere,
        weight: span.weight,
      });
      if (ended.removed && span.removeAttributes) span.removeAttributes(ended.removed);
      const attributes = ended.run ? { ...ended.attributes, ...runAttributes(ended.run.summary, ended.run.guard) } : ended.attributes;
      for (const _ in attributes) {
        span.setAttributes(attributes);
        break;
      }
      this.current = undefined;
      const call = current.call;
      if (call) hooks.onCall?.(span, call.figures, call.agentName, call.run, call.weight);
    }
    return runs;
  }
}

/**
 * Every span once, parents before children (siblings in start order), iteratively so depth costs no stack. A span
 * whose parent is not in the trace is a root; so is one in a parent cycle, which no root reaches.
 */
function startOrder(spans: readonly TraceSpan[]): { order: TraceSpan[]; isRoot: Set<TraceSpan>; parentOf: Map<TraceSpan, TraceSpan> } {
  // A trace of one span (a call outside any agent, a lone tool) needs no ordering.
  if (spans.length === 1) return { order: [spans[0]!], isRoot: new Set(spans), parentOf: new Map() };
  const byId = new Map<string, TraceSpan>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const children = new Map<TraceSpan, TraceSpan[]>();
  const parentOf = new Map<TraceSpan, TraceSpan>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (parent === undefined || parent === span) roots.push(span);
    else {
      parentOf.set(span, parent);
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(span);
    }
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => (a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0);
  const order: TraceSpan[] = [];
  const visited = new Set<TraceSpan>();
  const isRoot = new Set<TraceSpan>();
  const visit = (root: TraceSpan) => {
    isRoot.add(root);
    const stack = [root];
    while (stack.length > 0) {
      const span = stack.pop()!;
      if (visited.has(span)) continue;
      visited.add(span);
      order.push(span);
      const below = children.get(span);
      if (below) for (const child of [...below].sort(byStart).reverse()) stack.push(child);
    }
  };
  for (const root of [...roots].sort(byStart)) visit(root);
  for (const span of spans)
    if (!visited.has(span)) {
      parentOf.delete(span); // in a parent cycle: a root
      visit(span);
    }
  return { order, isRoot, parentOf };
}

/**
 * The order spans end in: by end time, except that a span ends after every span under it — its end is taken as
 * the latest of its own and its descendants'. At the same instant a span deeper in the start order ends first.
 */
function endOrder(order: readonly TraceSpan[], parentOf: ReadonlyMap<TraceSpan, TraceSpan>): TraceSpan[] {
  if (order.length === 1) return [order[0]!];
  const position = new Map<TraceSpan, number>();
  const end = new Map<TraceSpan, bigint>();
  order.forEach((span, index) => {
    position.set(span, index);
    end.set(span, span.endNanos);
  });
  // Children come after their parents in the start order: walking it backwards settles a span's end before its parent's.
  for (let index = order.length - 1; index >= 0; index -= 1) {
    const span = order[index]!;
    const parent = parentOf.get(span);
    if (parent !== undefined && end.get(span)! > end.get(parent)!) end.set(parent, end.get(span)!);
  }
  return [...order].sort((a, b) => {
    const endA = end.get(a)!;
    const endB = end.get(b)!;
    if (endA !== endB) return endA < endB ? -1 : 1;
    return position.get(b)! - position.get(a)!;
  });
}
