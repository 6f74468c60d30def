// Numbers that survive trace sampling, in process: the same app — 10 requests, each a root span around 4 openai chat
// calls, so 40 calls in 10 runs — under the SDK's own samplers (traceidratio 0.1, parentbased_traceidratio 0.1,
// always_off) wrapped by tokenledgerSampler, against the same app with every trace sampled. The cost counter, every
// gen_ai.client.inference.usage.* counter, the runs counter and the run-cost histogram must be equal to the last
// digit; only the exported spans follow the sampler. Trace ids come from a seeded generator, so which traces the
// ratio keeps is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SamplingDecision, SpanKind, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { BudgetExceededError } from '../instrumentation/common/guard-errors.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { tokenledgerSampler } from '../setup/sampler.ts';
import { growingUsage, queueGpt41, seededIds, useOpenAIApp } from './openai-app.ts';
import { testMeterProvider } from './metric-reader.ts';

const app = useOpenAIApp();
const { instrumentation, provider } = app;

interface Outcome {
  exportedCalls: number;
  exportedRoots: string[];
  cost: number;
  genaiUsage: Record<string, number>;
  runs: number;
  runCost: { sum: number; count: number };
}

async function runApp(sampler: Sampler): Promise<Outcome> {
  provider.reset();
  const exporter = new InMemorySpanExporter();
  const { meterProvider, reader } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracerProvider = new TracerProvider({ sampler: tokenledgerSampler(sampler), idGenerator: seededIds(7), spanProcessors: [processor] });
  instrumentation.setTracerProvider(tracerProvider);
  const tracer = tracerProvider.getTracer('app');
  for (let request = 0; request < 10; request += 1) {
    await tracer.startActiveSpan('POST /ask', { kind: SpanKind.SERVER }, async (root) => {
      for (let step = 0; step < 4; step += 1) {
        queueGpt41(provider, growingUsage(4 * request + step));
        await app.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: `step ${step}` }] });
      }
      root.end();
    });
  }
  await tracerProvider.forceFlush();
  const metrics = await reader.metricsByName();
  const sum = (name: string) => (metrics.get(name)?.dataPoints ?? []).reduce((total, point) => total + (point.value as number), 0);
  const genaiUsage: Record<string, number> = {};
  for (const name of metrics.keys()) if (name.startsWith('gen_ai.client.inference.usage.')) genaiUsage[name] = sum(name);
  const runCost = metrics.get('tokenledger.run.cost')?.dataPoints[0]?.value as { sum: number; count: number } | undefined;
  const spans = exporter.getFinishedSpans();
  const outcome: Outcome = {
    exportedCalls: spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').length,
    exportedRoots: spans.filter((span) => span.name === 'POST /ask').map((span) => span.spanContext().traceId),
    cost: sum('tokenledger.cost'),
    genaiUsage,
    runs: sum('tokenledger.runs'),
    runCost: { sum: runCost?.sum ?? 0, count: runCost?.count ?? 0 },
  };
  await tracerProvider.shutdown();
  return outcome;
}

/** The trace ids of the 10 requests (the ids a run's spans take come in the same order every time). */
async function rootTraceIds(): Promise<string[]> {
  return (await runApp(new AlwaysOnSampler())).exportedRoots;
}

const exact = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

test("sampling: the cost, token and run metrics under every sampler equal the unsampled app's; only exports follow the sampler", async () => {
  const all = await runApp(new AlwaysOnSampler());
  assert.equal(all.exportedCalls, 40);
  assert.equal(all.runs, 10);
  assert.equal(all.runCost.count, 10);
  assert.equal(all.genaiUsage['gen_ai.client.inference.usage.input_tokens'], 146_860); // Σ(1000 + 137·i), i < 40
  // (146 860 − 8 000 cached) × $2 + 8 000 × $0.50 + 10 580 output × $8, per million
  exact(all.cost, 0.36636);
  const ratio = new TraceIdRatioBasedSampler(0.1);
  const kept = (await rootTraceIds()).filter((traceId) => ratio.shouldSample(context.active(), traceId).decision === SamplingDecision.RECORD_AND_SAMPLED);
  assert.deepEqual([kept.length > 0, kept.length < 10], [true, true], `the ratio keeps some traces, not all: ${kept.length}`);
  for (const [name, sampler, exportedRuns] of [
    ['traceidratio 0.1', new TraceIdRatioBasedSampler(0.1), kept.length],
    ['parentbased_traceidratio 0.1', new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) }), kept.length],
    ['always_off', new AlwaysOffSampler(), 0],
  ] as const) {
    const sampled = await runApp(sampler);
    assert.equal(sampled.exportedCalls, 4 * exportedRuns, `${name}: exported calls`);
    exact(sampled.cost, all.cost);
    assert.deepEqual(sampled.genaiUsage, all.genaiUsage, `${name}: GenAI usage counters`);
    assert.equal(sampled.runs, all.runs, `${name}: runs`);
    assert.equal(sampled.runCost.count, all.runCost.count, `${name}: run-cost histogram count`);
    exact(sampled.runCost.sum, all.runCost.sum);
  }
});

test('sampling: guardrails act on runs whose traces are not sampled', async () => {
  provider.reset();
  const processor = new TokenledgerSpanProcessor({
    meterProvider: testMeterProvider().meterProvider,
    guardrails: { mode: 'enforce', defaults: { maxSteps: 2 } },
  });
  const disable = enableGuardrails(processor);
  const tracerProvider = new TracerProvider({ sampler: tokenledgerSampler(new AlwaysOffSampler()), spanProcessors: [processor] });
  instrumentation.setTracerProvider(tracerProvider);
  const tracer = tracerProvider.getTracer('app');
  const steps: string[] = [];
  await tracer.startActiveSpan('POST /ask', async (root) => {
    assert.equal(root.isRecording(), true);
    assert.equal(root.spanContext().traceFlags & 1, 0, 'the trace is not sampled');
    for (let step = 0; step < 3; step += 1) {
      queueGpt41(provider, growingUsage(step));
      try {
        await app.client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'again' }] });
        steps.push('sent');
      } catch (error) {
        steps.push(error instanceof BudgetExceededError ? `stopped: ${error.limit}` : 'other error');
      }
    }
    root.end();
  });
  assert.deepEqual(steps, ['sent', 'sent', 'stopped: max_steps']);
  disable();
  await tracerProvider.shutdown();
  trace.disable();
});
