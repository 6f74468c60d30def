// The real `@aws-sdk/client-bedrock-runtime` with its real regional endpoint (signed as for AWS), each request
// answered by the fake provider: Converse, ConverseStream, InvokeModel and its stream, for the Anthropic, Amazon
// Nova, Meta Llama and Mistral families. Prices are the bundled Bedrock entries, worked out in the comments.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { BedrockRuntimeInstrumentation } from '../instrumentation/bedrock/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { invokeChunk } from './event-stream.ts';
import { fixtureJson } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new BedrockRuntimeInstrumentation();
let harness: Harness;
type Sdk = typeof import('@aws-sdk/client-bedrock-runtime');
let sdk: Sdk;
let client: InstanceType<Sdk['BedrockRuntimeClient']>;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  sdk = requireFromTest('@aws-sdk/client-bedrock-runtime') as Sdk;
  const { NodeHttpHandler } = requireFromTest('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler');
  client = new sdk.BedrockRuntimeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  harness.provider.redirectAwsClient(client);
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const converseRequest = (modelId: string) => ({ ...fixtureJson('bedrock-converse.request.json'), modelId }) as never;
const invoke = (modelId: string, body: unknown) => new sdk.InvokeModelCommand({ modelId, contentType: 'application/json', body: JSON.stringify(body) });
const invokeStream = (modelId: string, body: unknown) =>
  new sdk.InvokeModelWithResponseStreamCommand({ modelId, contentType: 'application/json', body: JSON.stringify(body) });
const anthropicBody = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

// The fixtures' usage: 50 uncached + 12000 cache read + 3000 cache write (2000 with a 1-hour TTL, 1000 with 5 minutes).
const cachedUsage = {
  'gen_ai.usage.input_tokens': 15050,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
  'tokenledger.usage.uncached.input_tokens': 50,
};
// Bedrock's in-region Claude Sonnet 4.5: $3.30 input, $0.33 cache read, $4.125 cache write (5 minutes), $16.50
// output, and 1-hour writes at 2 × the input rate, $6.60 (the price data lacks the rate; tokenledger derives it):
// 50 × 3.3 + 12000 × 0.33 + 1000 × 4.125 + 2000 × 6.6 + 530 × 16.5 = 30195 per MTok.
const regionalSonnetCost = 0.030195;

function assertFigures(attributes: Record<string, unknown>, expected: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(expected)) assert.equal(attributes[key], value, key);
}

