// tokenledger's metrics, made once per meter, recorded by the span processor and by collector mode alike.
// Per call: the GenAI conventions' token metrics (`gen_ai.client.inference.usage.*` counters by token type,
// `gen_ai.client.inference.operation.*` histograms) and `gen_ai.client.operation.duration`; our token and cost
// counters by row of the token-type table, the parts (a partition: `sum()` is the total) apart from the subsets.
// Per run: runs by outcome and histograms of cost, steps, step inflation, cache hit rate and token efficiency,
// labelled `tokenledger.run.nested` so each task can be counted once. Plus the processor's self-metrics. Token
// figures are recorded only for calls whose every part is known: unknown is never recorded as 0. The token, cost and
// run metrics also carry the attribution keys the app names (attribution.ts), capped per key.
import { metrics, type Attributes, type Counter, type Histogram, type Meter, type MeterProvider } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_MODALITY,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_TOKENLEDGER_ATTRIBUTION_KEY,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_ESTIMATED,
  ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON,
  ATTR_TOKENLEDGER_RUN_NESTED,
  ATTR_TOKENLEDGER_RUN_OUTCOME,
  ATTR_TOKENLEDGER_TOKEN_TYPE,
  GEN_AI_TOKEN_MODALITY_VALUE_UNKNOWN,
  GEN_AI_TOKEN_TYPE_VALUE_INPUT,
  GEN_AI_TOKEN_TYPE_VALUE_OUTPUT,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_TOKENLEDGER_ATTRIBUTION_OVERFLOW,
  METRIC_TOKENLEDGER_CALLS_UNPRICED,
  METRIC_TOKENLEDGER_COST,
  METRIC_TOKENLEDGER_COST_SUBSET,
  METRIC_TOKENLEDGER_PROCESSOR_RUNS_ACTIVE,
  METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED,
  METRIC_TOKENLEDGER_PROCESSOR_SPANS_EVICTED,
  METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE,
  METRIC_TOKENLEDGER_RUN_CACHE_HIT_RATE,
  METRIC_TOKENLEDGER_RUN_COST,
  METRIC_TOKENLEDGER_RUN_STEP_INFLATION,
  METRIC_TOKENLEDGER_RUN_STEPS,
  METRIC_TOKENLEDGER_RUN_TOKEN_EFFICIENCY,
  METRIC_TOKENLEDGER_RUNS,
  METRIC_TOKENLEDGER_TOKENS,
  METRIC_TOKENLEDGER_TOKENS_SUBSET,
  TOKENLEDGER_RUN_OUTCOME_VALUE_FAILURE,
  TOKENLEDGER_RUN_OUTCOME_VALUE_SUCCESS,
} from '../conventions/attributes.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import { TOKEN_TOTALS, TOKEN_TYPES, type TokenCounts } from '../ledger/token-types.ts';
import { VERSION } from '../base/version.ts';
import type { RunSummary } from '../runs/run-summary.ts';
import type { AttributionLabels, AttributionSource } from './attribution.ts';
import { LastCallSeries } from './call-series.ts';
import { SeriesTable } from './series-table.ts';

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const COST_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50];
const STEP_BUCKETS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144];
const INFLATION_BUCKETS = [0.5, 1, 1.25, 1.5, 2, 3, 5, 10];
const RATE_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** The GenAI usage counters: each counts one token type or total of the table. */
const GENAI_USAGE = [...TOKEN_TYPES, ...TOKEN_TOTALS].flatMap((row) => (row.genaiMetric ? [{ id: row.id, metric: row.genaiMetric }] : []));

/** tokenledger's meter from `provider`, else from the global MeterProvider. */
export function tokenledgerMeter(provider?: MeterProvider): Meter {
  return (provider ?? metrics.getMeterProvider()).getMeter('tokenledger', VERSION);
}

export interface MetricsOptions {
  /** Also record the GenAI conventions' previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics?: boolean;
  /** Read at collection time for the runs-in-memory gauge (no work per run). */
  activeRuns?: () => number;
  /** The attribution keys to label the token, cost and run metrics with. Default none. */
  attribution?: AttributionLabels;
}

export class TokenledgerMetrics {
  private readonly duration: Histogram;
  private readonly inputPerCall: Histogram;
  private readonly outputPerCall: Histogram;
  private readonly legacyTokenUsage: Histogram | undefined;
  /** GenAI usage sums by operation, provider, models and server; a slot per GENAI_USAGE entry. */
  private readonly genaiUsage = new SeriesTable(GENAI_USAGE.length);
  /** Our sums by provider, model and agent; a slot per row of the token-type table. */
  private readonly tokens = new SeriesTable(TOKEN_TYPES.length);
  private readonly cost = new SeriesTable(TOKEN_TYPES.length);
  private readonly runs: Counter;
  private readonly runCost: Histogram;
  private readonly runSteps: Histogram;
  private readonly runInflation: Histogram;
  private readonly runCacheHitRate: Histogram;
  private readonly runTokenEfficiency: Histogram;
  private readonly runsEvicted: Counter;
  private readonly spansEvicted: Counter;
  private readonly spansLate: Counter;
  private readonly unpricedCalls: Counter;
  private readonly attribution: AttributionLabels | undefined;
  private readonly overflows: Counter;
  private readonly callSeries = new LastCallSeries();

