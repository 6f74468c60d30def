// Corrections to the price data bundled with @pydantic/genai-prices, for entries known to be stale or incomplete.
// Each one names the provider page that says so and when it was checked; it sets rates on an entry only while the
// entry still has the stale or missing rates it corrects, so data that has caught up (a newer package, a refresh)
// is taken as it is. A test per correction (price-corrections.test.ts) fails once the bundled data agrees, so the
// correction is removed rather than kept forever. User overrides come before any of this (price-catalog.ts).
import type { ModelPrice } from '@pydantic/genai-prices';

type Rate = ModelPrice[string];

export interface PriceCorrection {
  /** Named on nothing but here and in the docs: what it corrects. */
  id: string;
  /** The price data's provider id. */
  providerId: string;
  /** The price data's model ids it may correct. */
  models: RegExp;
  /** The provider's page that states the corrected rates. */
  source: string;
  /** When that page was last checked against this correction (YYYY-MM-DD). */
  checked: string;
  /** Calls from this date on (the provider's change, YYYY-MM-DD); earlier calls keep the data's rates. */
  from?: string;
  /** The rates to set on an entry with these rates, or undefined when the entry needs no correction. */
  rates(prices: ModelPrice): ModelPrice | undefined;
}

/**
 * Anthropic prices a 1-hour cache write at 2× the base input rate (a 5-minute one at 1.25×) on every platform it is
 * sold on. The Bedrock and Vertex entries of the bundled data lack the 1-hour rate, so those writes were priced at
 * the 5-minute rate: the missing rate is derived from the entry's own input rate (each long-context tier too).
 */
function derivedOneHourCacheWrite(prices: ModelPrice): ModelPrice | undefined {
  if (prices.cache_write_1h_mtok !== undefined || prices.cache_write_mtok === undefined || prices.input_mtok === undefined) return undefined;
  return { cache_write_1h_mtok: scaled(prices.input_mtok, 2) };
}

function scaled(rate: Rate, factor: number): Rate {
  if (rate === undefined || typeof rate === 'number') return rate === undefined ? undefined : rate * factor;
  return { base: rate.base * factor, tiers: rate.tiers.map((tier) => ({ start: tier.start, price: tier.price * factor })) };
}

/**
 * A replacement of an entry's whole price while the data still has one of the stale prices it lists (compared on
 * the rates they set): the data may resolve a call to any of them (DeepSeek's old off-peak window).
 */
function replacing(stale: readonly ModelPrice[], current: ModelPrice): (prices: ModelPrice) => ModelPrice | undefined {
  return (prices) => (stale.some((old) => Object.entries(old).every(([key, value]) => prices[key] === value)) ? current : undefined);
}

export const PRICE_CORRECTIONS: readonly PriceCorrection[] = [
  {
    id: 'bedrock-claude-1h-cache-write',
    providerId: 'aws',
    models: /anthropic\.claude-/,
    source: 'https://platform.claude.com/en/docs/build-with-claude/prompt-caching#pricing',
    checked: '2026-12-01',
    rates: derivedOneHourCacheWrite,
  },
  {
    id: 'vertex-claude-1h-cache-write',
    providerId: 'google',
    models: /^claude-/,
    // "The Vertex AI offering of these Anthropic models behaves as described in the Anthropic documentation."
    source: 'https://docs.cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/prompt-caching',
    checked: '2026-12-01',
    rates: derivedOneHourCacheWrite,
  },
  {
    // DeepSeek-V3.2 serves both model names at one price since September 2025, and the off-peak discount ended then.
    id: 'deepseek-v3.2-price',
    providerId: 'deepseek',
    models: /^deepseek-(chat|reasoner)$/,
    source: 'https://api-docs.deepseek.com/quick_start/pricing',
    checked: '2026-12-01',
    from: '2025-09-29',
    rates: replacing(
      [
        { input_mtok: 0.27, cache_read_mtok: 0.07, output_mtok: 1.1 },
        { input_mtok: 0.55, cache_read_mtok: 0.14, output_mtok: 2.19 },
        { input_mtok: 0.135, cache_read_mtok: 0.035, output_mtok: 0.55 },
      ],
      { input_mtok: 0.28, cache_read_mtok: 0.028, output_mtok: 0.42 },
    ),
  },
];

/** An entry's prices with the corrections that apply to it, and the price keys they changed. */
export interface CorrectedPrices {
  prices: ModelPrice;
  corrected: string[];
}

/** The corrected prices of a price-data entry for a call at `at`, or undefined when no correction applies. */
export function correctedPrices(
  providerId: string,
  modelId: string,
  prices: ModelPrice,
  at: Date,
  corrections = PRICE_CORRECTIONS,
): CorrectedPrices | undefined {
  let result: CorrectedPrices | undefined;
  for (const correction of corrections) {
    if (correction.providerId !== providerId || !correction.models.test(modelId)) continue;
    if (correction.from !== undefined && at.getTime() < Date.parse(correction.from)) continue;
    const current = result?.prices ?? prices;
    const rates = correction.rates(current);
    if (!rates) continue;
    const changed = Object.keys(rates).filter((key) => JSON.stringify(rates[key]) !== JSON.stringify(current[key]));
    if (changed.length === 0) continue;
    result = { prices: { ...current, ...rates }, corrected: [...new Set([...(result?.corrected ?? []), ...changed])] };
  }
  return result;
}
