// Agent runs end to end: the run and tool API, the real openai SDK against the fake provider, and the span
// processor's rollup into tokenledger.run.* attributes and metrics, with exact numbers worked out beside them.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type OpenAIClient from 'openai';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { agentRun } from '../instrumentation/agent/run.ts';
import { tool } from '../instrumentation/agent/tool.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { queueGpt41 } from './openai-app.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';

const instrumentation = new OpenAIInstrumentation();
let harness: Harness;
let client: OpenAIClient;
let reader: TestMetricReader;
let processor: TokenledgerSpanProcessor;

before(async () => {
  const meters = testMeterProvider();
  reader = meters.reader;
  processor = new TokenledgerSpanProcessor({ meterProvider: meters.meterProvider });
  harness = await startHarness([instrumentation], [processor]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const ask = (text: string) => client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: text }] });

function runSpan(name: string) {
  const span = harness.spans().find((s) => s.name === `invoke_agent ${name}`);
  assert.ok(span, `no run span for ${name}`);
  return span;
}

function pointsOf(metric: MetricData | undefined, match: Record<string, unknown> = {}): DataPoint<unknown>[] {
  return (metric?.dataPoints ?? []).filter((point) => Object.entries(match).every(([k, v]) => point.attributes[k] === v));
}

test('runs: a scripted multi-step run with a failed and retried call and a tool error rolls up exactly', async () => {
  const lookup = tool('lookup', async (id: string) => ({ id, plan: 'pro' }));
  const search = tool('search', async () => {
    throw new Error('search index down');
  });
  queueGpt41(harness.provider, { prompt: 1000, completion: 100 }); // step 1: 1000 × 2 + 100 × 8 = 2800 µ$
  harness.provider.enqueue('openai.chat', { status: 500, json: { error: { message: 'overloaded' } } }); // step 2 fails
  queueGpt41(harness.provider, { prompt: 2000, completion: 200, cached: 1024 }); // step 3, the retry: 976 × 2 + 1024 × 0.5 + 200 × 8 = 4064 µ$
  queueGpt41(harness.provider, { prompt: 3000, completion: 300, cached: 1920, reasoning: 100 }); // step 4: 1080 × 2 + 1920 × 0.5 + 300 × 8 = 5520 µ$

  const answer = await agentRun({ name: 'support', idealSteps: 3 }, async () => {
    await ask('ticket 42');
    await lookup('42');
    await ask('ticket 42 with account').catch(() => undefined);
    await ask('ticket 42 with account');
    await search().catch(() => undefined);
    const final = await ask('answer');
    return final.id;
  });
  assert.equal(answer, 'chatcmpl-mock0001');

  const run = runSpan('support');
  const attributes = Object.fromEntries(Object.entries(run.attributes).filter(([key]) => key.startsWith('tokenledger.run.')));
  assert.deepEqual(attributes, {
    'tokenledger.run.ideal_steps': 3,
    'tokenledger.run.success': true,
    'tokenledger.run.id': run.spanContext().spanId,
    'tokenledger.run.scope': 'subtree',
    'tokenledger.run.complete': false, // the failed call has no usage, so the run's cost is a lower bound
    'tokenledger.run.incomplete_reason': 'unpriced_calls',
    'tokenledger.run.steps': 4,
    'tokenledger.run.tool_calls': 2,
    'tokenledger.run.tool_errors': 1,
    'tokenledger.run.failed_calls': 1,
    'tokenledger.run.nested': false,
    'tokenledger.run.retries': 1,
    'tokenledger.run.unpriced_calls': 1,
    'tokenledger.run.usage.input_tokens': 6000,
    'tokenledger.run.usage.output_tokens': 600,
    'tokenledger.run.usage.uncached.input_tokens': 3056, // 1000 + 976 + 1080
    'tokenledger.run.usage.cache_read.input_tokens': 2944, // 1024 + 1920
    'tokenledger.run.usage.cache_write.input_tokens': 0,
    'tokenledger.run.usage.cache_write.ttl_5m.input_tokens': 0,
    'tokenledger.run.usage.cache_write.ttl_1h.input_tokens': 0,
    'tokenledger.run.usage.reasoning.output_tokens': 100,
    'tokenledger.run.usage.tool_result.input_tokens': 0,
    'tokenledger.run.cost.usd': 0.012384, // 2800 + 4064 + 5520 µ$
    'tokenledger.run.cost.uncached_input.usd': 0.006112, // 3056 × 2
    'tokenledger.run.cost.cache_read.usd': 0.001472, // 2944 × 0.5
    'tokenledger.run.cost.cache_write.ttl_5m.usd': 0,
    'tokenledger.run.cost.cache_write.ttl_1h.usd': 0,
    'tokenledger.run.cost.output.usd': 0.0048, // 600 × 8
    'tokenledger.run.cost.reasoning.usd': 0.0008, // 100 × 8
    'tokenledger.run.cost.tool_result.usd': 0,
    'tokenledger.run.cost.request_fees.usd': 0,
    'tokenledger.run.input_tokens_per_step': [1000, 2000, 3000],
    'tokenledger.run.ideal_steps.source': 'configured',
    'tokenledger.run.step_inflation': 1.333333, // 4 / 3
    'tokenledger.run.cache_hit_rate': 0.490667, // 2944 / 6000
    'tokenledger.run.token_efficiency': 0.090909, // 600 useful output / (6000 + 600)
    'tokenledger.run.context_growth.tokens_per_step': 1000,
    'tokenledger.run.context_growth.quadratic': false, // fewer than 4 steps with usage
  });
  assert.equal(run.attributes['gen_ai.usage.input_tokens'], undefined, 'run totals never under gen_ai.usage.*');
  assert.equal(run.attributes['gen_ai.operation.name'], 'invoke_agent');
  assert.equal(run.attributes['gen_ai.agent.name'], 'support');

  const tools = harness.spans().filter((span) => span.name.startsWith('execute_tool '));
  assert.deepEqual(
    tools.map((span) => [span.name, span.status.code, span.parentSpanContext?.spanId]),
    [
      ['execute_tool lookup', SpanStatusCode.UNSET, run.spanContext().spanId],
      ['execute_tool search', SpanStatusCode.ERROR, run.spanContext().spanId],
    ],
  );

  const metrics = await reader.metricsByName();
  const runs = pointsOf(metrics.get('tokenledger.runs'), { 'gen_ai.agent.name': 'support', 'tokenledger.run.outcome': 'success' });
  assert.equal(runs[0]?.value, 1);
  const runCost = pointsOf(metrics.get('tokenledger.run.cost'), { 'gen_ai.agent.name': 'support' })[0]?.value as Histogram;
  assert.equal(runCost.count, 1);
  assert.ok(Math.abs(runCost.sum! - 0.012384) < 1e-12);
  assert.equal((pointsOf(metrics.get('tokenledger.run.steps'), { 'gen_ai.agent.name': 'support' })[0]?.value as Histogram | undefined)?.sum, 4);
  const tokens = (metric: string, type: string) => pointsOf(metrics.get(metric), { 'gen_ai.agent.name': 'support', 'tokenledger.token.type': type })[0]?.value;
  // The parts add up to all tokens (6000 + 600); reasoning is a subset of output, in a metric of its own.
  assert.deepEqual(
    ['uncached_input', 'cache_read', 'output'].map((type) => tokens('tokenledger.tokens', type)),
    [3056, 2944, 600],
  );
  assert.equal(tokens('tokenledger.tokens', 'reasoning'), undefined);
  assert.equal(tokens('tokenledger.tokens.subset', 'reasoning'), 100);
  const outputCost = pointsOf(metrics.get('tokenledger.cost'), { 'gen_ai.agent.name': 'support', 'tokenledger.token.type': 'output' })[0]?.value as number;
  assert.ok(Math.abs(outputCost - 0.0048) < 1e-12);
  const inputUsage = pointsOf(metrics.get('gen_ai.client.inference.operation.input_tokens'))[0]?.value as Histogram;
  assert.equal(inputUsage.count, 3);
  assert.equal(inputUsage.sum, 6000);
  assert.equal(pointsOf(metrics.get('gen_ai.client.inference.usage.input_tokens'))[0]?.value, 6000);
  assert.equal(metrics.get('gen_ai.client.token.usage'), undefined, 'the previous GenAI token histogram only on request');
  const failedDuration = pointsOf(metrics.get('gen_ai.client.operation.duration'), { 'error.type': 'InternalServerError' })[0]?.value as Histogram;
  assert.equal(failedDuration.count, 1);
});

