// The corrections over the bundled price data: what each one sets, and — one test per correction — that the bundled
// data still needs it. When a new @pydantic/genai-prices release fixes an entry, its correction's test fails: take
// the entry out of the correction (or the correction out of price-corrections.ts) rather than keep it forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelPrice } from '@pydantic/genai-prices';
import { genaiPrices } from './genai-prices.ts';
import { CallPricer } from './call-pricer.ts';
import { correctedPrices, PRICE_CORRECTIONS, type PriceCorrection } from './price-corrections.ts';

const NOW = new Date('2026-12-01T12:00:00Z');

function correction(id: string): PriceCorrection {
  const found = PRICE_CORRECTIONS.find((entry) => entry.id === id);
  assert.ok(found, id);
  return found;
}

/** The bundled entries of the correction's provider that it changes, on any of their (date- or time-bound) prices. */
function bundledEntriesChanged(entry: PriceCorrection): string[] {
  const provider = genaiPrices().findProvider({ providerId: entry.providerId });
  assert.ok(provider, entry.providerId);
  return provider.models
    .filter((model) => entry.models.test(model.id))
    .filter((model) => {
      const variants: ModelPrice[] = Array.isArray(model.prices) ? model.prices.map((variant) => variant.prices) : [model.prices];
      return variants.some((prices) => correctedPrices(entry.providerId, model.id, prices, NOW, [entry]) !== undefined);
    })
    .map((model) => model.id);
}

const stillNeeded: Array<[id: string, entries: string[]]> = [
  [
    'bedrock-claude-1h-cache-write',
    [
      'global.anthropic.claude-fable-5-1-v1:0',
      'global.anthropic.claude-fable-5-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'global.anthropic.claude-opus-4-5-v1:0',
      'global.anthropic.claude-opus-4-6-v1:0',
      'global.anthropic.claude-opus-4-7-v1:0',
      'global.anthropic.claude-opus-4-8-v1:0',
      'global.anthropic.claude-opus-5',
      'global.anthropic.claude-sonnet-4-20250514-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-6-v1:0',
      'global.anthropic.claude-sonnet-5-v1:0',
      'regional.anthropic.claude-3-5-haiku-20241022-v1:0',
      'regional.anthropic.claude-3-5-sonnet-20240620-v1:0',
      'regional.anthropic.claude-3-5-sonnet-20241022-v2:0',
      'regional.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'regional.anthropic.claude-3-sonnet-20240229-v1:0',
      'regional.anthropic.claude-fable-5-1-v1:0',
      'regional.anthropic.claude-fable-5-v1:0',
      'regional.anthropic.claude-haiku-4-5-20251001-v1:0',
      'regional.anthropic.claude-opus-4-1-20250805-v1:0',
      'regional.anthropic.claude-opus-4-20250514-v1:0',
      'regional.anthropic.claude-opus-4-5-v1:0',
      'regional.anthropic.claude-opus-4-6-v1:0',
      'regional.anthropic.claude-opus-4-7-v1:0',
      'regional.anthropic.claude-opus-4-8-v1:0',
      'regional.anthropic.claude-opus-5',
      'regional.anthropic.claude-sonnet-4-20250514-v1:0',
      'regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'regional.anthropic.claude-sonnet-4-6-v1:0',
      'regional.anthropic.claude-sonnet-5-v1:0',
    ],
  ],
  [
    'vertex-claude-1h-cache-write',
    [
      'claude-3-5-haiku',
      'claude-3-5-sonnet',
      'claude-3-7-sonnet',
      'claude-3-haiku',
      'claude-3-opus',
      'claude-4-opus',
      'claude-4-sonnet',
      'claude-fable-5',
      'claude-fable-5-1',
      'claude-opus-4-6',
      'claude-opus-4-7',
      'claude-opus-4-8',
      'claude-opus-5',
      'claude-opus-5-5',
      'claude-sonnet-4-5',
      'claude-sonnet-4-6',
    ],
  ],
  ['deepseek-v3.2-price', ['deepseek-chat', 'deepseek-reasoner']],
];

