// Exact dollars for LLM call spans priced by TokenledgerSpanProcessor. Every expected amount is worked out
// beside it from the per-million-token rates in the bundled price data (@pydantic/genai-prices 0.1.8), so a
// reader can check it by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { costFromAttributes } from '../ledger/cost-attributes.ts';
import { TokenledgerSpanProcessor, type TokenledgerSpanProcessorOptions } from '../processor/span-processor.ts';
import { testMeterProvider } from './metric-reader.ts';

/** Ends one LLM call span with these attributes under a fresh processor; returns the attributes it ended with. */
function priced(attributes: Attributes, options: TokenledgerSpanProcessorOptions = {}): Attributes {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new TokenledgerSpanProcessor(options), new SimpleSpanProcessor({ exporter })],
  });
  provider
    .getTracer('test')
    .startSpan('chat', { attributes: { 'gen_ai.operation.name': 'chat', ...attributes } })
    .end();
  return exporter.getFinishedSpans()[0]!.attributes;
}

function usage(input: number, output: number, parts: { read?: number; write?: number; write1h?: number; reasoning?: number } = {}): Attributes {
  return {
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.usage.cache_read.input_tokens': parts.read ?? 0,
    'gen_ai.usage.cache_write.input_tokens': parts.write ?? 0,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': parts.write1h ?? 0,
    ...(parts.reasoning === undefined ? {} : { 'gen_ai.usage.reasoning.output_tokens': parts.reasoning }),
  };
}

function call(provider: string, model: string, extra: Attributes): Attributes {
  return { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, ...extra };
}

// Anthropic fixture usage: 50 uncached + 12000 cache read + 1000 5-minute + 2000 1-hour writes = 15050 input;
// 530 output of which 500 thinking.
const anthropicFixture = usage(15050, 530, { read: 12000, write: 3000, write1h: 2000, reasoning: 500 });

