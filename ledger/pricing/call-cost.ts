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
import { TOKEN_TYPES, type CostAmounts, type TokenCounts, type TokenTypeRow } from '../token-types.ts';

type Rate = ModelPrice[string];
const FEES = 'fees';
const INPUT_SHARE = 'input_share';
const ROWS: readonly TokenTypeRow[] = TOKEN_TYPES;
/** Each row's fallback, as an index into ROWS (-1 for none); a fallback always comes before the row that uses it. */
const FALLBACK = ROWS.map((row, index) => {
  if (row.pricedAs === undefined) return -1;
  const at = ROWS.findIndex((other) => other.id === row.pricedAs);
  if (at < 0 || at >= index) throw new Error(`token type ${row.id}: priced_as ${row.pricedAs} must be a row listed before it`);
  return at;
});
const TOKEN_PRICED = ROWS.map((row) => row.price !== FEES && row.price !== INPUT_SHARE);
const PARTS = ROWS.flatMap((row, index) => (row.role === 'part' ? [index] : []));
const SUBSETS = ROWS.flatMap((row, index) => (row.role === 'subset' ? [index] : []));
/** For each row, the subsets priced as it (which, carved out at their own rate, change its cost). */
const PRICED_INSIDE = ROWS.map((_, index) => SUBSETS.filter((at) => TOKEN_PRICED[at] && FALLBACK[at] === index));

/** USD per unit for a price key at this call's total input (per million tokens, or per thousand requests). */
function rate(price: Rate, totalInput: number, per: number): number | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return price / per;
  let value = price.base;
  for (const tier of price.tiers) if (totalInput > tier.start) value = tier.price;
  return value / per;
}

/** How each row is priced by one entry at one call size: its rate per token, and whether it is carved out. */
export interface RowRates {
  readonly rate: Float64Array;
  readonly carved: Uint8Array;
}

/**
 * An entry's rates by bracket of total input: a tiered rate changes only where the total passes a tier's start, so
 * the starts of all its tiers, sorted, cut the call sizes into brackets that share one set of rates. Worked out
 * once per entry and bracket (an entry with no tiers has one bracket).
 */
interface EntryRates {
  /** Every tier start of the entry, ascending, without repeats. */
  readonly starts: readonly number[];
  readonly byBracket: (RowRates | undefined)[];
}

const entryRates = new WeakMap<ModelPrice, EntryRates>();

export function rowRates(prices: ModelPrice, totalInput: number): RowRates {
  let entry = entryRates.get(prices);
  if (entry === undefined) {
    entry = { starts: tierStarts(prices), byBracket: [] };
    entryRates.set(prices, entry);
  }
  // The bracket: how many starts the total exceeds (a tier applies when the total is above its start).
  let bracket = 0;
  while (bracket < entry.starts.length && totalInput > entry.starts[bracket]!) bracket += 1;
  return (entry.byBracket[bracket] ??= computeRowRates(prices, totalInput));
}

function tierStarts(prices: ModelPrice): number[] {
  const starts = new Set<number>();
  for (const price of Object.values(prices)) {
    if (price !== undefined && typeof price !== 'number') for (const tier of price.tiers) starts.add(tier.start);
  }
  return [...starts].sort((a, b) => a - b);
}

function computeRowRates(prices: ModelPrice, totalInput: number): RowRates {
  const rates: RowRates = { rate: new Float64Array(ROWS.length), carved: new Uint8Array(ROWS.length) };
  ROWS.forEach((row, index) => {
    if (!TOKEN_PRICED[index]) return;
    const own = rate(prices[row.price as keyof ModelPrice], totalInput, 1e6);
    const fallback = FALLBACK[index]!;
    if (fallback < 0) {
      rates.rate[index] = own ?? 0;
      rates.carved[index] = 1;
    } else if (own !== undefined && rates.carved[fallback]) {
      rates.rate[index] = own;
      rates.carved[index] = 1;
    } else {
      rates.rate[index] = rates.rate[fallback]!;
    }
  });
  return rates;
}

/**
 * Whether a subset whose own rate changes the cost of the part it is in (reasoning at `output_reasoning_mtok`) is
 * unknown: such a call cannot be priced.
 */
export function pricedSubsetUnknown(rates: RowRates, tokens: TokenCounts): boolean {
  for (const index of SUBSETS) {
    if (TOKEN_PRICED[index] && FALLBACK[index]! >= 0 && rates.carved[index] === 1 && tokens[ROWS[index]!.id] === undefined) return true;
  }
  return false;
}

/**
 * The call's cost by token type. `tokens` must have every part known (the caller checks); a subset that is
 * unknown leaves its own cost unknown, and must not be one `pricedSubsetUnknown` finds (the caller checks that too).
 */
export function callCost(
  tokens: TokenCounts,
  webSearchRequests: number,
  prices: ModelPrice,
  multiplier = 1,
  rates = rowRates(prices, tokens.input ?? 0),
): CostAmounts {
  const totalInput = tokens.input ?? 0;
  const cost: CostAmounts = {};
  let total = 0;
  let inputCost = 0;
  for (const index of PARTS) {
    const row = ROWS[index]!;
    let amount: number;
    if (row.price === FEES) {
      amount = (rate(prices.requests_kcount, totalInput, 1e3) ?? 0) + webSearchRequests * (rate(prices.web_searches_kcount, totalInput, 1e3) ?? 0);
    } else {
      amount = (tokens[row.id] ?? 0) * rates.rate[index]! * multiplier;
      // A subset with its own rate is billed at that rate inside this part.
      for (const at of PRICED_INSIDE[index]!) {
        if (rates.carved[at]) amount += (tokens[ROWS[at]!.id] ?? 0) * (rates.rate[at]! - rates.rate[index]!) * multiplier;
      }
      if (row.side === 'input') inputCost += amount;
    }
    cost[row.id] = amount;
    total += amount;
  }
  for (const index of SUBSETS) {
    const subset = ROWS[index]!;
    const inside = tokens[subset.id];
    if (inside === undefined) continue;
    // Tool results cost what the input they make up cost: their share of every input part.
    if (subset.price === INPUT_SHARE) cost[subset.id] = totalInput > 0 ? (inputCost * inside) / totalInput : 0;
    else cost[subset.id] = inside * rates.rate[index]! * multiplier;
  }
  cost.total = total;
  return cost;
}