test('bedrock Converse (Anthropic): cache reads and writes are added to input, writes split by TTL', async () => {
  const output = await client.send(new sdk.ConverseCommand(converseRequest('us.anthropic.claude-sonnet-4-5-20250929-v1:0')));
  assert.equal(output.usage?.inputTokens, 50, "the app gets the SDK's output unchanged");
  const [sent] = harness.provider.requests;
  assert.equal(sent!.intendedUrl, 'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
  const span = onlySpan(harness.spans());
  assert.equal(span.name, 'chat us.anthropic.claude-sonnet-4-5-20250929-v1:0');
  assertFigures(span.attributes, {
    'gen_ai.provider.name': 'aws.bedrock',
    'gen_ai.request.model': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'server.address': 'bedrock-runtime.us-east-1.amazonaws.com',
    'server.port': 443,
    'tokenledger.request.service_tier': 'flex',
    ...cachedUsage,
    'gen_ai.usage.reasoning.output_tokens': undefined, // Bedrock does not break reasoning out of output
    'tokenledger.cost.price_entry': 'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'tokenledger.cost.usd': regionalSonnetCost,
  });
  assert.deepEqual(span.attributes['gen_ai.response.finish_reasons'], ['end_turn']);
});

test('bedrock ConverseStream (Amazon Nova): usage from the metadata event, the stream as the app reads it', async () => {
  const output = await client.send(new sdk.ConverseStreamCommand(converseRequest('amazon.nova-pro-v1:0')));
  const events: string[] = [];
  for await (const event of output.stream!) events.push(Object.keys(event).find((key) => key !== '$unknown')!);
  assert.deepEqual(events, [
    'messageStart',
    'contentBlockDelta',
    'contentBlockDelta',
    'contentBlockStop',
    'contentBlockDelta',
    'contentBlockDelta',
    'contentBlockStop',
    'messageStop',
    'metadata',
  ]);
  const span = (await waitForSpans(harness, 1))[0]!;
  assertFigures(span.attributes, {
    'gen_ai.provider.name': 'aws.bedrock',
    'gen_ai.request.stream': true,
    'tokenledger.request.service_tier': 'standard',
    ...cachedUsage,
    // Nova Pro: $0.80 input, $0.20 cache read, $3.20 output and no cache-write rate (writes cost input):
    // (50 + 3000) × 0.8 + 12000 × 0.2 + 530 × 3.2 = 6536 per MTok.
    'tokenledger.cost.price_entry': 'aws/amazon.nova-pro-v1:0',
    'tokenledger.cost.usd': 0.006536,
  });
  assert.equal(typeof span.attributes['gen_ai.response.time_to_first_chunk'], 'number');
});

test("bedrock InvokeModel (Anthropic): the Messages body, priced by the request's model id", async () => {
  const output = await client.send(invoke('anthropic.claude-sonnet-4-5-20250929-v1:0', anthropicBody));
  assert.equal(JSON.parse(Buffer.from(output.body).toString()).id, 'msg_bdrk_mock0001');
  const attributes = onlySpan(harness.spans()).attributes;
  assertFigures(attributes, {
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.response.id': 'msg_bdrk_mock0001',
    'gen_ai.response.model': 'claude-sonnet-5-5',
    ...cachedUsage,
    'tokenledger.cost.price_entry': 'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'tokenledger.cost.usd': regionalSonnetCost,
  });
});

test('bedrock InvokeModelWithResponseStream (Anthropic): message_start and cumulative message_delta, thinking counted', async () => {
  const output = await client.send(invokeStream('anthropic.claude-sonnet-4-5-20250929-v1:0', anthropicBody));
  let chunks = 0;
  for await (const event of output.body!) if (event.chunk) chunks += 1;
  assert.equal(chunks, 11);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assertFigures(attributes, {
    ...cachedUsage,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'gen_ai.response.id': 'msg_mock0002',
    'tokenledger.cost.usd': regionalSonnetCost,
  });
});

test('bedrock InvokeModel (Meta Llama): prompt_token_count and generation_token_count', async () => {
  harness.provider.enqueue('bedrock.invoke', { json: { generation: 'Paris.', prompt_token_count: 1200, generation_token_count: 300, stop_reason: 'stop' } });
  await client.send(invoke('meta.llama3-3-70b-instruct-v1:0', { prompt: 'Capital of France?', max_gen_len: 512 }));
  const attributes = onlySpan(harness.spans()).attributes;
  assertFigures(attributes, {
    'gen_ai.request.max_tokens': 512,
    'gen_ai.usage.input_tokens': 1200,
    'gen_ai.usage.output_tokens': 300,
    'tokenledger.usage.uncached.input_tokens': 1200,
    // Llama 3.3 70B: $0.72 in and out: 1500 × 0.72 = 1080 per MTok.
    'tokenledger.cost.usd': 0.00108,
  });
  assert.deepEqual(attributes['gen_ai.response.finish_reasons'], ['stop']);
});

test('bedrock InvokeModel (Mistral chat): the OpenAI-style usage object', async () => {
  harness.provider.enqueue('bedrock.invoke', {
    json: {
      id: 'cmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200 },
    },
  });
  await client.send(invoke('mistral.mistral-large-3-675b-instruct', { messages: [{ role: 'user', content: 'Capital of France?' }], max_tokens: 256 }));
  // Mistral Large 3: $0.50 input, $1.50 output: 1000 × 0.5 + 200 × 1.5 = 800 per MTok.
  assertFigures(onlySpan(harness.spans()).attributes, { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 200, 'tokenledger.cost.usd': 0.0008 });
});

test('bedrock InvokeModel (Mistral text model): a body without usage leaves usage and cost unknown, not zero', async () => {
  harness.provider.enqueue('bedrock.invoke', { json: { outputs: [{ text: 'Paris.', stop_reason: 'stop' }] } });
  await client.send(invoke('mistral.mistral-7b-instruct-v0:2', { prompt: '<s>[INST] Capital of France? [/INST]', max_tokens: 64 }));
  const attributes = onlySpan(harness.spans()).attributes;
  assertFigures(attributes, {
    'gen_ai.usage.input_tokens': undefined,
    'gen_ai.usage.output_tokens': undefined,
    'tokenledger.usage.unknown_reason': 'usage_missing',
    'tokenledger.cost.usd': undefined,
    'tokenledger.cost.unknown_reason': 'usage_unknown',
  });
});

test("bedrock InvokeModel (Amazon Nova): cache counts beside inputTokens, at a regional profile's rate", async () => {
  harness.provider.enqueue('bedrock.invoke', {
    json: {
      output: { message: { role: 'assistant', content: [{ text: 'Paris.' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 100, outputTokens: 50, totalTokens: 550, cacheReadInputTokenCount: 400, cacheWriteInputTokenCount: 0 },
    },
  });
  await client.send(invoke('us.amazon.nova-2-lite-v1:0', { messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }] }));
  assertFigures(onlySpan(harness.spans()).attributes, {
    'gen_ai.usage.input_tokens': 500,
    'gen_ai.usage.cache_read.input_tokens': 400,
    'tokenledger.usage.uncached.input_tokens': 100,
    // Nova 2 Lite in a US profile: $0.33 input, $0.0825 cache read, $2.75 output: 100 × 0.33 + 400 × 0.0825 + 50 × 2.75 = 203.5 per MTok.
    'tokenledger.cost.price_entry': 'aws/regional.amazon.nova-2-lite-v1:0',
    'tokenledger.cost.usd': 0.0002035,
  });
});

test('bedrock InvokeModelWithResponseStream (Meta Llama): the invocation metrics of the last chunk', async () => {
  harness.provider.enqueue('bedrock.invoke_stream', {
    eventStream: [
      invokeChunk({ generation: 'Paris', prompt_token_count: 1200, generation_token_count: 1, stop_reason: null }),
      invokeChunk({
        generation: '.',
        prompt_token_count: null,
        generation_token_count: 300,
        stop_reason: 'stop',
        'amazon-bedrock-invocationMetrics': { inputTokenCount: 1200, outputTokenCount: 300, invocationLatency: 900, firstByteLatency: 200 },
      }),
    ],
  });
  const output = await client.send(invokeStream('meta.llama3-3-70b-instruct-v1:0', { prompt: 'Capital of France?' }));
  for await (const _ of output.body!);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assertFigures(attributes, { 'gen_ai.usage.input_tokens': 1200, 'gen_ai.usage.output_tokens': 300, 'tokenledger.cost.usd': 0.00108 });
  assert.deepEqual(attributes['gen_ai.response.finish_reasons'], ['stop']);
});

test('bedrock ConverseStream: a break before the metadata event leaves the usage unknown', async () => {
  const output = await client.send(new sdk.ConverseStreamCommand(converseRequest('amazon.nova-pro-v1:0')));
  for await (const _ of output.stream!) break;
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assertFigures(attributes, {
    'gen_ai.usage.input_tokens': undefined,
    'tokenledger.usage.unknown_reason': 'stream_incomplete',
    'tokenledger.cost.unknown_reason': 'usage_unknown',
  });
});

test('bedrock: the aggregated client and the callback form are recorded once each; other commands not at all', async () => {
  const aggregated = new sdk.BedrockRuntime({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
    requestHandler: new (requireFromTest('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler')).NodeHttpHandler(),
  });
  harness.provider.redirectAwsClient(aggregated);
  await aggregated.converse(converseRequest('eu.anthropic.claude-sonnet-4-5-20250929-v1:0'));
  await new Promise<void>((resolve, reject) =>
    client.send(new sdk.ConverseCommand(converseRequest('amazon.nova-pro-v1:0')), (error: unknown) => (error ? reject(error) : resolve())),
  );
  const failed = await client.send(new sdk.ListAsyncInvokesCommand({})).catch((error: unknown) => error);
  assert.ok(failed instanceof Error, 'the fake has no such route');
  const spans = await waitForSpans(harness, 2);
  assert.deepEqual(
    spans.map((span) => [span.name, span.attributes['server.address']]),
    [
      ['chat eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'bedrock-runtime.eu-west-1.amazonaws.com'],
      ['chat amazon.nova-pro-v1:0', 'bedrock-runtime.us-east-1.amazonaws.com'],
    ],
  );
});

test("bedrock: an HTTP error reaches the app as the SDK's error and fails the span", async () => {
  harness.provider.enqueue('bedrock.converse', { status: 429, json: { message: 'Too many requests' }, headers: { 'x-amzn-errortype': 'ThrottlingException' } });
  const error = await client.send(new sdk.ConverseCommand(converseRequest('amazon.nova-pro-v1:0'))).catch((e: unknown) => e);
  assert.ok(error instanceof sdk.ThrottlingException);
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['error.type'], 'ThrottlingException');
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'usage_missing');
});
