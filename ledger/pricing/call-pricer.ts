// Prices one LLM call from its usage figures and what it was: the provider, the model, and its batch or service
// tier. Unknown is never zero: a call whose usage is malformed, or lacks a figure the cost depends on, or whose
// model no price data knows, gets no cost — only a reason.
import { diag } from '@opentelemetry/api';
import type { TokenledgerCostSource, TokenledgerCostUnknownReason } from '../../conventions/attributes.ts';
import { partsKnown, type CostAmounts } from '../token-types.ts';
import type { UsageFigures } from '../usage-figures.ts';
import { callCost, pricedSubsets } from './call-cost.ts';
import { DEFAULT_MODIFIERS, multiplierFor, type PriceModifier } from './modifiers.ts';
import { PriceCatalog } from './price-catalog.ts';
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
  | { cost: CostAmounts; multiplier: number; source: TokenledgerCostSource; priceEntry: string; dataVersion: string; unknownReason?: undefined }
  | { cost?: undefined; unknownReason: CostUnknownReason };

const MAX_WARNED_MODELS = 1024;

export class CallPricer {
  private readonly catalog: PriceCatalog;
  private readonly modifiers: PriceModifier[];
  private readonly warned = new Set<string>();
  private readonly options: CallPricerOptions;

  constructor(options: CallPricerOptions = {}) {
    this.options = options;
    this.catalog = new PriceCatalog(options.overrides);
    this.modifiers = [...(options.overrides?.modifiers ?? []), ...DEFAULT_MODIFIERS];
  }

  price(usage: UsageFigures, call: CallDescription): PricedCall {
    const model = call.responseModel ?? call.requestModel ?? '';
    if (usage.unknownReason !== undefined || !partsKnown(usage.tokens)) return this.unpriced(call.provider, model, 'usage_unknown');
    try {
      const entry =
        (call.responseModel && this.catalog.find(call.provider, call.responseModel, call.startTime)) ||
        (call.requestModel && this.catalog.find(call.provider, call.requestModel, call.startTime)) ||
        undefined;
      if (!entry) {
        this.warnOnce(call.provider, model);
        return this.unpriced(call.provider, model, 'unknown_model');
      }
      const { tokens } = usage;
      // A subset billed at a rate of its own (reasoning, for some models) decides the cost: unknown, no cost.
      if (pricedSubsets(entry.prices, tokens.input ?? 0).some((row) => tokens[row.id] === undefined)) {
        return this.unpriced(call.provider, model, 'usage_unknown');
      }
      const multiplier = multiplierFor(
        { provider: entry.providerId, model: entry.modelId, serviceTier: call.serviceTier, batch: call.batch },
        this.modifiers,
      );
      return {
        cost: callCost(tokens, usage.webSearchRequests ?? 0, entry.prices, multiplier),
        multiplier,
        source: entry.source,
        priceEntry: entry.label,
        dataVersion: entry.dataVersion,
      };
    } catch (error) {
      diag.error(`tokenledger: could not price a call to ${call.provider} ${model}`, error);
      return this.unpriced(call.provider, model, 'pricing_error');
    }
  }

  /** A conservative USD estimate for a call about to be made (all input uncached), or undefined when unpriced. */
  estimate(provider: string, model: string, inputTokens: number, outputTokens: number, at = new Date()): number | undefined {
    try {
      const entry = this.catalog.find(provider, model, at);
      if (!entry) return undefined;
      const tokens = { input: inputTokens, uncached_input: inputTokens, output: outputTokens };
      return callCost(tokens, 0, entry.prices).total;
    } catch (error) {
      diag.debug('tokenledger: no cost estimate', error);
      return undefined;
    }
  }

  private unpriced(provider: string, model: string, reason: CostUnknownReason): PricedCall {
    this.options.onUnpriced?.(provider, model, reason);
    return { unknownReason: reason };
  }

  private warnOnce(provider: string, model: string): void {
    const key = `${provider}/${model}`;
    if (this.warned.has(key) || this.warned.size >= MAX_WARNED_MODELS) return;
    this.warned.add(key);
    diag.warn(`tokenledger: no price for ${provider} model "${model}"; its calls have no cost figure (add it with TOKENLEDGER_PRICES)`);
  }
}

/** USD rounded to 1e-10: float noise off, every real fraction of a cent kept. */
export function usd(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}
