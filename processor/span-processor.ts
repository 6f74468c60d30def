// tokenledger's span processor.
//
// Data flow, per span, O(1) and never blocking:
//   onStart   — the span joins the chain of runs of its parent; a run span (invoke_agent, an OpenInference AGENT
//               span, or a local root that is not itself an LLM call or tool) starts a new run.
//   onEnding  — the last moment a span takes attributes. An LLM call span is normalised (SDK-native spans) and
//               priced, and its figures are added to every run in its chain; a tool span counts as a tool call;
//               a run span gets its rollup as tokenledger.run.* attributes and its run metrics.
// Runs in flight are bounded in number and age (RunTracker); evictions and late spans are counted.
import { diag, SpanStatusCode, type Attributes, type Context, type MeterProvider } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES,
  ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
} from '../conventions/attributes.ts';
import { positive } from '../instrumentation/common/budget.ts';
import { registerCallGate, currentCallGate } from '../instrumentation/common/call-gate.ts';
import { resolveGuardrails, type GuardrailOptions } from './guardrails/guard-options.ts';
import { RunGuard } from './guardrails/run-guard.ts';
import { tokenledgerMeter, TokenledgerMetrics } from './metrics.ts';
import { CallPricer, type CostUnknownReason } from './pricing/call-pricer.ts';
import { loadPriceOverridesFile, validatePriceOverrides, type PriceOverrides } from './pricing/price-overrides.ts';
import { callFigures } from './runs/call-figures.ts';
import { IdealStepsLearner } from './runs/ideal-steps.ts';
import { runOutcome, runStartedBy } from './runs/run-spans.ts';
import { summarizeRun, writeRunAttributes } from './runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, RunTracker, type RunLimits } from './runs/run-tracker.ts';
import type { RunState } from './runs/run-state.ts';
import { isLlmCall } from './llm-spans.ts';
import { sourceConventionAttributes } from './source-conventions.ts';

export interface TokenledgerSpanProcessorOptions {
  /** Price overrides in code: the same shape as the TOKENLEDGER_PRICES file. They win over the bundled data. */
  prices?: PriceOverrides;
  /** A JSON or YAML price overrides file (what TOKENLEDGER_PRICES names). */
  pricesFile?: string;
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes. Default false. */
  genaiCostAttributes?: boolean;
  /** Where tokenledger's metrics go. Default: the global MeterProvider, read when first needed. */
  meterProvider?: MeterProvider;
  /** Bounds on runs in flight; see RunLimits for defaults and memory. */
  runLimits?: Partial<RunLimits>;
  /** Budgets per run, the runaway-loop breaker and token caps. Default: warn mode, loop breaker on, no budgets. */
  guardrails?: GuardrailOptions;
  /**
   * Track agent runs and roll them up (default true). `false` only prices LLM calls and records the per-call
   * metrics: for a service whose runs are rolled up elsewhere (collector mode sees a run across services).
   * Guardrails need runs, so they are off too.
   */
  runs?: boolean;
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
}


export class TokenledgerSpanProcessor implements SpanProcessor {
  private stopped = false;
  private readonly pricer: CallPricer;
  private readonly meterProvider: MeterProvider | undefined;
  private instruments: TokenledgerMetrics | undefined;
  private readonly tracker: RunTracker;
  private readonly learner = new IdealStepsLearner();
  private readonly guard: RunGuard;
  private readonly runs: boolean;

  /** Throws, with a message naming what is wrong, when the price overrides or limits are invalid. */
  constructor(options: TokenledgerSpanProcessorOptions = {}) {
    const limits = { ...DEFAULT_RUN_LIMITS, ...options.runLimits };
    validateLimits(limits);
    const overrides = mergeOverrides(
      options.pricesFile ? loadPriceOverridesFile(options.pricesFile) : undefined,
      options.prices ? validatePriceOverrides(options.prices, 'prices option') : undefined,
    );
    this.meterProvider = options.meterProvider;
    this.runs = options.runs ?? true;
    this.pricer = new CallPricer({
      overrides,
      genaiCostAttributes: options.genaiCostAttributes,
      onUnpriced: (provider, model, reason) => this.countUnpriced(provider, model, reason),
    });
    this.tracker = new RunTracker(
      limits,
      {
        onEvicted: (_state, reason) => this.metrics.evicted(reason),
      },
      options.now,
    );
    this.guard = new RunGuard(resolveGuardrails(options.guardrails), this.tracker, this.pricer, this.learner, options.meterProvider);
    // The instrumentation asks the most recently constructed processor before each call.
    if (this.runs) registerCallGate(this.guard);
    else if (options.guardrails) diag.warn('tokenledger: guardrails are off because runs are off (runs: false)');
  }

