// Collector mode: real OTLP exporters (protobuf and JSON) in a separate process send spans written in other
// instrumentations' conventions to `tokenledger collect`; an upstream receiver in the test decodes what is
// forwarded. Exact costs are worked out from the bundled per-MTok rates.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { CollectorServer } from '../collector/collector-server.ts';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from '../collector/otlp-schema.ts';
import { ManualClock } from '../base/manual-clock.ts';
import { CollectorProcess } from './collector-process.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';
import { waitUntil } from './wait.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
interface Forwarded {
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}
let upstream: Server;
let forwarded: Forwarded[] = [];
let upstreamStatus = 200;
/** Requests the upstream answered with an error. */
let failedAttempts = 0;
let collector: CollectorServer;
let collectorUrl = '';
let reader: TestMetricReader;

before(async () => {
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (upstreamStatus !== 200) {
      failedAttempts += 1;
      res.writeHead(upstreamStatus).end();
      return;
    }
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<{ name: string; attributes?: KeyValue[] }> }> }>;
    };
    for (const rs of request.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          const keys = (span.attributes ?? []).map((kv) => kv.key);
          // OTLP attribute keys are unique: what tokenledger appends or replaces must keep them so.
          assert.deepEqual(
            keys.filter((key, i) => keys.indexOf(key) !== i),
            [],
            `duplicate attribute keys on ${span.name}`,
          );
          forwarded.push({ name: span.name, scope: ss.scope?.name ?? '', attributes: toAttributes(span.attributes ?? []) });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const meters = testMeterProvider();
  reader = meters.reader;
  collector = new CollectorServer({ port: 0, upstream: upstreamUrl(), maxBodyBytes: 64 * 1024, traces: { quietMs: 50 }, meterProvider: meters.meterProvider });
  collectorUrl = await collector.start();
});
after(async () => {
  await collector.stop();
  upstream.close();
});
beforeEach(() => {
  forwarded = [];
  upstreamStatus = 200;
});