const cases: Array<{ name: string; attributes: Attributes; expected: Record<string, number | string> }> = [
  {
    name: 'anthropic claude-sonnet-4-5 (dated name): every token type, 1-hour writes at 2× input',
    attributes: call('anthropic', 'claude-sonnet-4-5-20250929', anthropicFixture),
    // $3 input, $0.30 read, $3.75 5m write, $6 1h write, $15 output per MTok
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.00015, // 50 × 3
      'tokenledger.cost.cache_read.usd': 0.0036, // 12000 × 0.3
      'tokenledger.cost.cache_write.ttl_5m.usd': 0.00375, // 1000 × 3.75
      'tokenledger.cost.cache_write.ttl_1h.usd': 0.012, // 2000 × 6
      'tokenledger.cost.output.usd': 0.00795, // 530 × 15
      'tokenledger.cost.reasoning.usd': 0.0075, // 500 × 15, inside output
      'tokenledger.cost.usd': 0.02745,
      'tokenledger.cost.price_entry': 'anthropic/claude-sonnet-4-5',
    },
  },
  {
    name: 'anthropic claude-sonnet-4-5 above 200k input: the whole call moves to the long-context tier',
    attributes: call('anthropic', 'claude-sonnet-4-5', usage(250_000, 1000, { read: 200_000 })),
    // $6 input, $0.60 read, $22.50 output per MTok above 200k
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.3, // 50000 × 6
      'tokenledger.cost.cache_read.usd': 0.12, // 200000 × 0.6
      'tokenledger.cost.output.usd': 0.0225, // 1000 × 22.5
      'tokenledger.cost.usd': 0.4425,
    },
  },
  {
    name: 'anthropic claude-opus-4-8: 1-hour cache writes and thinking',
    attributes: call('anthropic', 'claude-opus-4-8', usage(10_000, 2000, { write: 8000, write1h: 8000, reasoning: 1500 })),
    // $5 input, $10 1h write, $25 output per MTok
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.01, // 2000 × 5
      'tokenledger.cost.cache_write.ttl_1h.usd': 0.08, // 8000 × 10
      'tokenledger.cost.output.usd': 0.05, // 2000 × 25
      'tokenledger.cost.reasoning.usd': 0.0375, // 1500 × 25
      'tokenledger.cost.usd': 0.14,
    },
  },
  {
    name: 'anthropic claude-haiku-4-5 batch result (usage.service_tier = batch): half price on every type',
    attributes: call('anthropic', 'claude-haiku-4-5', {
      ...usage(4000, 1000, { read: 2000, write: 1000, write1h: 400, reasoning: 300 }),
      'tokenledger.request.service_tier': 'batch',
      'tokenledger.request.batch': true,
    }),
    // $1 input, $0.10 read, $1.25 5m write, $2 1h write, $5 output per MTok, all × 0.5:
    // (1000 × 1 + 2000 × 0.1 + 600 × 1.25 + 400 × 2 + 1000 × 5) / 1e6 = 0.00775, × 0.5
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.0005,
      'tokenledger.cost.cache_read.usd': 0.0001,
      'tokenledger.cost.cache_write.ttl_5m.usd': 0.000375,
      'tokenledger.cost.cache_write.ttl_1h.usd': 0.0004,
      'tokenledger.cost.output.usd': 0.0025,
      'tokenledger.cost.reasoning.usd': 0.00075,
      'tokenledger.cost.usd': 0.003875,
      'tokenledger.cost.multiplier': 0.5,
    },
  },
  {
    name: 'anthropic claude-haiku-4-5 with 3 server-side web searches: $10 per thousand, not scaled',
    attributes: call('anthropic', 'claude-haiku-4-5', { ...usage(100, 10), 'tokenledger.usage.web_search.requests': 3 }),
    // tokens (100 × 1 + 10 × 5) / 1e6 = 0.00015; searches 3 × 10 / 1000 = 0.03
    expected: { 'tokenledger.cost.request_fees.usd': 0.03, 'tokenledger.cost.usd': 0.03015 },
  },
  {
    name: 'openai gpt-5 (dated name): cached input at 0.1×, reasoning billed as output',
    attributes: call('openai', 'gpt-5-2025-08-07', usage(2150, 420, { read: 1920, reasoning: 384 })),
    // $1.25 input, $0.125 cached, $10 output per MTok
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.0002875, // 230 × 1.25
      'tokenledger.cost.cache_read.usd': 0.00024, // 1920 × 0.125
      'tokenledger.cost.output.usd': 0.0042, // 420 × 10
      'tokenledger.cost.reasoning.usd': 0.00384, // 384 × 10
      'tokenledger.cost.usd': 0.0047275,
    },
  },
  {
    name: 'openai gpt-4o on the flex tier: half price',
    attributes: call('openai', 'gpt-4o', { ...usage(10_000, 1000, { read: 5000 }), 'tokenledger.request.service_tier': 'flex' }),
    // (5000 × 2.5 + 5000 × 1.25 + 1000 × 10) / 1e6 = 0.02875, × 0.5
    expected: { 'tokenledger.cost.usd': 0.014375, 'tokenledger.cost.multiplier': 0.5 },
  },
  {
    name: 'openai gpt-4.1 on the priority tier: 1.75×',
    attributes: call('openai', 'gpt-4.1', { ...usage(1000, 100, { read: 400 }), 'tokenledger.request.service_tier': 'priority' }),
    // (600 × 2 + 400 × 0.5 + 100 × 8) / 1e6 = 0.0022, × 1.75
    expected: { 'tokenledger.cost.usd': 0.00385, 'tokenledger.cost.multiplier': 1.75 },
  },
  {
    name: 'openai gpt-5.4 above 272k input: the long-context tier',
    attributes: call('openai', 'gpt-5.4', usage(300_000, 1000, { read: 100_000 })),
    // $5 input, $0.50 cached, $22.50 output per MTok above 271999
    expected: {
      'tokenledger.cost.uncached_input.usd': 1,
      'tokenledger.cost.cache_read.usd': 0.05,
      'tokenledger.cost.output.usd': 0.0225,
      'tokenledger.cost.usd': 1.0725,
    },
  },
  {
    name: 'openai gpt-5.5 as the API names it (gpt-5.5-2026-04-01): the ISO date is stripped to match',
    attributes: { ...call('openai', 'gpt-5.5', usage(2150, 420, { read: 1920 })), 'gen_ai.response.model': 'gpt-5.5-2026-04-01' },
    // (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6
    expected: { 'tokenledger.cost.usd': 0.01471, 'tokenledger.cost.price_entry': 'openai/gpt-5.5' },
  },
  {
    name: 'gemini gemini-2.5-pro as models/gemini-2.5-pro: cached, thoughts in output',
    attributes: call('gcp.gemini', 'models/gemini-2.5-pro', usage(5320, 520, { read: 4096, reasoning: 480 })),
    // $1.25 input, $0.125 cached, $10 output per MTok
    expected: {
      'tokenledger.cost.uncached_input.usd': 0.00153, // 1224 × 1.25
      'tokenledger.cost.cache_read.usd': 0.000512, // 4096 × 0.125
      'tokenledger.cost.output.usd': 0.0052, // 520 × 10
      'tokenledger.cost.reasoning.usd': 0.0048, // 480 × 10
      'tokenledger.cost.usd': 0.007242,
      'tokenledger.cost.price_entry': 'google/gemini-2.5-pro',
    },
  },
  {
    name: 'gemini gemini-2.5-pro above 200k input: the long-context tier',
    attributes: call('gcp.gemini', 'gemini-2.5-pro', usage(250_500, 2000)),
    // 250500 × 2.5 + 2000 × 15, per MTok
    expected: { 'tokenledger.cost.usd': 0.65625 },
  },
  {
    name: 'vertex gemini-2.5-flash-001 on the priority tier: version suffix stripped, 1.8×',
    attributes: call('gcp.vertex_ai', 'gemini-2.5-flash-001', {
      ...usage(1000, 1000, { read: 500, reasoning: 600 }),
      'tokenledger.request.service_tier': 'priority',
    }),
    // (500 × 0.3 + 500 × 0.03 + 1000 × 2.5) / 1e6 = 0.002665, × 1.8
    expected: { 'tokenledger.cost.usd': 0.004797, 'tokenledger.cost.reasoning.usd': 0.0027, 'tokenledger.cost.price_entry': 'google/gemini-2.5-flash' },
  },
  {
    name: 'gemini gemini-3.8-flash batch: half price',
    attributes: call('gcp.gemini', 'gemini-3.8-flash', { ...usage(10_000, 1000, { read: 8000, reasoning: 800 }), 'tokenledger.request.batch': true }),
    // (2000 × 0.75 + 8000 × 0.075 + 1000 × 3.75) / 1e6 = 0.00585, × 0.5
    expected: { 'tokenledger.cost.usd': 0.002925, 'tokenledger.cost.reasoning.usd': 0.0015 },
  },
];

