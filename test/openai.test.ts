// The real `openai` package against the fake provider: exact span attributes for every call shape, and
// proof that the app sees the same values, errors and stream behaviour as without tokenledger.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import type OpenAIClient from 'openai';
import { isWrapped } from '@opentelemetry/instrumentation';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { dataBlock, fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new OpenAIInstrumentation();
// What a sampler (or any processor's onStart) sees of each call's span.
const attributesAtStart: Array<Record<string, unknown>> = [];
const startRecorder: SpanProcessor = {
  onStart: (span) => void attributesAtStart.push({ ...(span as unknown as ReadableSpan).attributes }),
  onEnd: () => {},
  forceFlush: async () => {},
  shutdown: async () => {},
};
let harness: Harness;
let OpenAI: typeof OpenAIClient;
let client: OpenAIClient;

before(async () => {
  harness = await startHarness([instrumentation], [startRecorder]);
  OpenAI = requireFromTest('openai').default;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  attributesAtStart.length = 0;
  instrumentation.setConfig({});
});

const chatRequest = () => fixtureJson('openai-chat.request.json') as unknown as OpenAIClient.ChatCompletionCreateParamsNonStreaming;
const streamRequest = () => ({ ...chatRequest(), stream: true }) as unknown as OpenAIClient.ChatCompletionCreateParamsStreaming;

// The stable prefix of the chat fixture: its system prompt and its tool definitions.
const chatPrefixHash = createHash('sha256')
  .update(JSON.stringify([['You are a weather bot.'], chatRequest().tools]))
  .digest('hex')
  .slice(0, 16);

// Tool-result share of the chat fixture, by characters of text: the tool message's content (69 chars)
// over every string in the messages and tool definitions (209 chars); 2150 × 69 / 209 = 709.8 → 710.
const chatToolResultTokens = 710;

test('openai chat: a non-streamed call records the six token types exactly', async () => {
  const completion = await client.chat.completions.create(chatRequest());
  assert.equal(completion.id, 'chatcmpl-mock0001');
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'chat gpt-5.5');
  assert.equal(span.kind, 2 /* CLIENT */);
  assert.deepEqual(span.attributes, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-5.5',
    'gen_ai.request.stream': false,
    'tokenledger.request.prefix_hash': chatPrefixHash,
    'server.address': 'api.openai.com',
    'server.port': 443,
    'openai.api.type': 'chat_completions',
    'openai.request.service_tier': 'flex',
    'gen_ai.response.id': 'chatcmpl-mock0001',
    'gen_ai.response.model': 'gpt-5.5-2026-04-01',
    'gen_ai.response.finish_reasons': ['stop'],
    'openai.response.service_tier': 'flex', // the tier that prices the call is read from it: no copy under tokenledger's name
    'gen_ai.usage.input_tokens': 2150,
    'gen_ai.usage.output_tokens': 420,
    'gen_ai.usage.cache_read.input_tokens': 1920,
    'gen_ai.usage.cache_write.input_tokens': 0,
    'gen_ai.usage.reasoning.output_tokens': 384,
    'tokenledger.usage.uncached.input_tokens': 230,
    // No cache writes: their TTL split (both 0) is left off.
    'tokenledger.usage.tool_result.input_tokens': chatToolResultTokens,
    'tokenledger.usage.tool_result.estimation': 'char_share',
  });
});

test('openai chat: cache writes are read from prompt_tokens_details', async () => {
  const body = fixtureJson('openai-chat.json');
  body.usage = {
    prompt_tokens: 6000,
    completion_tokens: 10,
    prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 4096 },
  };
  harness.provider.enqueue('openai.chat', { json: body });
  await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], 6000);
  assert.equal(attributes['gen_ai.usage.cache_read.input_tokens'], 1000);
  assert.equal(attributes['gen_ai.usage.cache_write.input_tokens'], 4096);
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], 904);
  assert.equal(attributes['tokenledger.usage.tool_result.input_tokens'], 0);
});

test('openai chat: the legacy cache_creation attribute is written when configured', async () => {
  instrumentation.setConfig({ legacyAttributes: true });
  await client.chat.completions.create(chatRequest());
  assert.equal(onlySpan(harness.spans()).attributes['gen_ai.usage.cache_creation.input_tokens'], 0);
});

