// Collector mode's forwarding, end to end: a real `tokenledger collect` process and an upstream that fails, slows
// down, refuses and goes away as real ones do. Retries (Retry-After, backoff, maximum elapsed time), no
// head-of-line blocking, several requests in flight, timeouts, splitting a refused batch, partial success, upstream
// headers and compression, the memory limit under an outage, and metrics that survive it. Each step waits on what
// it means (a request arriving, a line logged); the exact retry schedule is tested on a driven clock
// (forward-queue.test.ts), so nothing here depends on how fast a loaded machine runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CollectorProcess } from './collector-process.ts';
import { FakeUpstream, gate } from './fake-upstream.ts';
import { freePort } from './free-port.ts';
import { exportSpans, otlpExporter, sdkSpans } from './otlp-clients.ts';
import { waitUntil } from './wait.ts';
import { ExportResultCode } from '@opentelemetry/core';

/** One trace of one root span per name, in one OTLP/JSON request. */
function traces(names: string[], attributes: Record<string, string | boolean> = {}): string {
  const spans = names.map((name) => ({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    name,
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: typeof value === 'boolean' ? { boolValue: value } : { stringValue: value } })),
  }));
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'upstream-test' }, spans }] }] });
}

async function send(collector: CollectorProcess, body: string): Promise<Response> {
  const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await response.arrayBuffer();
  return response;
}

async function scrape(metricsUrl: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(pattern.exec(text)?.[1] ?? NaN);
}
const dropped = (reason: string) => new RegExp(`tokenledger_collector_spans_dropped_total\\{[^}]*drop_reason="${reason}"[^}]*\\} (\\d+)`);

test('collector e2e: Retry-After is honoured, a request the upstream keeps failing delays no other, and past the maximum elapsed time it is dropped and counted', async () => {
  const upstream = await new FakeUpstream().start();
  upstream.behave = (spans, attempt) => {
    if (spans.some((span) => span.name === 'stuck')) return { status: 503, retryAfter: '1' };
    if (spans.some((span) => span.name === 'once') && attempt === 1) return { status: 429, retryAfter: '1' };
    return {};
  };
  const collector = await CollectorProcess.start([
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '50',
    '--upstream-max-elapsed-ms',
    '2500',
    '--prometheus',
    '127.0.0.1:0',
  ]);
  const attempts = (name: string) => upstream.requests.filter((request) => request.spans[0]?.name === name);
  try {
    // Each trace is sent once the one before reached the upstream, so each goes in a request of its own.
    for (const name of ['stuck', 'once', 'a', 'b', 'c']) {
      assert.equal((await send(collector, traces([name]))).status, 200);
      await waitUntil(`${name} to reach the upstream`, () => attempts(name).length > 0);
    }
    await waitUntil('a, b, c and once to be delivered', () => ['a', 'b', 'c', 'once'].every((name) => upstream.names().includes(name)));
    assert.deepEqual(upstream.names().sort(), ['a', 'b', 'c', 'once'], 'delivered while "stuck" is still being retried');
    assert.deepEqual(
      attempts('once').map((request) => request.status),
      [429, 200],
    );
    const [first, second] = attempts('once');
    assert.ok(second!.at - first!.at >= 950, `retried after its Retry-After of 1 s, not before (${second!.at - first!.at} ms)`);
    // 503 with Retry-After: 1 at about 0, 1 and 2 s; the next would come after the 2.5 s maximum: dropped.
    const gaveUp = await collector.waitFor(/dropped 1 span \(retries_exhausted\): HTTP 503: status 503; gave up after (\d+) attempts/);
    assert.equal(Number(gaveUp[1]), attempts('stuck').length);
    assert.ok(attempts('stuck').length >= 2, 'stuck is retried');
    assert.equal(await scrape(collector.metricsUrl, dropped('retries_exhausted')), 1);
    assert.match(collector.stderr, /upstream failed: HTTP 503: status 503; retrying in 1\.0 s/, 'the failure is logged');
  } finally {
    assert.equal(await collector.stop(), 1, 'a span was lost');
    assert.deepEqual(collector.summary().lostBy, { retries_exhausted: 1 });
    await upstream.stop();
  }
});

