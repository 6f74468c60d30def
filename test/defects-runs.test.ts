// Defects the runs refactor fixes, pinned as the behaviour it must have (each test fails on the code before it):
// one run per task when an agent runs under a plain request span, nested runs that say so (and run metrics that
// can count tasks once), bounded state for runs that never end, and run figures computed once rather than read
// back from span attributes the SDK may have dropped. The real openai SDK against the fake provider; gpt-4.1 at
// $2 input, $0.50 cached input, $8 output per MTok.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type OpenAIClient from 'openai';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
// Project modules (their paths move in the refactor):
import { agentRun, OpenAIInstrumentation, TokenledgerSpanProcessor } from '../index.ts';
import { queueGpt41 } from './openai-app.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const instrumentation = new OpenAIInstrumentation();
let harness: Harness;
let client: OpenAIClient;
let reader: TestMetricReader;

before(async () => {
  const meters = testMeterProvider();
  reader = meters.reader;
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor({ meterProvider: meters.meterProvider })]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const ask = (text: string) => client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: text }] });

function pointsOf(metric: MetricData | undefined, match: Record<string, unknown> = {}): DataPoint<unknown>[] {
  return (metric?.dataPoints ?? []).filter((point) => Object.entries(match).every(([k, v]) => point.attributes[k] === v));
}
const counterSum = (points: DataPoint<unknown>[]) => points.reduce((sum, p) => sum + (p.value as number), 0);
const histogramSum = (points: DataPoint<unknown>[]) => points.reduce((sum, p) => sum + ((p.value as Histogram).sum ?? 0), 0);
const histogramCount = (points: DataPoint<unknown>[]) => points.reduce((sum, p) => sum + (p.value as Histogram).count, 0);
const runAttributes = (span: ReadableSpan) => Object.keys(span.attributes).filter((key) => key.startsWith('tokenledger.run.'));

test('runs defect 5a: an agent run under a plain request span is the one run of the task', async () => {
  const tracer = harness.tracerProvider.getTracer('http-server');
  // Three tasks. gpt-4.1: task 1 (1000 × 2 + 100 × 8) + (2000 × 2 + 200 × 8) = 2800 + 5600 µ$;
  // task 2 3000 × 2 + 300 × 8 = 8400 µ$; task 3 (4000 × 2 + 400 × 8) + (500 × 2 + 50 × 8) = 11200 + 1400 µ$.
  const tasks = [
    [
      [1000, 100],
      [2000, 200],
    ],
    [[3000, 300]],
    [
      [4000, 400],
      [500, 50],
    ],
  ];
  const expectedCosts = [0.0084, 0.0084, 0.0126];
  for (const calls of tasks) {
    for (const [prompt, completion] of calls) queueGpt41(harness.provider, { prompt: prompt!, completion: completion! });
    await tracer.startActiveSpan(
      'GET /tickets',
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'http.route': '/tickets' } },
      async (span) => {
        await agentRun({ name: 'support' }, async () => {
          for (const _ of calls) await ask('ticket');
        });
        span.end();
      },
    );
  }
  const requests = harness.spans().filter((span) => span.name === 'GET /tickets');
  const agents = harness.spans().filter((span) => span.name === 'invoke_agent support');
  assert.deepEqual([requests.length, agents.length], [3, 3]);
  assert.deepEqual(
    agents.map((span) => span.attributes['tokenledger.run.cost.usd']),
    expectedCosts,
  );
  assert.deepEqual(requests.map(runAttributes), [[], [], []], 'the request spans are not runs: the agent run is');

  const metrics = await reader.metricsByName();
  const runs = metrics.get('tokenledger.runs');
  assert.deepEqual(pointsOf(runs, { 'gen_ai.agent.name': 'GET /tickets' }), [], 'never a run named after the route');
  const support = pointsOf(runs, { 'gen_ai.agent.name': 'support' });
  assert.equal(counterSum(support), 3, 'one run per task');
  assert.ok(
    support.every((p) => p.attributes['tokenledger.run.nested'] === false),
    "a task's run is not nested",
  );
  const cost = pointsOf(metrics.get('tokenledger.run.cost'), { 'gen_ai.agent.name': 'support' });
  assert.equal(histogramCount(cost), 3);
  assert.ok(Math.abs(histogramSum(cost) - 0.0294) < 1e-12, `run cost ${histogramSum(cost)} ≠ 0.0084 + 0.0084 + 0.0126`);
  assert.deepEqual(pointsOf(metrics.get('tokenledger.run.cost'), { 'gen_ai.agent.name': 'GET /tickets' }), []);
});

