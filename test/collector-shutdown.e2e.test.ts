// Collector mode's shutdown and diagnostics, end to end: a real `tokenledger collect` process stopped with
// SIGTERM while its upstream is down — coming back before the drain deadline, never coming back, or with a queue
// directory that keeps what is left for the next start — and what it logs. Each step waits on what it means; the
// drain's own timing is tested on a driven clock (forward-queue.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectorProcess } from './collector-process.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { freePort } from './free-port.ts';
import { waitUntil } from './wait.ts';

/** A trace of a root and `children` spans under it, in one OTLP/JSON request. */
function trace(name: string, children = 0): string {
  const traceId = randomBytes(16).toString('hex');
  const rootId = randomBytes(8).toString('hex');
  const spans = [
    { traceId, spanId: rootId, name },
    ...Array.from({ length: children }, (_, i) => ({ traceId, spanId: randomBytes(8).toString('hex'), parentSpanId: rootId, name: `${name} child ${i}` })),
  ];
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'shutdown-test' }, spans }] }] });
}

async function send(collector: CollectorProcess, body: string): Promise<number> {
  const response = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  await response.arrayBuffer();
  return response.status;
}

test('collector e2e: SIGTERM forwards what is held and waits for an upstream that comes back before the deadline; the last metrics go out', async () => {
  const port = await freePort();
  const collector = await CollectorProcess.start(['--upstream', `http://127.0.0.1:${port}`, '--quiet-ms', '60000', '--drain-timeout-ms', '60000']);
  const upstream = new FakeUpstream();
  try {
    for (const name of ['one', 'two', 'three']) assert.equal(await send(collector, trace(name, 1)), 200);
    collector.child.kill('SIGTERM');
    // The drain has tried the upstream, down, at least once before it comes back.
    await collector.waitFor(/upstream failed: .*ECONNREFUSED.*; retrying in/);
    await upstream.start(port);
    assert.equal(await collector.exited, 0, collector.output);
    assert.deepEqual(upstream.names().sort(), ['one', 'one child 0', 'three', 'three child 0', 'two', 'two child 0']);
    assert.deepEqual(collector.summary(), { accepted: 6, forwarded: 6, lost: 0, lostBy: {}, invalid: 0, persisted: 0 });
    assert.ok(
      upstream.metricsRequests.some((request) => request.body.includes('tokenledger.collector.spans.forwarded')),
      'the last metrics were sent',
    );
  } finally {
    await collector.stop();
    await upstream.stop();
  }
});

test('collector e2e: when the upstream stays down past the drain deadline, SIGTERM says what was lost and exits 1; a second signal exits at once', async () => {
  const port = await freePort();
  const collector = await CollectorProcess.start(['--upstream', `http://127.0.0.1:${port}`, '--quiet-ms', '60000', '--drain-timeout-ms', '1500']);
  assert.equal(await send(collector, trace('lost a', 2)), 200);
  assert.equal(await send(collector, trace('lost b', 1)), 200);
  const started = Date.now();
  assert.equal(await collector.stop(), 1);
  // At the 1.5 s deadline, not after the 5 minutes the upstream would otherwise be retried for.
  assert.ok(Date.now() - started < 60_000, `stopped in ${Date.now() - started} ms`);
  // 3 + 2 spans, none delivered
  assert.deepEqual(collector.summary(), { accepted: 5, forwarded: 0, lost: 5, lostBy: { shutdown: 5 }, invalid: 0, persisted: 0 });
  assert.match(collector.stderr, /dropped 5 spans \(shutdown\): still undelivered when the drain deadline passed/);

  const impatient = await CollectorProcess.start(['--upstream', `http://127.0.0.1:${port}`, '--quiet-ms', '60000', '--drain-timeout-ms', '30000']);
  assert.equal(await send(impatient, trace('held', 0)), 200);
  impatient.child.kill('SIGTERM');
  await impatient.waitFor(/SIGTERM; forwarding what is held/);
  impatient.child.kill('SIGTERM');
  assert.equal(await impatient.exited, 1);
  assert.match(impatient.stderr, /SIGTERM again; exiting now, losing 0 held traces and 1 queued spans/);
});

test('collector e2e: --queue-dir keeps what the drain could not deliver, and the next start sends it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-queue-'));
  const port = await freePort();
  const first = await CollectorProcess.start([
    '--upstream',
    `http://127.0.0.1:${port}`,
    '--quiet-ms',
    '60000',
    '--drain-timeout-ms',
    '1000',
    '--queue-dir',
    dir,
  ]);
  assert.equal(await send(first, trace('kept a', 1)), 200);
  assert.equal(await send(first, trace('kept b', 0)), 200);
  assert.equal(await first.stop(), 0, 'nothing lost: it is on disk');
  assert.deepEqual(first.summary(), { accepted: 3, forwarded: 0, lost: 0, lostBy: {}, invalid: 0, persisted: 3 });
  assert.equal(readdirSync(dir).filter((name) => name.endsWith('.otlp')).length, 1, 'the held traces went out as one request');

  const upstream = await new FakeUpstream().start(port);
  const second = await CollectorProcess.start(['--upstream', upstream.url, '--queue-dir', dir]);
  try {
    await waitUntil('the kept spans to be delivered', () => upstream.spans.length === 3);
    assert.deepEqual(upstream.names().sort(), ['kept a', 'kept a child 0', 'kept b']);
    await waitUntil('the queue directory to empty', () => readdirSync(dir).length === 0);
    assert.deepEqual(readdirSync(dir), [], 'delivered requests leave the directory');
  } finally {
    assert.equal(await second.stop(), 0, second.output);
    await upstream.stop();
  }
});

test('collector e2e: the process logs at OTEL_LOG_LEVEL, a start-up line with its limits, and repeated failures once per 10 s', async () => {
  const upstream = await new FakeUpstream().start();
  const chatty = await CollectorProcess.start(['--upstream', upstream.url, '--max-memory-bytes', '67108864']);
  try {
    assert.match(
      chatty.stdout,
      new RegExp(
        `listening on http://127\\.0\\.0\\.1:\\d+/v1/traces; upstream ${upstream.url}; memory limit 64 MiB, body limit 20 MiB, 4 upstream requests in flight, drain 20 s; metrics to ${upstream.url}`,
      ),
    );
    for (let i = 0; i < 30; i += 1) assert.equal(await send(chatty, '{"resourceSpans": ['), 400);
    await chatty.waitFor(/refused a request with 400/);
    assert.equal(chatty.stderr.match(/refused a request with 400: malformed JSON/g)?.length, 1, 'thirty refusals, one line');
  } finally {
    assert.equal(await chatty.stop(), 0);
  }
  const quiet = await CollectorProcess.start(['--upstream', upstream.url], { OTEL_LOG_LEVEL: 'error' });
  try {
    assert.equal(await send(quiet, '{"resourceSpans": ['), 400);
  } finally {
    assert.equal(await quiet.stop(), 0);
    await upstream.stop();
  }
  // Stopped, its output read to the end: the refusal was never logged.
  assert.doesNotMatch(quiet.stderr, /refused a request/);
});