test('collector e2e: several requests are in flight at once, as many as --upstream-concurrency', async () => {
  const upstream = await new FakeUpstream().start();
  const answers = gate();
  upstream.behave = () => ({ hold: answers.promise });
  // The upstream answers nothing until three requests are in flight at once; no attempt may time out meanwhile.
  const collector = await CollectorProcess.start([
    '--upstream',
    upstream.url,
    '--quiet-ms',
    '20',
    '--upstream-concurrency',
    '3',
    '--upstream-timeout-ms',
    '600000',
  ]);
  try {
    for (let i = 0; i < 3; i += 1) {
      await send(collector, traces([`fast ${i}`]));
      await waitUntil(`fast ${i} to be in flight`, () => upstream.inFlight === i + 1);
    }
    // The rest wait in the queue.
    for (let i = 3; i < 8; i += 1) await send(collector, traces([`fast ${i}`]));
    answers.open();
    await waitUntil('every trace to be delivered', () => upstream.names().length === 8);
    assert.equal(upstream.maxInFlight, 3, 'three at a time, as configured');
    assert.deepEqual(
      upstream.names().sort(),
      Array.from({ length: 8 }, (_, i) => `fast ${i}`),
      'each once',
    );
    assert.equal(upstream.arrived, upstream.requests.length, 'no attempt was sent twice');
  } finally {
    answers.open();
    assert.equal(await collector.stop(), 0, collector.output);
    await upstream.stop();
  }
});

test('collector e2e: a request slower than --upstream-timeout-ms is sent again, and the upstream may take it twice', async () => {
  const upstream = await new FakeUpstream().start();
  const first = gate();
  // The first attempt gets no answer until the test lets it go; the next is answered at once.
  upstream.behave = (_spans, attempt) => (attempt === 1 ? { hold: first.promise } : {});
  const collector = await CollectorProcess.start(['--upstream', upstream.url, '--quiet-ms', '20', '--upstream-timeout-ms', '1000']);
  try {
    await send(collector, traces(['slow']));
    await collector.waitFor(/upstream failed: no answer within 1000 ms; retrying in/);
    await waitUntil('slow to be delivered', () => upstream.names().includes('slow'));
    // The upstream, which finishes the first attempt anyway, took it twice — what at-least-once delivery costs
    // when the timeout is too short.
    first.open();
    await waitUntil('the first attempt to be answered too', () => upstream.names().filter((name) => name === 'slow').length >= 2);
  } finally {
    first.open();
    assert.equal(await collector.stop(), 0, collector.output);
    await upstream.stop();
  }
});

test('collector e2e: a batch the upstream refuses is split until only the span at fault is lost; a partial success is counted', async () => {
  const upstream = await new FakeUpstream().start();
  upstream.behave = (spans) => ({ refuse: (span) => span.attributes.poison === true, rejectSpans: spans.some((span) => span.name === 'partly') ? 1 : 0 });
  const collector = await CollectorProcess.start(['--upstream', upstream.url, '--quiet-ms', '50', '--prometheus', '127.0.0.1:0']);
  try {
    // Twenty traces in one request, released together in one forwarded request; one span the upstream refuses.
    const names = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const body = JSON.parse(traces(names)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ attributes: unknown[] }> }> }> };
    body.resourceSpans[0]!.scopeSpans[0]!.spans[13]!.attributes.push({ key: 'poison', value: { boolValue: true } });
    assert.equal((await send(collector, JSON.stringify(body))).status, 200);
    await waitUntil('the 19 other spans to be delivered', () => upstream.spans.length === 19);
    assert.deepEqual(upstream.names().sort(), names.filter((name) => name !== 't13').sort());
    // 20 → 10 + 10 → 5 + 5 → 2 + 3 → 1 + 2 → 1 + 1: five splits, and only t13 alone is refused.
    await collector.waitFor(/dropped 1 span \(upstream_refused\): HTTP 400: refused a span/);
    assert.equal(upstream.requests.filter((request) => request.status === 400).length, 6, 'the whole, then one half at each of five levels');
    assert.equal(await scrape(collector.metricsUrl, dropped('upstream_refused')), 1);
    assert.equal((await send(collector, traces(['partly', 'fully']))).status, 200);
    await waitUntil('the partial success to be delivered', () => upstream.spans.length === 20);
    await collector.waitFor(/dropped 1 span \(upstream_rejected\): rejected by the test/);
    assert.equal(await scrape(collector.metricsUrl, dropped('upstream_rejected')), 1);
    assert.deepEqual(upstream.invalid, []);
  } finally {
    assert.equal(await collector.stop(), 1);
    assert.deepEqual(collector.summary().lostBy, { upstream_refused: 1, upstream_rejected: 1 });
    await upstream.stop();
  }
});

