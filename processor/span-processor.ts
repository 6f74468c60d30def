// tokenledger's span processor: an adapter from SDK spans to the ledger, the run tree and the metrics.
//
// Data flow, per span, O(1) and never blocking:
//   onStart   — an LLM call, tool or run span gets the baggage entries the app names (attribution); the span joins
//               the run tree (runs/run-tree.ts); a run span (invoke_agent, an OpenInference AGENT span, the AI
//               SDK's ai.generateText/streamText, or a local root that is not itself an LLM call or tool) starts a
//               run. The judge of duplicate calls (ledger/duplicate-calls.ts) notes its parent.
//   onEnding  — the last moment a span takes attributes. An LLM call's usage figures are the ones the
//               instrumentation handed over with the span (ledger/handover.ts), or, for a span another
//               instrumentation made, read from its attributes once; they are priced, the cost attributes written,
//               and the call's figures go to the run tree and the metrics — unless another LLM span already
//               counts the same provider call: then it is marked a duplicate and counted nowhere. A tool span
//               counts as a tool call; provider requests the request sensor noted on a span that is no LLM call
//               and inside none make its runs incomplete; a run span gets its rollup as tokenledger.run.*
//               attributes and its run metrics.
import { diag, SpanStatusCode, type Context, type MeterProvider } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES,
  ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
} from '../conventions/attributes.ts';
import { positive } from '../base/positive.ts';
import { currentCallGate, registerCallGate, type CallGate } from '../instrumentation/common/call-gate.ts';
import { providerRequestsOf } from '../instrumentation/common/provider-requests.ts';
import { BACKEND_CONVENTIONS, backendAttributes, type BackendConvention } from '../ledger/backend-attributes.ts';
import { callFigures, type CallFigures } from '../ledger/call-figures.ts';
import { writeCostAttributes } from '../ledger/cost-attributes.ts';
import { handedOverUsage } from '../ledger/handover.ts';
import { callDescription, isLlmCall, isRefusedCall, requestModelOf, startsAsLlmCall } from '../ledger/llm-spans.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { loadPriceOverridesFile, mergePriceOverrides, validatePriceOverrides, type PriceOverrides } from '../ledger/pricing/price-overrides.ts';
import { DuplicateCalls, duplicateAttributes } from '../ledger/duplicate-calls.ts';
import { normalisedAttributes, responseIdOf, spanUsage } from '../ledger/source-conventions.ts';
import { unknownUsage, usageFigures, type UsageFigures } from '../ledger/usage-figures.ts';
import { AttributionLabels } from '../metrics/attribution.ts';
import { tokenledgerMeter, TokenledgerMetrics } from '../metrics/metrics.ts';
import { isToolExecution, runStartedBy } from '../runs/run-spans.ts';
import type { RunState } from '../runs/run-state.ts';
import { writeRunAttributes } from '../runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, RunTree, type RunLimits } from '../runs/run-tree.ts';
import { BaggageAttributes, type BaggageAttributionOptions } from './baggage-attributes.ts';
import { resolveGuardrails, type GuardrailOptions } from './guardrails/guard-options.ts';
import { RunGuard } from './guardrails/run-guard.ts';

/** Options of `TokenledgerSpanProcessor`; every one has a default. */
export interface TokenledgerSpanProcessorOptions {
  /** Price overrides in code: the same shape as the TOKENLEDGER_PRICES file. They win over the bundled data. */
  prices?: PriceOverrides;
  /** A JSON or YAML price overrides file (what TOKENLEDGER_PRICES names). */
  pricesFile?: string;
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes. Default false. */
  genaiCostAttributes?: boolean;
  /** Also record the GenAI conventions' previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics?: boolean;
  /** Where tokenledger's metrics go. Default: the global MeterProvider, read when first needed. */
  meterProvider?: MeterProvider;
  /** Bounds on runs and spans in flight; see RunLimits for defaults and memory. */
  runLimits?: Partial<RunLimits>;
  /**
   * Budgets per run, the runaway-loop breaker and token caps. Default: warn mode, loop breaker on, no budgets.
   * They act once the processor's call gate is registered (`enableGuardrails(processor)`; the register entry and
   * `startTokenledger` do it).
   */
  guardrails?: GuardrailOptions;
  /**
   * Track agent runs and roll them up (default true). `false` only prices LLM calls and records the per-call
   * metrics: for a service whose runs are rolled up elsewhere (collector mode sees a run across services).
   * Guardrails need runs, so they are off too.
   */
  runs?: boolean;
  /**
   * Attribution: the baggage entries to copy onto LLM call, tool and run spans and to label the token, cost and run
   * metrics with (TOKENLEDGER_BAGGAGE_KEYS), capped per key, some of them hashed. Default none. Memory: at most
   * `maxValuesPerKey` values per key; each key multiplies the metric series by its values.
   */
  attribution?: BaggageAttributionOptions;
  /**
   * Also write each call's figures in these conventions, for backends that read them (TOKENLEDGER_BACKEND_CONVENTIONS):
   * `openinference` (Arize Phoenix, Arize AX) and `langfuse`. Default none.
   */
  backendConventions?: readonly BackendConvention[];
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
}

