// Attribution and backend conventions in collector mode: the baggage arrives as span attributes (copied by the app's
// own processor), read under the same names. A call whose span lacks a key takes the value of the innermost run above
// it that has one — here the request span around the agent, the only span that carries the tenant. With
// `backendConventions`, forwarded LLM spans carry the Langfuse attributes too. gpt-4.1 at $2 / $8 per MTok: each call
// bills 1000 input + 100 output tokens = $0.0028.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../base/manual-clock.ts';
import { CollectorServer } from '../collector/collector-server.ts';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';
import { waitUntil } from './wait.ts';

let upstream: Server;
let collector: CollectorServer;
let collectorUrl = '';
let reader: TestMetricReader;
/** The collector's clock: a trace is rolled up when the test moves it past the quiet period. */
const clock = new ManualClock();
const forwarded: Array<{ name: string; attributes: Record<string, unknown> }> = [];

before(async () => {
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name: string; attributes?: KeyValue[] }> }> }>;
    };
    for (const rs of request.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) forwarded.push({ name: span.name, attributes: toAttributes(span.attributes ?? []) });
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const meters = testMeterProvider();
  reader = meters.reader;
  collector = new CollectorServer({
    port: 0,
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    traces: { quietMs: 50 },
    clock,
    meterProvider: meters.meterProvider,
    attribution: { keys: ['tenant.id', 'feature'] },
    backendConventions: ['langfuse'],
  });
  collectorUrl = await collector.start();
});
after(async () => {
  await collector.stop();
  upstream.close();
});

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const NANOS = 1_764_300_000_000_000_000n;
const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'number' ? { intValue: value } : { stringValue: value } });

function span(id: string, parent: string, name: string, start: number, end: number, attributes: Array<ReturnType<typeof kv>>) {
  return {
    traceId: TRACE,
    spanId: id,
    parentSpanId: parent,
    name,
    kind: 1,
    startTimeUnixNano: String(NANOS + BigInt(start) * 1_000_000n),
    endTimeUnixNano: String(NANOS + BigInt(end) * 1_000_000n),
    attributes,
    status: {},
  };
}

const call = (id: string, parent: string, start: number, extra: Array<ReturnType<typeof kv>> = []) =>
  span(id, parent, 'chat gpt-4.1', start, start + 1, [
    kv('gen_ai.operation.name', 'chat'),
    kv('gen_ai.provider.name', 'openai'),
    kv('gen_ai.request.model', 'gpt-4.1'),
    kv('gen_ai.usage.input_tokens', 1000),
    kv('gen_ai.usage.output_tokens', 100),
    ...extra,
  ]);

test('collector attribution: a call takes the tenant of the request it ran in; its own value wins', async () => {
  const spans = [
    span('0000000000000001', '', 'GET /tickets', 0, 10, [kv('tenant.id', 'acme')]),
    span('0000000000000002', '0000000000000001', 'invoke_agent support', 1, 9, [
      kv('gen_ai.operation.name', 'invoke_agent'),
      kv('gen_ai.agent.name', 'support'),
    ]),
    call('0000000000000003', '0000000000000002', 2),
    call('0000000000000004', '0000000000000002', 4, [kv('feature', 'search')]),
    call('0000000000000005', '0000000000000002', 6, [kv('tenant.id', 'globex')]),
  ];
  const body = { resourceSpans: [{ resource: { attributes: [kv('service.name', 'agents')] }, scopeSpans: [{ scope: { name: 'app' }, spans }] }] };
  const response = await fetch(`${collectorUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
  clock.advance(50); // quiet for 50 ms: rolled up, its metrics recorded
  const metrics = await reader.metricsByName();
  const costByTenant: Record<string, number> = {};
  for (const point of metrics.get('tokenledger.cost')?.dataPoints ?? []) {
    const tenant = String(point.attributes['tenant.id']);
    costByTenant[tenant] = Math.round(((costByTenant[tenant] ?? 0) + (point.value as number)) * 1e10) / 1e10;
  }
  // Calls 3 and 4 take acme from the request span (two runs up); call 5 says globex itself.
  assert.deepEqual(costByTenant, { acme: 0.0056, globex: 0.0028 });
  const features = (metrics.get('tokenledger.tokens')?.dataPoints ?? []).map((point) => point.attributes.feature).filter(Boolean);
  assert.deepEqual([...new Set(features)], ['search']);
  // The task (the agent, not the request around it) is labelled with the request's tenant.
  const runs = metrics.get('tokenledger.runs')?.dataPoints.map((point) => [point.attributes['gen_ai.agent.name'], point.attributes['tenant.id'], point.value]);
  assert.deepEqual(runs, [['support', 'acme', 1]]);
});

test("collector backend conventions: forwarded LLM spans carry Langfuse's usage and cost details", async () => {
  await waitUntil('the five spans to be forwarded', () => forwarded.length >= 5);
  const calls = forwarded.filter((span) => span.name === 'chat gpt-4.1');
  assert.equal(calls.length, 3);
  for (const span of calls) {
    // 1000 input, none cached: all of it uncached; $0.002 input + $0.0008 output.
    assert.equal(span.attributes['langfuse.observation.usage_details'], JSON.stringify({ input: 1000, output: 100, total: 1100 }));
    assert.equal(span.attributes['langfuse.observation.cost_details'], JSON.stringify({ input: 0.002, output: 0.0008, total: 0.0028 }));
    assert.equal(span.attributes['llm.token_count.prompt'], undefined, 'only the conventions asked for');
  }
  assert.equal(forwarded.find((span) => span.name === 'invoke_agent support')?.attributes['langfuse.observation.usage_details'], undefined);
});
