// Defects the ledger refactor fixes, pinned as the behaviour it must have (each test fails on the code before it):
// run cost split by cache-write TTL, token-type metric labels that partition the call's tokens and dollars (the
// subsets in metrics of their own), and the GenAI conventions' current per-call metrics. Real SDKs against the
// fake provider; rates from the bundled @pydantic/genai-prices data, worked out beside each figure.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { context } from '@opentelemetry/api';
import type AnthropicClient from '@anthropic-ai/sdk';
import type OpenAIClient from 'openai';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
// Project modules (their paths move in the refactor):
import { agentRun, AnthropicInstrumentation, OpenAIInstrumentation, TokenledgerSpanProcessor, type TokenledgerSpanProcessorOptions } from '../index.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';

const openaiInstrumentation = new OpenAIInstrumentation();
const anthropicInstrumentation = new AnthropicInstrumentation();
let harness: Harness;
let openai: OpenAIClient;
let anthropic: AnthropicClient;
let reader: TestMetricReader;

before(async () => {
  const meters = testMeterProvider();
  reader = meters.reader;
  harness = await startHarness([openaiInstrumentation, anthropicInstrumentation], [new TokenledgerSpanProcessor({ meterProvider: meters.meterProvider })]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  openai = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  const Anthropic = requireFromTest('@anthropic-ai/sdk').default as typeof AnthropicClient;
  anthropic = new Anthropic({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0, openTelemetry: false });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

// claude-sonnet-4-5 per MTok: $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output,
// $10 per 1000 web searches.
const TTL_USAGE = {
  input_tokens: 100,
  cache_read_input_tokens: 2000,
  cache_creation_input_tokens: 3000,
  cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
  output_tokens: 200,
};
const TTL_5M_USD = 0.00375; // 1000 × 3.75 / 1e6
const TTL_1H_USD = 0.012; // 2000 × 6 / 1e6
// 100 × 3 + 2000 × 0.3 + 1000 × 3.75 + 2000 × 6 + 200 × 15 = 300 + 600 + 3750 + 12000 + 3000 µ$
const TTL_CALL_USD = 0.01965;

function queueAnthropic(usage: Record<string, unknown>): void {
  const body = fixtureJson('anthropic-messages.json');
  body.model = 'claude-sonnet-4-5-20250929';
  body.usage = usage;
  harness.provider.enqueue('anthropic.messages', { json: body });
}

const askClaude = () =>
  anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Summarise the ticket.' }] });

function queueChat(model: string, usage: Record<string, unknown>): void {
  const body = fixtureJson('openai-chat.json');
  body.model = model;
  delete body.service_tier;
  body.usage = usage;
  harness.provider.enqueue('openai.chat', { json: body });
}

function pointsOf(metric: MetricData | undefined, match: Record<string, unknown> = {}): DataPoint<unknown>[] {
  return (metric?.dataPoints ?? []).filter((point) => Object.entries(match).every(([k, v]) => point.attributes[k] === v));
}

const runSpan = (name: string): ReadableSpan => {
  const span = harness.spans().find((s) => s.name === `invoke_agent ${name}`);
  assert.ok(span, `no run span for ${name}`);
  return span;
};
const callSpans = () => harness.spans().filter((span) => span.name.startsWith('chat '));
const num = (value: unknown) => (typeof value === 'number' ? value : 0);
const close = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);

test('ledger defect 1: a run carries its cache-write cost split by TTL, like its calls', async () => {
  queueAnthropic(TTL_USAGE);
  await agentRun({ name: 'ttl-run' }, async () => {
    await askClaude();
  });
  const [call] = callSpans();
  assert.equal(call!.attributes['tokenledger.cost.cache_write.ttl_5m.usd'], TTL_5M_USD, 'the call span already has it');
  assert.equal(call!.attributes['tokenledger.cost.cache_write.ttl_1h.usd'], TTL_1H_USD, 'the call span already has it');
  assert.equal(call!.attributes['tokenledger.cost.usd'], TTL_CALL_USD);

  const run = runSpan('ttl-run').attributes;
  assert.equal(run['tokenledger.run.cost.usd'], TTL_CALL_USD);
  assert.equal(run['tokenledger.run.usage.cache_write.input_tokens'], 3000);
  assert.equal(run['tokenledger.run.usage.cache_write.ttl_1h.input_tokens'], 2000);
  assert.equal(run['tokenledger.run.usage.cache_write.ttl_5m.input_tokens'], 1000);
  assert.equal(run['tokenledger.run.cost.cache_write.ttl_5m.usd'], TTL_5M_USD);
  assert.equal(run['tokenledger.run.cost.cache_write.ttl_1h.usd'], TTL_1H_USD);
  assert.equal(run['tokenledger.run.cost.cache_write.usd'], undefined, 'the unsplit run figure is gone');
});

test('ledger defect 1: the tokenledger.cost metric has cache_write_5m and cache_write_1h, not one cache_write', async () => {
  queueAnthropic(TTL_USAGE);
  await agentRun({ name: 'ttl-metrics' }, async () => {
    await askClaude();
  });
  const metrics = await reader.metricsByName();
  const cost = (type: string) => pointsOf(metrics.get('tokenledger.cost'), { 'gen_ai.agent.name': 'ttl-metrics', 'tokenledger.token.type': type });
  assert.deepEqual(cost('cache_write'), [], 'no unsplit cache_write cost');
  close(cost('cache_write_5m')[0]?.value as number, TTL_5M_USD, 'cache_write_5m cost', 1e-12);
  close(cost('cache_write_1h')[0]?.value as number, TTL_1H_USD, 'cache_write_1h cost', 1e-12);
  const tokens = (type: string) =>
    pointsOf(metrics.get('tokenledger.tokens'), { 'gen_ai.agent.name': 'ttl-metrics', 'tokenledger.token.type': type })[0]?.value;
  assert.deepEqual([tokens('cache_write_5m'), tokens('cache_write_1h')], [1000, 2000]);
});

test('ledger defect 2: token and cost type labels partition each call; reasoning and tool results are subset metrics', async () => {
  // o4-mini per MTok: $1.10 input, $0.275 cached input, $4.40 output.
  // 2000 × 1.1 + 1000 × 0.275 + 800 × 4.4 = 2200 + 275 + 3520 = 5995 µ$; reasoning 500 × 4.4 = 2200 µ$ ⊂ output.
  queueChat('o4-mini-2025-04-16', {
    prompt_tokens: 3000,
    completion_tokens: 800,
    prompt_tokens_details: { cached_tokens: 1000 },
    completion_tokens_details: { reasoning_tokens: 500 },
  });
  // claude-sonnet-4-5 as above, plus 3 web searches: 3 × $10 / 1000 = $0.03 in request fees.
  queueAnthropic({ ...TTL_USAGE, server_tool_use: { web_search_requests: 3 } });
  await agentRun({ name: 'partition' }, async () => {
    await openai.chat.completions.create({
      model: 'o4-mini',
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"city":"Paris","temperature_c":18,"sky":"sunny with light clouds","wind_kmh":12}' },
      ],
    });
    await askClaude();
  });
  const calls = callSpans();
  assert.equal(calls.length, 2);
  const o4 = calls.find((span) => span.attributes['gen_ai.provider.name'] === 'openai')!.attributes;
  assert.equal(o4['tokenledger.cost.usd'], 0.005995);
  assert.equal(o4['tokenledger.cost.reasoning.usd'], 0.0022);
  assert.ok(num(o4['tokenledger.usage.tool_result.input_tokens']) > 0, 'precondition: the tool message makes up part of the input');
  assert.ok(num(o4['tokenledger.cost.tool_result.usd']) > 0, 'precondition: and part of its cost');
  const claude = calls.find((span) => span.attributes['gen_ai.provider.name'] === 'anthropic')!.attributes;
  assert.equal(claude['tokenledger.cost.request_fees.usd'], 0.03);
  assert.equal(claude['tokenledger.cost.usd'], 0.04965); // 0.01965 + 0.03

  const metrics = await reader.metricsByName();
  const forRun = (name: string) => pointsOf(metrics.get(name), { 'gen_ai.agent.name': 'partition' });
  /** The points summed by token type, over the two models' series. */
  const byType = (points: DataPoint<unknown>[]): Record<string, number> => {
    const sums: Record<string, number> = {};
    for (const p of points) {
      const type = String(p.attributes['tokenledger.token.type']);
      sums[type] = (sums[type] ?? 0) + (p.value as number);
    }
    return sums;
  };
  const sumAttr = (key: string) => calls.reduce((sum, span) => sum + num(span.attributes[key]), 0);

  const tokens = byType(forRun('tokenledger.tokens'));
  assert.deepEqual(Object.keys(tokens).sort(), ['cache_read', 'cache_write_1h', 'cache_write_5m', 'output', 'uncached_input']);
  const allTokens = sumAttr('gen_ai.usage.input_tokens') + sumAttr('gen_ai.usage.output_tokens'); // 3800 + 5300
  assert.equal(
    Object.values(tokens).reduce((a, b) => a + b, 0),
    allTokens,
  );

  const cost = byType(forRun('tokenledger.cost'));
  assert.deepEqual(Object.keys(cost).sort(), ['cache_read', 'cache_write_1h', 'cache_write_5m', 'output', 'request_fees', 'uncached_input']);
  close(
    Object.values(cost).reduce((a, b) => a + b, 0),
    sumAttr('tokenledger.cost.usd'),
    'Σ tokenledger.cost over types vs Σ call cost',
  );

  assert.deepEqual(byType(forRun('tokenledger.tokens.subset')), { reasoning: 500, tool_result: sumAttr('tokenledger.usage.tool_result.input_tokens') });
  const costSubset = byType(forRun('tokenledger.cost.subset'));
  assert.deepEqual(Object.keys(costSubset).sort(), ['reasoning', 'tool_result']);
  close(costSubset.reasoning!, 0.0022, 'reasoning cost subset');
  close(costSubset.tool_result!, sumAttr('tokenledger.cost.tool_result.usd'), 'tool_result cost subset');
});

