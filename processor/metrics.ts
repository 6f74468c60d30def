// tokenledger's metrics, made once per meter. Per call: the GenAI conventions' `gen_ai.client.token.usage` and
// `gen_ai.client.operation.duration`, and our token and cost counters by type. Per run: run counts by outcome
// and histograms of cost, steps, step inflation, cache hit rate and token efficiency. Plus the processor's
// self-metrics. Bucket boundaries for the GenAI histograms are the conventions' own.
import { metrics, type Attributes, type Counter, type Histogram, type Meter, type MeterProvider, type ObservableResult } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON,
  ATTR_TOKENLEDGER_RUN_OUTCOME,
  ATTR_TOKENLEDGER_TOKEN_TYPE,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_TOKENLEDGER_CALLS_UNPRICED,
  METRIC_TOKENLEDGER_COST,
  METRIC_TOKENLEDGER_PROCESSOR_RUNS_ACTIVE,
  METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED,
  METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE,
  METRIC_TOKENLEDGER_RUN_CACHE_HIT_RATE,
  METRIC_TOKENLEDGER_RUN_COST,
  METRIC_TOKENLEDGER_RUN_STEP_INFLATION,
  METRIC_TOKENLEDGER_RUN_STEPS,
  METRIC_TOKENLEDGER_RUN_TOKEN_EFFICIENCY,
  METRIC_TOKENLEDGER_RUNS,
  METRIC_TOKENLEDGER_TOKENS,
} from '../conventions/attributes.ts';
import { VERSION } from '../instrumentation/version.ts';
import type { CallFigures } from './runs/call-figures.ts';
import type { RunSummary } from './runs/run-summary.ts';

const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const COST_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 50];
const STEP_BUCKETS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144];
const INFLATION_BUCKETS = [0.5, 1, 1.25, 1.5, 2, 3, 5, 10];
const RATE_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

const TOKEN_TYPES = ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output', 'reasoning', 'tool_result'] as const;
const COST_TYPES = ['uncached_input', 'cache_read', 'cache_write', 'output', 'reasoning', 'tool_result', 'request_fees'] as const;

/**
 * Sums by provider, model, agent and type, kept in-process and reported by an observable counter at collection
 * time. A synchronous counter hashes its whole attribute set on every add (about a microsecond) and a call adds
 * to up to 14 series; here an add is three map lookups on strings the span already holds, and a slot update.
 */
class SumTable {
  private readonly groups = new Map<unknown, Map<unknown, Map<string, Float64Array>>>();
  private readonly types: readonly string[];

  constructor(types: readonly string[]) {
    this.types = types;
  }

  /** The slots (one per type, in `types` order) of one provider / model / agent. */
  slots(provider: unknown, model: unknown, agent: string): Float64Array {
    let byModel = this.groups.get(provider);
    if (!byModel) this.groups.set(provider, (byModel = new Map()));
    let byAgent = byModel.get(model);
    if (!byAgent) byModel.set(model, (byAgent = new Map()));
    let slots = byAgent.get(agent);
    if (!slots) byAgent.set(agent, (slots = new Float64Array(this.types.length)));
    return slots;
  }

  observe(result: ObservableResult): void {
    for (const [provider, byModel] of this.groups) {
      for (const [model, byAgent] of byModel) {
        for (const [agent, slots] of byAgent) {
          slots.forEach((value, index) => {
            if (value === 0) return;
            result.observe(value, {
              [ATTR_GEN_AI_PROVIDER_NAME]: provider as string,
              [ATTR_GEN_AI_REQUEST_MODEL]: model as string,
              [ATTR_GEN_AI_AGENT_NAME]: agent,
              [ATTR_TOKENLEDGER_TOKEN_TYPE]: this.types[index]!,
            });
          });
        }
      }
    }
  }
}

/** tokenledger's meter from `provider`, else from the global MeterProvider. */
export function tokenledgerMeter(provider?: MeterProvider): Meter {
  return (provider ?? metrics.getMeterProvider()).getMeter('tokenledger', VERSION);
}

export class TokenledgerMetrics {
  private readonly tokenUsage: Histogram;
  private readonly duration: Histogram;
  private readonly tokens = new SumTable(TOKEN_TYPES);
  private readonly cost = new SumTable(COST_TYPES);
  private readonly runs: Counter;
  private readonly runCost: Histogram;
  private readonly runSteps: Histogram;
  private readonly runInflation: Histogram;
  private readonly runCacheHitRate: Histogram;
  private readonly runTokenEfficiency: Histogram;
  private readonly runsEvicted: Counter;
  private readonly spansLate: Counter;
  private readonly unpricedCalls: Counter;

