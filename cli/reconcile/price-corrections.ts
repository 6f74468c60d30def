// `--write-prices`: the rates the bill charges where they differ from tokenledger's (price drift, cache writes priced
// without their own rate), as a TOKENLEDGER_PRICES overrides file. Each corrected model keeps its price entry whole
// (an override replaces the entry) with the corrected rates scaled by what the bill charged over what tokenledger
// priced for the same tokens, summed over every day the bill shows; `sources` says where each rate came from. Tier,
// batch, long-context and regional differences are not prices of the model and are not written.
import { writeFileSync } from 'node:fs';
import type { ModelPrice } from '@pydantic/genai-prices';
import type { BillTokenType } from './bill-line.ts';
import type { ModelKeys } from './model-keys.ts';
import type { Reconciliation } from './reconciliation.ts';

const PRICE_KEYS: Partial<Record<BillTokenType, keyof ModelPrice>> = {
  uncached_input: 'input_mtok',
  cache_read: 'cache_read_mtok',
  cache_write: 'cache_write_mtok',
  cache_write_5m: 'cache_write_mtok',
  cache_write_1h: 'cache_write_1h_mtok',
  output: 'output_mtok',
};

export interface PriceSource {
  provider: string;
  model: string;
  price: string;
  usd_per_mtok: number;
  was_usd_per_mtok: number;
  from: string;
}

interface Correction {
  providerId: string;
  modelId: string;
  names: Set<string>;
  prices: ModelPrice;
  /** Per price key: what the bill charged and what tokenledger priced, for the same tokens, and the days. */
  keys: Map<keyof ModelPrice, { billed: number; priced: number; tokens: number; days: Set<string>; was: number; billedRate: number }>;
}

export interface PriceCorrections {
  version: string;
  providers: Array<{ id: string; name: string; models: Array<{ id: string; match: unknown; prices: ModelPrice }> }>;
  sources: PriceSource[];
}

export function priceCorrections(result: Reconciliation, keys: ModelKeys, billFiles: (provider: string) => readonly string[]): PriceCorrections {
  const corrections = new Map<string, Correction>();
  let lastDay = '';
  for (const provider of result.providers) {
    for (const row of provider.rows) {
      if (row.day > lastDay) lastDay = row.day;
      const reason = row.reasons.find((candidate) => candidate.code === 'price_drift' || candidate.code === 'cache_write_unpriced');
      const key = row.tokenType === 'all' ? undefined : PRICE_KEYS[row.tokenType];
      if (!reason || key === undefined || reason.telemetryPerMtok === undefined || reason.billedPerMtok === undefined || row.telemetryTokens === 0) continue;
      const entry = keys.entry(provider.provider, row.model, row.day);
      if (!entry) continue;
      let correction = corrections.get(entry.label);
      if (!correction) {
        correction = { providerId: entry.providerId, modelId: entry.modelId, names: new Set([entry.modelId]), prices: entry.prices, keys: new Map() };
        corrections.set(entry.label, correction);
      }
      correction.names.add(row.model);
      const held = correction.keys.get(key) ?? {
        billed: 0,
        priced: 0,
        tokens: 0,
        days: new Set<string>(),
        was: reason.telemetryPerMtok,
        billedRate: reason.billedPerMtok,
      };
      held.billed += row.telemetryTokens * reason.billedPerMtok;
      held.priced += row.telemetryTokens * reason.telemetryPerMtok;
      held.tokens += row.telemetryTokens;
      held.days.add(row.day);
      correction.keys.set(key, held);
    }
  }
  const byProvider = new Map<string, PriceCorrections['providers'][number]>();
  const sources: PriceSource[] = [];
  for (const correction of corrections.values()) {
    const prices: ModelPrice = { ...correction.prices };
    for (const [key, held] of correction.keys) {
      const factor = held.billed / held.priced;
      const own = correction.prices[key];
      // A rate the entry has is scaled (its long-context tiers with it); one it lacks is the bill's rate.
      (prices as Record<string, unknown>)[key] = own === undefined ? round(held.billed / held.tokens) : scaled(own, factor);
      const days = [...held.days].sort();
      sources.push({
        provider: correction.providerId,
        model: correction.modelId,
        price: key,
        usd_per_mtok: round(held.billed / held.tokens),
        was_usd_per_mtok: round(held.priced / held.tokens),
        from: `${billFiles(providerOf(result, correction)).join(', ')}: ${held.tokens.toLocaleString('en-US')} tokens on ${days[0]}${days.length > 1 ? ` – ${days.at(-1)}` : ''} billed at ${round(held.billed / held.tokens)} USD per million`,
      });
    }
    let provider = byProvider.get(correction.providerId);
    if (!provider)
      byProvider.set(
        correction.providerId,
        (provider = { id: correction.providerId, name: `${correction.providerId} (reconciled with the bill)`, models: [] }),
      );
    provider.models.push({ id: correction.modelId, match: { or: [...correction.names].map((name) => ({ equals: name })) }, prices });
  }
  return { version: `reconciled-${lastDay || 'bill'}`, providers: [...byProvider.values()], sources };
}

function providerOf(result: Reconciliation, correction: Correction): string {
  return result.providers.find((provider) => provider.rows.some((row) => correction.names.has(row.model)))?.provider ?? correction.providerId;
}

function scaled(price: ModelPrice[keyof ModelPrice], factor: number): ModelPrice[keyof ModelPrice] {
  if (typeof price === 'number') return round(price * factor);
  if (price && typeof price === 'object' && 'base' in price) {
    return { base: round(price.base * factor), tiers: price.tiers.map((tier) => ({ start: tier.start, price: round(tier.price * factor) })) };
  }
  return price;
}

/** USD per million tokens, to 1e-9 (a rate the bill implies is a ratio of two decimals). */
function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

export function writePriceCorrections(path: string, corrections: PriceCorrections): void {
  writeFileSync(path, `${JSON.stringify(corrections, null, 2)}\n`);
}
