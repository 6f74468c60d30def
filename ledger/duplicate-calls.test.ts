import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateCalls } from './duplicate-calls.ts';

test('duplicate calls: a framework span around a counted SDK span is a duplicate of it', () => {
  const judge = new DuplicateCalls();
  judge.start('framework', 't', 'run', false);
  judge.start('sdk', 't', 'framework', false);
  assert.equal(judge.judge('sdk', 't', undefined), undefined);
  judge.end('sdk');
  assert.deepEqual(judge.judge('framework', 't', undefined), { of: 'sdk', reason: 'nested_llm_span' });
});

test('duplicate calls: a span inside a counted span that ended first is a duplicate of it', () => {
  const judge = new DuplicateCalls();
  judge.start('outer', 't', undefined, false);
  judge.start('inner', 't', 'outer', false);
  assert.equal(judge.judge('outer', 't', undefined), undefined);
  judge.end('outer');
  assert.deepEqual(judge.judge('inner', 't', undefined), { of: 'outer', reason: 'nested_llm_span' });
});

test('duplicate calls: a call made inside a tool under a call span is a call of its own', () => {
  const judge = new DuplicateCalls();
  judge.start('step', 't', 'run', false);
  judge.start('tool', 't', 'step', true);
  judge.start('sub-agent call', 't', 'tool', false);
  assert.equal(judge.judge('sub-agent call', 't', 'r2'), undefined);
  judge.end('sub-agent call');
  judge.end('tool');
  assert.equal(judge.judge('step', 't', 'r1'), undefined);
});

test('duplicate calls: the same response id is the same call only while both spans overlap', () => {
  const judge = new DuplicateCalls();
  judge.start('a', 't', 'run', false);
  judge.start('b', 't', 'run', false);
  assert.equal(judge.judge('a', 't', 'resp_1'), undefined);
  judge.end('a');
  assert.deepEqual(judge.judge('b', 't', 'resp_1'), { of: 'a', reason: 'same_response_id' });
  judge.end('b');
  // A later call that merely repeats the id (a server that reuses ids, a replayed response) is counted.
  judge.start('c', 't', 'run', false);
  assert.equal(judge.judge('c', 't', 'resp_1'), undefined);
  // And in another trace an id says nothing.
  judge.start('d', 'u', 'other-run', false);
  judge.start('e', 'other', 'other-run', false);
  assert.equal(judge.judge('d', 'u', 'resp_9'), undefined);
  assert.equal(judge.judge('e', 'other', 'resp_9'), undefined);
});

test('duplicate calls: replayed spans are judged by their own times', () => {
  const judge = new DuplicateCalls();
  judge.start('a', 't', 'run', false);
  judge.start('b', 't', 'run', false);
  assert.equal(judge.judge('a', 't', 'resp_1', { start: 0, end: 10 }), undefined);
  assert.equal(judge.judge('b', 't', 'resp_1', { start: 10, end: 20 }), undefined, 'b started as a ended: a call of its own');
});

test('duplicate calls: state is bounded by the span limit', () => {
  const judge = new DuplicateCalls({ maxSpans: 2 });
  judge.start('a', 't', 'x', false);
  judge.start('b', 't', 'a', false);
  judge.start('c', 't', 'b', false);
  assert.equal(judge.judge('c', 't', undefined), undefined);
  // 'a' was forgotten: nothing above 'b' is marked.
  assert.deepEqual(judge.judge('b', 't', undefined), { of: 'c', reason: 'nested_llm_span' });
});

test("duplicate calls: a trace's response ids are let go with its last span in flight", () => {
  const judge = new DuplicateCalls();
  for (let i = 0; i < 1000; i += 1) {
    judge.start(`call ${i}`, `trace ${i}`, undefined, false, true);
    assert.equal(judge.judge(`call ${i}`, `trace ${i}`, 'resp_same'), undefined);
    judge.end(`call ${i}`);
  }
  assert.equal(judge.spansInFlight, 0);
  assert.equal(judge.tracesInFlight, 0);
  // While one span of a trace is in flight, its ids are kept for it.
  judge.start('agent', 'kept', undefined, true);
  judge.start('first', 'kept', 'agent', false, true);
  judge.start('second', 'kept', 'agent', false, true);
  assert.equal(judge.judge('first', 'kept', 'resp_1'), undefined);
  judge.end('first');
  assert.deepEqual(judge.judge('second', 'kept', 'resp_1'), { of: 'first', reason: 'same_response_id' });
});
