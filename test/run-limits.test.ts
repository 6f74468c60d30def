// The processor's bounds on runs in flight: the oldest run is evicted past maxRuns, a run older than
// maxRunAgeMs is evicted by the sweep, each eviction is counted, and an evicted run says it is incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ManualClock } from '../base/manual-clock.ts';
import { currentCallGate } from '../instrumentation/common/call-gate.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor, type TokenledgerSpanProcessorOptions } from '../processor/span-processor.ts';
import { testMeterProvider } from './metric-reader.ts';

function setup(options: TokenledgerSpanProcessorOptions) {
  const { meterProvider, reader } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider, ...options });
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');
  const startRun = (name: string) =>
    tracer.startSpan(`invoke_agent ${name}`, { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name } });
  return { processor, exporter, reader, startRun };
}

test('run limits: past maxRuns the oldest run is evicted, counted and marked incomplete', async () => {
  const { processor, exporter, reader, startRun } = setup({ runLimits: { maxRuns: 2 } });
  const runs = ['a', 'b', 'c'].map(startRun);
  assert.equal(processor.activeRuns, 2);
  for (const run of runs) run.end();
  const byName = Object.fromEntries(exporter.getFinishedSpans().map((span) => [span.name, span.attributes]));
  assert.equal(byName['invoke_agent a']!['tokenledger.run.complete'], false);
  assert.equal(byName['invoke_agent a']!['tokenledger.run.steps'], undefined);
  assert.equal(byName['invoke_agent b']!['tokenledger.run.complete'], true);
  assert.equal(byName['invoke_agent c']!['tokenledger.run.complete'], true);
  const evicted = (await reader.metricsByName()).get('tokenledger.processor.runs.evicted');
  assert.deepEqual(
    evicted?.dataPoints.map((p) => [p.attributes['tokenledger.processor.eviction_reason'], p.value]),
    [['max_runs', 1]],
  );
  assert.equal(processor.activeRuns, 0);
  await processor.shutdown();
});

test('run limits: an evicted run costs nothing more, in the run tree or in the duplicate-call judge', async () => {
  const { processor, startRun } = setup({ runLimits: { maxRuns: 2 } });
  const runs = ['a', 'b', 'c', 'd', 'e'].map(startRun);
  assert.equal(processor.activeRuns, 2);
  assert.equal(processor.judgedSpans, 2, 'the roots of the three evicted runs are let go by the judge too');
  for (const run of runs) run.end();
  assert.equal(processor.judgedSpans, 0);
  await processor.shutdown();
});

test('run limits: a run whose root never ends is evicted by age and does not leak', async () => {
  const clock = new ManualClock(1_000_000);
  const { processor, reader, startRun } = setup({ runLimits: { maxRunAgeMs: 1000, sweepIntervalMs: 5 }, clock });
  startRun('stuck');
  assert.equal(processor.activeRuns, 1);
  clock.advance(995);
  assert.equal(processor.activeRuns, 1, 'not older than the limit yet');
  clock.advance(10);
  assert.equal(processor.activeRuns, 0);
  const metrics = await reader.metricsByName();
  assert.deepEqual(
    metrics.get('tokenledger.processor.runs.evicted')?.dataPoints.map((p) => [p.attributes['tokenledger.processor.eviction_reason'], p.value]),
    [['max_age', 1]],
  );
  assert.equal(metrics.get('tokenledger.processor.runs.active')?.dataPoints[0]?.value, 0);
  await processor.shutdown();
});

test('run limits: invalid limits are rejected at construction', () => {
  assert.throws(() => new TokenledgerSpanProcessor({ runLimits: { maxRuns: 0 } }), /runLimits.maxRuns must be a positive number, got 0/);
  assert.throws(() => new TokenledgerSpanProcessor({ runLimits: { maxRunAgeMs: Number.NaN } }), /runLimits.maxRunAgeMs must be a positive number/);
});

test('run limits: after shutdown the processor ignores spans, and shutdown is idempotent', async () => {
  const { processor, exporter, startRun } = setup({});
  await processor.shutdown();
  await processor.shutdown();
  startRun('late').end();
  assert.equal(exporter.getFinishedSpans()[0]!.attributes['tokenledger.run.steps'], undefined);
});

test('runs: false prices calls and records call metrics, but tracks no runs and registers no guardrails', async () => {
  const { meterProvider, reader } = testMeterProvider();
  const gateBefore = currentCallGate();
  const processor = new TokenledgerSpanProcessor({ meterProvider, runs: false });
  enableGuardrails(processor);
  assert.equal(currentCallGate(), gateBefore);
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  const run = provider.getTracer('test').startSpan('invoke_agent a', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'a' } });
  assert.equal(processor.activeRuns, 0);
  const ctx = trace.setSpan(context.active(), run);
  // gpt-4.1: $2 input, $0.50 cached, $8 output per MTok → 800×2 + 200×0.5 + 100×8 = 2500 µ$
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
          'tokenledger.usage.uncached.input_tokens': 800,
        },
      },
      ctx,
    )
    .end();
  run.end();
  const [call, root] = exporter.getFinishedSpans();
  assert.equal(call!.attributes['tokenledger.cost.usd'], 0.0025);
  assert.deepEqual(
    Object.keys(root!.attributes).filter((key) => key.startsWith('tokenledger.')),
    [],
  );
  const metrics = await reader.metricsByName();
  assert.equal(metrics.get('gen_ai.client.inference.operation.input_tokens')?.dataPoints.length, 1);
  assert.equal(metrics.get('tokenledger.runs'), undefined);
  await processor.shutdown();
});
