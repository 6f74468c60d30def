// A call's cost ⇄ span attributes, by the token-type table: the total, the cost of every part that is not zero and
// of every subset that is known, and where the price came from; or the reason there is no cost. Written once,
// where the call is priced; read only at the edges (collector mode, for spans another process already priced).
//
// A priced call's parts are all known (pricing needs every token part), so a part left off a span that has a total
// is 0, and the multiplier left off is 1: fewer attributes per call, nothing lost. Unknown stays signalled by the
// missing total and `tokenledger.cost.unknown_reason`. A subset (reasoning, tool result) can be unknown on a priced
// call, so it is written whenever it is known, 0 included, and absent means unknown.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
  ATTR_TOKENLEDGER_COST_CORRECTED_RATES,
  ATTR_TOKENLEDGER_COST_DATA_VERSION,
  ATTR_TOKENLEDGER_COST_LOCAL_DIFFERENCE_USD,
  ATTR_TOKENLEDGER_COST_MULTIPLIER,
  ATTR_TOKENLEDGER_COST_PRICE_ENTRY,
  ATTR_TOKENLEDGER_COST_SOURCE,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  GEN_AI_USAGE_COST_CURRENCY_VALUE_USD,
  GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL,
  GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER,
  TOKENLEDGER_COST_SOURCE_VALUES,
  TOKENLEDGER_COST_UNKNOWN_REASON_VALUES,
} from '../conventions/attributes.ts';
import { amountAttribute, stringAttribute, closedValue } from './attribute-values.ts';
import { usd, type PricedCall } from './pricing/call-pricer.ts';
import { TOKEN_TOTALS, TOKEN_TYPES, type CostAmounts } from './token-types.ts';

const COST_TOTAL = TOKEN_TOTALS.find((total) => total.costAttribute !== undefined)!;

export interface CostAttributeOptions {
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes. */
  genaiCostAttributes?: boolean;
}

/** Writes the cost attributes of a priced (or unpriced) call into `out`. Amounts are rounded to 1e-10 USD. */
export function writeCostAttributes(priced: PricedCall, out: Attributes, options: CostAttributeOptions = {}): Attributes {
  if (priced.cost === undefined) {
    out[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON] = priced.unknownReason;
    return out;
  }
  const { cost } = priced;
  for (const row of TOKEN_TYPES) {
    const amount = cost[row.id];
    if (amount === undefined || (amount === 0 && row.role === 'part')) continue;
    out[row.costAttribute] = usd(amount);
  }
  const total = usd(cost.total ?? 0);
  out[COST_TOTAL.costAttribute!] = total;
  if (priced.multiplier !== 1) out[ATTR_TOKENLEDGER_COST_MULTIPLIER] = priced.multiplier;
  out[ATTR_TOKENLEDGER_COST_SOURCE] = priced.source;
  // A cost the provider reported with no local price beside it came from no price entry or data.
  if (priced.priceEntry) out[ATTR_TOKENLEDGER_COST_PRICE_ENTRY] = priced.priceEntry;
  if (priced.dataVersion) out[ATTR_TOKENLEDGER_COST_DATA_VERSION] = priced.dataVersion;
  if (priced.correctedRates) out[ATTR_TOKENLEDGER_COST_CORRECTED_RATES] = [...priced.correctedRates];
  if (priced.localDifference !== undefined) out[ATTR_TOKENLEDGER_COST_LOCAL_DIFFERENCE_USD] = usd(priced.localDifference);
  if (options.genaiCostAttributes) {
    out[ATTR_GEN_AI_USAGE_COST_AMOUNT] = total;
    out[ATTR_GEN_AI_USAGE_COST_CURRENCY] = GEN_AI_USAGE_COST_CURRENCY_VALUE_USD;
    out[ATTR_GEN_AI_USAGE_COST_SOURCE] = priced.source === 'provider' ? GEN_AI_USAGE_COST_SOURCE_VALUE_PROVIDER : GEN_AI_USAGE_COST_SOURCE_VALUE_LOCAL;
  }
  return out;
}

function signedAmount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Whether a span already says what it cost (or why it has no cost): it was priced where it was made. */
export function isPriced(attributes: Attributes): boolean {
  return attributes[COST_TOTAL.costAttribute!] !== undefined || attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON] !== undefined;
}

/**
 * The cost a span priced elsewhere states. On a span with a total, a part left off is 0 (see above) and a subset left
 * off is unknown; a part or subset stated wrongly (not a finite amount) is unknown.
 */
export function costFromAttributes(attributes: Attributes): PricedCall {
  const total = amountAttribute(attributes[COST_TOTAL.costAttribute!]);
  if (total === undefined) {
    return { unknownReason: closedValue(TOKENLEDGER_COST_UNKNOWN_REASON_VALUES, attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON]) ?? 'usage_unknown' };
  }
  const cost: CostAmounts = { total };
  for (const row of TOKEN_TYPES) {
    const value = attributes[row.costAttribute];
    cost[row.id] = value === undefined && row.role === 'part' ? 0 : amountAttribute(value);
  }
  return {
    cost,
    multiplier: amountAttribute(attributes[ATTR_TOKENLEDGER_COST_MULTIPLIER]) ?? 1,
    source: closedValue(TOKENLEDGER_COST_SOURCE_VALUES, attributes[ATTR_TOKENLEDGER_COST_SOURCE]) ?? 'bundled',
    priceEntry: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_PRICE_ENTRY]) ?? '',
    dataVersion: stringAttribute(attributes[ATTR_TOKENLEDGER_COST_DATA_VERSION]) ?? '',
    localDifference: signedAmount(attributes[ATTR_TOKENLEDGER_COST_LOCAL_DIFFERENCE_USD]),
  };
}

/** Every attribute `writeCostAttributes` may write: all a span says about its price (what re-pricing it drops). */
export const COST_ATTRIBUTES: readonly string[] = [
  ...TOKEN_TYPES.map((row) => row.costAttribute),
  COST_TOTAL.costAttribute!,
  ATTR_TOKENLEDGER_COST_MULTIPLIER,
  ATTR_TOKENLEDGER_COST_SOURCE,
  ATTR_TOKENLEDGER_COST_PRICE_ENTRY,
  ATTR_TOKENLEDGER_COST_DATA_VERSION,
  ATTR_TOKENLEDGER_COST_CORRECTED_RATES,
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_GEN_AI_USAGE_COST_CURRENCY,
  ATTR_GEN_AI_USAGE_COST_SOURCE,
];
