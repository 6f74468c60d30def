// tokenledger's span processor: an adapter from SDK spans to the span ledger (span-ledger/span-ledger.ts), which
// prices calls, judges duplicates, rolls runs up and feeds the metrics. Per span, O(1) and never blocking:
//   onStart   — the span is classified once (ledger/sources/registry.ts) and the class kept on it; LLM call, tool and
//               run spans get the baggage entries the app names (attribution); the ledger is told it started.
//   onEnding  — the last moment a span takes attributes: its call usage is found (handed over by tokenledger's
//               instrumentation, else read from its attributes once), the ledger ends it, and what the ledger says
//               (cost, duplicate marks, its run's rollup) is written on it.
//   onEnd     — with export processors given (`spanProcessors`, what the register entry and startTokenledger do),
//               spans are passed on to them; a run's root whose rollup waits for calls still open under it (a stream
//               drained after the handler returned) is held until its rollup is written, so it is exported whole.
//               Without them, such a root is exported by the app's own processors as it ended, with the run's
//               figures so far marked `complete = false` (`calls_open_at_end`); the metrics still get the whole run.
import { diag, SpanStatusCode, type Attributes, type Context, type MeterProvider } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { positive } from '../base/positive.ts';
import { systemClock, type Clock } from '../base/clock.ts';
import { ATTR_TOKENLEDGER_RUN_COMPLETE, ATTR_TOKENLEDGER_RUN_ID, ATTR_TOKENLEDGER_RUN_INCOMPLETE_REASON } from '../conventions/attributes.ts';
import { currentCallGate, registerCallGate, type CallGate } from '../instrumentation/common/call-gate.ts';
import { providerRequestsOf } from '../instrumentation/common/provider-requests.ts';
import { BACKEND_CONVENTIONS, type BackendConvention } from '../ledger/backend-attributes.ts';
import { callUsage } from '../ledger/call-usage.ts';
import { handedOverUsage } from '../ledger/handover.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { loadPriceOverridesFile, mergePriceOverrides, validatePriceOverrides, type PriceOverrides } from '../ledger/pricing/price-overrides.ts';
import { classifySpan, type SpanClass } from '../ledger/sources/registry.ts';
import { isLlmCall } from '../ledger/sources/source.ts';
import { AttributionLabels } from '../metrics/attribution.ts';
import { tokenledgerMeter, TokenledgerMetrics } from '../metrics/metrics.ts';
import { writeRunAttributes } from '../runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../runs/run-tree.ts';
import { runStartOf } from '../span-ledger/run-start.ts';
import { SpanLedger } from '../span-ledger/span-ledger.ts';
import { BaggageAttributes, type BaggageAttributionOptions } from './baggage-attributes.ts';
import { resolveGuardrails, type GuardrailOptions } from './guardrails/guard-options.ts';
import { RunGuard } from './guardrails/run-guard.ts';
import { HeldExports } from './held-exports.ts';

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
  /** Bounds on runs and spans in flight, and how long a run waits for calls open at its root's end; see RunLimits. */
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
  /**
   * The processors that export spans (a BatchSpanProcessor with your exporter, say), passed every span after
   * tokenledger has written its figures; a run's root that waits for calls still open under it is passed on when
   * its rollup is written. Default none: list your export processors after this one in the SDK instead, and such a
   * root is exported as it ended, marked incomplete.
   */
  spanProcessors?: SpanProcessor[];
  /** The clock (tests inject one): run ages and how long a run waits for its open calls. */
  clock?: Clock;
}

/** The class a span was given at its start, kept on the span object for its end. */
const SPAN_CLASS = Symbol('tokenledger.span-class');
type Classified = { [SPAN_CLASS]?: SpanClass };

/**
 * tokenledger's span processor: prices every LLM call span when it ends, rolls calls and tools up into agent runs (their
 * KPIs written on the run span), records the metrics, and holds what the guardrails need. Register it with the
 * tracer provider; `enableGuardrails(processor)` makes its guardrails the ones tokenledger's instrumentation asks.
 */
export class TokenledgerSpanProcessor implements SpanProcessor {
  private stopped = false;
  private readonly meterProvider: MeterProvider | undefined;
  private readonly legacyMetrics: boolean;
  private instruments: TokenledgerMetrics | undefined;
  private readonly ledger: SpanLedger;
  private readonly guard: RunGuard | undefined;
  private readonly runs: boolean;
  private readonly baggage: BaggageAttributes | undefined;
  private readonly attribution: AttributionLabels | undefined;
  private readonly exports: HeldExports | undefined;