for (const c of cases) {
  test(`pricing: ${c.name}`, () => {
    const attributes = priced(c.attributes);
    for (const [key, value] of Object.entries(c.expected)) assert.equal(attributes[key], value, key);
    assert.equal(attributes['tokenledger.cost.source'], 'bundled');
    assert.equal(attributes['tokenledger.cost.data_version'], '@pydantic/genai-prices@0.1.8');
    assert.equal(attributes['tokenledger.cost.unknown_reason'], undefined);
  });
}

// Model names as APIs and gateways send them → the price entry used. 1000 input + 100 output tokens each.
const names: Array<[provider: string, model: string, entry: string, usd: number]> = [
  // Bedrock's regional endpoints cost 10% more: ($3.30 × 1000 + $16.50 × 100) / 1e6
  ['aws.bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0', 0.00495],
  // Vertex names Anthropic models with @date: ($3 × 1000 + $15 × 100) / 1e6
  ['gcp.vertex_ai', 'claude-sonnet-4-5@20250929', 'google/claude-sonnet-4-5', 0.0045],
  // A Vertex resource path: ($1.25 × 1000 + $10 × 100) / 1e6
  ['gcp.vertex_ai', 'projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro', 'google/gemini-2.5-pro', 0.00225],
  // A vendor prefix: ($2.50 × 1000 + $10 × 100) / 1e6
  ['openai', 'openai/gpt-4o', 'openai/gpt-4o', 0.0035],
  ['azure.ai.openai', 'gpt-4o', 'azure/gpt-4o', 0.0035],
];

for (const [provider, model, entry, usd] of names) {
  test(`pricing: the name ${provider} ${model} is priced as ${entry}`, () => {
    const attributes = priced(call(provider, model, usage(1000, 100)));
    assert.equal(attributes['tokenledger.cost.price_entry'], entry);
    assert.equal(attributes['tokenledger.cost.usd'], usd);
  });
}

test('pricing: the parts add up to the total (a part left off a priced span is 0)', () => {
  const attributes = priced(call('anthropic', 'claude-sonnet-4-5', anthropicFixture));
  assert.equal(attributes['tokenledger.cost.request_fees.usd'], undefined, 'no request fees: the 0 is left off');
  const parts = ['uncached_input', 'cache_read', 'cache_write.ttl_5m', 'cache_write.ttl_1h', 'output', 'request_fees'].map((part) =>
    Number(attributes[`tokenledger.cost.${part}.usd`] ?? 0),
  );
  assert.ok(Math.abs(parts.reduce((a, b) => a + b, 0) - Number(attributes['tokenledger.cost.usd'])) < 1e-9);
});

