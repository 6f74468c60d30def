// Collector mode's intake, end to end: a real `tokenledger collect` process, the real OpenTelemetry JS OTLP
// exporters (gzip on) and raw HTTP clients as senders, and an upstream that refuses invalid OTLP as the
// OpenTelemetry Collector does. Compression, limits, error bodies, span-level refusal, token, TLS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { deflateRawSync, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import { ExportResultCode } from '@opentelemetry/core';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, Status } from '../collector/otlp-schema.ts';
import { CollectorProcess } from './collector-process.ts';
import { waitUntil } from './wait.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { exportOrThrow, exportSpans, otlpExporter, sdkSpans, withIds } from './otlp-clients.ts';
import { makeCertificates } from './tls-certs.ts';

const LIMIT = 1024 * 1024;
let upstream: FakeUpstream;
let collector: CollectorProcess;

before(async () => {
  upstream = await new FakeUpstream().start();
  collector = await CollectorProcess.start([
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '100',
    '--max-trace-age-ms',
    '1000',
    '--max-body-bytes',
    String(LIMIT),
    '--prometheus',
    '127.0.0.1:0',
  ]);
});
after(async () => {
  assert.equal(await collector.stop(), 0, collector.output);
  await upstream.stop();
});

const TRACE = '5bf92f3577b34da6a3ce929d0e0e4736';
/** One protobuf request with one span named `name`. */
function protobufRequest(name: string, traceId = TRACE, spanId = '00f067aa0ba902b7'): Uint8Array {
  return ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        { scopeSpans: [{ scope: { name: 'raw' }, spans: [{ traceId: Buffer.from(traceId, 'hex'), spanId: Buffer.from(spanId, 'hex'), name }] }] },
      ],
    }),
  ).finish();
}
const post = (body: Uint8Array | string, headers: Record<string, string>) => fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers });
const statusOf = async (response: Response) =>
  Status.toObject(Status.decode(new Uint8Array(await response.arrayBuffer()))) as { code?: number; message?: string };

async function droppedInvalid(): Promise<number> {
  const text = await (await fetch(collector.metricsUrl)).text();
  return Number(/tokenledger_collector_spans_dropped_total\{[^}]*drop_reason="invalid"[^}]*\} (\d+)/.exec(text)?.[1] ?? NaN);
}

test('collector e2e: gzip from the real protobuf and JSON exporters, and deflate and zstd bodies, are accepted and forwarded', async () => {
  for (const protocol of ['proto', 'json'] as const) {
    const spans = await sdkSpans('@opentelemetry/instrumentation-openai', [
      { name: `invoke_agent gz-${protocol}`, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': `gz-${protocol}` } },
      {
        name: `chat gz-${protocol}`,
        parent: 0,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4.1',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 100,
        },
      },
    ]);
    await exportOrThrow(otlpExporter(protocol, collector.url), spans);
  }
  const encodings: Array<[string, (body: Uint8Array) => Uint8Array]> = [
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['zstd', zstdCompressSync],
    ['gzip', gzipSync],
  ];
  for (const [i, [encoding, compress]] of encodings.entries()) {
    const response = await post(compress(protobufRequest(`${encoding} ${i}`, TRACE, `00f067aa0ba902c${i}`)), {
      'content-type': 'application/x-protobuf',
      'content-encoding': encoding,
    });
    assert.equal(response.status, 200, `${encoding} ${i}`);
    await response.arrayBuffer();
  }
  await waitUntil('the eight spans to be forwarded', () => upstream.spans.length >= 8);
  assert.deepEqual(upstream.names().sort(), [
    'chat gz-json',
    'chat gz-proto',
    'deflate 0',
    'deflate 1',
    'gzip 3',
    'invoke_agent gz-json',
    'invoke_agent gz-proto',
    'zstd 2',
  ]);
  // gpt-4.1: 1000 × $2 + 100 × $8 per MTok
  assert.equal(upstream.spans.find((span) => span.name === 'chat gz-proto')!.attributes['tokenledger.cost.usd'], 0.0028);
  assert.equal(upstream.spans.find((span) => span.name === 'invoke_agent gz-json')!.attributes['tokenledger.run.cost.usd'], 0.0028);
});