  onStart(span: Span, _parentContext: Context): void {
    if (this.stopped || !this.runs) return;
    try {
      const { spanId, traceId } = span.spanContext();
      const parent = span.parentSpanContext;
      const localParent = parent && !parent.isRemote ? parent.spanId : undefined;
      const run = runStartedBy(span.attributes, span.name, localParent === undefined);
      const chain = this.tracker.start(spanId, traceId, localParent, run);
      if (run !== undefined) this.guard.startRun(chain.at(-1)!, span, span.attributes);
    } catch (error) {
      diag.error('tokenledger: could not track a span', error);
    }
  }

  onEnding(span: Span): void {
    if (this.stopped) return;
    try {
      const foreign = sourceConventionAttributes(span.attributes, span.instrumentationScope.name);
      if (foreign) span.setAttributes(changed(span.attributes, foreign));
      if (!this.runs) {
        if (isLlmCall(span.attributes)) this.endCall(span, undefined);
        return;
      }
      const { spanId } = span.spanContext();
      const chain = this.tracker.end(spanId);
      const operation = span.attributes[ATTR_GEN_AI_OPERATION_NAME];
      if (isLlmCall(span.attributes)) this.endCall(span, chain);
      else if (operation === 'execute_tool') this.addToRuns(chain, (state) => state.addTool(span.status.code === SpanStatusCode.ERROR));
      const ended = this.tracker.takeRun(spanId);
      if (ended) this.endRun(span, ended);
      else if (chain?.at(-1)?.id === spanId && chain.at(-1)!.reportable) {
        span.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: spanId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
      }
    } catch (error) {
      diag.error('tokenledger: could not process a span', error);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Idempotent; after it, the processor ignores spans. */
  shutdown(): Promise<void> {
    this.stopped = true;
    this.tracker.shutdown();
    if (currentCallGate() === this.guard) registerCallGate(undefined);
    return Promise.resolve();
  }

  /** Runs held in memory now (for tests and benchmarks). */
  get activeRuns(): number {
    return this.tracker.activeRuns;
  }

  private endCall(span: Span, chain: readonly RunState[] | undefined): void {
    this.guard.release(span.spanContext().spanId);
    // A call a guardrail refused was never sent: it is not a step and costs nothing.
    const errorType = span.attributes[ATTR_ERROR_TYPE];
    if (errorType === 'BudgetExceededError' || errorType === 'RunawayLoopError') return;
    const [seconds, nanos] = span.startTime;
    span.setAttributes(this.pricer.price(span.attributes, new Date(seconds * 1000 + nanos / 1e6)).attributes);
    const figures = callFigures(span.attributes, span.status.code === SpanStatusCode.ERROR);
    this.addToRuns(chain, (state) => state.addCall(figures));
    const duration = span.duration[0] + span.duration[1] / 1e9;
    this.metrics.recordCall(span.attributes, figures, duration, chain?.at(-1)?.agentName);
  }

  private addToRuns(chain: readonly RunState[] | undefined, add: (state: RunState) => void): void {
    if (!chain || chain.length === 0) return;
    let added = false;
    for (const state of chain) {
      if (state.closed) continue;
      add(state);
      added = true;
    }
    if (!added) this.metrics.late();
  }

  private endRun(span: Span, state: RunState): void {
    if (!state.reportable) return;
    const outcome = runOutcome(span.attributes, span.status.code === SpanStatusCode.ERROR, this.learner.ideal(state.agentName));
    const summary = summarizeRun(state, outcome);
    writeRunAttributes(summary, span);
    this.guard.writeBudgetAttributes(state, span);
    if (state.guard.breaches > 0) {
      span.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_EXCEEDED, state.guard.firstBreach ?? '');
      span.setAttribute(ATTR_TOKENLEDGER_RUN_BUDGET_BREACHES, state.guard.breaches);
    }
    if (outcome.success && summary.complete) this.learner.record(state.agentName, summary.steps);
    this.metrics.recordRun(summary, state.agentName);
  }

  private get metrics(): TokenledgerMetrics {
    this.instruments ??= new TokenledgerMetrics(tokenledgerMeter(this.meterProvider), () => this.tracker.activeRuns);
    return this.instruments;
  }

  private countUnpriced(provider: string, model: string, reason: CostUnknownReason): void {
    this.metrics.unpriced(provider, model, reason);
  }
}

/** Only the attributes whose value differs from the span's (a foreign span in GenAI names often has them all). */
function changed(current: Attributes, added: Attributes): Attributes {
  const out: Attributes = {};
  for (const key in added) if (current[key] !== added[key]) out[key] = added[key];
  return out;
}

function validateLimits(limits: RunLimits): void {
  for (const [key, value] of Object.entries(limits)) positive(value, `runLimits.${key}`, false);
}

/** Code-given prices win over the file's, which win over the bundled data. */
function mergeOverrides(file: PriceOverrides | undefined, code: PriceOverrides | undefined): PriceOverrides | undefined {
  if (!file) return code;
  if (!code) return file;
  return {
    version: code.version ?? file.version,
    providers: [...(code.providers ?? []), ...(file.providers ?? [])],
    modifiers: [...(code.modifiers ?? []), ...(file.modifiers ?? [])],
  };
}
