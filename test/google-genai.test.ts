// The real `@google/genai` package against the fake provider, Gemini API and Vertex AI backends.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import type * as GenAI from '@google/genai';
import { GoogleGenAIInstrumentation } from '../instrumentation/google-genai/instrumentation.ts';
import { fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new GoogleGenAIInstrumentation();
let harness: Harness;
let genai: typeof GenAI;
let gemini: GenAI.GoogleGenAI;

before(async () => {
  harness = await startHarness([instrumentation]);
  genai = requireFromTest('@google/genai');
  gemini = new genai.GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: harness.provider.url } });
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({});
});

const request = () => fixtureJson('gemini-generate.request.json') as unknown as GenAI.GenerateContentParameters;

// Tool-result share of the fixture, by characters of text: the functionResponse's response values
// ("Paris", 18, "sun", "cloud", "rain": 19 chars) over every value in the contents and tools (107 chars).
// The prompt part of the input is 5320 − 120 (server-side tool use, reported by Gemini) = 5200;
// 5200 × 19 / 107 = 923.4 → 923, plus the 120 server-side tool tokens = 1043.
const toolResultTokens = 1043;

test('gemini: prompt includes cached tokens, output adds thoughts, tool-use prompt is input', async () => {
  const response = await gemini.models.generateContent(request());
  assert.equal(response.responseId, 'mockGeminiResp01');
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'generate_content gemini-3.8-flash');
  const config = request().config!;
  assert.deepEqual(span.attributes, {
    'gen_ai.operation.name': 'generate_content',
    'gen_ai.provider.name': 'gcp.gemini',
    'gen_ai.request.model': 'gemini-3.8-flash',
    'gen_ai.request.stream': false,
    'tokenledger.request.prefix_hash': createHash('sha256')
      .update(JSON.stringify([config.systemInstruction, config.tools].filter((part) => part !== undefined)))
      .digest('hex')
      .slice(0, 16),
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(harness.provider.url).port),
    'gen_ai.response.id': 'mockGeminiResp01',
    'gen_ai.response.model': 'gemini-3.8-flash',
    'gen_ai.response.finish_reasons': ['STOP'],
    'tokenledger.request.service_tier': 'flex',
    'gen_ai.usage.input_tokens': 5320,
    'gen_ai.usage.output_tokens': 520,
    'gen_ai.usage.cache_read.input_tokens': 4096,
    'gen_ai.usage.cache_write.input_tokens': 0,
    'gen_ai.usage.reasoning.output_tokens': 480,
    'tokenledger.usage.uncached.input_tokens': 1224,
    // Gemini reports no cache writes: their TTL split (both 0) is left off.
    'tokenledger.usage.tool_result.input_tokens': toolResultTokens,
    'tokenledger.usage.tool_result.estimation': 'char_share',
  });
});

test('gemini stream: the running-total usage of the last chunk is the usage', async () => {
  const stream = await gemini.models.generateContentStream(request());
  let chunks = 0;
  for await (const _ of stream) chunks += 1;
  assert.equal(chunks, 3);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['gen_ai.request.stream'], true);
  assert.equal(span.attributes['gen_ai.usage.input_tokens'], 5320);
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], 520);
  assert.equal(span.attributes['gen_ai.usage.cache_read.input_tokens'], 4096);
  assert.equal(span.attributes['gen_ai.usage.reasoning.output_tokens'], 480);
  assert.equal(span.attributes['tokenledger.usage.tool_result.input_tokens'], toolResultTokens);
  assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['STOP']);
  assert.equal(typeof span.attributes['gen_ai.response.time_to_first_chunk'], 'number');
});

test('gemini stream: an early break ends the span with the usage marked incomplete', async () => {
  const stream = await gemini.models.generateContentStream(request());
  for await (const _ of stream) break;
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], undefined);
});

test('gemini: a chat session makes one span per message', async () => {
  const chat = gemini.chats.create({ model: 'gemini-3.8-flash' });
  await chat.sendMessage({ message: 'Weather in Paris?' });
  const stream = await chat.sendMessageStream({ message: 'And tomorrow?' });
  for await (const _ of stream);
  const spans = await waitForSpans(harness, 2);
  assert.equal(spans.length, 2);
  assert.deepEqual(
    spans.map((span) => span.attributes['gen_ai.usage.output_tokens']),
    [520, 520],
  );
});

test('gemini: the Vertex AI backend is named gcp.vertex_ai and its traffic type prices the call', async () => {
  const body = fixtureJson('gemini-generate.json');
  (body.usageMetadata as Record<string, unknown>).trafficType = 'ON_DEMAND_PRIORITY';
  harness.provider.enqueue('gemini.generate', { json: body });
  const vertex = new genai.GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: harness.provider.url } });
  await vertex.models.generateContent({ model: 'gemini-3.8-flash', contents: 'Weather in Paris?' });
  const span = onlySpan(harness.spans());
  assert.equal(span.attributes['gen_ai.provider.name'], 'gcp.vertex_ai');
  assert.equal(span.attributes['tokenledger.request.service_tier'], 'priority');
  assert.equal(span.attributes['gen_ai.usage.input_tokens'], 5320);
});

test('gemini: an HTTP error reaches the app unchanged and fails the span', async () => {
  harness.provider.enqueue('gemini.generate', { status: 429, json: { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } } });
  const error = await gemini.models.generateContent(request()).catch((e: unknown) => e);
  assert.ok(error instanceof genai.ApiError);
  assert.equal(error.status, 429);
  const span = onlySpan(harness.spans());
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'ApiError');
});

test('gemini: a malformed usageMetadata leaves the figures off with a reason', async () => {
  const body = fixtureJson('gemini-generate.json');
  body.usageMetadata = { promptTokenCount: 'lots', candidatesTokenCount: 3 };
  harness.provider.enqueue('gemini.generate', { json: body });
  const response = await gemini.models.generateContent(request());
  assert.equal(response.responseId, 'mockGeminiResp01');
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'usage_malformed');
});

test('gemini stream: a connection cut mid-stream fails the span and the app gets the very same error', async () => {
  harness.provider.enqueue('gemini.stream', { sse: sseBlocks(fixtureText('gemini-generate.sse')), dropAfter: 1 });
  const stream = await gemini.models.generateContentStream(request());
  let chunks = 0;
  const error = await (async () => {
    for await (const _ of stream) chunks += 1;
  })().catch((e: unknown) => e);
  assert.equal(chunks, 1);
  assert.ok(error instanceof TypeError, 'undici reports the cut connection as a TypeError');
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'TypeError');
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
});