  /** Throws, with a message naming what is wrong, when the price overrides or limits are invalid. */
  constructor(options: TokenledgerSpanProcessorOptions = {}) {
    const limits = { ...DEFAULT_RUN_LIMITS, ...options.runLimits };
    for (const [key, value] of Object.entries(limits)) {
      if (key === 'runWaitMs' && value === 0) continue;
      positive(value, `runLimits.${key}`, false);
    }
    const overrides = mergePriceOverrides(
      options.pricesFile ? loadPriceOverridesFile(options.pricesFile) : undefined,
      options.prices ? validatePriceOverrides(options.prices, 'prices option') : undefined,
    );
    this.meterProvider = options.meterProvider;
    this.legacyMetrics = options.legacyMetrics ?? false;
    this.runs = options.runs ?? true;
    const backendConventions = options.backendConventions ?? [];
    for (const convention of backendConventions) {
      if (!BACKEND_CONVENTIONS.includes(convention))
        throw new Error(`tokenledger: backendConventions must list some of ${BACKEND_CONVENTIONS.join(', ')}, got ${String(convention)}`);
    }
    if (options.attribution) {
      this.baggage = new BaggageAttributes(options.attribution);
      const labels = { keys: this.baggage.keys, maxValuesPerKey: options.attribution.maxValuesPerKey };
      this.attribution = new AttributionLabels(labels, (key) => this.metrics.attributionOverflow(key));
    }
    const clock = options.clock ?? systemClock;
    const pricer = new CallPricer({ overrides, onUnpriced: (provider, model, reason) => this.metrics.unpriced(provider, model, reason) });
    if (options.spanProcessors && options.spanProcessors.length > 0) this.exports = new HeldExports(options.spanProcessors, limits.maxRuns);
    const guardrails = this.runs ? resolveGuardrails(options.guardrails) : undefined;
    if (!this.runs && options.guardrails) diag.warn('tokenledger: guardrails are off because runs are off (runs: false)');
    if (guardrails) {
      this.guard = new RunGuard(guardrails, {
        runOf: (spanId) => this.ledger.runOf(spanId),
        learner: () => this.ledger.learner,
        pricer,
        meterProvider: options.meterProvider,
        now: () => clock.now(),
      });
    }
    this.ledger = new SpanLedger({
      pricer,
      sink: {
        recordCall: (attributes, figures, seconds, agentName, run) => this.metrics.recordCall(attributes, figures, seconds, agentName, run),
        recordRun: (summary, run) => this.metrics.recordRun(summary, run),
        evicted: (reason) => this.metrics.evicted(reason),
        spanEvicted: () => this.metrics.spanEvicted(),
        late: () => this.metrics.late(),
      },
      runs: this.runs,
      limits,
      clock,
      genaiCostAttributes: options.genaiCostAttributes ?? false,
      backendConventions,
      observer: this.guard,
      onRunReleased: (rootSpanId, attributes) => this.exports?.release(rootSpanId, attributes),
    });
  }

  /**
   * The guardrails the instrumentation asks before each call and tool; undefined when runs are off.
   * @internal
   */
  get callGate(): CallGate | undefined {
    return this.guard;
  }