  constructor(meter: Meter, options: MetricsOptions = {}) {
    this.attribution = options.attribution;
    const histogram = (name: string, unit: string, description: string, buckets: number[]) =>
      meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets } });
    this.duration = histogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, 's', 'Duration of LLM calls', DURATION_BUCKETS);
    this.inputPerCall = histogram(METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS, '{token}', 'Input tokens per LLM call', TOKEN_BUCKETS);
    this.outputPerCall = histogram(METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS, '{token}', 'Output tokens per LLM call', TOKEN_BUCKETS);
    if (options.legacyMetrics) {
      this.legacyTokenUsage = histogram(
        METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
        '{token}',
        'Input and output tokens per LLM call (previous GenAI metric)',
        TOKEN_BUCKETS,
      );
    }
    GENAI_USAGE.forEach(({ metric }, index) => {
      const modality = { [ATTR_GEN_AI_TOKEN_MODALITY]: GEN_AI_TOKEN_MODALITY_VALUE_UNKNOWN };
      meter
        .createObservableCounter(metric, { unit: '{token}', description: 'Tokens used by LLM calls' })
        .addCallback((result) => this.genaiUsage.observe(result, index, modality));
    });
    const byType = (table: SeriesTable, role: 'part' | 'subset') => (result: Parameters<SeriesTable['observe']>[0]) => {
      TOKEN_TYPES.forEach((row, index) => {
        if (row.role === role) table.observe(result, index, { [ATTR_TOKENLEDGER_TOKEN_TYPE]: row.id });
      });
    };
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_TOKENS, { unit: '{token}', description: 'Tokens by part; sum over the type is all tokens' })
      .addCallback(byType(this.tokens, 'part'));
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_TOKENS_SUBSET, { unit: '{token}', description: 'Tokens of the subsets (reasoning, tool results)' })
      .addCallback(byType(this.tokens, 'subset'));
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_COST, { unit: 'USD', description: 'Cost by part; sum over the type is all spend priced' })
      .addCallback(byType(this.cost, 'part'));
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_COST_SUBSET, { unit: 'USD', description: 'Cost of the subsets (reasoning, tool results)' })
      .addCallback(byType(this.cost, 'subset'));
    this.runs = meter.createCounter(METRIC_TOKENLEDGER_RUNS, { unit: '{run}', description: 'Finished agent runs by outcome' });
    this.runCost = histogram(METRIC_TOKENLEDGER_RUN_COST, 'USD', 'Cost per agent run', COST_BUCKETS);
    this.runSteps = histogram(METRIC_TOKENLEDGER_RUN_STEPS, '{step}', 'LLM calls per agent run', STEP_BUCKETS);
    this.runInflation = histogram(METRIC_TOKENLEDGER_RUN_STEP_INFLATION, '1', 'Steps / ideal steps per agent run', INFLATION_BUCKETS);
    this.runCacheHitRate = histogram(METRIC_TOKENLEDGER_RUN_CACHE_HIT_RATE, '1', 'Cache hit rate per agent run', RATE_BUCKETS);
    this.runTokenEfficiency = histogram(METRIC_TOKENLEDGER_RUN_TOKEN_EFFICIENCY, '1', 'Token efficiency per agent run', RATE_BUCKETS);
    const activeRuns = options.activeRuns;
    if (activeRuns) {
      meter
        .createObservableUpDownCounter(METRIC_TOKENLEDGER_PROCESSOR_RUNS_ACTIVE, { unit: '{run}', description: 'Runs held in memory' })
        .addCallback((result) => result.observe(activeRuns()));
    }
    this.runsEvicted = meter.createCounter(METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED, { unit: '{run}', description: 'Runs evicted before their root ended' });
    this.spansEvicted = meter.createCounter(METRIC_TOKENLEDGER_PROCESSOR_SPANS_EVICTED, {
      unit: '{span}',
      description: 'In-flight spans forgotten past maxSpans',
    });
    this.unpricedCalls = meter.createCounter(METRIC_TOKENLEDGER_CALLS_UNPRICED, { unit: '{call}', description: 'LLM calls whose cost is unknown' });
    this.spansLate = meter.createCounter(METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE, { unit: '{span}', description: 'Spans that ended after their run' });
    this.overflows = meter.createCounter(METRIC_TOKENLEDGER_ATTRIBUTION_OVERFLOW, {
      unit: '{record}',
      description: 'Records whose attribution value was capped',
    });
  }

  /**
   * One LLM call: `attributes` are the call span's (operation, provider, models, server, error type, attribution
   * keys); `run` is the innermost run it was in, whose attribution values fill in the keys the span lacks.
   */
  recordCall(attributes: Attributes, figures: CallFigures, durationSeconds: number, agentName: string | undefined, run?: AttributionSource, weight = 1): void {
    // A sampled span stands for `weight` calls: its counters are scaled, on series marked as estimates.
    const series = this.callSeries.seriesOf({
      attributes,
      failed: figures.failed,
      agent: agentName ?? '',
      attribution: this.attribution?.labels(attributes, run),
      estimated: weight !== 1,
    });
    this.duration.record(durationSeconds, series.histogram);
    const { tokens, cost } = figures;
    if (tokens) {
      this.inputPerCall.record(tokens.input!, series.histogram);
      this.outputPerCall.record(tokens.output!, series.histogram);
      if (this.legacyTokenUsage) {
        this.legacyTokenUsage.record(tokens.input!, { ...series.base, [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE_VALUE_INPUT });
        this.legacyTokenUsage.record(tokens.output!, { ...series.base, [ATTR_GEN_AI_TOKEN_TYPE]: GEN_AI_TOKEN_TYPE_VALUE_OUTPUT });
      }
      const genai = (series.genaiSlots ??= this.genaiUsage.slots(series.genaiKey, () => series.genaiAttributes));
      for (let index = 0; index < GENAI_USAGE.length; index += 1) add(genai, index, tokens[GENAI_USAGE[index]!.id], weight);
      addRows((series.tokenSlots ??= this.tokens.slots(series.key, () => series.labels)), tokens, weight);
    }
    if (cost) addRows((series.costSlots ??= this.cost.slots(series.key, () => series.labels)), cost, weight);
  }

  /** One rolled-up run; `run` gives its attribution values (its span's, else those of the runs it is nested in). */
  recordRun(summary: RunSummary, run?: AttributionSource, weight = 1): void {
    const attributes: Attributes = {
      [ATTR_GEN_AI_AGENT_NAME]: summary.agentName,
      [ATTR_TOKENLEDGER_RUN_OUTCOME]: summary.success ? TOKENLEDGER_RUN_OUTCOME_VALUE_SUCCESS : TOKENLEDGER_RUN_OUTCOME_VALUE_FAILURE,
      [ATTR_TOKENLEDGER_RUN_NESTED]: summary.nested,
      ...this.attribution?.labels(undefined, run),
    };
    // Runs of sampled traces are counted by their adjusted count; their histograms record the sampled run once.
    if (weight !== 1) attributes[ATTR_TOKENLEDGER_ESTIMATED] = true;
    this.runs.add(weight, attributes);
    if (Number.isFinite(summary.cost.total)) this.runCost.record(summary.cost.total, attributes);
    this.runSteps.record(summary.steps, attributes);
    if (summary.stepInflation !== undefined) this.runInflation.record(summary.stepInflation, attributes);
    if (summary.cacheHitRate !== undefined) this.runCacheHitRate.record(summary.cacheHitRate, attributes);
    if (summary.tokenEfficiency !== undefined) this.runTokenEfficiency.record(summary.tokenEfficiency, attributes);
  }

  evicted(reason: string): void {
    this.runsEvicted.add(1, { [ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON]: reason });
  }

  spanEvicted(): void {
    this.spansEvicted.add(1);
  }

  unpriced(provider: string, model: string, reason: string): void {
    this.unpricedCalls.add(1, {
      [ATTR_GEN_AI_PROVIDER_NAME]: provider,
      [ATTR_GEN_AI_REQUEST_MODEL]: model,
      [ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]: reason,
    });
  }

  late(): void {
    this.spansLate.add(1);
  }

  /** A record whose value of `key` was capped to `_overflow`. */
  attributionOverflow(key: string): void {
    this.overflows.add(1, { [ATTR_TOKENLEDGER_ATTRIBUTION_KEY]: key });
  }
}

function add(slots: Float64Array, index: number, value: number | undefined, weight: number): void {
  if (value !== undefined) slots[index]! += value * weight;
}

/** Adds each row's figure, in the table's order; an unknown one adds nothing (its series is then a lower bound). */
function addRows(slots: Float64Array, figures: TokenCounts | Partial<Record<string, number>>, weight: number): void {
  for (let index = 0; index < TOKEN_TYPES.length; index += 1)
    add(slots, index, (figures as Record<string, number | undefined>)[TOKEN_TYPES[index]!.id], weight);
}
