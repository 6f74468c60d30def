// The cost of one call from its token figures and its model's price entry: the arithmetic of
// @pydantic/genai-prices for the keys tokenledger reports, done here so each token type gets its own figure (the
// package returns only input/output/total) and so pricing a call is a few multiplications once the entry is
// matched. Driven by the token-type table: each row's `price` key and `pricedAs` fallback.
//
// The package's rules, mirrored exactly (test/pricing-parity.test.ts checks every bundled model against it):
// - buckets nest: a part (or a priced subset) is carved out at its own rate when the entry has one and the part
//   it falls back to was carved out too; otherwise it stays in that part and takes its rate (no cache_read_mtok:
//   reads cost full input; no cache_write_1h_mtok: 1-hour writes cost the 5-minute rate; no cache_write_mtok:
//   every write costs full input).
// - a tiered rate (long context) is chosen by the call's total input tokens: the last tier whose `start` the
//   total exceeds applies, to every bucket of the call.
// - `requests_kcount` is a fee per call; `web_searches_kcount` a fee per server-side web search. Fees are never
//   scaled by the batch or service-tier multiplier.
import type { ModelPrice } from '@pydantic/genai-prices';
import { PART_ROWS, SUBSET_ROWS, TOKEN_TYPES, type CostAmounts, type TokenCounts, type TokenTypeRow } from '../token-types.ts';

type Rate = ModelPrice[string];
const FEES = 'fees';
const INPUT_SHARE = 'input_share';
const rowById = new Map<string, TokenTypeRow>(TOKEN_TYPES.map((row) => [row.id, row]));

/** USD per unit for a price key at this call's total input (per million tokens, or per thousand requests). */
function rate(price: Rate, totalInput: number, per: number): number | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return price / per;
  let value = price.base;
  for (const tier of price.tiers) if (totalInput > tier.start) value = tier.price;
  return value / per;
}

/** How each token row is priced by one entry at one call size: its rate per token, and whether it is carved out. */
interface RowRates {
  rate: Map<string, number>;
  carved: Set<string>;
  /** pricedSubsets' answer, kept with the rates it follows from. */
  pricedSubsets?: readonly TokenTypeRow[];
}

// An entry without tiers prices every call alike: its rates are worked out once (entries are the price data's own
// objects, kept for the process's life or until a refresh replaces them).
const flatRates = new WeakMap<ModelPrice, RowRates>();

function rowRates(prices: ModelPrice, totalInput: number): RowRates {
  const cached = flatRates.get(prices);
  if (cached) return cached;
  const rates = workOutRates(prices, totalInput);
  if (!hasTiers(prices)) flatRates.set(prices, rates);
  return rates;
}

function hasTiers(prices: ModelPrice): boolean {
  for (const key in prices) {
    const value = prices[key as keyof ModelPrice];
    if (value !== null && typeof value === 'object') return true;
  }
  return false;
}

function workOutRates(prices: ModelPrice, totalInput: number): RowRates {
  const rates: RowRates = { rate: new Map(), carved: new Set() };
  const resolve = (row: TokenTypeRow): number => {
    const known = rates.rate.get(row.id);
    if (known !== undefined) return known;
    const own = rate(prices[row.price as keyof ModelPrice], totalInput, 1e6);
    const fallback = row.pricedAs === undefined ? undefined : rowById.get(row.pricedAs)!;
    let value: number;
    if (fallback === undefined) {
      value = own ?? 0;
      rates.carved.add(row.id);
    } else {
      const fallbackRate = resolve(fallback);
      const carved = own !== undefined && rates.carved.has(fallback.id);
      if (carved) rates.carved.add(row.id);
      value = carved ? own : fallbackRate;
    }
    rates.rate.set(row.id, value);
    return value;
  };
  for (const row of TOKEN_TYPES) if (row.price !== FEES && row.price !== INPUT_SHARE) resolve(row);
  return rates;
}

/**
 * The subsets whose own rate changes the cost of the part they are in (reasoning at `output_reasoning_mtok`):
 * a call with such a subset unknown cannot be priced.
 */
export function pricedSubsets(prices: ModelPrice, totalInput: number): readonly TokenTypeRow[] {
  const rates = rowRates(prices, totalInput);
  rates.pricedSubsets ??= SUBSET_ROWS.filter((row) => row.price !== INPUT_SHARE && row.pricedAs !== undefined && rates.carved.has(row.id));
  return rates.pricedSubsets;
}

/**
 * The call's cost by token type. `tokens` must have every part known (the caller checks); a subset that is
 * unknown leaves its own cost unknown, and must not be one of `pricedSubsets` (the caller checks that too).
 */
export function callCost(tokens: TokenCounts, webSearchRequests: number, prices: ModelPrice, multiplier = 1): CostAmounts {
  const totalInput = tokens.input ?? 0;
  const { rate: rates, carved } = rowRates(prices, totalInput);
  const cost: CostAmounts = {};
  let total = 0;
  let inputCost = 0;
  for (const row of PART_ROWS) {
    let amount: number;
    if (row.price === FEES) {
      amount = (rate(prices.requests_kcount, totalInput, 1e3) ?? 0) + webSearchRequests * (rate(prices.web_searches_kcount, totalInput, 1e3) ?? 0);
    } else {
      const count = tokens[row.id] ?? 0;
      amount = count * rates.get(row.id)! * multiplier;
      // A subset with its own rate is billed at that rate inside this part.
      for (const subset of SUBSET_ROWS) {
        if (subset.pricedAs !== row.id || !carved.has(subset.id)) continue;
        const inside = tokens[subset.id] ?? 0;
        amount += inside * (rates.get(subset.id)! - rates.get(row.id)!) * multiplier;
      }
      if (row.side === 'input') inputCost += amount;
    }
    cost[row.id] = amount;
    total += amount;
  }
  for (const subset of SUBSET_ROWS) {
    const inside = tokens[subset.id];
    if (inside === undefined) continue;
    if (subset.price === INPUT_SHARE) {
      // Tool results cost what the input they make up cost: their share of every input part.
      cost[subset.id] = totalInput > 0 ? (inputCost * inside) / totalInput : 0;
    } else {
      cost[subset.id] = inside * rates.get(subset.id)! * multiplier;
    }
  }
  cost.total = total;
  return cost;
}