test('collector e2e: OTEL_EXPORTER_OTLP_HEADERS and …_TRACES_HEADERS go with forwarded traces (gzip when asked) and with metrics', async () => {
  const upstream = await new FakeUpstream().start();
  const collector = await CollectorProcess.start(['--upstream', upstream.url, '--quiet-ms', '50'], {
    OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc123,x-scope=general',
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-scope=traces',
    OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip',
    OTEL_METRIC_EXPORT_INTERVAL: '200',
  });
  try {
    await send(collector, traces(['with headers']));
    await waitUntil('the span and the metrics to be delivered', () => upstream.spans.length === 1 && upstream.metricsRequests.length > 0);
    const forwarded = upstream.requests.find((request) => request.status === 200)!;
    assert.equal(forwarded.headers['api-key'], 'abc123');
    assert.equal(forwarded.headers['x-scope'], 'traces', 'the traces header wins');
    assert.equal(forwarded.headers['content-encoding'], 'gzip');
    const metrics = upstream.metricsRequests[0]!;
    assert.equal(metrics.headers['api-key'], 'abc123');
    assert.equal(metrics.headers['x-scope'], 'general');
    assert.ok(metrics.body.includes('tokenledger.collector.spans.forwarded'));
  } finally {
    assert.equal(await collector.stop(), 0, collector.output);
    await upstream.stop();
  }
});

test('collector e2e: with the upstream down, memory stays within --max-memory-bytes, clients are told to come back, metrics still go out, and nothing accepted is lost', async () => {
  const upstreamPort = await freePort();
  const metrics = await new FakeUpstream().start();
  const collector = await CollectorProcess.start(
    ['--upstream', `http://127.0.0.1:${upstreamPort}`, '--quiet-ms', '20', '--max-memory-bytes', String(4 * 1024 * 1024), '--metrics-endpoint', metrics.url],
    { OTEL_METRIC_EXPORT_INTERVAL: '200' },
  );
  const upstream = new FakeUpstream();
  try {
    // Requests of about 300 KB: the 4 MiB limit takes a dozen, then 503 with Retry-After.
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const pad = 'x'.repeat(300_000);
    for (let i = 0; i < 30 && !statuses.includes(503); i += 1) {
      const response = await fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        body: traces([`big ${i}`], { pad }),
        headers: { 'content-type': 'application/json' },
      });
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    const accepted = statuses.filter((status) => status === 200).length;
    // Each request holds its 300 KB once, as sent: 4 MiB / 300 KB ≈ 13.98, so at most 13 fit.
    assert.ok(accepted >= 8 && accepted <= 13, `accepted ${accepted}: ${statuses.join(',')}`);
    assert.equal(statuses.at(-1), 503);
    assert.match(retryAfter ?? '', /^[1-9]\d*$/);
    // The collector's metrics go to their own endpoint while the upstream is down.
    await waitUntil('the memory metric at its own endpoint', () =>
      metrics.metricsRequests.some((request) => request.body.includes('tokenledger.collector.memory.used')),
    );
    assert.ok(metrics.metricsRequests.some((request) => request.body.includes('tokenledger.collector.requests.refused')));
    // A real exporter sends while memory is full (told 503 + Retry-After, it retries); the upstream comes back;
    // everything arrives.
    const exporting = exportSpans(
      otlpExporter('proto', collector.url, { timeoutMillis: 60_000 }),
      await sdkSpans('late-client', [{ name: 'after the outage' }]),
    );
    await upstream.start(upstreamPort);
    assert.equal((await exporting).code, ExportResultCode.SUCCESS);
    await waitUntil(
      "every accepted span and the late client's to be delivered",
      () => upstream.names().includes('after the outage') && upstream.spans.length === accepted + 1,
    );
    assert.equal(upstream.names().filter((name) => name.startsWith('big ')).length, accepted, 'every accepted request delivered');
  } finally {
    assert.equal(await collector.stop(), 0, collector.output);
    assert.equal(collector.summary().lost, 0);
    await upstream.stop();
    await metrics.stop();
  }
});
