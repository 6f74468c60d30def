// The forward queue against a fake upstream over real HTTP, on a clock the test drives: retries come exactly when
// Retry-After or the backoff says, a request the upstream keeps failing is given up at the maximum elapsed time
// without delaying any other, an attempt that outlives its timeout is sent again, at most `concurrency` requests are
// in flight, the drain gives up at its deadline — and every queued byte's lease is given back, whichever way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../base/manual-clock.ts';
import { ForwardQueue, type DropReason, type ForwardQueueOptions } from '../collector/forward-queue.ts';
import { MemoryBudget } from '../collector/memory-budget.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import type { ForwardRequest } from '../collector/request-split.ts';
import { FakeUpstream, gate } from './fake-upstream.ts';
import { waitUntil } from './wait.ts';

let nextId = 1;
/** One request of one root span per name. */
function request(...names: string[]): ForwardRequest {
  const spans = names.map((name) => {
    const id = nextId++;
    return { traceId: Buffer.alloc(16, id), spanId: Buffer.alloc(8, id), name };
  });
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'queue-test' }, spans }] }] }),
  ).finish();
  return { body, spans: names.length };
}

async function setup(options: Partial<ForwardQueueOptions> = {}) {
  const clock = new ManualClock();
  const upstream = await new FakeUpstream(clock).start();
  const budget = new MemoryBudget(Infinity);
  const delivered: number[] = [];
  const dropped: Array<[DropReason, number, string]> = [];
  const queue = new ForwardQueue({
    url: `${upstream.url}/v1/traces`,
    budget,
    clock,
    random: () => 0.5,
    events: { delivered: (spans) => delivered.push(spans), dropped: (reason, spans, detail) => dropped.push([reason, spans, detail]) },
    ...options,
  });
  const attemptsAt = (name: string) => upstream.requests.filter((r) => r.spans.some((span) => span.name === name)).map((r) => r.at - start);
  const start = clock.now();
  return { clock, upstream, budget, queue, delivered, dropped, attemptsAt };
}