test('runs: run.fail(reason) marks a run that returned as failed', async () => {
  queueGpt41(harness.provider, { prompt: 100, completion: 10 });
  await agentRun({ name: 'triage' }, async (run) => {
    await ask('hi');
    run.fail('answer did not cite the policy');
  });
  const span = runSpan('triage');
  assert.equal(span.attributes['tokenledger.run.success'], false);
  assert.equal(span.attributes['tokenledger.run.failure_reason'], 'answer did not cite the policy');
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  const runs = pointsOf((await reader.metricsByName()).get('tokenledger.runs'), { 'gen_ai.agent.name': 'triage' });
  assert.deepEqual(
    runs.map((p) => [p.attributes['tokenledger.run.outcome'], p.value]),
    [['failure', 1]],
  );
});

test('runs: a callback that throws fails the run and the app gets the same error', async () => {
  const boom = new RangeError('no such ticket');
  const error = await agentRun({ name: 'thrower' }, async () => {
    throw boom;
  }).catch((e: unknown) => e);
  assert.equal(error, boom);
  const span = runSpan('thrower');
  assert.equal(span.attributes['tokenledger.run.success'], false);
  assert.equal(span.attributes['tokenledger.run.failure_reason'], 'RangeError');
});

test('runs: a nested run covers its own subtree and its parent covers both', async () => {
  queueGpt41(harness.provider, { prompt: 100, completion: 10 });
  queueGpt41(harness.provider, { prompt: 200, completion: 20 });
  queueGpt41(harness.provider, { prompt: 300, completion: 30 });
  await agentRun({ name: 'planner' }, async () => {
    await ask('plan');
    await agentRun({ name: 'researcher' }, async () => {
      await ask('research 1');
      await ask('research 2');
    });
  });
  const outer = runSpan('planner');
  const inner = runSpan('researcher');
  assert.equal(outer.attributes['tokenledger.run.steps'], 3);
  assert.equal(outer.attributes['tokenledger.run.usage.input_tokens'], 600);
  assert.equal(inner.attributes['tokenledger.run.steps'], 2);
  assert.equal(inner.attributes['tokenledger.run.usage.input_tokens'], 500);
  assert.equal(inner.attributes['tokenledger.run.scope'], 'subtree');
  // gpt-4.1: (500 × 2 + 50 × 8) / 1e6 and (600 × 2 + 60 × 8) / 1e6
  assert.equal(inner.attributes['tokenledger.run.cost.usd'], 0.0014);
  assert.equal(outer.attributes['tokenledger.run.cost.usd'], 0.00168);
});

