// The Anthropic clients for other platforms — AnthropicBedrock (@anthropic-ai/bedrock-sdk) and AnthropicVertex
// (@anthropic-ai/vertex-sdk) — with their real base URLs, answered by the fake provider. They load
// `@anthropic-ai/sdk` through subpaths, never its main module, and name their platform themselves.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type AnthropicClient from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new AnthropicInstrumentation();
let harness: Harness;

type Client = Pick<AnthropicClient, 'messages'>;
let bedrock: (options?: object) => Client;
let vertex: (options?: object) => Client;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  // Only the platform packages are loaded: they require `@anthropic-ai/sdk/client` and `…/resources/index`.
  const { AnthropicBedrock } = requireFromTest('@anthropic-ai/bedrock-sdk') as { AnthropicBedrock: new (options: object) => Client };
  const { AnthropicVertex } = requireFromTest('@anthropic-ai/vertex-sdk') as { AnthropicVertex: new (options: object) => Client };
  bedrock = (options = {}) =>
    new AnthropicBedrock({
      awsRegion: 'us-east-1',
      apiKey: 'bedrock-test-key',
      maxRetries: 0,
      fetch: harness.provider.fetch,
      openTelemetry: false,
      ...options,
    });
  // A Google auth client of our own: the default one would look for credentials on the network.
  const authClient = { projectId: 'test-project', getRequestHeaders: async () => new Headers({ authorization: 'Bearer test-token' }) };
  vertex = (options = {}) =>
    new AnthropicVertex({
      region: 'us-east5',
      projectId: 'test-project',
      authClient,
      maxRetries: 0,
      fetch: harness.provider.fetch,
      openTelemetry: false,
      ...options,
    });
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({});
});

const request = (model: string) => ({ ...fixtureJson('anthropic-messages.request.json'), model }) as unknown as AnthropicClient.MessageCreateParamsNonStreaming;
/** The fixture's message as the platform answers it, with the model it names. */
const answered = (model: string) => ({ ...fixtureJson('anthropic-messages.json'), model });

// The fixture's usage: 50 uncached + 12000 cache read + 3000 cache write (1000 for 5 min, 2000 for 1 h); 530 output.
const usage = {
  'gen_ai.usage.input_tokens': 15050,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
  'tokenledger.usage.uncached.input_tokens': 50,
};

function assertUsage(attributes: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(usage)) assert.equal(attributes[key], value, key);
}

test("AnthropicBedrock: a cross-region (global.) profile is recorded as aws.bedrock at Bedrock's global rate", async () => {
  harness.provider.enqueue('bedrock.invoke', { json: answered('claude-sonnet-4-5-20250929') });
  const model = 'global.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const message = await bedrock().messages.create(request(model));
  assert.equal(message.id, 'msg_mock0001');
  const [sent] = harness.provider.requests;
  assert.equal(sent!.intendedUrl, `https://bedrock-runtime.us-east-1.amazonaws.com/model/${model}/invoke`);
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.provider.name'], 'aws.bedrock');
  assert.equal(attributes['gen_ai.request.model'], model);
  assert.equal(attributes['server.address'], 'bedrock-runtime.us-east-1.amazonaws.com');
  assertUsage(attributes);
  // The request's profile id names what is billed, not the response's model: Bedrock's global Sonnet 4.5 entry,
  // $3 input, $0.30 cache read, $3.75 cache write, $15 output, and the 1-hour write rate the entry lacks derived
  // from Anthropic's rule, 2 × $3 = $6: 50 × 3 + 12000 × 0.3 + 1000 × 3.75 + 2000 × 6 + 530 × 15 = 27450 per MTok.
  assert.equal(attributes['tokenledger.cost.price_entry'], 'aws/global.anthropic.claude-sonnet-4-5-20250929-v1:0');
  assert.deepEqual(attributes['tokenledger.cost.corrected_rates'], ['cache_write_1h_mtok']);
  assert.equal(attributes['tokenledger.cost.usd'], 0.02745);
});