/** Sends `size` bytes in 64 KiB writes with a raw client; resolves to the status, or the error the client hit. */
function sendLarge(size: number, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const url = new URL(`${collector.url}/v1/traces`);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': String(size), ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    const chunk = Buffer.alloc(64 * 1024, 0x0a);
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

test('collector e2e: a body over the limit, as sent or inflated, gets 413 once it has been read; a broken body 400; an unknown encoding 415', async () => {
  // Twelve bodies of 1.5 MiB, twelve times the same race that gave broken pipes: every client reads the 413.
  const statuses = await Promise.all(Array.from({ length: 12 }, () => sendLarge(LIMIT * 1.5)));
  assert.deepEqual(statuses, Array(12).fill(413));
  // A gzip bomb: 64 MiB of zeros in about 64 KB.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const bombed = await post(bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
  assert.equal(bombed.status, 413);
  assert.deepEqual(await statusOf(bombed), { code: 3, message: `request body over the ${LIMIT}-byte limit` });
  const broken = await post(gzipSync(protobufRequest('x')).subarray(0, 20), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
  assert.equal(broken.status, 400);
  assert.match((await statusOf(broken)).message!, /^malformed gzip body: /);
  const brotli = await post(protobufRequest('x'), { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' });
  assert.equal(brotli.status, 415);
  assert.deepEqual(await statusOf(brotli), { code: 3, message: 'unsupported Content-Encoding "br"; send gzip, deflate, zstd or none' });
});

test("collector e2e: error answers are OTLP Status in the request's encoding, and every malformed input is a 400", async () => {
  const json = { 'content-type': 'application/json' };
  const cases: Array<[string, number, RegExp]> = [
    ['{"resourceSpans": [', 400, /^malformed JSON: /],
    ['[1]', 400, /^an OTLP\/JSON body must be an object with resourceSpans$/],
    [
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: '00f067aa0ba902b7', name: 'a', links: 'not a list' }] }] }] }),
      400,
      /links: array expected/,
    ],
    [JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [7] }] }] }), 400, /^invalid OTLP\/JSON: /],
    [
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: '00f067aa0ba902b7', attributes: { key: 'not a list' } }] }] }] }),
      400,
      /attributes: array expected/,
    ],
  ];
  for (const [body, status, message] of cases) {
    const response = await post(body, json);
    assert.equal(response.status, status, body);
    assert.equal(response.headers.get('content-type'), 'application/json');
    const answer = (await response.json()) as { code: number; message: string };
    assert.equal(answer.code, 3);
    assert.match(answer.message, message);
  }
  const protobuf = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
  assert.equal(protobuf.status, 400);
  assert.equal(protobuf.headers.get('content-type'), 'application/x-protobuf');
  assert.match((await statusOf(protobuf)).message!, /^malformed protobuf ExportTraceServiceRequest: /);
  const notFound = await fetch(`${collector.url}/v1/metrics`, { method: 'POST', body: '{}', headers: json });
  assert.equal(notFound.status, 404);
  assert.deepEqual(await notFound.json(), { code: 12, message: 'tokenledger collect serves POST /v1/traces, not /v1/metrics' });
  const get = await fetch(`${collector.url}/v1/traces`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  await get.arrayBuffer();
});

test("collector e2e: one client's bad spans cost only themselves — refused in its partial success or repaired, never poisoning the batch", async () => {
  const before = upstream.spans.length;
  // Five clients, three spans each, exported at once with gzip; a sixth sends one span with a 15-byte trace id (a
  // buggy SDK) beside its child, which, its root refused, is forwarded when its trace reaches --max-trace-age-ms;
  // a seventh a span whose name holds a lone UTF-16 surrogate.
  const good = await Promise.all(
    Array.from({ length: 5 }, (_, c) => sdkSpans(`client-${c}`, [{ name: `c${c} root` }, { name: `c${c} a`, parent: 0 }, { name: `c${c} b`, parent: 0 }])),
  );
  const bad = await sdkSpans('client-bad', [{ name: 'bad root' }, { name: 'bad child', parent: 0 }]);
  const badRoot = bad.find((span) => span.name === 'bad root');
  const badChild = bad.find((span) => span.name === 'bad child');
  const [lone] = await sdkSpans('client-lone', [{ name: 'lone \ud800 surrogate' }]);
  const results = await Promise.all([
    ...good.map((spans) => exportSpans(otlpExporter('proto', collector.url), spans)),
    exportSpans(otlpExporter('json', collector.url), [withIds(badRoot!, { traceId: badRoot!.spanContext().traceId.slice(2) }), badChild!]),
    exportSpans(otlpExporter('json', collector.url), [lone!]),
  ]);
  assert.deepEqual(
    results.map((result) => result.code),
    Array(7).fill(ExportResultCode.SUCCESS),
    'a partial success is a success to the exporter',
  );
  await waitUntil('the 17 good spans to be forwarded', () => upstream.spans.length >= before + 17);
  const names = upstream.spans
    .slice(before)
    .map((span) => span.name)
    .sort();
  assert.deepEqual(names, [...good.flatMap((_, c) => [`c${c} a`, `c${c} b`, `c${c} root`]), 'bad child', 'lone \ufffd surrogate'].sort());
  assert.deepEqual(upstream.invalid, [], 'nothing the upstream would refuse was forwarded');

  // What the client is told: the count and which span, in its encoding.
  const response = await post(
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: TRACE.slice(2), spanId: '00f067aa0ba902b7', name: 'short trace id' },
                { traceId: TRACE, spanId: 'zz', name: 'not hex' },
                { traceId: TRACE, spanId: '00f067aa0ba902b9', name: 'kept', links: [{ traceId: TRACE, spanId: '0000000000000000' }] },
                { traceId: TRACE, spanId: '00f067aa0ba902ba', name: 'kept too' },
              ],
            },
          ],
        },
      ],
    }),
    { 'content-type': 'application/json' },
  );
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    partialSuccess: {
      rejectedSpans: '3',
      errorMessage:
        '3 spans refused (resourceSpans[0].scopeSpans[0].spans[0]: traceId must be 16 bytes (32 hex digits), got 15; ' +
        'resourceSpans[0].scopeSpans[0].spans[1]: spanId must be a hex string; ' +
        'resourceSpans[0].scopeSpans[0].spans[2]: links[0].spanId must not be all zeros)',
    },
  });
  // Protobuf with bytes that are not UTF-8 in a name: repaired, forwarded, and the client warned.
  const raw = Buffer.from(protobufRequest('utf8 Xbad', TRACE, '00f067aa0ba902bb'));
  raw[raw.indexOf('X')] = 0xff;
  const repaired = await post(raw, { 'content-type': 'application/x-protobuf' });
  assert.equal(repaired.status, 200);
  assert.deepEqual(ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(new Uint8Array(await repaired.arrayBuffer())), { longs: Number }), {
    // rejected_spans 0 is proto3's default, absent on the wire: a warning, as OTLP allows.
    partialSuccess: { errorMessage: 'strings that were not valid UTF-8 were repaired (invalid sequences replaced with U+FFFD)' },
  });
  // Their trace may have been rolled up already: then each request's spans go on their own, in any order.
  await waitUntil('the kept and repaired spans to be forwarded', () => ['kept too', 'utf8 \ufffdbad'].every((name) => upstream.names().includes(name)));
  assert.deepEqual(upstream.invalid, []);
  // 1 from the buggy SDK, 3 from the raw request
  assert.equal(await droppedInvalid(), 4);
});