test('runs: a plain root span is a run, and the attributes a user sets on it are honoured', async () => {
  queueGpt41(harness.provider, { prompt: 100, completion: 10 });
  const tracer = harness.tracerProvider.getTracer('app');
  await tracer.startActiveSpan('handle request', async (span) => {
    span.setAttribute('tokenledger.run.ideal_steps', 2);
    await ask('hi');
    span.setAttribute('tokenledger.run.success', false);
    span.end();
  });
  const root = harness.spans().find((span) => span.name === 'handle request')!;
  assert.equal(root.attributes['tokenledger.run.steps'], 1);
  assert.equal(root.attributes['tokenledger.run.step_inflation'], 0.5);
  assert.equal(root.attributes['tokenledger.run.success'], false);
});

test('runs: a lone LLM call is not a run of its own', async () => {
  queueGpt41(harness.provider, { prompt: 100, completion: 10 });
  await ask('hi');
  const [span] = harness.spans();
  assert.equal(span!.attributes['tokenledger.run.steps'], undefined);
});

test('runs: ideal steps are learned per agent from the 10th percentile of its last successful runs', async () => {
  for (const steps of [3, 4, 3, 5, 3]) {
    for (let i = 0; i < steps; i += 1) queueGpt41(harness.provider, { prompt: 100, completion: 10 });
    await agentRun({ name: 'learner' }, async () => {
      for (let i = 0; i < steps; i += 1) await ask('step');
    });
  }
  const early = harness.spans().filter((span) => span.name === 'invoke_agent learner');
  assert.ok(
    early.every((span) => span.attributes['tokenledger.run.ideal_steps'] === undefined),
    'never invented before 5 runs',
  );
  harness.reset();
  for (let i = 0; i < 6; i += 1) queueGpt41(harness.provider, { prompt: 100, completion: 10 });
  await agentRun({ name: 'learner' }, async () => {
    for (let i = 0; i < 6; i += 1) await ask('step');
  });
  const span = runSpan('learner');
  assert.equal(span.attributes['tokenledger.run.ideal_steps'], 3); // sorted [3,3,3,4,5], 10th percentile
  assert.equal(span.attributes['tokenledger.run.ideal_steps.source'], 'learned');
  assert.equal(span.attributes['tokenledger.run.step_inflation'], 2);
});