test('forward queue: Retry-After is honoured to the millisecond, and past the maximum elapsed time the request is dropped without delaying another', async () => {
  const { clock, upstream, budget, queue, delivered, dropped, attemptsAt } = await setup({ backoff: { maxElapsedMs: 2500 } });
  upstream.behave = (spans) => (spans[0]!.name === 'stuck' ? { status: 503, retryAfter: '1' } : {});
  try {
    queue.enqueue(request('stuck'));
    queue.enqueue(request('other'));
    await waitUntil('the first attempt at stuck to fail and other to be delivered', () => queue.stats.retries === 1 && delivered.length === 1);
    clock.advance(999);
    assert.deepEqual(attemptsAt('stuck'), [0], 'not before its Retry-After');
    clock.advance(1);
    await waitUntil('the second attempt to fail', () => queue.stats.retries === 2);
    clock.advance(1000);
    await waitUntil('the third attempt to fail and stuck to be dropped', () => dropped.length === 1);
    // 503 at 0, 1000 and 2000 ms; the next would come at 3000, after the 2500 ms maximum: dropped.
    assert.deepEqual(attemptsAt('stuck'), [0, 1000, 2000]);
    assert.deepEqual(dropped, [['retries_exhausted', 1, 'HTTP 503: status 503; gave up after 3 attempts over 2 s']]);
    assert.deepEqual(attemptsAt('other'), [0], 'delivered at once, while stuck was failing');
    assert.deepEqual([queue.queued, budget.used], [{ requests: 0, spans: 0 }, 0]);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});

test('forward queue: without Retry-After the delay grows by 1.5 from 1 s, and the client is told when the next retry comes', async () => {
  const { clock, upstream, queue, delivered, attemptsAt } = await setup();
  upstream.behave = (_spans, attempt) => (attempt <= 3 ? { status: 502 } : {});
  try {
    queue.enqueue(request('flaky'));
    await waitUntil('the first failure', () => queue.stats.retries === 1);
    assert.equal(queue.upstreamFailing, true);
    assert.equal(queue.retryAfterSeconds(), 1);
    clock.advance(1000);
    await waitUntil('the second failure', () => queue.stats.retries === 2);
    assert.equal(queue.retryAfterSeconds(), 2, 'the next in 1.5 s: 2 s, rounded up');
    clock.advance(1500);
    await waitUntil('the third failure', () => queue.stats.retries === 3);
    clock.advance(2250);
    await waitUntil('the delivery', () => delivered.length === 1);
    assert.deepEqual(attemptsAt('flaky'), [0, 1000, 2500, 4750]);
    assert.equal(queue.upstreamFailing, false);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});

test('forward queue: an attempt that outlives its timeout is sent again; the upstream, which finishes it anyway, takes it twice', async () => {
  const { clock, upstream, budget, queue, delivered, attemptsAt } = await setup({ timeoutMs: 700 });
  const slow = gate();
  upstream.behave = (_spans, attempt) => (attempt === 1 ? { hold: slow.promise } : {});
  try {
    queue.enqueue(request('slow'));
    await waitUntil('the first attempt to arrive', () => upstream.arrived === 1);
    clock.advance(700);
    await waitUntil('the timeout to be retried', () => queue.stats.retries === 1);
    clock.advance(1000);
    await waitUntil('the second attempt to be delivered', () => delivered.length === 1);
    slow.open();
    await waitUntil('the first attempt to be answered too', () => upstream.requests.length === 2);
    assert.deepEqual(attemptsAt('slow'), [1700, 0]);
    assert.deepEqual(upstream.names(), ['slow', 'slow']);
    assert.equal(budget.used, 0);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});

test('forward queue: at most `concurrency` requests are in flight, the others wait their turn', async () => {
  const { upstream, budget, queue, delivered } = await setup({ concurrency: 3 });
  const answers = gate();
  upstream.behave = () => ({ hold: answers.promise });
  try {
    for (let i = 0; i < 5; i += 1) queue.enqueue(request(`r${i}`));
    await waitUntil('three requests in flight', () => upstream.inFlight === 3);
    assert.deepEqual(queue.queued, { requests: 5, spans: 5 });
    assert.ok(budget.used > 0);
    answers.open();
    await waitUntil('all five delivered', () => delivered.length === 5);
    assert.equal(upstream.maxInFlight, 3);
    assert.deepEqual(upstream.names().sort(), ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.equal(budget.used, 0);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});

test('forward queue: a refused batch is split until only the span at fault is lost; a partial success is counted', async () => {
  const { upstream, budget, queue, delivered, dropped } = await setup();
  upstream.behave = (spans) => ({ refuse: (span) => span.name === 'poison', rejectSpans: spans.some((span) => span.name === 'partly') ? 1 : 0 });
  try {
    queue.enqueue(request('a', 'b', 'c', 'poison', 'd'));
    await waitUntil('the split to end', () => delivered.reduce((sum, n) => sum + n, 0) === 4 && dropped.length === 1);
    assert.deepEqual(dropped, [['upstream_refused', 1, 'HTTP 400: refused a span']]);
    // 5 → 2 + 3 → (a b) + (c poison d) → c + (poison d) → poison + d
    assert.equal(queue.stats.splits, 3);
    queue.enqueue(request('partly', 'fully'));
    await waitUntil('the partial success', () => dropped.length === 2);
    assert.deepEqual(dropped[1], ['upstream_rejected', 1, 'rejected by the test']);
    assert.equal(budget.used, 0);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});

test('forward queue: the drain retries at least every second and ends at its deadline; what is left is dropped at close, its lease given back', async () => {
  const { clock, upstream, budget, queue, dropped, attemptsAt } = await setup();
  upstream.behave = () => ({ status: 503, retryAfter: '30' });
  try {
    queue.enqueue(request('down', 'too'));
    await waitUntil('the first failure', () => queue.stats.retries === 1);
    let drained = false;
    const draining = queue.drain(clock.now() + 2500).then(() => (drained = true));
    clock.advance(1000);
    await waitUntil('a retry a second into the drain', () => queue.stats.retries === 2);
    clock.advance(1000);
    await waitUntil('another a second later', () => queue.stats.retries === 3);
    assert.equal(drained, false);
    clock.advance(500);
    await draining;
    assert.deepEqual(attemptsAt('down'), [0, 1000, 2000]);
    assert.ok(budget.used > 0, 'still queued until closed');
    assert.deepEqual(await queue.close(), { dropped: 2, persisted: 0 });
    assert.deepEqual(dropped, [['shutdown', 2, 'still undelivered when the drain deadline passed']]);
    assert.equal(budget.used, 0);
  } finally {
    await upstream.stop();
  }
});

test('forward queue: an upstream that is down (connection refused) is retried, and the request goes once it is back', async () => {
  const clock = new ManualClock();
  const upstream = await new FakeUpstream(clock).start();
  const port = upstream.port;
  await upstream.stop();
  const budget = new MemoryBudget(Infinity);
  const delivered: number[] = [];
  const queue = new ForwardQueue({
    url: `http://127.0.0.1:${port}/v1/traces`,
    budget,
    clock,
    random: () => 0.5,
    events: { delivered: (spans) => delivered.push(spans) },
  });
  try {
    queue.enqueue(request('after the outage'));
    await waitUntil('the refused connection to be retried', () => queue.stats.retries === 1);
    await upstream.start(port);
    clock.advance(1000);
    await waitUntil('the delivery', () => delivered.length === 1);
    assert.deepEqual(upstream.names(), ['after the outage']);
    assert.equal(budget.used, 0);
  } finally {
    await queue.close();
    await upstream.stop();
  }
});