test('pricing: cost attributes read back as the figures they were written from, zero parts and all', () => {
  for (const attributes of [priced(call('anthropic', 'claude-sonnet-4-5', anthropicFixture)), priced(call('openai', 'gpt-4.1', usage(1000, 100)))]) {
    const read = costFromAttributes(attributes);
    assert.ok(read.cost, 'priced');
    // gpt-4.1 at standard rates, no cache: the cache parts, request fees and multiplier 1 are all left off, and read as 0 and 1.
    const written = ['uncached_input', 'cache_read', 'cache_write.ttl_5m', 'cache_write.ttl_1h', 'output', 'request_fees'].map((part) =>
      Number(attributes[`tokenledger.cost.${part}.usd`] ?? 0),
    );
    assert.deepEqual(
      [read.cost.uncached_input, read.cost.cache_read, read.cost.cache_write_5m, read.cost.cache_write_1h, read.cost.output, read.cost.request_fees],
      written,
    );
    assert.equal(read.multiplier, Number(attributes['tokenledger.cost.multiplier'] ?? 1));
  }
  const standard = priced(call('openai', 'gpt-4.1', usage(1000, 100)));
  assert.equal(standard['tokenledger.cost.multiplier'], undefined);
  assert.equal(standard['tokenledger.cost.cache_read.usd'], undefined);
  // A span with no total is unknown, whatever parts it carries: unknown is never read as 0.
  const unknown = costFromAttributes({ 'tokenledger.cost.unknown_reason': 'unknown_model', 'tokenledger.cost.output.usd': 0.5 });
  assert.equal(unknown.cost, undefined);
  assert.equal(unknown.unknownReason, 'unknown_model');
  // A subset left off a priced span is unknown, not 0.
  assert.equal(costFromAttributes({ 'tokenledger.cost.usd': 0.01 }).cost?.reasoning, undefined);
});

const negotiated = {
  version: 'acme-2026-11',
  providers: [
    {
      id: 'anthropic',
      name: 'Anthropic (negotiated)',
      api_pattern: 'https://api\\.anthropic\\.com',
      models: [
        {
          id: 'claude-sonnet-4-5',
          match: { starts_with: 'claude-sonnet-4-5' },
          prices: { input_mtok: 2.7, cache_read_mtok: 0.27, cache_write_mtok: 3.375, cache_write_1h_mtok: 5.4, output_mtok: 13.5 },
        },
      ],
    },
  ],
};

test('pricing: a user override wins over the bundled price and says so', () => {
  const attributes = priced(call('anthropic', 'claude-sonnet-4-5-20250929', anthropicFixture), { prices: negotiated });
  // 50 × 2.7 + 12000 × 0.27 + 1000 × 3.375 + 2000 × 5.4 + 530 × 13.5 = 24705 per MTok
  assert.equal(attributes['tokenledger.cost.usd'], 0.024705);
  assert.equal(attributes['tokenledger.cost.source'], 'override');
  assert.equal(attributes['tokenledger.cost.data_version'], 'acme-2026-11');
  assert.equal(attributes['tokenledger.cost.price_entry'], 'anthropic/claude-sonnet-4-5');
});

test('pricing: a YAML price file adds a self-hosted model and a discount modifier', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-prices-'));
  const file = join(dir, 'prices.yaml');
  writeFileSync(
    file,
    [
      'version: internal-1',
      'providers:',
      '  - id: acme',
      '    models:',
      '      - id: acme-coder-32b',
      '        match: { equals: acme-coder-32b }',
      '        prices: { input_mtok: 0.2, output_mtok: 0.6 }',
      'modifiers:',
      '  - when: { provider: anthropic }',
      '    multiplier: 0.9',
      '    note: enterprise discount',
    ].join('\n'),
  );
  const selfHosted = priced(call('acme', 'acme-coder-32b', usage(1000, 1000)), { pricesFile: file });
  assert.equal(selfHosted['tokenledger.cost.usd'], 0.0008); // 1000 × 0.2 + 1000 × 0.6 per MTok
  assert.equal(selfHosted['tokenledger.cost.source'], 'override');
  const discounted = priced(call('anthropic', 'claude-haiku-4-5', usage(1000, 1000)), { pricesFile: file });
  assert.equal(discounted['tokenledger.cost.usd'], 0.0054); // 0.006 × 0.9
  assert.equal(discounted['tokenledger.cost.multiplier'], 0.9);
});