function upstreamUrl(): string {
  return `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
}

function waitForForwarded(count: number): Promise<void> {
  return waitUntil(
    () => `${count} forwarded spans (got ${forwarded.map((span) => span.name).join(', ') || 'none'})`,
    () => forwarded.length >= count,
  );
}

function runClient(protocol: 'proto' | 'json'): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['test/apps/collector-client.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', COLLECTOR_URL: collectorUrl, PROTOCOL: protocol },
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}

for (const protocol of ['proto', 'json'] as const) {
  test(`collector: spans from a ${protocol} exporter are normalised, priced and forwarded`, async () => {
    assert.equal(await runClient(protocol), 0);
    await waitForForwarded(5);
    assert.equal(forwarded.length, 5);
    const byScope = Object.fromEntries(forwarded.map((span) => [span.scope, span.attributes]));
    const openinference = byScope['openinference.instrumentation.openai']!;
    assert.equal(openinference['tokenledger.usage.source_convention'], 'openinference');
    assert.equal(openinference['gen_ai.usage.input_tokens'], 5000);
    // gpt-4o: 904 × $2.50 + 4096 × $1.25 + 300 × $10 per MTok
    assert.equal(openinference['tokenledger.cost.usd'], 0.01038);
    const anthropic = byScope['@traceloop/instrumentation-anthropic']!;
    assert.equal(anthropic['tokenledger.usage.source_convention'], 'anthropic_excluding_cache');
    assert.equal(anthropic['gen_ai.usage.input_tokens'], 15050, 'the cache is added back to the input');
    // claude-sonnet-4-5, writes without a TTL split at the 5-minute rate: 50 × 3 + 12000 × 0.3 + 3000 × 3.75 + 530 × 15
    assert.equal(anthropic['tokenledger.cost.usd'], 0.02295);
    const genai = byScope['@opentelemetry/instrumentation-openai']!;
    assert.equal(genai['tokenledger.usage.source_convention'], 'genai');
    // gpt-4.1: 1000 × $2 + 1000 × $0.50 + 100 × $8 per MTok
    assert.equal(genai['tokenledger.cost.usd'], 0.0033);
    const sdk = byScope['com.anthropic.sdk.typescript']!;
    assert.equal(sdk['tokenledger.usage.source_convention'], 'anthropic_sdk');
    assert.equal(sdk['tokenledger.usage.cache_write.ttl_1h.input_tokens'], 2000);
    // claude-haiku-4-5: 50 × $1 + 12000 × $0.10 + 1000 × $1.25 + 2000 × $2 + 530 × $5 per MTok
    assert.equal(sdk['tokenledger.cost.usd'], 0.00915);
    assert.deepEqual(
      byScope['@opentelemetry/instrumentation-http'],
      { 'http.request.method': 'POST', 'http.response.status_code': 200 },
      'other spans pass through unchanged',
    );
  });
}

const post = (body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}) =>
  fetch(`${collectorUrl}/v1/traces`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });

test('collector: a body over the limit gets 413', async () => {
  const response = await post(new Uint8Array(65 * 1024), 'application/x-protobuf');
  assert.equal(response.status, 413);
  assert.match(await response.text(), /over the 65536-byte limit/);
});

test('collector: malformed protobuf and JSON get 400 with what is wrong', async () => {
  const protobuf = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'application/x-protobuf');
  assert.equal(protobuf.status, 400);
  assert.match(await protobuf.text(), /malformed protobuf ExportTraceServiceRequest/);
  const json = await post('{"resourceSpans": [', 'application/json');
  assert.equal(json.status, 400);
  assert.match(await json.text(), /malformed JSON/);
  const links = await post(
    JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'a', links: 'x' }] }] }],
    }),
    'application/json',
  );
  assert.equal(links.status, 400, 'links that are not a list');
  assert.match(await links.text(), /invalid OTLP\/JSON: .*links: array expected/);
  assert.equal(forwarded.length, 0);
});

test('collector: an upstream that fails is retried until it takes the spans', async () => {
  upstreamStatus = 503;
  const trace = {
    resourceSpans: [
      { scopeSpans: [{ scope: { name: 'app' }, spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'root' }] }] },
    ],
  };
  failedAttempts = 0;
  const response = await post(JSON.stringify(trace), 'application/json');
  assert.equal(response.status, 200, 'accepted: the collector holds and retries');
  await waitUntil('the upstream to fail an attempt', () => failedAttempts > 0);
  assert.equal(forwarded.length, 0);
  upstreamStatus = 200;
  await waitForForwarded(1);
  assert.deepEqual(
    forwarded.map((span) => span.name),
    ['root'],
  );
  assert.ok(collector.stats.upstreamRetries >= 1);
});

test('collector: a bearer token is required when configured', async () => {
  const guarded = new CollectorServer({ port: 0, upstream: upstreamUrl(), bearerToken: 's3cret' });
  const url = await guarded.start();
  try {
    const denied = await fetch(`${url}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(denied.status, 401);
    const allowed = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' },
    });
    assert.equal(allowed.status, 200);
  } finally {
    await guarded.stop();
  }
});

test('collector: random and truncated payloads never crash or stall it', async () => {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < 200; i += 1) {
    const bytes = new Uint8Array(Math.floor(random() * 512)).map(() => Math.floor(random() * 256));
    const response = await post(bytes, i % 2 ? 'application/x-protobuf' : 'application/json');
    assert.ok([200, 400].includes(response.status), `status ${response.status}`);
    await response.arrayBuffer();
  }
  // Truncations of a valid request: every prefix is either decodable or a 400.
  const valid = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          scopeSpans: [
            {
              scope: { name: 'fuzz' },
              spans: [
                { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'x', attributes: [{ key: 'k', value: { stringValue: 'v'.repeat(40) } }] },
              ],
            },
          ],
        },
      ],
    }),
  ).finish();
  for (let cut = 1; cut < valid.length; cut += 3) {
    const response = await post(valid.subarray(0, cut), 'application/x-protobuf');
    assert.ok([200, 400].includes(response.status), `prefix ${cut}: status ${response.status}`);
    await response.arrayBuffer();
  }
  const alive = await post(JSON.stringify({ resourceSpans: [] }), 'application/json');
  assert.equal(alive.status, 200);
});