test('runs defect 5b: a nested run says whose it is, and run metrics can count each task once', async () => {
  // Two tasks: planner (1000/100, ideal 2 steps) containing researcher (2000/200 with 1000 cached, 3000/300; ideal 2).
  // researcher: (1000 × 2 + 1000 × 0.5 + 200 × 8) + (3000 × 2 + 300 × 8) = 4100 + 8400 = 12500 µ$;
  // planner: 2800 + 12500 = 15300 µ$.
  for (let task = 0; task < 2; task += 1) {
    queueGpt41(harness.provider, { prompt: 1000, completion: 100 });
    queueGpt41(harness.provider, { prompt: 2000, completion: 200, cached: 1000 });
    queueGpt41(harness.provider, { prompt: 3000, completion: 300 });
    await agentRun({ name: 'planner', idealSteps: 2 }, async () => {
      await ask('plan');
      await agentRun({ name: 'researcher', idealSteps: 2 }, async () => {
        await ask('research 1');
        await ask('research 2');
      });
    });
  }
  const outers = harness.spans().filter((span) => span.name === 'invoke_agent planner');
  const inners = harness.spans().filter((span) => span.name === 'invoke_agent researcher');
  for (const [outer, inner] of outers.map((span, i) => [span, inners[i]!] as const)) {
    assert.equal(outer.attributes['tokenledger.run.cost.usd'], 0.0153);
    assert.equal(inner.attributes['tokenledger.run.cost.usd'], 0.0125);
    assert.equal(outer.attributes['tokenledger.run.nested'], false);
    assert.equal(outer.attributes['tokenledger.run.parent_id'], undefined);
    assert.equal(inner.attributes['tokenledger.run.nested'], true);
    assert.equal(inner.attributes['tokenledger.run.parent_id'], outer.attributes['tokenledger.run.id']);
    assert.equal(inner.attributes['tokenledger.run.parent_id'], outer.spanContext().spanId);
  }

  const metrics = await reader.metricsByName();
  const agentsOnly = (name: string, nested: boolean) =>
    pointsOf(metrics.get(name), { 'tokenledger.run.nested': nested }).filter((p) =>
      ['planner', 'researcher'].includes(p.attributes['gen_ai.agent.name'] as string),
    );
  for (const name of [
    'tokenledger.runs',
    'tokenledger.run.cost',
    'tokenledger.run.steps',
    'tokenledger.run.step_inflation',
    'tokenledger.run.cache_hit_rate',
    'tokenledger.run.token_efficiency',
  ]) {
    const all = pointsOf(metrics.get(name)).filter((p) => ['planner', 'researcher'].includes(p.attributes['gen_ai.agent.name'] as string));
    assert.ok(all.length > 0, `${name} recorded`);
    for (const point of all) {
      const expected = point.attributes['gen_ai.agent.name'] === 'researcher';
      assert.equal(
        point.attributes['tokenledger.run.nested'],
        expected,
        `${name} for ${String(point.attributes['gen_ai.agent.name'])} carries tokenledger.run.nested = ${expected}`,
      );
    }
  }
  assert.equal(counterSum(agentsOnly('tokenledger.runs', false)), 2, 'one top-level run per task');
  assert.ok(Math.abs(histogramSum(agentsOnly('tokenledger.run.cost', false)) - 0.0306) < 1e-12, "each task's cost once: 2 × 0.0153");
  assert.equal(histogramSum(agentsOnly('tokenledger.run.steps', false)), 6);
});

test('runs defect 8: runs that never end leave bounded state behind (trackedSpans ≤ 2000 for maxRuns 1000)', async () => {
  const { meterProvider } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider, runLimits: { maxRuns: 1000 } });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bulk');
  try {
    for (let i = 0; i < 100_000; i += 1) {
      if (i % 10_000 === 0) await new Promise(setImmediate); // let the fake provider's sockets breathe
      const run = tracer.startSpan('invoke_agent bulk', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'bulk' } }, ROOT_CONTEXT);
      tracer.startSpan('step', {}, trace.setSpan(ROOT_CONTEXT, run)).end();
    }
    assert.ok(processor.activeRuns <= 1000, `activeRuns ${processor.activeRuns}`);
    // `trackedSpans`: spans the processor holds state for (a read-only getter the refactor adds).
    const tracked = (processor as unknown as { trackedSpans?: unknown }).trackedSpans;
    assert.equal(typeof tracked, 'number', 'processor.trackedSpans is a number');
    assert.ok((tracked as number) <= 2000, `trackedSpans ${String(tracked)} after 100 000 runs that never ended`);
  } finally {
    await processor.shutdown();
    await provider.shutdown();
  }
});