test('pricing: an invalid price file is rejected at construction with the entry at fault named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-prices-'));
  const file = join(dir, 'prices.json');
  writeFileSync(file, JSON.stringify({ providers: [{ id: 'acme', models: [{ id: 'm1', match: { equals: 'other' }, prices: { input_mtok: 1 } }] }] }));
  assert.throws(() => new TokenledgerSpanProcessor({ pricesFile: file }), /providers\[0\]\.models\[0\] \(m1\): its match clause does not match its own id/);
  writeFileSync(file, '{ not json');
  assert.throws(() => new TokenledgerSpanProcessor({ pricesFile: file }), /not valid JSON or YAML/);
  assert.throws(
    () => new TokenledgerSpanProcessor({ prices: { modifiers: [{ when: {}, multiplier: -1 }] } }),
    /modifiers\[0\]\.multiplier must be a non-negative number/,
  );
});

test('pricing: an unknown model gets no cost figure, a reason, and one count of unpriced calls each time', async () => {
  const { meterProvider, reader } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider });
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  for (let i = 0; i < 2; i += 1) {
    provider
      .getTracer('t')
      .startSpan('chat', { attributes: { 'gen_ai.operation.name': 'chat', ...call('openai', 'my-finetune-xyz', usage(10, 1)) } })
      .end();
  }
  for (const span of exporter.getFinishedSpans()) {
    assert.equal(span.attributes['tokenledger.cost.usd'], undefined);
    assert.equal(span.attributes['tokenledger.cost.unknown_reason'], 'unknown_model');
  }
  const unpriced = (await reader.metricsByName()).get('tokenledger.calls.unpriced');
  assert.equal(unpriced?.dataPoints.length, 1);
  assert.equal(unpriced?.dataPoints[0]?.value, 2);
  assert.deepEqual(unpriced?.dataPoints[0]?.attributes, {
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'my-finetune-xyz',
    'tokenledger.cost.unknown_reason': 'unknown_model',
  });
});

test('pricing: malformed or unknown usage gets no cost figure and never throws', () => {
  const cases: Attributes[] = [
    call('openai', 'gpt-4o', { 'gen_ai.usage.output_tokens': 10 }),
    call('openai', 'gpt-4o', { ...usage(10, 1), 'gen_ai.usage.cache_read.input_tokens': 11 }),
    call('openai', 'gpt-4o', { ...usage(10, 1), 'gen_ai.usage.input_tokens': 'ten' }),
    call('openai', 'gpt-4o', { ...usage(10, 1), 'gen_ai.usage.input_tokens': -10 }),
    call('openai', 'gpt-4o', { 'tokenledger.usage.unknown_reason': 'stream_incomplete' }),
  ];
  for (const attributes of cases) {
    const out = priced(attributes);
    assert.equal(out['tokenledger.cost.usd'], undefined, JSON.stringify(attributes));
    assert.equal(out['tokenledger.cost.unknown_reason'], 'usage_unknown');
  }
});

test('pricing: the proposed gen_ai.usage.cost.* attributes are written when asked for', () => {
  const attributes = priced(call('openai', 'gpt-4.1', usage(1000, 100)), { genaiCostAttributes: true });
  assert.equal(attributes['gen_ai.usage.cost.amount'], 0.0028);
  assert.equal(attributes['gen_ai.usage.cost.currency'], 'USD');
  assert.equal(attributes['gen_ai.usage.cost.source'], 'local');
  assert.equal(priced(call('openai', 'gpt-4.1', usage(1000, 100)))['gen_ai.usage.cost.amount'], undefined);
});

test('pricing: agent and tool spans are not priced', () => {
  const attributes = priced({ ...call('openai', 'gpt-4o', usage(10, 1)), 'gen_ai.operation.name': 'invoke_agent' });
  assert.equal(attributes['tokenledger.cost.usd'], undefined);
  assert.equal(attributes['tokenledger.cost.unknown_reason'], undefined);
});

test('pricing: the recorded price data version is the installed package version', async () => {
  const { BUNDLED_PRICE_DATA_VERSION } = await import('../ledger/pricing/price-data.ts');
  const path = new URL('../node_modules/@pydantic/genai-prices/package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as { version: string };
  assert.equal(BUNDLED_PRICE_DATA_VERSION, `@pydantic/genai-prices@${pkg.version}`);
});