test('collector: with the upstream down, memory stays within its limit and clients are told to come back', async () => {
  // The clock moves only once, to release the first trace: its forwarding fails, so the collector knows the upstream
  // is down and evicts nothing early; from then on what is held only grows, exactly as the requests say.
  const clock = new ManualClock();
  const down = new CollectorServer({ port: 0, upstream: 'http://127.0.0.1:1', traces: { quietMs: 10 }, maxMemoryBytes: 64 * 1024, clock });
  const url = await down.start();
  const send = async (i: number) => {
    const traceId = `8bf92f3577b34da6a3ce929d0e0e47${String(i).padStart(2, '0')}`;
    const span = { traceId, spanId: 'aa00000000000001', name: `root ${i}`, attributes: [{ key: 'pad', value: { stringValue: 'x'.repeat(6000) } }] };
    return fetch(`${url}/v1/traces`, {
      method: 'POST',
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }),
      headers: { 'content-type': 'application/json' },
    });
  };
  try {
    assert.equal((await send(0)).status, 200);
    clock.advance(10);
    await waitUntil('the first forwarding to fail', () => down.stats.upstreamRetries === 1);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // Each request: one 6000-byte attribute, about 6.9 KB held; with the first one queued, eight more fit in 64 KiB.
    for (let i = 1; i < 16; i += 1) {
      const response = await send(i);
      statuses.push(response.status);
      if (response.status === 503) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
      assert.ok(down.budget.used <= 64 * 1024, `memory ${down.budget.used}`);
    }
    assert.deepEqual(statuses, [...Array(8).fill(200), ...Array(7).fill(503)]);
    // The next retry comes 0.5–1.5 s after the failure (the backoff's jitter): the client is told 1 or 2 s.
    assert.match(retryAfter ?? '', /^[12]$/);
    assert.equal(down.stats.refusedRequests.memory_limit, 7);
    assert.equal(down.stats.evictedTraces, 0);
    assert.equal(down.budget.part('intake'), 0, 'every body read has given its bytes back');
    assert.deepEqual(Object.values(down.stats.droppedSpans), [0, 0, 0, 0, 0], 'refused, not dropped');
  } finally {
    // The upstream is down: the drain ends at its deadline, as the test moves the clock on.
    let over = false;
    const stopping = down.stop(50).finally(() => (over = true));
    await waitUntil('the drain to end', () => {
      clock.advance(50);
      return over;
    });
    assert.equal((await stopping).dropped, 9);
  }
  assert.equal(down.budget.used, 0, 'at stop every lease is given back');
});

test('collector: spans the upstream rejects in a partial success are counted, not retried', async () => {
  const rejecting = createServer(async (req, res) => {
    for await (const _ of req);
    const response = ExportTraceServiceResponse.encode(
      ExportTraceServiceResponse.fromObject({ partialSuccess: { rejectedSpans: 2, errorMessage: 'too old' } }),
    ).finish();
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(response);
  });
  await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', resolve));
  const partial = new CollectorServer({ port: 0, upstream: `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}`, traces: { quietMs: 10 } });
  const url = await partial.start();
  try {
    const spans = ['aa00000000000001', 'aa00000000000002', 'aa00000000000003'].map((spanId, i) => ({
      traceId: '9bf92f3577b34da6a3ce929d0e0e4736',
      spanId,
      ...(i > 0 ? { parentSpanId: 'aa00000000000001' } : {}),
      name: `span ${i}`,
    }));
    const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'app' }, spans }] }] });
    await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    await waitUntil('the partial success', () => partial.stats.droppedSpans.upstream_rejected > 0);
    // Three spans sent in one request, two rejected: two dropped, one forwarded.
    assert.equal(partial.stats.droppedSpans.upstream_rejected, 2);
    assert.equal(partial.stats.forwardedSpans, 1);
    assert.equal(partial.stats.upstreamRetries, 0);
  } finally {
    await partial.stop();
    rejecting.close();
  }
});

// One agent run split across two services and three requests, arriving out of order: the run span last.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanOf = (spanId: string, parent: string | undefined, name: string, attributes: Record<string, string | number | boolean>, start: number) => ({
  traceId: TRACE,
  spanId,
  ...(parent ? { parentSpanId: parent } : {}),
  name,
  startTimeUnixNano: String(1_764_300_000_000_000_000 + start),
  endTimeUnixNano: String(1_764_300_000_000_000_000 + start + 1000),
  attributes: Object.entries(attributes).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string'
        ? { stringValue: value }
        : typeof value === 'boolean'
          ? { boolValue: value }
          : Number.isInteger(value)
            ? { intValue: value }
            : { doubleValue: value },
  })),
});
const request = (service: string, scope: string, spans: unknown[]) =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: scope }, spans }] }],
  });
const llm = (spanId: string, parent: string, input: number, output: number, start: number) =>
  spanOf(
    spanId,
    parent,
    'chat gpt-4.1',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
    },
    start,
  );