test('runs: input that grows every step by the whole history is flagged quadratic', async () => {
  for (const prompt of [1000, 2100, 3000, 4200, 5000]) queueGpt41(harness.provider, { prompt, completion: 50 });
  await agentRun({ name: 'looper' }, async () => {
    for (let i = 0; i < 5; i += 1) await ask('again');
  });
  const span = runSpan('looper');
  assert.equal(span.attributes['tokenledger.run.context_growth.quadratic'], true);
  // least-squares slope over steps 0..4: Σ(x − 2)(y − 3060) / Σ(x − 2)² = 10100 / 10
  assert.equal(span.attributes['tokenledger.run.context_growth.tokens_per_step'], 1010);
});

test("runs: a tool that ends after its run's root is still in its run; a root exported before it says the run is not whole yet", async () => {
  const tracer = harness.tracerProvider.getTracer('app');
  let straggler: ReturnType<typeof tracer.startSpan> | undefined;
  await agentRun({ name: 'leaky' }, async () => {
    straggler = tracer.startSpan('execute_tool slow', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'slow' } });
  });
  // The harness exports through its own processor, not through tokenledger's: the root went out as it ended.
  const root = runSpan('leaky');
  assert.equal(root.attributes['tokenledger.run.complete'], false);
  assert.equal(root.attributes['tokenledger.run.incomplete_reason'], 'calls_open_at_end');
  assert.equal(processor.activeRuns, 1, 'the run waits for its open tool');
  straggler!.end();
  assert.equal(processor.activeRuns, 0);
  const metrics = await reader.metricsByName();
  assert.equal(metrics.get('tokenledger.processor.spans.late')?.dataPoints[0]?.value, undefined);
  assert.equal(pointsOf(metrics.get('tokenledger.runs'), { 'gen_ai.agent.name': 'leaky' })[0]?.value, 1);
});

test('runs: tool() returns what the function returns, sync or async, and rethrows its errors', async () => {
  const double = tool('double', (n: number) => n * 2);
  const fail = tool('fail', () => {
    throw new TypeError('bad input');
  });
  assert.equal(double(21), 42);
  assert.throws(() => fail(), TypeError);
  const active = trace.getSpan(context.active());
  assert.equal(active, undefined);
});
