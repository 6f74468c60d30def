// The cost of one call from its usage and its model's price entry: the arithmetic of @pydantic/genai-prices
// for the keys tokenledger reports, done here so each token type gets its own figure (the package returns only
// input/output/total) and so pricing a call is a few multiplications once the entry is matched.
//
// The package's rules, mirrored exactly (test/pricing-parity.test.ts checks every bundled model against it):
// - usage buckets nest: cache_read ⊂ input, cache_write ⊂ input, cache_write_1h ⊂ cache_write, reasoning ⊂ output.
//   A bucket is priced at its own rate when the entry has one, else it stays in its parent and takes the
//   parent's rate (no cache_read_mtok: reads cost full input; no cache_write_1h_mtok: 1-hour writes cost the
//   5-minute rate).
// - a tiered rate (long context) is chosen by the call's total input tokens: the last tier whose `start` the
//   total exceeds applies, to every bucket of the call.
// - `requests_kcount` is a fee per call; `web_searches_kcount` a fee per server-side web search.
import type { ModelPrice } from '@pydantic/genai-prices';

/** A call's usage in the buckets priced here. Subsets are subsets: reasoning ⊂ output, and so on. */
export interface PricedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
  toolResultTokens?: number;
  webSearchRequests?: number;
}

export interface CostBreakdown {
  total: number;
  uncachedInput: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  /** All output, reasoning included. */
  output: number;
  /** ⊂ output. */
  reasoning: number;
  /** ⊂ the input costs; undefined when the tool-result share is unknown. */
  toolResult?: number;
  requestFees: number;
  /** The factor applied to the token charges. */
  multiplier: number;
}

type Rate = ModelPrice[string];

/** USD per token (or per request) for a price key at this call's total input. */
function rate(price: Rate, totalInput: number, per: number): number | undefined {
  if (price === undefined) return undefined;
  if (typeof price === 'number') return price / per;
  let value = price.base;
  for (const tier of price.tiers) if (totalInput > tier.start) value = tier.price;
  return value / per;
}

export function callCost(usage: PricedUsage, prices: ModelPrice, multiplier = 1): CostBreakdown {
  const total = usage.inputTokens;
  const input = rate(prices.input_mtok, total, 1e6) ?? 0;
  const readRate = rate(prices.cache_read_mtok, total, 1e6);
  const writeRate = rate(prices.cache_write_mtok, total, 1e6);
  const write1hRate = rate(prices.cache_write_1h_mtok, total, 1e6);
  const output = rate(prices.output_mtok, total, 1e6) ?? 0;
  const reasoningRate = rate(prices.output_reasoning_mtok, total, 1e6);

  // Buckets without their own rate stay in their parent.
  const reads = readRate === undefined ? 0 : usage.cacheReadTokens;
  const writes = writeRate === undefined ? 0 : usage.cacheWriteTokens;
  const writes1h = writeRate === undefined || write1hRate === undefined ? 0 : usage.cacheWrite1hTokens;
  const reasoningPriced = reasoningRate === undefined ? 0 : usage.reasoningTokens;

  const uncachedInput = (usage.inputTokens - reads - writes) * input * multiplier;
  const cacheRead = reads * (readRate ?? 0) * multiplier;
  const cacheWrite5m = (writes - writes1h) * (writeRate ?? 0) * multiplier;
  const cacheWrite1h = writes1h * (write1hRate ?? 0) * multiplier;
  const output_ = ((usage.outputTokens - reasoningPriced) * output + reasoningPriced * (reasoningRate ?? 0)) * multiplier;
  const reasoning = usage.reasoningTokens * (reasoningRate ?? output) * multiplier;
  const requestFees =
    (rate(prices.requests_kcount, total, 1e3) ?? 0) + (usage.webSearchRequests ?? 0) * (rate(prices.web_searches_kcount, total, 1e3) ?? 0);

  const inputCost = uncachedInput + cacheRead + cacheWrite5m + cacheWrite1h;
  // Tool results cost what the input they make up cost: their share of every input bucket.
  let toolResult: number | undefined;
  if (usage.toolResultTokens !== undefined) {
    toolResult = usage.inputTokens > 0 ? (inputCost * usage.toolResultTokens) / usage.inputTokens : 0;
  }
  return {
    total: inputCost + output_ + requestFees,
    uncachedInput,
    cacheRead,
    cacheWrite5m,
    cacheWrite1h,
    output: output_,
    reasoning,
    toolResult,
    requestFees,
    multiplier,
  };
}
