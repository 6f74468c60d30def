// `sdkSpans: 'off'` (what the register entry passes): the Anthropic SDK's own spans are turned off for the clients
// whose calls tokenledger records, without writing ANTHROPIC_OPEN_TELEMETRY into the environment; every other
// client (its own tracer provider, a platform client such as Bedrock or Vertex, the variable set by the app)
// keeps the SDK's decision.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type AnthropicClient from '@anthropic-ai/sdk';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new AnthropicInstrumentation({ sdkSpans: 'off' });
let harness: Harness;
let Anthropic: typeof AnthropicClient;

before(async () => {
  harness = await startHarness([instrumentation]);
  Anthropic = requireFromTest('@anthropic-ai/sdk').default;
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({ sdkSpans: 'off' });
  delete process.env.ANTHROPIC_OPEN_TELEMETRY;
});

const request = () => fixtureJson('anthropic-messages.request.json') as unknown as AnthropicClient.MessageCreateParamsNonStreaming;
const options = () => ({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0 });

async function scopesOfOneCall(client: AnthropicClient): Promise<string[]> {
  await client.messages.create(request());
  return (await waitForSpans(harness, 1)).map((span) => span.instrumentationScope.name);
}

test('anthropic sdkSpans off: a plain client makes tokenledger\'s span only, and the environment is not written', async () => {
  const client = new Anthropic(options());
  assert.deepEqual(await scopesOfOneCall(client), ['tokenledger-instrumentation-anthropic']);
  assert.equal(process.env.ANTHROPIC_OPEN_TELEMETRY, undefined);
  assert.ok(!('ANTHROPIC_OPEN_TELEMETRY' in process.env));
  // The client's settled option is what the SDK made of it: only its tracer is off.
  assert.equal(client.openTelemetry.traces.enabled, true);
  assert.ok(Object.keys(client).includes('_tracer'), 'the tracer is the client\'s own property, as the constructor makes it');
});

test('anthropic sdkSpans off: the stream() helper, which starts the SDK span itself, is tokenledger\'s one span too', async () => {
  const client = new Anthropic(options());
  await client.messages.stream(request()).finalMessage();
  assert.deepEqual((await waitForSpans(harness, 1)).map((span) => span.instrumentationScope.name), ['tokenledger-instrumentation-anthropic']);
});

test('anthropic sdkSpans off: a client given its own tracer provider keeps the SDK\'s spans', async () => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const client = new Anthropic({ ...options(), openTelemetry: { tracerProvider } });
  await client.messages.create(request());
  assert.deepEqual(exporter.getFinishedSpans().map((span) => span.instrumentationScope.name), ['com.anthropic.sdk.typescript']);
  assert.equal(harness.spans().length, 0, 'tokenledger stands aside for a call the SDK traces');
  await tracerProvider.shutdown();
});

test('anthropic sdkSpans off: a platform client (Bedrock, Vertex) keeps the SDK\'s spans', async () => {
  // As the platform packages' clients do: they override the (internal) scope to name their platform.
  class PlatformClient extends Anthropic {}
  Object.defineProperty(PlatformClient.prototype, '_instrumentationScope', { value: () => ({ version: '1', platform: 'bedrock' }) });
  assert.deepEqual(await scopesOfOneCall(new PlatformClient(options())), ['com.anthropic.sdk.typescript.bedrock']);
});

test('anthropic sdkSpans off: ANTHROPIC_OPEN_TELEMETRY set by the app is the SDK\'s to read', async () => {
  process.env.ANTHROPIC_OPEN_TELEMETRY = 'true';
  assert.deepEqual(await scopesOfOneCall(new Anthropic(options())), ['com.anthropic.sdk.typescript']);
});

test('anthropic sdkSpans keep: the SDK decides', async () => {
  instrumentation.setConfig({ sdkSpans: 'keep' });
  assert.deepEqual(await scopesOfOneCall(new Anthropic(options())), ['com.anthropic.sdk.typescript']);
});

test('anthropic: a disabled instrumentation leaves new clients as the SDK makes them', async () => {
  instrumentation.disable();
  try {
    const client = new Anthropic(options());
    assert.ok((client as unknown as { _tracer?: unknown })._tracer !== undefined);
    assert.equal(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Object.getPrototypeOf(client)), '_tracer'), undefined);
  } finally {
    instrumentation.enable();
  }
});