test("AnthropicBedrock stream: the event stream is read like Anthropic's, at the regional (us.) rate", async () => {
  const model = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
  const stream = await bedrock().messages.create({ ...request(model), stream: true });
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  assert.equal(types.at(-1), 'message_stop');
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.provider.name'], 'aws.bedrock');
  assertUsage(attributes);
  assert.equal(attributes['gen_ai.usage.reasoning.output_tokens'], 500);
  // Bedrock's in-region Sonnet 4.5 costs 10% more, its 1-hour writes 2 × $3.30 = $6.60:
  // 50 × 3.3 + 12000 × 0.33 + 1000 × 4.125 + 2000 × 6.6 + 530 × 16.5 = 30195 per MTok.
  assert.equal(attributes['tokenledger.cost.price_entry'], 'aws/regional.anthropic.claude-sonnet-4-5-20250929-v1:0');
  assert.equal(attributes['tokenledger.cost.usd'], 0.030195);
});

test("AnthropicVertex: recorded as gcp.vertex_ai and priced at Vertex's rates for the model", async () => {
  harness.provider.enqueue('vertex.raw_predict', { json: answered('claude-sonnet-4-5-20250929') });
  await vertex().messages.create(request('claude-sonnet-4-5@20250929'));
  const [sent] = harness.provider.requests;
  assert.equal(
    sent!.intendedUrl,
    'https://us-east5-aiplatform.googleapis.com/v1/projects/test-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
  );
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.provider.name'], 'gcp.vertex_ai');
  assertUsage(attributes);
  // The price data's own Vertex entry for Claude Sonnet 4.5 ($3 input, $0.30 cache read, $3.75 cache write, $15
  // output) has no 1-hour rate; Vertex bills it as Anthropic does, 2 × the input rate, $6:
  // 50 × 3 + 12000 × 0.3 + 1000 × 3.75 + 2000 × 6 + 530 × 15 = 27450 per MTok.
  assert.equal(attributes['tokenledger.cost.price_entry'], 'google/claude-sonnet-4-5');
  assert.deepEqual(attributes['tokenledger.cost.corrected_rates'], ['cache_write_1h_mtok']);
  assert.equal(attributes['tokenledger.cost.usd'], 0.02745);
});

test('AnthropicVertex stream: one span with the usage of the whole stream', async () => {
  const final = await vertex().messages.stream(request('claude-sonnet-4-5@20250929')).finalMessage();
  assert.equal(final.usage.output_tokens, 530);
  const spans = await waitForSpans(harness, 1);
  assert.equal(spans.length, 1);
  assert.equal(spans[0]!.attributes['gen_ai.provider.name'], 'gcp.vertex_ai');
  assertUsage(spans[0]!.attributes);
});

test('sdkSpans suppress: the SDK starts no span for the calls tokenledger records, and keeps its others', async () => {
  instrumentation.setConfig({ sdkSpans: 'suppress' });
  const traced = bedrock({ openTelemetry: undefined });
  await traced.messages.create(request('us.anthropic.claude-sonnet-4-5-20250929-v1:0'));
  await traced.messages.stream(request('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).finalMessage();
  // A call tokenledger does not record keeps the SDK's own span.
  const Anthropic = requireFromTest('@anthropic-ai/sdk').default as typeof AnthropicClient;
  const anthropic = new Anthropic({ apiKey: 'test-key', maxRetries: 0, fetch: harness.provider.fetch });
  const counted = await anthropic.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(counted.input_tokens, 42);
  const spans = await waitForSpans(harness, 3);
  assert.deepEqual(
    spans.map((span) => [span.instrumentationScope.name, span.name]),
    [
      ['tokenledger-instrumentation-anthropic', 'chat us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['tokenledger-instrumentation-anthropic', 'chat us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
      ['com.anthropic.sdk.typescript', 'anthropic.messages.count_tokens'],
    ],
  );
});

test("sdkSpans keep: the Bedrock client's own span is the call's span, normalised with its 1-hour writes", async () => {
  await bedrock({ openTelemetry: undefined }).messages.create(request('us.anthropic.claude-sonnet-4-5-20250929-v1:0'));
  const span = onlySpan(harness.spans());
  assert.equal(span.instrumentationScope.name, 'com.anthropic.sdk.typescript.bedrock');
  assert.equal(span.attributes['gen_ai.provider.name'], 'aws.bedrock');
  assertUsage(span.attributes);
  assert.equal(span.attributes['tokenledger.usage.source_convention'], 'anthropic_sdk');
  // As the regional stream above: 30195 per MTok.
  assert.equal(span.attributes['tokenledger.cost.usd'], 0.030195);
});