  /** Classifies the span once, copies the attribution baggage onto it, and starts it in the ledger (a run span, a run). */
  onStart(span: Span, parentContext: Context): void {
    this.exports?.onStart(span, parentContext);
    if (this.stopped) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const parent = span.parentSpanContext;
      const localParent = parent && !parent.isRemote ? parent.spanId : undefined;
      const spanClass = classifySpan(span.attributes, span.instrumentationScope.name, span.name);
      (span as Classified)[SPAN_CLASS] = spanClass;
      // Attribution goes on LLM call, tool and run spans: those whose figures tokenledger counts.
      if (this.baggage && (spanClass.kind !== 'other' || isLlmCall(span.attributes) || runStartOf(spanClass, localParent === undefined) !== undefined)) {
        const added = this.baggage.attributesFor(parentContext, span.attributes);
        if (added) span.setAttributes(added);
      }
      this.ledger.start({ spanId, traceId, parentSpanId: localParent, spanClass, attributes: span.attributes, handle: span });
    } catch (error) {
      diag.error('tokenledger: could not track a span', error);
    }
  }

  /** Ends the span in the ledger: an LLM call is priced (or marked a duplicate) and added to its runs; a run span gets its rollup. */
  onEnding(span: Span): void {
    if (this.stopped) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const spanClass = (span as Classified)[SPAN_CLASS] ?? classifySpan(span.attributes, span.instrumentationScope.name, span.name);
      const scope = span.instrumentationScope;
      const found = callUsage(span.attributes, scope.name, scope.version, handedOverUsage(span));
      if (found && found.added !== undefined && hasKeys(found.added)) span.setAttributes(found.added);
      const [seconds, nanos] = span.startTime;
      // A span that said nothing of itself at its start may say at its end that it was a tool.
      const kindAtEnd = spanClass.kind === 'other' ? classifySpan(span.attributes, scope.name, span.name).kind : undefined;
      const ended = this.ledger.end({
        spanId,
        traceId,
        spanClass,
        kindAtEnd,
        attributes: span.attributes,
        usage: found?.usage,
        failed: span.status.code === SpanStatusCode.ERROR,
        startMs: seconds * 1000 + nanos / 1e6,
        durationSeconds: span.duration[0] + span.duration[1] / 1e9,
        providerRequests: found ? 0 : providerRequestsOf(span),
      });
      if (hasKeys(ended.attributes)) span.setAttributes(ended.attributes);
      if (ended.run) {
        writeRunAttributes(ended.run.summary, span);
        if (ended.run.guard) span.setAttributes(ended.run.guard);
      }
      if (ended.waiting) {
        if (this.exports) this.exports.hold(spanId);
        else span.setAttributes({ ...WAITING_ATTRIBUTES, [ATTR_TOKENLEDGER_RUN_ID]: spanId });
      }
    } catch (error) {
      diag.error('tokenledger: could not process a span', error);
    }
    this.exports?.onEnding(span);
  }

  /** Passes the ended span on to the export processors of `spanProcessors`, if any. */
  onEnd(span: ReadableSpan): void {
    this.exports?.onEnd(span);
  }

  /** Rolls up the runs still waiting for calls open under them (their roots are then exported), and flushes the export processors. */
  forceFlush(): Promise<void> {
    if (!this.stopped) this.ledger.flush();
    return this.exports?.forceFlush() ?? Promise.resolve();
  }

  /** Idempotent; after it, the processor ignores spans, and its guardrails are no longer asked. */
  shutdown(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.ledger.shutdown();
      if (this.guard !== undefined && currentCallGate() === this.guard) registerCallGate(undefined);
    }
    return this.exports?.shutdown() ?? Promise.resolve();
  }

  /** Runs held in memory now (for tests and benchmarks). */
  get activeRuns(): number {
    return this.ledger.activeRuns;
  }

  /** Spans in flight the duplicate-call judge holds now (for tests and benchmarks). */
  get judgedSpans(): number {
    return this.ledger.judgedSpans;
  }

  /** Spans in flight inside runs held in memory now (for tests and benchmarks). */
  get trackedSpans(): number {
    return this.ledger.trackedSpans;
  }

  /**
   * Runs and calls the guardrails hold state for now (for tests).
   * @internal
   */
  get guardState(): { runs: number; reservations: number } {
    return { runs: this.guard?.guardedRuns ?? 0, reservations: this.guard?.reservedCalls ?? 0 };
  }

  private get metrics(): TokenledgerMetrics {
    this.instruments ??= new TokenledgerMetrics(tokenledgerMeter(this.meterProvider), {
      legacyMetrics: this.legacyMetrics,
      activeRuns: () => this.ledger.activeRuns,
      attribution: this.attribution,
    });
    return this.instruments;
  }
}

/** A root exported before its run's rollup: what is known is that the run is not whole yet. */
const WAITING_ATTRIBUTES: Attributes = { [ATTR_TOKENLEDGER_RUN_COMPLETE]: false, [ATTR_TOKENLEDGER_RUN_INCOMPLETE_REASON]: 'calls_open_at_end' };

function hasKeys(attributes: Attributes): boolean {
  for (const _ in attributes) return true;
  return false;
}
