// The trace store's release logic on a clock the test drives: a trace goes once its root has arrived and it has
// been quiet for quietMs, a rootless one at maxAgeMs; past maxTraces or maxSpans the oldest is evicted; a span of a
// trace already handed back is late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../base/manual-clock.ts';
import { TraceStore, type StoredSpan } from './trace-store.ts';

const span = (traceId: string, parentSpanId = '', heldBytes = 100): StoredSpan => ({ traceId, parentSpanId, heldBytes });
const released = (store: TraceStore<StoredSpan>) => store.take().map((trace) => [trace.traceId, trace.reason, trace.spans.length, trace.rootSeen]);

test('trace store: a trace is released once its root has arrived and no span came for quietMs', () => {
  const clock = new ManualClock();
  const store = new TraceStore<StoredSpan>({ quietMs: 2000, maxAgeMs: 30_000 }, clock);
  store.add([span('a', 'p1'), span('a', 'p1')]);
  clock.advance(1500);
  store.add([span('a')]);
  clock.advance(1999);
  assert.deepEqual(released(store), [], 'quiet for 1999 ms after the root');
  store.add([span('a', 'r')]);
  clock.advance(1999);
  assert.deepEqual(released(store), [], 'a late child restarts the quiet period');
  clock.advance(1);
  assert.deepEqual(released(store), [['a', 'complete', 4, true]]);
  assert.equal(store.heldTraces, 0);
});

test('trace store: a trace whose root never comes is released at maxAgeMs from its first span, not whole', () => {
  const clock = new ManualClock();
  const store = new TraceStore<StoredSpan>({ quietMs: 100, maxAgeMs: 5000 }, clock);
  store.add([span('rootless', 'elsewhere')]);
  clock.advance(4000);
  store.add([span('rootless', 'elsewhere')]);
  clock.advance(999);
  assert.deepEqual(released(store), []);
  clock.advance(1);
  assert.deepEqual(released(store), [['rootless', 'max_age', 2, false]]);
});

test('trace store: past maxTraces or maxSpans the oldest trace is evicted and counted; a span of a released trace is late', () => {
  const clock = new ManualClock();
  const store = new TraceStore<StoredSpan>({ maxTraces: 2, maxSpans: 4 }, clock);
  assert.deepEqual(store.add([span('a'), span('b')]).evicted, []);
  const byTraces = store.add([span('c')]).evicted;
  assert.deepEqual(
    byTraces.map((trace) => [trace.traceId, trace.reason]),
    [['a', 'evicted']],
  );
  const bySpans = store.add([span('c', 'x'), span('c', 'x'), span('c', 'x')]).evicted;
  assert.deepEqual(
    bySpans.map((trace) => [trace.traceId, trace.reason]),
    [['b', 'evicted']],
  );
  const { late } = store.add([span('a', 'x')]);
  assert.equal(late.length, 1);
  assert.deepEqual(store.stats, { evictedTraces: 2, lateSpans: 1 });
});

test('trace store: evicting by bytes hands back the oldest traces until that many bytes are freed', () => {
  const store = new TraceStore<StoredSpan>({}, new ManualClock());
  store.add([span('a', '', 300), span('b', '', 300), span('c', '', 300)]);
  assert.deepEqual(
    store.evictBytes(301).map((trace) => trace.traceId),
    ['a', 'b'],
  );
  assert.deepEqual(
    store.flush().map((trace) => [trace.traceId, trace.reason]),
    [['c', 'flush']],
  );
});
