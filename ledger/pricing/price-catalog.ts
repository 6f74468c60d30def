// Finds the price entry for a call's model: the user's overrides first, then the data bundled with
// @pydantic/genai-prices (offline; nothing is fetched unless a refresh was asked for, see price-data.ts) with
// tokenledger's corrections for its stale or incomplete entries (price-corrections.ts). Matching a name costs tens of
// microseconds, so each (provider, model, hour) is matched once and cached, up to a cap (then the cache starts
// over); the hour keeps date- and time-of-day-dependent prices right. The one cache of the pricing path: a pricer
// keeps only its last plan in front of it (price-plans.ts).
import { diag } from '@opentelemetry/api';
import type { ModelPrice, Provider } from '@pydantic/genai-prices';
import { genaiPrices } from './genai-prices.ts';
import { priceQueries } from './model-names.ts';
import { correctedPrices } from './price-corrections.ts';
import { activePriceData } from './price-data.ts';
import type { PriceOverrides } from './price-overrides.ts';

export type PriceSource = 'bundled' | 'refreshed' | 'override';

export interface PriceEntry {
  providerId: string;
  modelId: string;
  /** `providerId/modelId`, as `tokenledger.cost.price_entry` says it (made once per match, not per call). */
  label: string;
  prices: ModelPrice;
  source: PriceSource;
  dataVersion: string;
  /** The price keys tokenledger's corrections set over the price data (`tokenledger.cost.corrected_rates`). */
  corrected?: readonly string[];
}

const MAX_CACHED = 4096;
const PROBE_USAGE = { input_tokens: 1, output_tokens: 1 };
export const HOUR_MS = 3_600_000;

export class PriceCatalog {
  private readonly cache = new Map<string, PriceEntry | null>();
  private readonly overrideProviders: Provider[];
  private readonly overrideVersion: string;

  constructor(overrides: PriceOverrides = {}) {
    this.overrideProviders = overrides.providers ?? [];
    this.overrideVersion = overrides.version ?? 'override';
  }

  /** The entry that prices `model` at time `at`, or undefined when no price data knows it. */
  find(providerName: string, model: string, at: Date): PriceEntry | undefined {
    const hour = Math.floor(at.getTime() / HOUR_MS);
    const key = `${providerName}\u0000${model}\u0000${hour}\u0000${activePriceData().generation}`;
    let cached = this.cache.get(key);
    if (cached === undefined) {
      cached = this.match(providerName, model, at) ?? null;
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(key, cached);
    }
    return cached ?? undefined;
  }

  private match(providerName: string, model: string, at: Date): PriceEntry | undefined {
    const queries = priceQueries(providerName, model);
    for (const query of queries) {
      for (const provider of this.overrideProviders) {
        if (provider.id !== query.providerId) continue;
        const found = priceOf(query.model, { provider, timestamp: at });
        if (found) return { ...found, source: 'override', dataVersion: this.overrideVersion };
      }
    }
    const data = activePriceData();
    for (const query of queries) {
      const found = priceOf(query.model, { providerId: query.providerId, timestamp: at });
      if (!found) continue;
      const corrected = correctedPrices(found.providerId, found.modelId, found.prices, at);
      if (corrected) return { ...found, prices: corrected.prices, corrected: corrected.corrected, source: data.source, dataVersion: data.version };
      return { ...found, source: data.source, dataVersion: data.version };
    }
    return undefined;
  }
}

function priceOf(model: string, options: Parameters<ReturnType<typeof genaiPrices>['calcPrice']>[2]) {
  try {
    const result = genaiPrices().calcPrice(PROBE_USAGE, model, options);
    if (!result) return undefined;
    return { providerId: result.provider.id, modelId: result.model.id, label: `${result.provider.id}/${result.model.id}`, prices: result.model_price };
  } catch (error) {
    diag.debug(`tokenledger: price lookup for ${model} failed`, error);
    return undefined;
  }
}
