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
 * the counted calls the duplicate judge remembers, which it forgets before the next trace. A replay that throws
 * part-way leaves spans started and not ended: that ledger is let go, and the next trace gets a new one.
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
    } catch (error) {
      if (whole) this.ledgers.whole = undefined;
      else this.ledgers.part = undefined;
      throw error;
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
    const started = startOrder(spans);
    let runs = 0;
    for (const index of started.order) {
      const span = spans[index]!;
      const root = started.isRoot[index] === 1;
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
    for (const index of endOrder(spans, started)) {
      const span = spans[index]!;
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

/** A trace's spans in start order, by their index in the trace: whether each is a root, and each one's parent. */
interface StartOrder {
  /** Indexes into the trace's spans, parents before children. */
  order: number[];
  /** By index: whether the span is a root (of the trace, or of a parent cycle). */
  isRoot: Uint8Array;
  /** By index: the parent's index, -1 for a root. */
  parent: Int32Array;
}

/**
 * Every span once, parents before children (siblings in start order), iteratively so depth costs no stack. A span
 * whose parent is not in the trace is a root; so is one in a parent cycle, which no root reaches. Spans are known by
 * their index in the trace, so ordering one takes arrays rather than maps and sets of spans.
 */
function startOrder(spans: readonly TraceSpan[]): StartOrder {
  const count = spans.length;
  // A trace of one span (a call outside any agent, a lone tool) needs no ordering.
  if (count === 1) return { order: [0], isRoot: Uint8Array.of(1), parent: Int32Array.of(-1) };
  const indexOf = new Map<string, number>();
  for (let i = 0; i < count; i += 1) if (!indexOf.has(spans[i]!.spanId)) indexOf.set(spans[i]!.spanId, i);
  const parent = new Int32Array(count).fill(-1);
  const children: Array<number[] | undefined> = new Array(count);
  const roots: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const parentSpanId = spans[i]!.parentSpanId;
    const p = parentSpanId ? indexOf.get(parentSpanId) : undefined;
    if (p === undefined || p === i) roots.push(i);
    else {
      parent[i] = p;
      (children[p] ??= []).push(i);
    }
  }
  // Stable: spans that start at the same instant keep the order they came in.
  const byStart = (a: number, b: number) => {
    const startA = spans[a]!.startNanos;
    const startB = spans[b]!.startNanos;
    return startA < startB ? -1 : startA > startB ? 1 : 0;
  };
  const order: number[] = [];
  const visited = new Uint8Array(count);
  const isRoot = new Uint8Array(count);
  const stack: number[] = [];
  const visit = (root: number) => {
    isRoot[root] = 1;
    stack.push(root);
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (visited[i]) continue;
      visited[i] = 1;
      order.push(i);
      const below = children[i];
      if (below === undefined) continue;
      if (below.length > 1) below.sort(byStart);
      // The earliest on top of the stack.
      for (let j = below.length - 1; j >= 0; j -= 1) stack.push(below[j]!);
    }
  };
  roots.sort(byStart);
  for (const root of roots) visit(root);
  for (let i = 0; i < count; i += 1)
    if (!visited[i]) {
      parent[i] = -1; // in a parent cycle: a root
      visit(i);
    }
  return { order, isRoot, parent };
}

/**
 * The order spans end in: by end time, except that a span ends after every span under it — its end is taken as
 * the latest of its own and its descendants'. At the same instant a span deeper in the start order ends first.
 */
function endOrder(spans: readonly TraceSpan[], { order, parent }: StartOrder): number[] {
  if (order.length === 1) return order;
  const position = new Int32Array(spans.length);
  const end = spans.map((span) => span.endNanos);
  for (let k = 0; k < order.length; k += 1) position[order[k]!] = k;
  // Children come after their parents in the start order: walking it backwards settles a span's end before its parent's.
  for (let k = order.length - 1; k >= 0; k -= 1) {
    const i = order[k]!;
    const p = parent[i]!;
    if (p >= 0 && end[i]! > end[p]!) end[p] = end[i]!;
  }
  return [...order].sort((a, b) => {
    const endA = end[a]!;
    const endB = end[b]!;
    if (endA !== endB) return endA < endB ? -1 : 1;
    return position[b]! - position[a]!;
  });
}