// gpt-5-mini, two calls: 5000 input (1000 cache read, 2000 cache write), 300 output (100 reasoning); then 1000 / 50.
const GPT5_MINI = { request: 'gpt-5-mini', response: 'gpt-5-mini-2025-08-07' };
const conventionAttributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': GPT5_MINI.request,
  'gen_ai.response.model': GPT5_MINI.response,
  'gen_ai.token.modality': 'unknown',
};

test("ledger defect 3: per-call metrics are the GenAI conventions' current token counters and histograms", async () => {
  queueChat(GPT5_MINI.response, {
    prompt_tokens: 5000,
    completion_tokens: 300,
    prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 2000 },
    completion_tokens_details: { reasoning_tokens: 100 },
  });
  queueChat(GPT5_MINI.response, { prompt_tokens: 1000, completion_tokens: 50, completion_tokens_details: { reasoning_tokens: 0 } });
  for (let i = 0; i < 2; i += 1) await openai.chat.completions.create({ model: GPT5_MINI.request, messages: [{ role: 'user', content: 'hi' }] });

  const metrics = await reader.metricsByName();
  const counters: Array<[string, number]> = [
    ['gen_ai.client.inference.usage.input_tokens', 6000],
    ['gen_ai.client.inference.usage.output_tokens', 350],
    ['gen_ai.client.inference.usage.cache_read.input_tokens', 1000],
    ['gen_ai.client.inference.usage.cache_write.input_tokens', 2000],
    ['gen_ai.client.inference.usage.reasoning.output_tokens', 100],
  ];
  for (const [name, expected] of counters) {
    const points = pointsOf(metrics.get(name), conventionAttributes);
    assert.equal(
      points.length,
      1,
      `${name}: one series for the model with ${JSON.stringify(conventionAttributes)}, got ${JSON.stringify(metrics.get(name)?.dataPoints.map((p) => p.attributes))}`,
    );
    assert.equal(points[0]!.value, expected, name);
  }
  for (const [name, sum] of [
    ['gen_ai.client.inference.operation.input_tokens', 6000],
    ['gen_ai.client.inference.operation.output_tokens', 350],
  ] as const) {
    const histogram = pointsOf(metrics.get(name), { 'gen_ai.request.model': GPT5_MINI.request })[0]?.value as Histogram | undefined;
    assert.ok(histogram, `${name} is recorded`);
    assert.deepEqual([histogram.count, histogram.sum], [2, sum], name);
  }
  const duration = pointsOf(metrics.get('gen_ai.client.operation.duration'), { 'gen_ai.request.model': GPT5_MINI.request })[0]?.value as Histogram | undefined;
  assert.equal(duration?.count, 2, 'gen_ai.client.operation.duration stays');
  assert.deepEqual(
    pointsOf(metrics.get('gen_ai.client.token.usage'), { 'gen_ai.request.model': GPT5_MINI.request }),
    [],
    'the deprecated histogram is off by default',
  );
});