test('collector: a run split across two services and three requests is rolled up whole', async () => {
  const run = 'a000000000000001';
  const worker = 'a000000000000002';
  // service B, first: two LLM calls under a worker span, then the worker span itself
  assert.equal(
    (
      await post(
        request('worker', 'py-openinference', [llm('b000000000000001', worker, 1000, 100, 2), llm('b000000000000002', worker, 2000, 200, 3)]),
        'application/json',
      )
    ).status,
    200,
  );
  assert.equal((await post(request('worker', 'py-app', [spanOf(worker, run, 'work', {}, 1)]), 'application/json')).status, 200);
  // service A, last: the run span, with its ideal steps
  assert.equal(
    (
      await post(
        request('frontend', 'tokenledger', [
          spanOf(
            run,
            undefined,
            'invoke_agent triage',
            { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'triage', 'tokenledger.run.ideal_steps': 1 },
            0,
          ),
        ]),
        'application/json',
      )
    ).status,
    200,
  );
  await waitForForwarded(4);
  const root = forwarded.find((span) => span.name === 'invoke_agent triage')!;
  assert.equal(root.attributes['tokenledger.run.steps'], 2);
  assert.equal(root.attributes['tokenledger.run.usage.input_tokens'], 3000);
  // gpt-4.1: (1000 × 2 + 100 × 8) + (2000 × 2 + 200 × 8) per MTok
  assert.equal(root.attributes['tokenledger.run.cost.usd'], 0.0084);
  assert.equal(root.attributes['tokenledger.run.step_inflation'], 2);
  assert.equal(root.attributes['tokenledger.run.complete'], true);
  assert.equal(
    forwarded.filter((span) => span.name === 'chat gpt-4.1').every((span) => typeof span.attributes['tokenledger.cost.usd'] === 'number'),
    true,
  );
  const metrics = await reader.metricsByName();
  const runs = metrics.get('tokenledger.runs')?.dataPoints.find((p) => p.attributes['gen_ai.agent.name'] === 'triage');
  assert.equal(runs?.value, 1, 'the same run metrics as in-process');
  const tokens = metrics
    .get('tokenledger.tokens')
    ?.dataPoints.find((p) => p.attributes['gen_ai.agent.name'] === 'triage' && p.attributes['tokenledger.token.type'] === 'uncached_input');
  assert.equal(tokens?.value, 3000);
});

test('collector: past maxTraces the oldest trace is forwarded un-rolled and marked incomplete; a late span is forwarded as it is', async () => {
  const small = new CollectorServer({ port: 0, upstream: upstreamUrl(), traces: { quietMs: 60_000, maxTraces: 1 } });
  const url = await small.start();
  const send = (body: string) => fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  try {
    const first = {
      resourceSpans: [
        {
          scopeSpans: [
            { scope: { name: 'app' }, spans: [spanOf('c000000000000001', undefined, 'invoke_agent one', { 'gen_ai.operation.name': 'invoke_agent' }, 0)] },
          ],
        },
      ],
    };
    await send(JSON.stringify(first));
    const second = {
      resourceSpans: [
        {
          scopeSpans: [
            { scope: { name: 'app' }, spans: [{ ...spanOf('d000000000000001', undefined, 'root two', {}, 0), traceId: '5bf92f3577b34da6a3ce929d0e0e4736' }] },
          ],
        },
      ],
    };
    await send(JSON.stringify(second));
    await waitForForwarded(1);
    const evicted = forwarded.find((span) => span.name === 'invoke_agent one')!;
    assert.equal(evicted.attributes['tokenledger.run.complete'], false);
    assert.equal(evicted.attributes['tokenledger.run.steps'], undefined, 'forwarded un-rolled');
    // A span of the evicted trace that arrives now is late: forwarded at once, counted.
    await send(
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'app' }, spans: [llm('c000000000000002', 'c000000000000001', 10, 1, 5)] }] }] }),
    );
    await waitForForwarded(2);
    assert.equal(small.stats.evictedTraces, 1);
    assert.equal(small.stats.lateSpans, 1);
  } finally {
    await small.stop();
  }
  await waitForForwarded(3);
  assert.ok(
    forwarded.some((span) => span.name === 'root two'),
    'stop() forwards what it still holds',
  );
});

