// Collector mode, estimates from sampled input: a service samples its traces with the OpenTelemetry consistent-
// probability samplers (probability 0.1, written into each span's trace state as the threshold `ot=th:e666…`) and
// exports them over OTLP to `tokenledger collect`; another service sends every trace, with no threshold. The token
// and cost counters and the runs add each sampled call and run by its adjusted count (1 / 0.1), on series marked
// `tokenledger.estimated`; the unsampled service's spans count once, on exact series. Span attributes stay exact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BatchSpanProcessor, TracerProvider, type Sampler } from '@opentelemetry/sdk-trace';
import { createComposableParentThresholdSampler, createComposableProbabilitySampler, createCompositeSampler } from '@opentelemetry/sampler-composite';
import { CollectorServer } from '../collector/collector-server.ts';
import { adjustedCount } from '../base/sampling-threshold.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';
import { seededIds } from './openai-app.ts';

let upstream: Server;
let collector: CollectorServer;
let collectorUrl = '';
let reader: TestMetricReader;
/** Trace states of the spans the upstream got, by service. */
const traceStates = new Map<string, string[]>();

before(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks))) as {
      resourceSpans?: Array<{
        resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans?: Array<{ spans?: Array<{ traceState?: string }> }>;
      }>;
    };
    for (const rs of request.resourceSpans ?? []) {
      const service = rs.resource?.attributes?.find((kv) => kv.key === 'service.name')?.value.stringValue ?? '';
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) (traceStates.get(service) ?? traceStates.set(service, []).get(service)!).push(span.traceState ?? '');
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const meters = testMeterProvider();
  reader = meters.reader;
  // Nothing is released before stop(): every trace is held until the drain rolls it up.
  collector = new CollectorServer({
    port: 0,
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    traces: { quietMs: 3_600_000, maxAgeMs: 3_600_000 },
    meterProvider: meters.meterProvider,
  });
  collectorUrl = await collector.start();
});
after(async () => {
  upstream.close();
  context.disable();
});

/** A service's traces: each an agent run of two gpt-4.1 calls (1000 input, 100 output tokens: $0.0028 each). */
async function service(name: string, sampler: Sampler, traces: number): Promise<void> {
  const exporter = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': name }),
    sampler,
    idGenerator: seededIds(name.length),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 4096, maxExportBatchSize: 1024 })],
  });
  const tracer: Tracer = provider.getTracer('app');
  for (let i = 0; i < traces; i += 1) {
    tracer.startActiveSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } }, (run) => {
      for (let call = 0; call < 2; call += 1) {
        const span = tracer.startSpan('chat gpt-4.1', {
          attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1' },
        });
        span.setAttributes({ 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100 });
        span.end();
      }
      run.end();
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}

test('collector sampling: sampled spans count by their adjusted count on estimated series; unsampled ones once', async () => {
  await service('sampled', createCompositeSampler(createComposableParentThresholdSampler(createComposableProbabilitySampler(0.1))), 200);
  await service('whole', new AlwaysOnSampler(), 3);
  await collector.stop();
  const sampledStates = traceStates.get('sampled') ?? [];
  const weight = adjustedCount(sampledStates[0]);
  assert.equal(sampledStates.length % 3, 0, 'whole traces: a run and its two calls');
  assert.ok(sampledStates.length > 0 && sampledStates.length < 3 * 200, `${sampledStates.length / 3} of 200 traces sampled`);
  assert.ok(sampledStates.every((state) => state === sampledStates[0]) && /ot=th:e6666/.test(sampledStates[0]!), sampledStates[0]);
  assert.ok(Math.abs(weight - 10) < 1e-9, String(weight));
  assert.deepEqual(
    traceStates.get('whole')?.every((state) => state === ''),
    true,
  );
  const sampledCalls = (2 * sampledStates.length) / 3;
  const sampledRuns = sampledStates.length / 3;
  const metrics = await reader.metricsByName();
  const points = (name: string, estimated: boolean) =>
    (metrics.get(name)?.dataPoints ?? []).filter((point) => (point.attributes['tokenledger.estimated'] === true) === estimated);
  const total = (name: string, estimated: boolean, match: Record<string, unknown> = {}) =>
    points(name, estimated)
      .filter((point) => Object.entries(match).every(([k, v]) => point.attributes[k] === v))
      .reduce((sum, point) => sum + (point.value as number), 0);
  const relative = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= 1e-9 * expected, `${actual} ≠ ${expected}`);
  // Estimated: each sampled call stands for 10.
  relative(total('tokenledger.tokens', true, { 'tokenledger.token.type': 'uncached_input' }), sampledCalls * 1000 * weight);
  relative(total('tokenledger.tokens', true, { 'tokenledger.token.type': 'output' }), sampledCalls * 100 * weight);
  relative(total('gen_ai.client.inference.usage.input_tokens', true), sampledCalls * 1000 * weight);
  relative(total('tokenledger.cost', true), sampledCalls * 0.0028 * weight);
  relative(total('tokenledger.runs', true), sampledRuns * weight);
  // Exact: the whole service's 3 runs of 2 calls, once each.
  assert.equal(total('tokenledger.tokens', false, { 'tokenledger.token.type': 'uncached_input' }), 6 * 1000);
  assert.ok(Math.abs(total('tokenledger.cost', false) - 6 * 0.0028) < 1e-12);
  assert.equal(total('tokenledger.runs', false), 3);
  trace.disable();
});