test('price corrections: every correction has a test that it is still needed', () => {
  assert.deepEqual(PRICE_CORRECTIONS.map((entry) => entry.id).sort(), stillNeeded.map(([id]) => id).sort());
  for (const entry of PRICE_CORRECTIONS) {
    assert.match(entry.source, /^https:\/\//, `${entry.id}: the provider page it follows`);
    assert.match(entry.checked, /^\d{4}-\d{2}-\d{2}$/, `${entry.id}: when that page was checked`);
  }
});

for (const [id, entries] of stillNeeded) {
  test(`price corrections: ${id} still corrects exactly these bundled entries (fails once the bundled data agrees: remove them)`, () => {
    assert.deepEqual(bundledEntriesChanged(correction(id)), entries);
  });
}

test("price corrections: a 1-hour cache write is 2× the entry's own input rate, each long-context tier too", () => {
  const regional = { input_mtok: 3.3, cache_write_mtok: 4.125, cache_read_mtok: 0.33, output_mtok: 16.5 };
  assert.deepEqual(correctedPrices('aws', 'regional.anthropic.claude-sonnet-4-5-20250929-v1:0', regional, NOW), {
    prices: { ...regional, cache_write_1h_mtok: 6.6 },
    corrected: ['cache_write_1h_mtok'],
  });
  const tiered = { input_mtok: { base: 3, tiers: [{ start: 200000, price: 6 }] }, cache_write_mtok: { base: 3.75, tiers: [{ start: 200000, price: 7.5 }] } };
  assert.deepEqual(correctedPrices('google', 'claude-sonnet-4-5', tiered, NOW)?.prices.cache_write_1h_mtok, { base: 6, tiers: [{ start: 200000, price: 12 }] });
});

test('price corrections: an entry with its own 1-hour rate, or with no cache writes, is left as it is', () => {
  assert.equal(
    correctedPrices('aws', 'regional.anthropic.claude-opus-5-5', { input_mtok: 4.4, cache_write_mtok: 5.5, cache_write_1h_mtok: 8.8, output_mtok: 22 }, NOW),
    undefined,
  );
  assert.equal(correctedPrices('aws', 'regional.anthropic.claude-3-haiku-20240307-v1:0', { input_mtok: 0.25, output_mtok: 1.25 }, NOW), undefined);
  // Anthropic's own entries have their 1-hour rates; the correction is for the clouds' entries only.
  assert.equal(correctedPrices('anthropic', 'claude-3-haiku', { input_mtok: 0.25, cache_write_mtok: 0.3, output_mtok: 1.25 }, NOW), undefined);
});

test("price corrections: DeepSeek at its current rate by day and by night from 2025-09-29, the data's own before", () => {
  const day = { input_mtok: 0.27, cache_read_mtok: 0.07, output_mtok: 1.1 };
  const night = { input_mtok: 0.135, cache_read_mtok: 0.035, output_mtok: 0.55 };
  const current = { prices: { input_mtok: 0.28, cache_read_mtok: 0.028, output_mtok: 0.42 }, corrected: ['input_mtok', 'cache_read_mtok', 'output_mtok'] };
  assert.deepEqual(correctedPrices('deepseek', 'deepseek-chat', day, NOW), current);
  assert.deepEqual(correctedPrices('deepseek', 'deepseek-chat', night, new Date('2026-12-01T20:00:00Z')), current);
  assert.deepEqual(correctedPrices('deepseek', 'deepseek-reasoner', { input_mtok: 0.55, cache_read_mtok: 0.14, output_mtok: 2.19 }, NOW), current);
  assert.equal(correctedPrices('deepseek', 'deepseek-chat', day, new Date('2025-09-28T12:00:00Z')), undefined);
  // Data that has moved on (a refresh, a newer package) is taken as it is.
  assert.equal(correctedPrices('deepseek', 'deepseek-chat', { input_mtok: 0.3, cache_read_mtok: 0.03, output_mtok: 0.45 }, NOW), undefined);
  assert.equal(correctedPrices('deepseek', 'deepseek-v4-flash', day, NOW), undefined);
});

const deepseekCall = (startTime: Date) => ({ provider: 'deepseek', requestModel: 'deepseek-chat', responseModel: 'deepseek-chat', batch: false, startTime });
const deepseekUsage = { tokens: { input: 1_000_000, uncached_input: 800_000, cache_read: 200_000, cache_write_5m: 0, cache_write_1h: 0, output: 100_000 } };

test('price corrections: a DeepSeek call is priced at the corrected rates at midday, and says which rates were corrected', () => {
  const priced = new CallPricer().price(deepseekUsage, deepseekCall(NOW));
  // 800 000 × 0.28 + 200 000 × 0.028 + 100 000 × 0.42 per million = 0.224 + 0.0056 + 0.042.
  assert.equal(priced.cost?.total?.toFixed(6), '0.271600');
  assert.deepEqual(
    [priced.unknownReason, priced.cost && priced.priceEntry, priced.cost && priced.source, priced.cost && priced.correctedRates],
    [undefined, 'deepseek/deepseek-chat', 'bundled', ['input_mtok', 'cache_read_mtok', 'output_mtok']],
  );
});

test("price corrections: the user's overrides come first, and are not corrected", () => {
  const overrides = {
    providers: [
      {
        id: 'deepseek',
        name: 'DeepSeek (negotiated)',
        api_pattern: '$^',
        models: [{ id: 'deepseek-chat', match: { equals: 'deepseek-chat' }, prices: { input_mtok: 0.2, output_mtok: 0.4 } }],
      },
    ],
  };
  const priced = new CallPricer({ overrides }).price(deepseekUsage, deepseekCall(NOW));
  // Cache reads at the input rate (the override has no cache read rate): 1 000 000 × 0.2 + 100 000 × 0.4 per million.
  assert.equal(priced.cost?.total?.toFixed(6), '0.240000');
  assert.deepEqual([priced.cost && priced.source, priced.cost && priced.correctedRates], ['override', undefined]);
});