/**
 * tokenledger's span processor: prices every LLM call span when it ends, rolls calls and tools up into agent runs (their
 * KPIs written on the run span), records the metrics, and holds what the guardrails need. Register it with the
 * tracer provider; `enableGuardrails(processor)` makes its guardrails the ones tokenledger's instrumentation asks.
 */
export class TokenledgerSpanProcessor implements SpanProcessor {
  private stopped = false;
  private readonly pricer: CallPricer;
  private readonly meterProvider: MeterProvider | undefined;
  private readonly legacyMetrics: boolean;
  private readonly genaiCostAttributes: boolean;
  private instruments: TokenledgerMetrics | undefined;
  private readonly tree: RunTree;
  private readonly guard: RunGuard | undefined;
  private readonly runs: boolean;
  private readonly baggage: BaggageAttributes | undefined;
  private readonly attribution: AttributionLabels | undefined;
  private readonly backendConventions: readonly BackendConvention[];
  /** One provider call, one counted span: the judge of duplicates (ledger/duplicate-calls.ts). */
  private readonly duplicates: DuplicateCalls;

  /** Throws, with a message naming what is wrong, when the price overrides or limits are invalid. */
  constructor(options: TokenledgerSpanProcessorOptions = {}) {
    const limits = { ...DEFAULT_RUN_LIMITS, ...options.runLimits };
    for (const [key, value] of Object.entries(limits)) positive(value, `runLimits.${key}`, false);
    const overrides = mergePriceOverrides(
      options.pricesFile ? loadPriceOverridesFile(options.pricesFile) : undefined,
      options.prices ? validatePriceOverrides(options.prices, 'prices option') : undefined,
    );
    this.meterProvider = options.meterProvider;
    this.legacyMetrics = options.legacyMetrics ?? false;
    this.genaiCostAttributes = options.genaiCostAttributes ?? false;
    this.runs = options.runs ?? true;
    this.backendConventions = options.backendConventions ?? [];
    for (const convention of this.backendConventions) {
      if (!BACKEND_CONVENTIONS.includes(convention)) throw new Error(`tokenledger: backendConventions must list some of ${BACKEND_CONVENTIONS.join(', ')}, got ${String(convention)}`);
    }
    if (options.attribution) {
      this.baggage = new BaggageAttributes(options.attribution);
      const labels = { keys: this.baggage.keys, maxValuesPerKey: options.attribution.maxValuesPerKey };
      this.attribution = new AttributionLabels(labels, (key) => this.metrics.attributionOverflow(key));
    }
    this.duplicates = new DuplicateCalls({ maxSpans: limits.maxSpans });
    this.pricer = new CallPricer({ overrides, onUnpriced: (provider, model, reason) => this.metrics.unpriced(provider, model, reason) });
    this.tree = new RunTree(
      limits,
      {
        onRunEvicted: (reason, spanId) => {
          this.metrics.evicted(reason);
          // An evicted run costs nothing more: the judge forgets its root too (the searches stop at it anyway).
          if (reason !== 'max_depth') this.duplicates.end(spanId);
        },
        onSpanEvicted: () => this.metrics.spanEvicted(),
        onLate: () => this.metrics.late(),
      },
      { now: options.now },
    );
    if (this.runs) this.guard = new RunGuard(resolveGuardrails(options.guardrails), this.tree, this.pricer, options.meterProvider, options.now);
    else if (options.guardrails) diag.warn('tokenledger: guardrails are off because runs are off (runs: false)');
  }

  /**
   * The guardrails the instrumentation asks before each call and tool; undefined when runs are off.
   * @internal
   */
  get callGate(): CallGate | undefined {
    return this.guard;
  }

