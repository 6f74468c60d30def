// Numbers that survive trace sampling in an app that starts its own NodeSDK, set up as the README says: its sampler
// wrapped by tokenledgerSampler, its exporter behind tokenledger's processor. 10 requests of 4 gpt-4.1 calls under
// a 0.1 trace-id ratio: the cost counter and the runs are the whole app's; the exported calls are the kept traces'.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SamplingDecision, SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { tokenledgerSampler } from '../setup/sampler.ts';
import { FakeProvider } from './fake-provider.ts';
import { requireFromTest } from './harness.ts';
import { testMeterProvider } from './metric-reader.ts';
import { growingUsage, queueGpt41, seededIds } from './openai-app.ts';

const provider = new FakeProvider();
const exporter = new InMemorySpanExporter();
const { meterProvider, reader } = testMeterProvider();
const traceIds: string[] = [];
let sdk: NodeSDK;
let client: OpenAIClient;

before(async () => {
  await provider.start();
  sdk = new NodeSDK({
    sampler: tokenledgerSampler(new TraceIdRatioBasedSampler(0.1)),
    idGenerator: seededIds(11, (traceId) => traceIds.push(traceId)),
    spanProcessors: [new TokenledgerSpanProcessor({ meterProvider, spanProcessors: [new SimpleSpanProcessor({ exporter })] })],
    instrumentations: [new OpenAIInstrumentation()],
    metricReaders: [],
  });
  sdk.start();
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: provider.fetch, maxRetries: 0 });
});
after(async () => {
  await sdk.shutdown();
  await provider.stop();
});

test("sampling with an app's own NodeSDK: the metrics count every call, the exports only the sampled traces", async () => {
  const tracer = trace.getTracer('app');
  for (let request = 0; request < 10; request += 1) {
    await tracer.startActiveSpan('POST /ask', { kind: SpanKind.SERVER }, async (root) => {
      for (let step = 0; step < 4; step += 1) {
        queueGpt41(provider, growingUsage(4 * request + step));
        await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: `step ${step}` }] });
      }
      root.end();
    });
  }
  const exported = exporter.getFinishedSpans().filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  const metrics = await reader.metricsByName();
  const sum = (name: string) => (metrics.get(name)?.dataPoints ?? []).reduce((total, point) => total + (point.value as number), 0);
  // (146 860 − 8 000 cached) × $2 + 8 000 × $0.50 + 10 580 output × $8, per million: every call, sampled or not
  assert.ok(Math.abs(sum('tokenledger.cost') - 0.36636) < 1e-12, String(sum('tokenledger.cost')));
  assert.equal(sum('gen_ai.client.inference.usage.input_tokens'), 146_860);
  assert.equal(sum('tokenledger.runs'), 10);
  const ratio = new TraceIdRatioBasedSampler(0.1);
  const kept = traceIds.filter((traceId) => ratio.shouldSample(context.active(), traceId).decision === SamplingDecision.RECORD_AND_SAMPLED);
  assert.equal(traceIds.length, 10);
  assert.deepEqual([exported.length, kept.length > 0 && kept.length < 10], [4 * kept.length, true]);
});
