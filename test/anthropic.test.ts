// The real `@anthropic-ai/sdk` against the fake provider, with the SDK's own tracing off (tokenledger's span
// is the call's span) and on (tokenledger stands aside and its processor normalises the SDK's span).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import type AnthropicClient from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { eventBlock, fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new AnthropicInstrumentation();
let harness: Harness;
let Anthropic: typeof AnthropicClient;
let client: AnthropicClient;
let nativeClient: AnthropicClient;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  Anthropic = requireFromTest('@anthropic-ai/sdk').default;
  client = new Anthropic({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0, openTelemetry: false });
  nativeClient = new Anthropic({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({});
});

const request = () => fixtureJson('anthropic-messages.request.json') as unknown as AnthropicClient.MessageCreateParamsNonStreaming;
const streamRequest = () => ({ ...request(), stream: true }) as unknown as AnthropicClient.MessageCreateParamsStreaming;

// Tool-result share of the fixture, by characters of text: the tool_result's content (69 chars) over
// every string in the system prompt, messages and tool definitions (221 chars);
// 15050 × 69 / 221 = 4698.9 → 4699.
const toolResultTokens = 4699;

const usageAttributes = {
  'gen_ai.usage.input_tokens': 15050,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'gen_ai.usage.reasoning.output_tokens': 500,
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
  'tokenledger.usage.uncached.input_tokens': 50,
};

test('anthropic: a non-streamed call counts the cache into input and splits writes by TTL', async () => {
  const message = await client.messages.create(request());
  assert.equal(message.id, 'msg_mock0001');
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'chat claude-sonnet-5-5');
  assert.equal(span.instrumentationScope.name, 'tokenledger-instrumentation-anthropic');
  assert.deepEqual(span.attributes, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-5-5',
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.request.stream': false,
    'tokenledger.request.prefix_hash': createHash('sha256')
      .update(JSON.stringify([request().system, request().tools]))
      .digest('hex')
      .slice(0, 16),
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(harness.provider.url).port),
    'gen_ai.response.id': 'msg_mock0001',
    'gen_ai.response.model': 'claude-sonnet-5-5',
    'gen_ai.response.finish_reasons': ['end_turn'],
    'tokenledger.request.service_tier': 'standard',
    ...usageAttributes,
    'tokenledger.usage.tool_result.input_tokens': toolResultTokens,
    'tokenledger.usage.tool_result.estimation': 'char_share',
    // Priced by the processor. The bundled data matches claude-sonnet-5-5 to its claude-sonnet-5 entry:
    // $2 input, $0.20 cache read, $2.50 5-minute write, $4 1-hour write, $10 output per million tokens.
    'tokenledger.cost.uncached_input.usd': 0.0001, // 50 × 2 / 1e6
    'tokenledger.cost.cache_read.usd': 0.0024, // 12000 × 0.2 / 1e6
    'tokenledger.cost.cache_write.ttl_5m.usd': 0.0025, // 1000 × 2.5 / 1e6
    'tokenledger.cost.cache_write.ttl_1h.usd': 0.008, // 2000 × 4 / 1e6
    'tokenledger.cost.output.usd': 0.0053, // 530 × 10 / 1e6
    'tokenledger.cost.reasoning.usd': 0.005, // 500 × 10 / 1e6, inside the output figure
    'tokenledger.cost.usd': 0.0183,
    'tokenledger.cost.tool_result.usd': 0.0040589369, // input cost 0.013 × 4699 / 15050
    // No request fees (0) and standard rates (multiplier 1): both left off a priced span.
    'tokenledger.cost.source': 'bundled',
    'tokenledger.cost.price_entry': 'anthropic/claude-sonnet-5',
    'tokenledger.cost.data_version': '@pydantic/genai-prices@0.1.8',
  });
});

test('anthropic stream: cumulative message_delta usage is not added to message_start', async () => {
  const stream = await client.messages.create(streamRequest());
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  const span = (await waitForSpans(harness, 1))[0]!;
  for (const [key, value] of Object.entries(usageAttributes)) assert.equal(span.attributes[key], value, key);
  assert.equal(span.attributes['tokenledger.usage.tool_result.input_tokens'], toolResultTokens);
  assert.equal(span.attributes['tokenledger.cost.usd'], 0.0183, 'streamed calls are priced too');
  assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['end_turn']);
  assert.equal(typeof span.attributes['gen_ai.response.time_to_first_chunk'], 'number');
});

test('anthropic: the messages.stream() helper makes one span and finalMessage() works', async () => {
  const final = await client.messages.stream(request()).finalMessage();
  assert.equal(final.usage.output_tokens, 530);
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.usage.input_tokens'], 15050);
});

test('anthropic stream: tee() gives both branches every event and one span', async () => {
  const stream = await client.messages.create(streamRequest());
  const [left, right] = stream.tee();
  const count = async (branch: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _ of branch) n += 1;
    return n;
  };
  const [a, b] = await Promise.all([count(left), count(right)]);
  assert.equal(a, b);
  assert.ok(a > 5);
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.usage.output_tokens'], 530);
});