test('openai chat stream: usage is requested for the app and the extra chunk is hidden from it', async () => {
  const request = streamRequest();
  const stream = await client.chat.completions.create(request);
  const chunks: OpenAIClient.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);

  assert.equal(request.stream_options, undefined, "the app's request object is not changed");
  assert.deepEqual(harness.provider.requests[0]!.body.stream_options, { include_usage: true });
  assert.equal(chunks.length, 4);
  assert.ok(
    chunks.every((chunk) => chunk.choices.length > 0),
    'no usage-only chunk reaches the app',
  );

  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], 2150);
  assert.equal(attributes['gen_ai.usage.output_tokens'], 420);
  assert.equal(attributes['gen_ai.usage.cache_read.input_tokens'], 1920);
  assert.equal(attributes['gen_ai.usage.reasoning.output_tokens'], 384);
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], 230);
  assert.deepEqual(attributes['gen_ai.response.finish_reasons'], ['stop']);
  assert.equal(attributes['openai.response.service_tier'], 'default');
  assert.equal(attributes['tokenledger.request.service_tier'], undefined, "the tier is openai.response.service_tier's");
  assert.equal(typeof attributes['gen_ai.response.time_to_first_chunk'], 'number');
});

test('openai chat stream: the injected usage chunk is hidden when the server answers it with usage null', async () => {
  // Some OpenAI-compatible servers answer include_usage with a last chunk of no choices and `usage: null`.
  const blocks = sseBlocks(fixtureText('openai-chat.sse')).map((block) =>
    block.includes('"choices":[]') ? block.replace(/"usage":\{.*\},"obfuscation"/, '"usage":null,"obfuscation"') : block,
  );
  assert.equal(blocks.filter((block) => block.includes('"choices":[],"usage":null')).length, 1);
  harness.provider.enqueue('openai.chat', { sse: blocks });
  const stream = await client.chat.completions.create(streamRequest());
  const deltas: string[] = [];
  // The loop apps write: it would throw a TypeError on a chunk with no choices.
  for await (const chunk of stream) deltas.push(chunk.choices[0]!.delta.content ?? '');
  assert.deepEqual(deltas, ['', 'Paris is the capital', ' of France.', '']);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'usage_missing');
});

test('openai chat stream: an empty-choices chunk before any choice finished (Azure prompt filter) still reaches the app', async () => {
  const filterChunk = dataBlock({
    id: '',
    object: '',
    created: 0,
    model: '',
    choices: [],
    usage: null,
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
  });
  harness.provider.enqueue('openai.chat', { sse: [filterChunk, ...sseBlocks(fixtureText('openai-chat.sse'))] });
  const stream = await client.chat.completions.create(streamRequest());
  const chunks: OpenAIClient.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  // The filter chunk and the four content chunks; the usage chunk tokenledger asked for is hidden.
  assert.equal(chunks.length, 5);
  assert.equal(chunks[0]!.choices.length, 0);
  assert.ok(chunks.slice(1).every((chunk) => chunk.choices.length > 0));
  assert.equal((await waitForSpans(harness, 1))[0]!.attributes['gen_ai.usage.input_tokens'], 2150);
});

test('openai chat stream: an app that asked for usage sees a null-usage last chunk too', async () => {
  const blocks = sseBlocks(fixtureText('openai-chat.sse')).map((block) =>
    block.includes('"choices":[]') ? block.replace(/"usage":\{.*\},"obfuscation"/, '"usage":null,"obfuscation"') : block,
  );
  harness.provider.enqueue('openai.chat', { sse: blocks });
  const stream = await client.chat.completions.create({ ...streamRequest(), stream_options: { include_usage: true } });
  const chunks: OpenAIClient.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.equal(chunks.length, 5);
  assert.equal(chunks[4]!.usage, null);
});

test('openai chat stream: an app that asked for usage still sees its usage chunk', async () => {
  const stream = await client.chat.completions.create({ ...streamRequest(), stream_options: { include_usage: true } });
  const chunks: OpenAIClient.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.equal(chunks.length, 5);
  assert.equal(chunks[4]!.usage?.prompt_tokens, 2150);
  assert.equal((await waitForSpans(harness, 1))[0]!.attributes['gen_ai.usage.input_tokens'], 2150);
});

test('openai chat stream: with streamUsage off, usage is recorded as not requested', async () => {
  instrumentation.setConfig({ streamUsage: 'off' });
  const stream = await client.chat.completions.create(streamRequest());
  for await (const _ of stream);
  assert.equal(harness.provider.requests[0]!.body.stream_options, undefined);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'stream_usage_not_requested');
});

