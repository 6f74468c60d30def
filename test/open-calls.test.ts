// A run is its whole subtree in process too: an HTTP handler span starts a run, makes a call, and returns an OpenAI
// stream the caller drains after the handler's span ended (a common pattern). The run waits for the stream's call,
// and its root is exported only once its rollup is written, when tokenledger's processor holds the exporters (as
// the register entry and startTokenledger set it up). Past the wait (TOKENLEDGER_RUN_WAIT_MS), or at a flush, the
// run is written without the open call, incomplete; the call's cost still reaches the cost metrics.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { ManualClock } from '../base/manual-clock.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';
import { queueGpt41, useOpenAIApp } from './openai-app.ts';

const WAIT_MS = 5_000;
const app = useOpenAIApp();
const { instrumentation, provider } = app;
let setup: {
  exporter: InMemorySpanExporter;
  processor: TokenledgerSpanProcessor;
  reader: TestMetricReader;
  clock: ManualClock;
  tracerProvider: TracerProvider;
};

beforeEach(() => {
  provider.reset();
  const exporter = new InMemorySpanExporter();
  const { meterProvider, reader } = testMeterProvider();
  const clock = new ManualClock();
  const processor = new TokenledgerSpanProcessor({
    meterProvider,
    clock,
    runLimits: { runWaitMs: WAIT_MS },
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracerProvider = new TracerProvider({ spanProcessors: [processor] });
  instrumentation.setTracerProvider(tracerProvider);
  setup = { exporter, processor, reader, clock, tracerProvider };
});

/** The handler: a root span around one call, returning a stream it does not drain. */
async function handler() {
  const tracer = setup.tracerProvider.getTracer('app');
  const root = tracer.startSpan('POST /answer');
  const stream = await context.with(trace.setSpan(context.active(), root), async () => {
    await app.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'plan' }] });
    return app.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'answer' }], stream: true });
  });
  root.end();
  return { root, stream };
}

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let chunks = 0;
  for await (const _ of stream) chunks += 1;
  return chunks;
}

const exported = (name: string): ReadableSpan | undefined => setup.exporter.getFinishedSpans().find((span) => span.name === name);
const calls = () => setup.exporter.getFinishedSpans().filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');

async function costCounter(): Promise<number> {
  const cost = (await setup.reader.metricsByName()).get('tokenledger.cost');
  return (cost?.dataPoints ?? []).reduce((sum, point) => sum + (point.value as number), 0);
}

test("open calls: a stream drained after its handler ended is in the handler's run, and the root is exported with it", async () => {
  queueGpt41(provider, { prompt: 1000, completion: 100 });
  const { stream } = await handler();
  assert.equal(exported('POST /answer'), undefined, 'the root waits for the open stream');
  assert.equal(await drain(stream), 4);
  const root = exported('POST /answer')!;
  const [first, second] = calls();
  const callCosts = (first!.attributes['tokenledger.cost.usd'] as number) + (second!.attributes['tokenledger.cost.usd'] as number);
  assert.equal(first!.attributes['tokenledger.cost.usd'], 0.0028); // 1000 × $2 + 100 × $8 per million
  assert.equal(root.attributes['tokenledger.run.steps'], 2);
  assert.ok(Math.abs((root.attributes['tokenledger.run.cost.usd'] as number) - callCosts) < 1e-9);
  assert.equal(root.attributes['tokenledger.run.complete'], true);
  assert.equal(root.attributes['tokenledger.run.incomplete_reason'], undefined);
  assert.ok(Math.abs((await costCounter()) - callCosts) < 1e-9);
  assert.equal(setup.processor.activeRuns, 0);
  await setup.processor.shutdown();
});

test('open calls: past the wait the run is written without the open call, incomplete, and the call still counts in the cost', async () => {
  queueGpt41(provider, { prompt: 1000, completion: 100 });
  const { stream } = await handler();
  setup.clock.advance(WAIT_MS - 1);
  assert.equal(exported('POST /answer'), undefined);
  setup.clock.advance(1);
  const root = exported('POST /answer')!;
  assert.equal(root.attributes['tokenledger.run.steps'], 1);
  assert.equal(root.attributes['tokenledger.run.cost.usd'], 0.0028);
  assert.equal(root.attributes['tokenledger.run.complete'], false);
  assert.equal(root.attributes['tokenledger.run.incomplete_reason'], 'calls_open_at_end');
  await drain(stream);
  const [first, second] = calls();
  const callCosts = (first!.attributes['tokenledger.cost.usd'] as number) + (second!.attributes['tokenledger.cost.usd'] as number);
  assert.ok(Math.abs((await costCounter()) - callCosts) < 1e-9, 'the late call is in the cost counter');
  const late = (await setup.reader.metricsByName()).get('tokenledger.processor.spans.late');
  assert.equal(late?.dataPoints[0]?.value, 1);
  await setup.processor.shutdown();
});

test('open calls: a flush writes a waiting run as it is, incomplete, and exports its root', async () => {
  queueGpt41(provider, { prompt: 1000, completion: 100 });
  const { stream } = await handler();
  await setup.tracerProvider.forceFlush();
  const root = exported('POST /answer')!;
  assert.equal(root.attributes['tokenledger.run.steps'], 1);
  assert.equal(root.attributes['tokenledger.run.incomplete_reason'], 'calls_open_at_end');
  await drain(stream);
  await setup.processor.shutdown();
});

test('open calls: without the exporters behind it, the root is exported as it ended, marked incomplete, and the metrics get the whole run', async () => {
  const exporter = new InMemorySpanExporter();
  const { meterProvider, reader } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider, clock: setup.clock });
  setup.tracerProvider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  instrumentation.setTracerProvider(setup.tracerProvider);
  queueGpt41(provider, { prompt: 1000, completion: 100 });
  const { stream, root } = await handler();
  const ended = exporter.getFinishedSpans().find((span) => span.name === 'POST /answer')!;
  assert.equal(ended.attributes['tokenledger.run.id'], root.spanContext().spanId);
  assert.equal(ended.attributes['tokenledger.run.complete'], false);
  assert.equal(ended.attributes['tokenledger.run.incomplete_reason'], 'calls_open_at_end');
  await drain(stream);
  const steps = (await reader.metricsByName()).get('tokenledger.run.steps');
  const point = steps?.dataPoints[0]?.value as { sum: number; count: number } | undefined;
  assert.deepEqual({ sum: point?.sum, count: point?.count }, { sum: 2, count: 1 });
  await processor.shutdown();
});