test('collector: the tokenledger command serves Prometheus metrics, and SIGTERM forwards what it holds', async () => {
  const collector = await CollectorProcess.start(['--upstream', upstreamUrl(), '--prometheus', '127.0.0.1:0', '--quiet-ms', '60000']);
  const run = 'e000000000000001';
  const body = JSON.stringify({
    resourceSpans: [
      {
        scopeSpans: [
          {
            scope: { name: 'app' },
            spans: [
              {
                ...spanOf(run, undefined, 'invoke_agent cli', { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'cli' }, 0),
                traceId: '6bf92f3577b34da6a3ce929d0e0e4736',
              },
              { ...llm('e000000000000002', run, 1000, 100, 1), traceId: '6bf92f3577b34da6a3ce929d0e0e4736' },
            ],
          },
        ],
      },
    ],
  });
  const accepted = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(accepted.status, 200);
  assert.equal(forwarded.length, 0, 'held: the quiet period is a minute');
  const scraped = await (await fetch(collector.metricsUrl)).text();
  assert.match(scraped, /tokenledger_collector_spans_late_total\{[^}]*\} 0/);
  assert.match(scraped, /tokenledger_collector_traces_evicted_total/);
  assert.equal(await collector.stop('SIGTERM'), 0, collector.output);
  assert.deepEqual(forwarded.map((span) => span.name).sort(), ['chat gpt-4.1', 'invoke_agent cli']);
  assert.equal(forwarded.find((span) => span.name === 'invoke_agent cli')!.attributes['tokenledger.run.cost.usd'], 0.0028);
});

test('collector: behind a trace-id load balancer, independent instances roll every run up whole', async () => {
  // Two instances sharing nothing, and a router that sends each span by its trace id, as the OpenTelemetry
  // Collector's load-balancing exporter with routing_key: traceID does.
  const instances = [
    new CollectorServer({ port: 0, upstream: upstreamUrl(), traces: { quietMs: 50 } }),
    new CollectorServer({ port: 0, upstream: upstreamUrl(), traces: { quietMs: 50 } }),
  ];
  const urls = await Promise.all(instances.map((instance) => instance.start()));
  const route = (traceId: string) => urls[Number.parseInt(traceId.slice(-2), 16) % urls.length]!;
  try {
    const traces = ['7bf92f3577b34da6a3ce929d0e0e4700', '7bf92f3577b34da6a3ce929d0e0e4701', '7bf92f3577b34da6a3ce929d0e0e4702'];
    // Each trace: a run span and three calls, sent as four separate requests (as from different services), run span last.
    for (const [t, traceId] of traces.entries()) {
      const run = `f00000000000000${t}`;
      const parts = [
        { ...llm(`f1000000000000${t}1`, run, 1000, 100, 1), traceId },
        { ...llm(`f1000000000000${t}2`, run, 2000, 100, 2), traceId },
        { ...llm(`f1000000000000${t}3`, run, 3000, 100, 3), traceId },
        { ...spanOf(run, undefined, `invoke_agent lb-${t}`, { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': `lb-${t}` }, 0), traceId },
      ];
      for (const span of parts) {
        const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'svc' }, spans: [span] }] }] });
        const response = await fetch(`${route(traceId)}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        assert.equal(response.status, 200);
      }
    }
    await waitForForwarded(12);
    for (let t = 0; t < traces.length; t += 1) {
      const run = forwarded.find((span) => span.name === `invoke_agent lb-${t}`)!;
      assert.equal(run.attributes['tokenledger.run.steps'], 3);
      // gpt-4.1: (6000 × 2 + 300 × 8) per MTok
      assert.equal(run.attributes['tokenledger.run.cost.usd'], 0.0144);
      assert.equal(run.attributes['tokenledger.run.complete'], true);
    }
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
});

test('collector: the scale-out sidecar sends what tokenledger accepts (its otlphttp encoding and compression)', async () => {
  const sidecar = parseYaml(readFileSync(new URL('../examples/collector/otel-collector-sidecar.yaml', import.meta.url), 'utf8')) as {
    exporters: { otlphttp: { endpoint: string; encoding: string; compression: string } };
  };
  const { endpoint, encoding, compression } = sidecar.exporters.otlphttp;
  assert.equal(endpoint, 'http://127.0.0.1:4318', "tokenledger collect's default --listen");
  assert.equal(encoding, 'proto');
  assert.equal(compression, 'gzip');
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        { scopeSpans: [{ scope: { name: 'sidecar' }, spans: [{ traceId: Buffer.alloc(16, 7), spanId: Buffer.alloc(8, 7), name: 'via the sidecar' }] }] },
      ],
    }),
  ).finish();
  // What the OpenTelemetry Collector's otlphttp exporter sends with these settings.
  const response = await post(gzipSync(body), 'application/x-protobuf', { 'content-encoding': compression });
  assert.equal(response.status, 200);
  await waitForForwarded(1);
  assert.deepEqual(
    forwarded.map((span) => span.name),
    ['via the sidecar'],
  );
});