test('openai chat stream: an early break ends the span with the usage marked incomplete', async () => {
  const stream = await client.chat.completions.create(streamRequest());
  for await (const _ of stream) break;
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
  assert.equal(span.attributes['gen_ai.usage.input_tokens'], undefined);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
});

test('openai chat stream: tee() gives both branches every chunk and one span', async () => {
  const stream = await client.chat.completions.create(streamRequest());
  const [left, right] = stream.tee();
  const count = async (branch: AsyncIterable<unknown>) => {
    let n = 0;
    for await (const _ of branch) n += 1;
    return n;
  };
  assert.deepEqual(await Promise.all([count(left), count(right)]), [4, 4]);
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.usage.output_tokens'], 420);
});

test('openai chat stream: toReadableStream() is observed too', async () => {
  const stream = await client.chat.completions.create(streamRequest());
  const reader = stream.toReadableStream().getReader();
  let lines = 0;
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    lines += 1;
  }
  assert.equal(lines, 4);
  assert.equal((await waitForSpans(harness, 1))[0]!.attributes['gen_ai.usage.input_tokens'], 2150);
});

test('openai chat stream: an abort ends the iteration as the SDK does and marks the usage incomplete', async () => {
  const blocks = [0, 1, 2, 3].map((i) =>
    dataBlock({
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-5.5',
      choices: [{ index: 0, delta: { content: `t${i}` }, finish_reason: null }],
    }),
  );
  harness.provider.enqueue('openai.chat', { sse: blocks, stallAfter: 1 });
  const controller = new AbortController();
  const stream = await client.chat.completions.create(streamRequest(), { signal: controller.signal });
  const seen: string[] = [];
  for await (const chunk of stream) {
    seen.push(chunk.choices[0]!.delta.content ?? '');
    controller.abort();
  }
  assert.deepEqual(seen, ['t0']);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
});

test('openai chat: the .stream() helper makes one span and finalChatCompletion() works', async () => {
  const runner = client.chat.completions.stream({ ...chatRequest(), stream: true } as OpenAIClient.ChatCompletionCreateParamsStreaming);
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices[0]!.message.content, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.usage.input_tokens'], 2150);
});

test('openai chat: parse() and withResponse() are observed once', async () => {
  const parsed = await client.chat.completions.parse({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'Weather in Paris?' }] });
  assert.equal(parsed.id, 'chatcmpl-mock0001');
  const { data, response } = await client.chat.completions.create(chatRequest()).withResponse();
  assert.equal(data.id, 'chatcmpl-mock0001');
  assert.equal(response.status, 200);
  const spans = harness.spans();
  assert.equal(spans.length, 2);
  assert.ok(spans.every((span) => span.attributes['gen_ai.usage.input_tokens'] === 2150));
});

test('openai chat: the SDK promise itself is returned, so asResponse() still reads the raw body', async () => {
  const promise = client.chat.completions.create(chatRequest());
  assert.equal(typeof promise.withResponse, 'function');
  assert.equal(promise.constructor.name, 'APIPromise');
  const response = await promise.asResponse();
  const body = (await response.json()) as { id: string };
  assert.equal(body.id, 'chatcmpl-mock0001');
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'raw_response');
});

test('openai chat: an HTTP error reaches the app unchanged and fails the span', async () => {
  harness.provider.enqueue('openai.chat', { status: 400, json: { error: { message: 'bad request', type: 'invalid_request_error' } } });
  const error = await client.chat.completions.create(chatRequest()).catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.BadRequestError);
  assert.equal(error.status, 400);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.equal(span.attributes['error.type'], 'BadRequestError');
  assert.equal(span.attributes['tokenledger.usage.unknown_reason'], 'usage_missing');
});

test('openai chat: a connection error reaches the app unchanged and fails the span', async () => {
  const offline = new OpenAI({ apiKey: 'test-key', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 0 });
  const error = await offline.chat.completions.create(chatRequest()).catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.APIConnectionError);
  const span = (await waitForSpans(harness, 1))[0]!;
  assert.equal(span.attributes['error.type'], 'APIConnectionError');
});

const malformedUsage: Array<[string, unknown]> = [
  ['an absent usage object', undefined],
  ['a null usage object', null],
  ['string counts', { prompt_tokens: '10', completion_tokens: '2' }],
  ['negative counts', { prompt_tokens: -10, completion_tokens: 2 }],
  ['missing fields', { total_tokens: 12 }],
];

