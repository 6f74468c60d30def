// Prices one LLM call span from its attributes: the normalised usage the instrumentation wrote (or the
// processor added to an SDK's own span), the model, and its batch / service tier. Unknown is never zero: a
// call that cannot be priced gets no cost figure, only `tokenledger.cost.unknown_reason`.
import { diag, type Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_COST_CACHE_READ_USD,
  ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD,
  ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD,
  ATTR_TOKENLEDGER_COST_DATA_VERSION,
  ATTR_TOKENLEDGER_COST_MULTIPLIER,
  ATTR_TOKENLEDGER_COST_OUTPUT_USD,
  ATTR_TOKENLEDGER_COST_PRICE_ENTRY,
  ATTR_TOKENLEDGER_COST_REASONING_USD,
  ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD,
  ATTR_TOKENLEDGER_COST_SOURCE,
  ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD,
  ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_COST_USD,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS,
} from '../../conventions/attributes.ts';
import { countAttribute, stringAttribute } from '../attribute-values.ts';
import { callCost, type CostBreakdown, type PricedUsage } from './call-cost.ts';
import { DEFAULT_MODIFIERS, multiplierFor, type PriceModifier } from './modifiers.ts';
import { PriceCatalog } from './price-catalog.ts';
import type { PriceOverrides } from './price-overrides.ts';

export type CostUnknownReason = 'unknown_model' | 'usage_unknown' | 'pricing_error';

export interface CallPricerOptions {
  overrides?: PriceOverrides;
  /** Also write the proposed `gen_ai.usage.cost.*` attributes. */
  genaiCostAttributes?: boolean;
  /** Told of every call that could not be priced (for the unpriced-calls counter). */
  onUnpriced?: (provider: string, model: string, reason: CostUnknownReason) => void;
}

export interface PricedCall {
  attributes: Attributes;
  cost?: CostBreakdown;
}

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

  /** Cost attributes for an LLM call span with these attributes, started at `startTime`. */
  price(attributes: Attributes, startTime: Date): PricedCall {
    const provider = stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? '';
    const requestModel = stringAttribute(attributes[ATTR_GEN_AI_REQUEST_MODEL]);
    const responseModel = stringAttribute(attributes[ATTR_GEN_AI_RESPONSE_MODEL]);
    const model = responseModel ?? requestModel ?? '';
    const usage = pricedUsage(attributes);
    if (!usage) return this.unpriced(provider, model, 'usage_unknown');
    try {
      const entry =
        (responseModel && this.catalog.find(provider, responseModel, startTime)) ||
        (requestModel && this.catalog.find(provider, requestModel, startTime)) ||
        undefined;
      if (!entry) {
        this.warnOnce(provider, model);
        return this.unpriced(provider, model, 'unknown_model');
      }
      const multiplier = multiplierFor(
        {
          provider: entry.providerId,
          model: entry.modelId,
          serviceTier: stringAttribute(attributes[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]),
          batch: attributes[ATTR_TOKENLEDGER_REQUEST_BATCH] === true,
        },
        this.modifiers,
      );
      const cost = callCost(usage, entry.prices, multiplier);
      const out = costAttributes(cost);
      out[ATTR_TOKENLEDGER_COST_SOURCE] = entry.source;
      out[ATTR_TOKENLEDGER_COST_PRICE_ENTRY] = `${entry.providerId}/${entry.modelId}`;
      out[ATTR_TOKENLEDGER_COST_DATA_VERSION] = entry.dataVersion;
      if (this.options.genaiCostAttributes) {
        out[ATTR_GEN_AI_USAGE_COST_AMOUNT] = out[ATTR_TOKENLEDGER_COST_USD];
        out[ATTR_GEN_AI_USAGE_COST_CURRENCY] = 'USD';
        out[ATTR_GEN_AI_USAGE_COST_SOURCE] = 'local';
      }
      return { attributes: out, cost };
    } catch (error) {
      diag.error(`tokenledger: could not price a call to ${provider} ${model}`, error);
      return this.unpriced(provider, model, 'pricing_error');
    }
  }

  /** A conservative USD estimate for a call about to be made (all input uncached), or undefined when unpriced. */
  estimate(provider: string, model: string, inputTokens: number, outputTokens: number, at = new Date()): number | undefined {
    try {
      const entry = this.catalog.find(provider, model, at);
      if (!entry) return undefined;
      const usage = { inputTokens, outputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 };
      return callCost(usage, entry.prices).total;
    } catch (error) {
      diag.debug('tokenledger: no cost estimate', error);
      return undefined;
    }
  }

  private unpriced(provider: string, model: string, reason: CostUnknownReason): PricedCall {
    this.options.onUnpriced?.(provider, model, reason);
    return { attributes: { [ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]: reason } };
  }

  private warnOnce(provider: string, model: string): void {
    const key = `${provider}/${model}`;
    if (this.warned.has(key) || this.warned.size >= MAX_WARNED_MODELS) return;
    this.warned.add(key);
    diag.warn(`tokenledger: no price for ${provider} model "${model}"; its calls have no cost figure (add it with TOKENLEDGER_PRICES)`);
  }
}

/** The usage to price, or undefined when input or output is unknown (a partial bill would be a wrong one). */
export function pricedUsage(attributes: Attributes): PricedUsage | undefined {
  const inputTokens = countAttribute(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
  const outputTokens = countAttribute(attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]);
  if (inputTokens === undefined || outputTokens === undefined) return undefined;
  const cacheReadTokens = countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] ?? 0);
  const cacheWriteTokens = countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] ?? 0);
  const cacheWrite1hTokens = countAttribute(attributes[ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS] ?? 0);
  const reasoningTokens = countAttribute(attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] ?? 0);
  if (cacheReadTokens === undefined || cacheWriteTokens === undefined || cacheWrite1hTokens === undefined || reasoningTokens === undefined) {
    return undefined;
  }
  if (cacheReadTokens + cacheWriteTokens > inputTokens || cacheWrite1hTokens > cacheWriteTokens || reasoningTokens > outputTokens) {
    return undefined;
  }
  return {
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
    reasoningTokens,
    toolResultTokens: countAttribute(attributes[ATTR_TOKENLEDGER_USAGE_TOOL_RESULT_INPUT_TOKENS]),
    webSearchRequests: countAttribute(attributes[ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS]),
  };
}

/** USD rounded to 1e-10: float noise off, every real fraction of a cent kept. */
export function usd(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

function costAttributes(cost: CostBreakdown): Attributes {
  const attributes: Attributes = {
    [ATTR_TOKENLEDGER_COST_USD]: usd(cost.total),
    [ATTR_TOKENLEDGER_COST_UNCACHED_INPUT_USD]: usd(cost.uncachedInput),
    [ATTR_TOKENLEDGER_COST_CACHE_READ_USD]: usd(cost.cacheRead),
    [ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_5M_USD]: usd(cost.cacheWrite5m),
    [ATTR_TOKENLEDGER_COST_CACHE_WRITE_TTL_1H_USD]: usd(cost.cacheWrite1h),
    [ATTR_TOKENLEDGER_COST_OUTPUT_USD]: usd(cost.output),
    [ATTR_TOKENLEDGER_COST_REASONING_USD]: usd(cost.reasoning),
    [ATTR_TOKENLEDGER_COST_REQUEST_FEES_USD]: usd(cost.requestFees),
    [ATTR_TOKENLEDGER_COST_MULTIPLIER]: cost.multiplier,
  };
  if (cost.toolResult !== undefined) attributes[ATTR_TOKENLEDGER_COST_TOOL_RESULT_USD] = usd(cost.toolResult);
  return attributes;
}