test('ledger defect 3: gen_ai.client.token.usage is recorded only with legacyMetrics: true', async () => {
  // Two processors (runs off: call metrics only), each in its own tracer provider, given the same call span.
  async function callMetrics(options: Partial<TokenledgerSpanProcessorOptions> & { legacyMetrics?: boolean }) {
    const { meterProvider, reader: own } = testMeterProvider();
    const processor = new TokenledgerSpanProcessor({ meterProvider, runs: false, ...options } as TokenledgerSpanProcessorOptions);
    const provider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] });
    provider
      .getTracer('tokenledger-instrumentation-openai')
      .startSpan(
        'chat gpt-4.1',
        {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4.1',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
            'gen_ai.usage.cache_read.input_tokens': 200,
            'gen_ai.usage.cache_write.input_tokens': 0,
            'tokenledger.usage.uncached.input_tokens': 800,
          },
        },
        context.active(),
      )
      .end();
    const metrics = await own.metricsByName();
    await processor.shutdown();
    await provider.shutdown();
    return metrics;
  }
  const byDefault = await callMetrics({});
  assert.equal(byDefault.get('gen_ai.client.token.usage')?.dataPoints.length ?? 0, 0, 'not recorded by default');
  assert.equal(byDefault.get('gen_ai.client.inference.usage.input_tokens')?.dataPoints[0]?.value, 1000, 'the current counter is');
  const legacy = await callMetrics({ legacyMetrics: true });
  const usage = legacy.get('gen_ai.client.token.usage')?.dataPoints ?? [];
  assert.deepEqual(usage.map((p) => [p.attributes['gen_ai.token.type'], (p.value as Histogram).sum]).sort(), [
    ['input', 1000],
    ['output', 100],
  ]);
});