for (const [name, usage] of malformedUsage) {
  test(`openai chat: ${name} leaves the figures off with a reason and never throws`, async () => {
    const body = fixtureJson('openai-chat.json');
    if (usage === undefined) delete body.usage;
    else body.usage = usage;
    harness.provider.enqueue('openai.chat', { json: body });
    const completion = await client.chat.completions.create(chatRequest());
    assert.equal(completion.id, 'chatcmpl-mock0001');
    const attributes = onlySpan(harness.spans()).attributes;
    assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], undefined);
    assert.equal(attributes['tokenledger.usage.tool_result.input_tokens'], undefined);
    const expected = usage === undefined || usage === null ? 'usage_missing' : 'usage_malformed';
    assert.equal(attributes['tokenledger.usage.unknown_reason'], expected);
  });
}

test('openai chat: no content is captured unless asked for', async () => {
  await client.chat.completions.create(chatRequest());
  instrumentation.setConfig({ captureMessageContent: true });
  await client.chat.completions.create(chatRequest());
  const [off, on] = harness.spans();
  assert.equal(off!.attributes['gen_ai.input.messages'], undefined);
  assert.equal(off!.attributes['gen_ai.output.messages'], undefined);
  assert.equal(on!.attributes['gen_ai.input.messages'], JSON.stringify(chatRequest().messages));
  assert.match(String(on!.attributes['gen_ai.output.messages']), /Paris is the capital of France/);
  assert.ok(!JSON.stringify(off!.attributes).includes('test-key'), 'the API key never reaches a span');
});

const responsesRequest = () => fixtureJson('openai-responses.request.json') as unknown as OpenAIClient.Responses.ResponseCreateParamsNonStreaming;

// Tool-result share of the responses fixture: the function_call_output's 69 chars over 198 chars of text
// in the input items and tool definitions; 3200 × 69 / 198 = 1115.2 → 1115.
const responsesToolResultTokens = 1115;

test('openai responses: a non-streamed call records cached, cache-write and reasoning tokens', async () => {
  const response = await client.responses.create(responsesRequest());
  assert.equal(response.id, 'resp_mock0001');
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'chat gpt-5.5');
  assert.deepEqual(span.attributes, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-5.5',
    'gen_ai.request.stream': false,
    'tokenledger.request.prefix_hash': createHash('sha256')
      .update(JSON.stringify([responsesRequest().tools]))
      .digest('hex')
      .slice(0, 16),
    'server.address': 'api.openai.com',
    'server.port': 443,
    'openai.api.type': 'responses',
    'openai.request.service_tier': 'flex',
    'gen_ai.response.id': 'resp_mock0001',
    'gen_ai.response.model': 'gpt-5.5-2026-04-01',
    'gen_ai.response.finish_reasons': ['completed'],
    'openai.response.service_tier': 'flex', // the tier that prices the call is read from it: no copy under tokenledger's name
    'gen_ai.usage.input_tokens': 3200,
    'gen_ai.usage.output_tokens': 900,
    'gen_ai.usage.cache_read.input_tokens': 2048,
    'gen_ai.usage.cache_write.input_tokens': 1024,
    'gen_ai.usage.reasoning.output_tokens': 768,
    'tokenledger.usage.uncached.input_tokens': 128,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1024, // OpenAI's write price has no TTL: all writes are standard-rate
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 0,
    'tokenledger.usage.tool_result.input_tokens': responsesToolResultTokens,
    'tokenledger.usage.tool_result.estimation': 'char_share',
  });
});

test('openai responses stream: usage comes from response.completed', async () => {
  const stream = await client.responses.create({ ...responsesRequest(), stream: true });
  let events = 0;
  for await (const _ of stream) events += 1;
  assert.equal(events, 12);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.usage.input_tokens'], 3200);
  assert.equal(attributes['gen_ai.usage.cache_write.input_tokens'], 1024);
  assert.equal(attributes['gen_ai.usage.reasoning.output_tokens'], 768);
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], 128);
  assert.equal(attributes['openai.response.service_tier'], 'default');
});

test('openai responses: the responses.stream() helper makes one span and finalResponse() works', async () => {
  const runner = client.responses.stream(responsesRequest() as unknown as Parameters<typeof client.responses.stream>[0]);
  const final = await runner.finalResponse();
  assert.equal(final.usage?.input_tokens, 3200);
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.usage.output_tokens'], 900);
});