  /** `activeRuns`, when given, is read at collection time for the runs-in-memory gauge (no work per run). */
  constructor(meter: Meter, activeRuns?: () => number) {
    const histogram = (name: string, unit: string, description: string, buckets: number[]) =>
      meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets } });
    this.tokenUsage = histogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, '{token}', 'Billable input and output tokens per LLM call', TOKEN_BUCKETS);
    this.duration = histogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, 's', 'Duration of LLM calls', DURATION_BUCKETS);
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_TOKENS, { unit: '{token}', description: 'Tokens by type' })
      .addCallback((result) => this.tokens.observe(result));
    meter
      .createObservableCounter(METRIC_TOKENLEDGER_COST, { unit: 'USD', description: 'Cost by token type' })
      .addCallback((result) => this.cost.observe(result));
    this.runs = meter.createCounter(METRIC_TOKENLEDGER_RUNS, { unit: '{run}', description: 'Finished agent runs by outcome' });
    this.runCost = histogram(METRIC_TOKENLEDGER_RUN_COST, 'USD', 'Cost per agent run', COST_BUCKETS);
    this.runSteps = histogram(METRIC_TOKENLEDGER_RUN_STEPS, '{step}', 'LLM calls per agent run', STEP_BUCKETS);
    this.runInflation = histogram(METRIC_TOKENLEDGER_RUN_STEP_INFLATION, '1', 'Steps / ideal steps per agent run', INFLATION_BUCKETS);
    this.runCacheHitRate = histogram(METRIC_TOKENLEDGER_RUN_CACHE_HIT_RATE, '1', 'Cache hit rate per agent run', RATE_BUCKETS);
    this.runTokenEfficiency = histogram(METRIC_TOKENLEDGER_RUN_TOKEN_EFFICIENCY, '1', 'Token efficiency per agent run', RATE_BUCKETS);
    if (activeRuns) {
      meter
        .createObservableUpDownCounter(METRIC_TOKENLEDGER_PROCESSOR_RUNS_ACTIVE, { unit: '{run}', description: 'Runs held in memory' })
        .addCallback((result) => result.observe(activeRuns()));
    }
    this.runsEvicted = meter.createCounter(METRIC_TOKENLEDGER_PROCESSOR_RUNS_EVICTED, { unit: '{run}', description: 'Runs evicted before their root ended' });
    this.unpricedCalls = meter.createCounter(METRIC_TOKENLEDGER_CALLS_UNPRICED, { unit: '{call}', description: 'LLM calls whose cost is unknown' });
    this.spansLate = meter.createCounter(METRIC_TOKENLEDGER_PROCESSOR_SPANS_LATE, { unit: '{span}', description: 'Spans that ended after their run' });
  }

  recordCall(attributes: Attributes, figures: CallFigures, durationSeconds: number, agentName: string | undefined): void {
    const errorType = figures.failed ? String(attributes[ATTR_ERROR_TYPE] ?? '_OTHER') : undefined;
    const base: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: attributes[ATTR_GEN_AI_OPERATION_NAME],
      [ATTR_GEN_AI_PROVIDER_NAME]: attributes[ATTR_GEN_AI_PROVIDER_NAME],
      [ATTR_GEN_AI_REQUEST_MODEL]: attributes[ATTR_GEN_AI_REQUEST_MODEL],
    };
    if (attributes[ATTR_GEN_AI_RESPONSE_MODEL] !== undefined) base[ATTR_GEN_AI_RESPONSE_MODEL] = attributes[ATTR_GEN_AI_RESPONSE_MODEL];
    this.duration.record(durationSeconds, errorType ? { ...base, [ATTR_ERROR_TYPE]: errorType } : base);
    const { tokens, cost } = figures;
    if (tokens) {
      this.tokenUsage.record(tokens.input, { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
      this.tokenUsage.record(tokens.output, { ...base, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
    }
    const provider = base[ATTR_GEN_AI_PROVIDER_NAME];
    const model = base[ATTR_GEN_AI_REQUEST_MODEL];
    if (tokens) {
      const slots = this.tokens.slots(provider, model, agentName ?? '');
      slots[0]! += tokens.uncached;
      slots[1]! += tokens.cacheRead;
      slots[2]! += tokens.cacheWrite - tokens.cacheWrite1h;
      slots[3]! += tokens.cacheWrite1h;
      slots[4]! += tokens.output;
      slots[5]! += tokens.reasoning;
      slots[6]! += tokens.toolResult;
    }
    if (cost) {
      const slots = this.cost.slots(provider, model, agentName ?? '');
      slots[0]! += cost.uncachedInput;
      slots[1]! += cost.cacheRead;
      slots[2]! += cost.cacheWrite;
      slots[3]! += cost.output;
      slots[4]! += cost.reasoning;
      slots[5]! += cost.toolResult;
      slots[6]! += cost.requestFees;
    }
  }

  recordRun(summary: RunSummary, agentName: string): void {
    const attributes = { [ATTR_GEN_AI_AGENT_NAME]: agentName, [ATTR_TOKENLEDGER_RUN_OUTCOME]: summary.success ? 'success' : 'failure' };
    this.runs.add(1, attributes);
    this.runCost.record(summary.cost.total, attributes);
    this.runSteps.record(summary.steps, attributes);
    if (summary.stepInflation !== undefined) this.runInflation.record(summary.stepInflation, attributes);
    if (summary.cacheHitRate !== undefined) this.runCacheHitRate.record(summary.cacheHitRate, attributes);
    if (summary.tokenEfficiency !== undefined) this.runTokenEfficiency.record(summary.tokenEfficiency, attributes);
  }

  evicted(reason: string): void {
    this.runsEvicted.add(1, { [ATTR_TOKENLEDGER_PROCESSOR_EVICTION_REASON]: reason });
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
}