test('runs defect 8: the state of an evicted run is collectable (WeakRef + gc in a child process)', async () => {
  // Asynchronously, so the fake provider's keep-alive sockets are not timed out under a blocked event loop.
  const child = await promisify(execFile)(process.execPath, ['--expose-gc', 'test/apps/evicted-run-gc.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000 /* a hang guard only */,
  });
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { collected: boolean; activeRuns: number };
  assert.ok(result.activeRuns <= 10, `activeRuns ${result.activeRuns}`);
  assert.equal(result.collected, true, "the evicted run's span (held by its run state) was garbage-collected");
});

test('runs defect 9: run figures do not depend on re-reading attributes the SDK may drop', async () => {
  // The calls go through a tracer provider that keeps only as many attributes a span as a call span has before it
  // is priced, so the cost attributes the processor writes on a call span are dropped by the SDK; the run span is
  // in an unlimited provider, so its rollup is all there. The same processor is in both. gpt-4.1, per call:
  // 1000 × 2 + 100 × 8 = 2800 µ$; 976 × 2 + 1024 × 0.5 + 200 × 8 = 4064 µ$; 3000 × 2 + 300 × 8 = 8400 µ$; in all 15264 µ$.
  const { meterProvider } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider });
  const exporter = new InMemorySpanExporter();
  // A request with its sampling parameters set, as apps send them: each is a request attribute on the span.
  const askTuned = (text: string) =>
    client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You are a support agent.' },
        { role: 'user', content: text },
      ],
      max_completion_tokens: 1000,
      temperature: 0.2,
      top_p: 0.9,
      seed: 7,
      stop: ['END'],
      frequency_penalty: 0.1,
      presence_penalty: 0.1,
    });
  // Calibration: how many attributes a call span has besides its cost.
  queueGpt41(harness.provider, { prompt: 1000, completion: 100 });
  await askTuned('calibrate');
  const calibration = harness.spans().find((span) => span.name === 'chat gpt-4.1')!;
  const beforePricing = Object.keys(calibration.attributes).filter((key) => !key.startsWith('tokenledger.cost.')).length;
  const limited = new TracerProvider({
    spanLimits: { attributeCountLimit: beforePricing },
    spanProcessors: [processor, new SimpleSpanProcessor({ exporter })],
  });
  const unlimited = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  instrumentation.setTracerProvider(limited);
  try {
    queueGpt41(harness.provider, { prompt: 1000, completion: 100 });
    queueGpt41(harness.provider, { prompt: 2000, completion: 200, cached: 1024 });
    queueGpt41(harness.provider, { prompt: 3000, completion: 300 });
    await unlimited
      .getTracer('app')
      .startActiveSpan('invoke_agent limited', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'limited' } }, async (span) => {
        await askTuned('one');
        await askTuned('two');
        await askTuned('three');
        span.end();
      });
  } finally {
    instrumentation.setTracerProvider(harness.tracerProvider);
    await processor.shutdown();
  }
  const calls = exporter.getFinishedSpans().filter((span) => span.name === 'chat gpt-4.1');
  assert.equal(calls.length, 3);
  assert.ok(
    calls.every((span) => span.droppedAttributesCount > 0 && span.attributes['tokenledger.cost.usd'] === undefined),
    "precondition: the SDK dropped the call spans' cost attributes",
  );
  assert.ok(
    calls.every((span) => typeof span.attributes['gen_ai.usage.input_tokens'] === 'number'),
    'precondition: and kept their usage',
  );
  const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_agent limited')!;
  assert.equal(run.attributes['tokenledger.run.steps'], 3);
  assert.equal(run.attributes['tokenledger.run.cost.usd'], 0.015264);
  assert.equal(run.attributes['tokenledger.run.complete'], true);
});