test('openai embeddings: input tokens only', async () => {
  const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
  assert.equal(result.data.length, 1);
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'embeddings text-embedding-3-small');
  assert.equal(span.attributes['gen_ai.operation.name'], 'embeddings');
  assert.equal(span.attributes['gen_ai.usage.input_tokens'], 8);
  assert.equal(span.attributes['gen_ai.usage.output_tokens'], 0);
  assert.equal(span.attributes['tokenledger.usage.uncached.input_tokens'], 8);
});

test('openai: a disabled instrumentation makes no spans and leaves the SDK as it was', async () => {
  const prototype = requireFromTest('openai').APIPromise.prototype;
  const patched = ['parse', 'asResponse', '_thenUnwrap'].map((name) => isWrapped(prototype[name]));
  instrumentation.disable();
  try {
    assert.deepEqual(
      ['parse', 'asResponse', '_thenUnwrap'].map((name) => isWrapped(prototype[name])),
      [false, false, false],
    );
    assert.equal(isWrapped(OpenAI.Chat.Completions.prototype.create), false);
    await client.chat.completions.create(chatRequest());
    assert.equal(harness.spans().length, 0);
  } finally {
    instrumentation.enable();
  }
  assert.deepEqual(patched, [true, true, true]);
});

test('openai chat: runTools() makes one span per model turn, each with its own usage', async () => {
  const toolCall = fixtureJson('openai-chat.json');
  toolCall.choices = [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      finish_reason: 'tool_calls',
    },
  ];
  toolCall.usage = { prompt_tokens: 100, completion_tokens: 20 };
  harness.provider.enqueue('openai.chat', { json: toolCall });
  const runner = client.chat.completions.runTools({
    model: 'gpt-5.5',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          function: () => '{"temp_c":18}',
          parse: JSON.parse,
        },
      },
    ],
  });
  assert.equal(await runner.finalContent(), 'Paris is the capital of France.');
  const spans = harness.spans();
  assert.deepEqual(
    spans.map((span) => span.attributes['gen_ai.usage.input_tokens']),
    [100, 2150],
  );
  assert.equal(spans[0]!.attributes['tokenledger.usage.tool_result.input_tokens'], 0);
  assert.ok(Number(spans[1]!.attributes['tokenledger.usage.tool_result.input_tokens']) > 0, 'the second turn sends a tool result');
});

test('openai chat: the span starts with the attributes the conventions name for sampling; the rest come at its end', async () => {
  await client.chat.completions.create({ ...chatRequest(), max_completion_tokens: 500, temperature: 0.2 });
  assert.deepEqual(attributesAtStart, [
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-5.5',
      'server.address': 'api.openai.com',
      'server.port': 443,
    },
  ]);
  const ended = onlySpan(harness.spans()).attributes;
  assert.equal(ended['gen_ai.request.max_tokens'], 500);
  assert.equal(ended['gen_ai.request.temperature'], 0.2);
  assert.equal(ended['tokenledger.request.prefix_hash'], chatPrefixHash);
});

test('openai chat stream: tool results in the request are apportioned on streamed calls too', async () => {
  const stream = await client.chat.completions.create(streamRequest());
  for await (const _ of stream);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['tokenledger.usage.tool_result.input_tokens'], chatToolResultTokens);
  assert.equal(attributes['tokenledger.request.prefix_hash'], chatPrefixHash);
});

test('openai batch output: each successful line is one span at the batch rate', async () => {
  const { recordOpenAIBatchResults } = await import('../instrumentation/openai/batch-output.ts');
  const chat = fixtureJson('openai-chat.json');
  delete chat.service_tier;
  const output = [
    { id: 'batch_req_1', custom_id: 'a', response: { status_code: 200, body: chat }, error: null },
    { id: 'batch_req_2', custom_id: 'b', response: { status_code: 500, body: { error: { message: 'x' } } }, error: null },
    { id: 'batch_req_3', custom_id: 'c', response: { status_code: 200, body: fixtureJson('openai-responses.json') }, error: null },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');
  assert.equal(recordOpenAIBatchResults(`${output}\nnot json\n`), 2);
  const spans = harness.spans();
  assert.deepEqual(
    spans.map((span) => span.attributes['openai.api.type']),
    ['chat_completions', 'responses'],
  );
  for (const span of spans) assert.equal(span.attributes['tokenledger.request.batch'], true);
  assert.equal(spans[0]!.attributes['gen_ai.usage.input_tokens'], 2150);
  assert.equal(spans[1]!.attributes['gen_ai.usage.cache_write.input_tokens'], 1024);
});