test('anthropic stream: an abort through messages.stream() ends the span as incomplete', async () => {
  harness.provider.enqueue('anthropic.messages', { sse: sseBlocks(fixtureText('anthropic-messages.sse')), stallAfter: 1 });
  const runner = client.messages.stream(request());
  runner.on('streamEvent', () => runner.abort());
  await runner.done().catch(() => undefined);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], undefined);
});

test('anthropic: beta.messages.create is instrumented too', async () => {
  await client.beta.messages.create(request() as unknown as AnthropicClient.Beta.MessageCreateParamsNonStreaming);
  assert.equal(onlySpan(harness.spans()).attributes['gen_ai.usage.input_tokens'], 15050);
});

test('anthropic: compaction iterations and thinking tokens are accounted for', async () => {
  const body = fixtureJson('anthropic-messages.json');
  body.usage = {
    input_tokens: 100,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
    output_tokens: 60,
    output_tokens_details: { thinking_tokens: 40 },
    iterations: [{ type: 'compaction', input_tokens: 9000, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 700 }],
  };
  harness.provider.enqueue('anthropic.messages', { json: body });
  await client.beta.messages.create(request() as unknown as AnthropicClient.Beta.MessageCreateParamsNonStreaming);
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], 9100);
  assert.equal(attributes['gen_ai.usage.output_tokens'], 760);
  assert.equal(attributes['gen_ai.usage.reasoning.output_tokens'], 40);
  assert.equal(attributes['tokenledger.usage.compaction.input_tokens'], 9000);
  assert.equal(attributes['tokenledger.usage.compaction.output_tokens'], 700);
});

test('anthropic stream: an early break leaves the still-growing usage off', async () => {
  const stream = await client.messages.create(streamRequest());
  for await (const _ of stream) break;
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], undefined);
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
});

test('anthropic stream: an error event reaches the app as the SDK error and fails the span', async () => {
  const blocks = sseBlocks(fixtureText('anthropic-messages.sse')).slice(0, 2);
  blocks.push(eventBlock('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
  harness.provider.enqueue('anthropic.messages', { sse: blocks });
  const stream = await client.messages.create(streamRequest());
  const error = await (async () => {
    for await (const _ of stream);
  })().catch((e: unknown) => e);
  assert.ok(error instanceof Anthropic.APIError);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], (error as Error).constructor.name);
});

test('anthropic: an HTTP error reaches the app unchanged', async () => {
  harness.provider.enqueue('anthropic.messages', { status: 429, json: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } } });
  const error = await client.messages.create(request()).catch((e: unknown) => e);
  assert.ok(error instanceof Anthropic.RateLimitError);
  assert.equal(onlySpan(harness.spans()).attributes['error.type'], 'RateLimitError');
});

test('anthropic: a malformed usage object leaves the figures off with a reason', async () => {
  const body = fixtureJson('anthropic-messages.json');
  body.usage = { input_tokens: 'many', output_tokens: null };
  harness.provider.enqueue('anthropic.messages', { json: body });
  const message = await client.messages.create(request());
  assert.equal(message.id, 'msg_mock0001');
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], undefined);
  assert.equal(attributes['gen_ai.usage.output_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'usage_malformed');
});

test('anthropic batches: each succeeded result read through results() is one span at the batch rate', async () => {
  const decoder = await client.messages.batches.results('msgbatch_01');
  const ids: string[] = [];
  for await (const line of decoder) ids.push(line.custom_id);
  assert.deepEqual(ids, ['first', 'second', 'third']);
  const spans = harness.spans();
  assert.equal(spans.length, 2, 'the errored result is not a billed call');
  for (const span of spans) {
    assert.equal(span.name, 'chat claude-sonnet-5-5');
    assert.equal(span.attributes['tokenledger.request.batch'], true);
    assert.equal(span.attributes['tokenledger.request.service_tier'], 'batch');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], 15050);
    assert.equal(span.attributes['tokenledger.cost.multiplier'], 0.5);
    assert.equal(span.attributes['tokenledger.cost.usd'], 0.00915); // 0.0183 at half price
  }
  assert.deepEqual(
    spans.map((span) => span.attributes['gen_ai.response.id']),
    ['msg_mock0001', 'msg_batch_3'],
  );
});

test('anthropic with SDK tracing on: one span per call, the SDK one, normalised by the processor', async () => {
  await nativeClient.messages.create(request());
  await nativeClient.messages.stream(request()).finalMessage();
  const spans = await waitForSpans(harness, 2);
  assert.equal(spans.length, 2, 'tokenledger adds no second span with the same usage');
  for (const span of spans) {
    assert.equal(span.instrumentationScope.name, 'com.anthropic.sdk.typescript');
    for (const [key, value] of Object.entries(usageAttributes)) assert.equal(span.attributes[key], value, key);
    assert.equal(span.attributes['tokenledger.request.service_tier'], 'standard');
    assert.equal(span.attributes['tokenledger.cost.usd'], 0.0183, 'the SDK span is priced like ours');
  }
});