  /** Copies the attribution baggage onto the span and enters it in the run tree; a run span starts a run. */
  onStart(span: Span, parentContext: Context): void {
    if (this.stopped) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const parent = span.parentSpanContext;
      const localParent = parent && !parent.isRemote ? parent.spanId : undefined;
      const run = runStartedBy(span.attributes, span.name, localParent === undefined);
      const tool = isToolExecution(span.attributes);
      // Attribution goes on LLM call, tool and run spans: those whose figures tokenledger counts.
      if (this.baggage && (run !== undefined || tool || isLlmCall(span.attributes))) {
        const added = this.baggage.attributesFor(parentContext, span.attributes);
        if (added) span.setAttributes(added);
      }
      this.duplicates.start(spanId, localParent, run?.explicit === true || tool, startsAsLlmCall(span.attributes));
      if (!this.runs) return;
      const started = this.tree.start(spanId, traceId, localParent, run);
      if (started) {
        if (this.attribution) started.attribution = span.attributes;
        this.guard?.startRun(started, span, span.attributes);
      }
    } catch (error) {
      diag.error('tokenledger: could not track a span', error);
    }
  }

  /** Prices an ending LLM call and adds it to its runs; an ending run span gets its rollup and run metrics. */
  onEnding(span: Span): void {
    if (this.stopped) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const figures = this.callFiguresOf(span);
      const isCall = figures !== undefined;
      const duplicate = isCall ? this.duplicates.judge(spanId, traceId, responseIdOf(span.attributes)) : undefined;
      const requests = isCall ? 0 : providerRequestsOf(span);
      const uncoveredRequests = requests > 0 && !this.duplicates.insideCall(spanId) ? requests : 0;
      this.duplicates.end(spanId);
      const priced = isCall ? this.endCall(span, figures) : undefined;
      // A duplicate keeps its figures and price (as in collector mode, where they are written as it arrives), is
      // marked, and is neither a step of a run nor a call in the metrics.
      if (duplicate) span.setAttributes(duplicateAttributes(duplicate));
      const call = duplicate ? undefined : priced;
      if (!this.runs) {
        if (call) this.recordCall(span, call, undefined);
        return;
      }
      const failed = span.status.code === SpanStatusCode.ERROR;
      const isTool = isToolExecution(span.attributes);
      const ended = this.tree.end(spanId, { call, toolFailed: isTool ? failed : undefined, attributes: span.attributes, failed, uncoveredRequests });
      if (isCall) this.guard?.release(spanId, call, span.attributes);
      if (call) this.recordCall(span, call, ended.run);
      if (ended.rolledUp) {
        const { state, summary } = ended.rolledUp;
        writeRunAttributes(summary, span);
        this.guard?.writeBudgetAttributes(state, span);
        if (state.guard.breaches > 0) {
          span.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED, state.guard.firstBreach ?? '');
          span.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES, state.guard.breaches);
        }
        this.metrics.recordRun(summary, state);
      } else if (ended.lostRunId !== undefined) {
        span.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: ended.lostRunId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
      }
    } catch (error) {
      diag.error('tokenledger: could not process a span', error);
    }
  }

  /** Nothing: all the work is done in `onEnding`, while the span still takes attributes. */
  onEnd(_span: ReadableSpan): void {}

  /** Nothing is buffered here; resolves at once. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Idempotent; after it, the processor ignores spans, and its guardrails are no longer asked. */
  shutdown(): Promise<void> {
    this.stopped = true;
    this.tree.shutdown();
    if (this.guard !== undefined && currentCallGate() === this.guard) registerCallGate(undefined);
    return Promise.resolve();
  }

  /** Runs held in memory now (for tests and benchmarks). */
  get activeRuns(): number {
    return this.tree.activeRuns;
  }

  /** Spans in flight the duplicate-call judge holds now (for tests and benchmarks). */
  get judgedSpans(): number {
    return this.duplicates.spansInFlight;
  }

  /** Spans in flight inside runs held in memory now (for tests and benchmarks). */
  get trackedSpans(): number {
    return this.tree.trackedSpans;
  }

  /**
   * The usage figures of an LLM call, or undefined for a span that is none: the ones tokenledger's instrumentation
   * handed over, else the ones read once from the attributes of a span another instrumentation (or a provider SDK)
   * made, which are then added to it.
   */
  private callFiguresOf(span: Span): UsageFigures | undefined {
    const handedOver = handedOverUsage(span);
    if (handedOver) return isLlmCall(span.attributes) ? handedOver : undefined;
    const read = spanUsage(span.attributes, span.instrumentationScope.name, span.instrumentationScope.version);
    if (!read) return isLlmCall(span.attributes) ? unknownUsage('usage_missing') : undefined;
    if (!isLlmCall(span.attributes, read.describing)) return undefined;
    const figures = usageFigures(read.usage);
    span.setAttributes(normalisedAttributes(span.attributes, read, figures));
    return figures;
  }

  /** Prices an ended LLM call and writes its cost; a call a guardrail refused was never sent and is not priced. */
  private endCall(span: Span, usage: UsageFigures): CallFigures {
    const failed = span.status.code === SpanStatusCode.ERROR;
    const model = requestModelOf(span.attributes);
    if (isRefusedCall(span.attributes)) return { model, failed, refused: true };
    const [seconds, nanos] = span.startTime;
    const priced = this.pricer.price(usage, callDescription(span.attributes, new Date(seconds * 1000 + nanos / 1e6)));
    span.setAttributes(writeCostAttributes(priced, {}, { genaiCostAttributes: this.genaiCostAttributes }));
    const call = callFigures(usage, priced, model, failed);
    if (this.backendConventions.length > 0) span.setAttributes(backendAttributes(this.backendConventions, call, span.attributes));
    return call;
  }

  private recordCall(span: Span, call: CallFigures, run: RunState | undefined): void {
    if (call.refused) return;
    this.metrics.recordCall(span.attributes, call, span.duration[0] + span.duration[1] / 1e9, run?.agentName, run);
  }

  private get metrics(): TokenledgerMetrics {
    this.instruments ??= new TokenledgerMetrics(tokenledgerMeter(this.meterProvider), {
      legacyMetrics: this.legacyMetrics,
      activeRuns: () => this.tree.activeRuns,
      attribution: this.attribution,
    });
    return this.instruments;
  }
}