test('collector e2e: the bearer token is compared exactly and its scheme in any case', async () => {
  const guarded = await CollectorProcess.start(['--upstream', upstream.url, '--quiet-ms', '50'], { TOKENLEDGER_COLLECTOR_TOKEN: 's3cret' });
  try {
    const send = (authorization?: string) =>
      fetch(`${guarded.url}/v1/traces`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      });
    for (const header of [undefined, 'Bearer wrong', 'Bearer s3cret2', 'Bearer s3cre', 'Basic s3cret', 's3cret']) {
      const response = await send(header);
      assert.equal(response.status, 401, String(header));
      assert.deepEqual(await response.json(), { code: 16, message: 'missing or wrong bearer token' });
    }
    for (const header of ['Bearer s3cret', 'bearer s3cret', 'BEARER  s3cret']) {
      const response = await send(header);
      assert.equal(response.status, 200, header);
      await response.arrayBuffer();
    }
    const spans = await sdkSpans('token-client', [{ name: 'with token' }]);
    await exportOrThrow(otlpExporter('proto', guarded.url, { headers: { Authorization: 'bearer s3cret' } }), spans);
    await waitUntil("'with token' to be forwarded", () => upstream.names().includes('with token'));
    assert.ok(upstream.names().includes('with token'));
  } finally {
    assert.equal(await guarded.stop(), 0, guarded.output);
  }
});

test('collector e2e: TLS with client certificates (mutual TLS); a warning only when exposed without TLS or a token', async () => {
  const certs = makeCertificates();
  const secure = await CollectorProcess.start([
    '--listen',
    '0.0.0.0:0',
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '100',
    '--tls-cert',
    certs.serverCertPath,
    '--tls-key',
    certs.serverKeyPath,
    '--tls-client-ca',
    certs.caPath,
  ]);
  try {
    assert.match(secure.url, /^https:\/\/0\.0\.0\.0:\d+$/);
    const port = new URL(secure.url).port;
    const url = `https://127.0.0.1:${port}`;
    const spans = await sdkSpans('tls-client', [{ name: 'over mutual TLS' }]);
    await exportOrThrow(otlpExporter('proto', url, { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }), spans);
    await waitUntil("'over mutual TLS' to be forwarded", () => upstream.names().includes('over mutual TLS'));
    assert.ok(upstream.names().includes('over mutual TLS'));
    const withoutCertificate = await exportSpans(
      otlpExporter('proto', url, { tls: { ca: certs.ca }, timeoutMillis: 2000 }),
      await sdkSpans('tls-client', [{ name: 'no client certificate' }]),
    );
    assert.equal(withoutCertificate.code, ExportResultCode.FAILED);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }));
    assert.doesNotMatch(secure.stderr, /without TLS|anyone who can reach it/);
  } finally {
    assert.equal(await secure.stop(), 0, secure.output);
  }
  const exposed = await CollectorProcess.start(['--listen', '0.0.0.0:0', '--upstream', upstream.url]);
  try {
    await exposed.waitFor(/anyone who can reach it can send spans/);
    assert.match(exposed.stderr, /listening on 0\.0\.0\.0 without TLS: spans travel in clear/);
    assert.match(exposed.stderr, /listening on 0\.0\.0\.0 without TOKENLEDGER_COLLECTOR_TOKEN or --tls-client-ca: anyone who can reach it can send spans/);
  } finally {
    await exposed.stop();
  }
});
