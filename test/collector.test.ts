// Collector mode: real OTLP exporters (protobuf and JSON) in a separate process send spans written in other
// instrumentations' conventions to `tokenledger collect`; an upstream receiver in the test decodes what is
// forwarded. Exact costs are worked out from the bundled per-MTok rates.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CollectorServer } from '../processor/collector/collector-server.ts';
import { toAttributes, type KeyValue } from '../processor/collector/enrich.ts';
import { ExportTraceServiceRequest } from '../processor/collector/otlp-schema.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
interface Forwarded {
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}
let upstream: Server;
let forwarded: Forwarded[] = [];
let upstreamStatus = 200;
let collector: CollectorServer;
let collectorUrl = '';

before(async () => {
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (upstreamStatus !== 200) {
      res.writeHead(upstreamStatus).end();
      return;
    }
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<{ name: string; attributes?: KeyValue[] }> }> }>;
    };
    for (const rs of request.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) forwarded.push({ name: span.name, scope: ss.scope?.name ?? '', attributes: toAttributes(span.attributes ?? []) });
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  collector = new CollectorServer({ port: 0, upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, maxBodyBytes: 64 * 1024, bearerToken: undefined });
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
    assert.equal(forwarded.length, 3);
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
    assert.deepEqual(byScope['@opentelemetry/instrumentation-http'], { 'http.request.method': 'POST', 'http.response.status_code': 200 }, 'other spans pass through unchanged');
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
  const badId = await post(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', name: 'a' }] }] }] }), 'application/json');
  assert.equal(badId.status, 400);
  assert.match(await badId.text(), /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be a hex string/);
  assert.equal(forwarded.length, 0);
});

test('collector: an upstream that fails makes the exporter retry (503)', async () => {
  upstreamStatus = 500;
  const response = await post(JSON.stringify({ resourceSpans: [] }), 'application/json');
  assert.equal(response.status, 503);
  assert.match(await response.text(), /upstream export failed: HTTP 500/);
});

test('collector: a bearer token is required when configured', async () => {
  const guarded = new CollectorServer({ port: 0, upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, bearerToken: 's3cret' });
  const url = await guarded.start();
  try {
    const denied = await fetch(`${url}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(denied.status, 401);
    const allowed = await fetch(`${url}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' } });
    assert.equal(allowed.status, 200);
  } finally {
    await guarded.stop();
  }
});

test('collector: random and truncated payloads never crash or stall it', async () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < 200; i += 1) {
    const bytes = new Uint8Array(Math.floor(random() * 512)).map(() => Math.floor(random() * 256));
    const response = await post(bytes, i % 2 ? 'application/x-protobuf' : 'application/json');
    assert.ok([200, 400, 503].includes(response.status), `status ${response.status}`);
    await response.arrayBuffer();
  }
  const alive = await post(JSON.stringify({ resourceSpans: [] }), 'application/json');
  assert.equal(alive.status, 200);
});
