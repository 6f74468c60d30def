// The telemetry side of a reconciliation: every recorded LLM call added, in one pass, to its group — provider ×
// UTC day × model — by token type: tokens and dollars as the recording priced them, and what the explanations need
// (calls, calls whose usage was never reported, batch and tier calls, calls near a day boundary). Memory is one
// entry per group and token type, whatever the number of spans.
import type { CallRecord } from '../recording/recorded-span.ts';
import type { ReplayedTrace, ReplaySink } from '../recording/replay.ts';
import { utcDay } from './bill-line.ts';
import type { ModelKeys } from './model-keys.ts';

/** tokenledger's token parts as reconcile compares them (reasoning is inside output; fees are server tools). */
export const TELEMETRY_TYPES = ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output', 'server_tools'] as const;
export type TelemetryType = (typeof TELEMETRY_TYPES)[number];

/** A call this close to a UTC midnight may be on the other side of it in the bill. */
export const BOUNDARY_MS = 10 * 60_000;

export interface TypeFigures {
  tokens: number;
  /** The tokens of calls with a cost for this type: `usd` is their dollars (the others' are unknown, not 0). */
  pricedTokens: number;
  usd: number;
}

export interface TelemetryGroup {
  provider: string;
  day: string;
  /** The model as the calls name it (the first seen). */
  model: string;
  key: string;
  calls: number;
  /** Calls whose usage is unknown (a stream cut before its usage chunk, a malformed report): their tokens are not in. */
  usageUnknown: number;
  /** Calls without a cost: the group's dollars are a lower bound. */
  unpriced: number;
  batchCalls: number;
  /** Calls by service tier (`standard` when none). */
  tiers: Map<string, number>;
  /** Calls within BOUNDARY_MS of the day's start or end. */
  nearBoundary: number;
  /** Σ 1/p over calls whose tracestate says they were sampled with probability p < 1. */
  sampledStandFor: number;
  types: Map<TelemetryType, TypeFigures>;
}

const PART_COST: Record<Exclude<TelemetryType, 'server_tools'>, true> = {
  uncached_input: true,
  cache_read: true,
  cache_write_5m: true,
  cache_write_1h: true,
  output: true,
};

const DAY_MS = 86_400_000;

export class TelemetryLedger implements ReplaySink {
  readonly groups = new Map<string, TelemetryGroup>();
  calls = 0;
  private readonly keys: ModelKeys;
  /** provider → model → UTC day number → group: found without building a key per call. */
  private readonly index = new Map<string, Map<string, Map<number, TelemetryGroup>>>();

  constructor(keys: ModelKeys) {
    this.keys = keys;
  }

  trace(trace: ReplayedTrace): void {
    for (const { call } of trace.calls) this.add(call);
  }

  lateCall(call: CallRecord): void {
    this.add(call);
  }

  private add(call: CallRecord): void {
    this.calls += 1;
    const { description } = call;
    const model = description.responseModel ?? description.requestModel ?? '';
    const dayNumber = Math.floor(call.startMs / DAY_MS);
    const group = this.groupOf(description.provider, model, dayNumber);
    group.calls += 1;
    if (description.batch) group.batchCalls += 1;
    const tier = description.batch ? 'batch' : (description.serviceTier ?? 'standard');
    group.tiers.set(tier, (group.tiers.get(tier) ?? 0) + 1);
    const sinceMidnight = call.startMs - dayNumber * DAY_MS;
    if (sinceMidnight < BOUNDARY_MS || sinceMidnight > 86_400_000 - BOUNDARY_MS) group.nearBoundary += 1;
    if (call.samplingProbability !== undefined && call.samplingProbability > 0 && call.samplingProbability < 1)
      group.sampledStandFor += 1 / call.samplingProbability;
    const tokens = call.figures.tokens;
    const cost = call.figures.cost;
    if (!tokens) group.usageUnknown += 1;
    if (!cost) group.unpriced += 1;
    for (const type of Object.keys(PART_COST) as Array<keyof typeof PART_COST>) {
      const figures = figuresOf(group, type);
      figures.tokens += tokens?.[type] ?? 0;
      const usd = cost?.[type];
      if (usd === undefined) continue;
      figures.pricedTokens += tokens?.[type] ?? 0;
      figures.usd += usd;
    }
    const fees = cost?.request_fees ?? 0;
    const searches = call.usage?.webSearchRequests ?? 0;
    if (fees !== 0 || searches !== 0) {
      const figures = figuresOf(group, 'server_tools');
      figures.tokens += searches;
      if (cost?.request_fees !== undefined) figures.pricedTokens += searches;
      figures.usd += fees;
    }
  }

  private groupOf(provider: string, model: string, dayNumber: number): TelemetryGroup {
    let models = this.index.get(provider);
    if (!models) this.index.set(provider, (models = new Map()));
    let days = models.get(model);
    if (!days) models.set(model, (days = new Map()));
    let group = days.get(dayNumber);
    if (group) return group;
    // Another name of the same model (by its price entry) on the same day shares the group.
    const day = utcDay(dayNumber * DAY_MS);
    const key = this.keys.groupKey(provider, model, day);
    group = this.groups.get(key);
    if (!group) {
      group = {
        provider,
        day,
        model,
        key,
        calls: 0,
        usageUnknown: 0,
        unpriced: 0,
        batchCalls: 0,
        tiers: new Map(),
        nearBoundary: 0,
        sampledStandFor: 0,
        types: new Map(),
      };
      this.groups.set(key, group);
    }
    days.set(dayNumber, group);
    return group;
  }
}

function figuresOf(group: TelemetryGroup, type: TelemetryType): TypeFigures {
  let figures = group.types.get(type);
  if (!figures) group.types.set(type, (figures = { tokens: 0, pricedTokens: 0, usd: 0 }));
  return figures;
}
