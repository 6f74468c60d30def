// Prices one LLM call from its usage figures and what it was: the provider, the model, and its batch or service
// tier. Unknown is never zero: a call whose usage is malformed, or lacks a figure the cost depends on, or whose
// model no price data knows, gets no cost — only a reason. A provider that reports the call's cost itself
// (OpenRouter's `usage.cost`) is taken at its word: that is the cost, the local price is worked out beside it to
// split it into parts and to say how far apart the two are.
import { diag } from '@opentelemetry/api';
import type { TokenledgerCostSource, TokenledgerCostUnknownReason } from '../../conventions/attributes.ts';
import { partsKnown, type CostAmounts } from '../token-types.ts';
import type { UsageFigures } from '../usage-figures.ts';
import { callCost, pricedSubsetUnknown, rowRates } from './call-cost.ts';
import { genaiPrices } from './genai-prices.ts';
import { DEFAULT_MODIFIERS } from './modifiers.ts';
import { PriceCatalog } from './price-catalog.ts';
import { PricePlans } from './price-plans.ts';
import type { PriceOverrides } from './price-overrides.ts';

export type CostUnknownReason = TokenledgerCostUnknownReason;

/** What a call was, as far as its price goes. */
export interface CallDescription {
  provider: string;
  requestModel?: string;
  responseModel?: string;
  /** `tokenledger.request.service_tier`: standard | flex | priority | batch | scale. */
  serviceTier?: string;
  batch: boolean;
  startTime: Date;
}

export interface CallPricerOptions {
  overrides?: PriceOverrides;
  /** Told of every call that could not be priced (for the unpriced-calls counter). */
  onUnpriced?: (provider: string, model: string, reason: CostUnknownReason) => void;
}

export type PricedCall =
  | {
      cost: CostAmounts;
      multiplier: number;
      source: TokenledgerCostSource;
      priceEntry: string;
      dataVersion: string;
      /** The price keys tokenledger's corrections set over the price data, when any did. */
      correctedRates?: readonly string[];
      /** With a provider-reported cost: the local price minus it; undefined when the local price is unknown. */
      localDifference?: number;
      unknownReason?: undefined;
    }
  | { cost?: undefined; unknownReason: CostUnknownReason };

const MAX_WARNED_MODELS = 1024;

export class CallPricer {
  private readonly plans: PricePlans;
  /**
   * The guardrails' estimates before a call (by its request's model) have plans of their own: the estimate and the
   * price of each call, made in turn, would otherwise keep taking each other's place as the last plan.
   */
  private readonly estimates: PricePlans;
  private readonly warned = new Set<string>();
  private readonly options: CallPricerOptions;

  constructor(options: CallPricerOptions = {}) {
    this.options = options;
    // The price data is loaded here, when a pricer is made (at start), not by the first call priced: that call
    // would otherwise pay its ~35 ms of loading, and a short-lived process its first thousand calls' worth. Data that
    // cannot be loaded must not stop the app making its processor: each call then says so (`pricing_error`).
    try {
      genaiPrices();
    } catch (error) {
      diag.error(`tokenledger: the price data could not be loaded: ${(error as Error).message}`);
    }
    const catalog = new PriceCatalog(options.overrides);
    const modifiers = [...(options.overrides?.modifiers ?? []), ...DEFAULT_MODIFIERS];
    this.plans = new PricePlans(catalog, modifiers);
    this.estimates = new PricePlans(catalog, modifiers);
  }

  price(usage: UsageFigures, call: CallDescription): PricedCall {
    const model = call.responseModel ?? call.requestModel ?? '';
    const local = this.localPrice(usage, call, model);
    if (usage.providerCostUsd !== undefined) return providerReported(usage.providerCostUsd, local);
    if (local.cost !== undefined) return local;
    if (local.unknownReason === 'unknown_model') this.warnOnce(call.provider, model);
    this.options.onUnpriced?.(call.provider, model, local.unknownReason);
    return local;
  }

  /** The price from price data alone. */
  private localPrice(usage: UsageFigures, call: CallDescription, model: string): PricedCall {
    if (usage.unknownReason !== undefined || !partsKnown(usage.tokens)) return { unknownReason: 'usage_unknown' };
    try {
      const { entry, multiplier } = this.plans.planFor(call);
      if (!entry) return { unknownReason: 'unknown_model' };
      const { tokens } = usage;
      const rates = rowRates(entry.prices, tokens.input ?? 0);
      // A subset billed at a rate of its own (reasoning, for some models) decides the cost: unknown, no cost.
      if (pricedSubsetUnknown(rates, tokens)) {
        return { unknownReason: 'usage_unknown' };
      }
      const priced: PricedCall = {
        cost: callCost(tokens, usage.webSearchRequests ?? 0, entry.prices, multiplier, rates),
        multiplier,
        source: entry.source,
        priceEntry: entry.label,
        dataVersion: entry.dataVersion,
      };
      if (entry.corrected) priced.correctedRates = entry.corrected;
      return priced;
    } catch (error) {
      diag.error(`tokenledger: could not price a call to ${call.provider} ${model}`, error);
      return { unknownReason: 'pricing_error' };
    }
  }

  /** A conservative USD estimate for a call about to be made (all input uncached), or undefined when unpriced. */
  estimate(provider: string, model: string, inputTokens: number, outputTokens: number, at = new Date()): number | undefined {
    try {
      // Described as callDescription (llm-spans.ts) describes a call, key for key: one shape at the plans' reads.
      const call = { provider, requestModel: model, responseModel: undefined, serviceTier: undefined, batch: false, startTime: at };
      const { entry } = this.estimates.planFor(call);
      if (!entry) return undefined;
      const tokens = { input: inputTokens, uncached_input: inputTokens, output: outputTokens };
      return callCost(tokens, 0, entry.prices).total;
    } catch (error) {
      diag.debug('tokenledger: no cost estimate', error);
      return undefined;
    }
  }

  private warnOnce(provider: string, model: string): void {
    const key = `${provider}/${model}`;
    if (this.warned.has(key) || this.warned.size >= MAX_WARNED_MODELS) return;
    this.warned.add(key);
    diag.warn(`tokenledger: no price for ${provider} model "${model}"; its calls have no cost figure (add it with TOKENLEDGER_PRICES)`);
  }
}

/**
 * The provider's own figure is the cost. Its parts are the provider's total split in the proportions of the local
 * price (each part scaled by provider ÷ local), so they still add up to it; without a local price (or with a local
 * price of 0) only the total is known.
 */
function providerReported(total: number, local: PricedCall): PricedCall {
  if (local.cost === undefined || local.cost.total === undefined) {
    return { cost: { total }, multiplier: 1, source: 'provider', priceEntry: '', dataVersion: '' };
  }
  const localTotal = local.cost.total;
  const cost: CostAmounts = { total };
  if (localTotal > 0) {
    const scale = total / localTotal;
    for (const key in local.cost) if (key !== 'total') cost[key as keyof CostAmounts] = local.cost[key as keyof CostAmounts]! * scale;
  }
  return { ...local, cost, source: 'provider', localDifference: localTotal - total };
}

/** USD rounded to 1e-10: float noise off, every real fraction of a cent kept. */
export function usd(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
