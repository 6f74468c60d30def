// Which price data @pydantic/genai-prices is using: the data bundled with it (the default, offline), or data
// fetched by an explicit refresh. The package holds one dataset per process, so this state is global too.
import { genaiPrices } from './genai-prices.ts';

/** The bundled price data's version, kept in step with the installed package by a test. */
export const BUNDLED_PRICE_DATA_VERSION = '@pydantic/genai-prices@0.1.8';

/** The price data in use. */
export interface ActivePriceData {
  /** The data bundled with the package, or a copy fetched by `refreshPriceData`. */
  source: 'bundled' | 'refreshed';
  /** Recorded as `tokenledger.cost.data_version` on the calls it prices. */
  version: string;
  /** Bumped on every refresh, so cached model matches from older data are not reused. */
  generation: number;
}

let active: ActivePriceData = { source: 'bundled', version: BUNDLED_PRICE_DATA_VERSION, generation: 0 };

export function activePriceData(): ActivePriceData {
  return active;
}

/** Where `refreshPriceData` fetches from, and for how long. */
export interface PriceRefreshOptions {
  /** Where to fetch genai-prices' data JSON from. Default: the package's own published data file. */
  url?: string;
  /** How long the request may take. Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * Replaces the bundled price data with a fresh copy. Runs only when called (TOKENLEDGER_PRICES_REFRESH_URL
 * in the register entry): tokenledger makes no network request otherwise. On any failure the data in use stays.
 */
export async function refreshPriceData(options: PriceRefreshOptions = {}): Promise<ActivePriceData> {
  const { REMOTE_DATA_JSON_URL, updatePrices, waitForUpdate } = genaiPrices();
  const url = options.url ?? REMOTE_DATA_JSON_URL;
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  if (!response.ok) throw new Error(`price data refresh from ${url}: HTTP ${response.status}`);
  const data: unknown = await response.json();
  if (!Array.isArray(data) || !data.every((p) => typeof p?.id === 'string' && Array.isArray(p?.models))) {
    throw new Error(`price data refresh from ${url}: expected a list of providers with models`);
  }
  updatePrices(({ setProviderData }) => setProviderData(data));
  await waitForUpdate();
  active = { source: 'refreshed', version: `refreshed ${new Date().toISOString()} from ${url}`, generation: active.generation + 1 };
  return active;
}
