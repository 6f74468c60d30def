import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateCalls } from './duplicate-calls.ts';

test('duplicate calls: a framework span around a counted SDK span is a duplicate of it', () => {
  const judge = new DuplicateCalls();
  judge.start('framework', 'run', false);
  judge.start('sdk', 'framework', false);
  assert.equal(judge.judge('sdk', 't', undefined), undefined);
  judge.end('sdk');
  assert.deepEqual(judge.judge('framework', 't', undefined), { of: 'sdk', reason: 'nested_llm_span' });
});

test('duplicate calls: a span inside a counted span that ended first is a duplicate of it', () => {
  const judge = new DuplicateCalls();
  judge.start('outer', undefined, false);
  judge.start('inner', 'outer', false);
  assert.equal(judge.judge('outer', 't', undefined), undefined);
  judge.end('outer');
  assert.deepEqual(judge.judge('inner', 't', undefined), { of: 'outer', reason: 'nested_llm_span' });
});

test('duplicate calls: a call made inside a tool under a call span is a call of its own', () => {
  const judge = new DuplicateCalls();
  judge.start('step', 'run', false);
  judge.start('tool', 'step', true);
  judge.start('sub-agent call', 'tool', false);
  assert.equal(judge.judge('sub-agent call', 't', 'r2'), undefined);
  judge.end('sub-agent call');
  judge.end('tool');
  assert.equal(judge.judge('step', 't', 'r1'), undefined);
});

test('duplicate calls: the same response id is the same call only while both spans overlap', () => {
  const judge = new DuplicateCalls();
  judge.start('a', 'run', false);
  judge.start('b', 'run', false);
  assert.equal(judge.judge('a', 't', 'resp_1'), undefined);
  judge.end('a');
  assert.deepEqual(judge.judge('b', 't', 'resp_1'), { of: 'a', reason: 'same_response_id' });
  judge.end('b');
  // A later call that merely repeats the id (a server that reuses ids, a replayed response) is counted.
  judge.start('c', 'run', false);
  assert.equal(judge.judge('c', 't', 'resp_1'), undefined);
  // And in another trace an id says nothing.
  judge.start('d', 'other-run', false);
  judge.start('e', 'other-run', false);
  assert.equal(judge.judge('d', 'u', 'resp_9'), undefined);
  assert.equal(judge.judge('e', 'other', 'resp_9'), undefined);
});

test('duplicate calls: replayed spans are judged by their own times', () => {
  const judge = new DuplicateCalls();
  judge.start('a', 'run', false);
  judge.start('b', 'run', false);
  assert.equal(judge.judge('a', 't', 'resp_1', { start: 0, end: 10 }), undefined);
  assert.equal(judge.judge('b', 't', 'resp_1', { start: 10, end: 20 }), undefined, 'b started as a ended: a call of its own');
});

test('duplicate calls: state is bounded by the span limit', () => {
  const judge = new DuplicateCalls({ maxSpans: 2 });
  judge.start('a', 'x', false);
  judge.start('b', 'a', false);
  judge.start('c', 'b', false);
  assert.equal(judge.judge('c', 't', undefined), undefined);
  // 'a' was forgotten: nothing above 'b' is marked.
  assert.deepEqual(judge.judge('b', 't', undefined), { of: 'c', reason: 'nested_llm_span' });
});
