// `sdkSpans: 'suppress'` (what the register entry passes): the Anthropic SDK starts no span of its own for the
// Messages calls tokenledger records, without writing ANTHROPIC_OPEN_TELEMETRY into the environment; a client the
// app gave its own tracer provider, or any client while the app set the variable, keeps the SDK's spans. Platform
// clients (Bedrock, Vertex) are in anthropic-platforms.test.ts.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type AnthropicClient from '@anthropic-ai/sdk';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { fixtureJson } from './fake-provider.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';

const instrumentation = new AnthropicInstrumentation({ sdkSpans: 'suppress' });
let harness: Harness;
let Anthropic: typeof AnthropicClient;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  Anthropic = requireFromTest('@anthropic-ai/sdk').default;
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({ sdkSpans: 'suppress' });
  delete process.env.ANTHROPIC_OPEN_TELEMETRY;
});

const request = () => fixtureJson('anthropic-messages.request.json') as unknown as AnthropicClient.MessageCreateParamsNonStreaming;
const options = () => ({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0 });

async function scopesOfOneCall(client: AnthropicClient): Promise<string[]> {
  await client.messages.create(request());
  return (await waitForSpans(harness, 1)).map((span) => span.instrumentationScope.name);
}

test("anthropic sdkSpans suppress: a plain client makes tokenledger's span only, and the environment is not written", async () => {
  const client = new Anthropic(options());
  assert.deepEqual(await scopesOfOneCall(client), ['tokenledger-instrumentation-anthropic']);
  assert.equal(process.env.ANTHROPIC_OPEN_TELEMETRY, undefined);
  assert.ok(!('ANTHROPIC_OPEN_TELEMETRY' in process.env));
  // The client itself is as the SDK made it: its tracing is on, only the Messages call span is not started.
  assert.equal(client.openTelemetry.traces.enabled, true);
});

test("anthropic sdkSpans suppress: the stream() helper, which starts the SDK span itself, is tokenledger's one span too", async () => {
  const client = new Anthropic(options());
  await client.messages.stream(request()).finalMessage();
  assert.deepEqual(
    (await waitForSpans(harness, 1)).map((span) => span.instrumentationScope.name),
    ['tokenledger-instrumentation-anthropic'],
  );
});

test("anthropic sdkSpans suppress: a client given its own tracer provider keeps the SDK's spans", async () => {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const client = new Anthropic({ ...options(), openTelemetry: { tracerProvider } });
  await client.messages.create(request());
  assert.deepEqual(
    exporter.getFinishedSpans().map((span) => span.instrumentationScope.name),
    ['com.anthropic.sdk.typescript'],
  );
  assert.equal(harness.spans().length, 0, 'tokenledger stands aside for a call the SDK traces');
  await tracerProvider.shutdown();
});

test("anthropic sdkSpans suppress: ANTHROPIC_OPEN_TELEMETRY set by the app is the SDK's to read", async () => {
  process.env.ANTHROPIC_OPEN_TELEMETRY = 'true';
  assert.deepEqual(await scopesOfOneCall(new Anthropic(options())), ['com.anthropic.sdk.typescript']);
});

test('anthropic sdkSpans keep: the SDK decides', async () => {
  instrumentation.setConfig({ sdkSpans: 'keep' });
  assert.deepEqual(await scopesOfOneCall(new Anthropic(options())), ['com.anthropic.sdk.typescript']);
  // The SDK's span is the call's one span, priced exactly with its 1-hour writes (0.0183, anthropic.test.ts).
  await assertOneCostPerCall(harness.spans(), { duplicates: 0, priced: 1, costUsd: 0.0183 });
});

test("anthropic: a disabled instrumentation leaves the SDK's spans alone", async () => {
  instrumentation.disable();
  try {
    assert.deepEqual(await scopesOfOneCall(new Anthropic(options())), ['com.anthropic.sdk.typescript']);
  } finally {
    instrumentation.enable();
  }
});
