// When a forwarded request is sent again: the OTLP statuses, Retry-After in both forms, and the backoff's bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF, outcomeOf, retryAfterMs, RetryPolicy } from './retry-policy.ts';

test('retry policy: only 429, 502, 503 and 504 are retried; 400 and 413 split the request; the rest refuse it', () => {
  const table: Array<[number, string]> = [
    [200, 'delivered'],
    [202, 'delivered'],
    [429, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
    [400, 'split'],
    [413, 'split'],
    [401, 'refused'],
    [403, 'refused'],
    [404, 'refused'],
    [500, 'refused'],
    [501, 'refused'],
  ];
  for (const [status, outcome] of table) assert.equal(outcomeOf(status), outcome, String(status));
});

test('retry policy: Retry-After as seconds or an HTTP date; anything else is ignored', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  assert.equal(retryAfterMs('3', now), 3000);
  assert.equal(retryAfterMs(' 0 ', now), 0);
  assert.equal(retryAfterMs('Wed, 21 Oct 2026 07:28:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('Wed, 21 Oct 2026 07:27:00 GMT', now), 0, 'a date passed: now');
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs('-1', now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

test('retry policy: the delay grows by 1.5 from 1 s to 30 s, jittered by ±50 %', () => {
  const at = (attempt: number, random: number) => backoffDelay(attempt, DEFAULT_BACKOFF, () => random);
  // random 0.5 is no jitter: 1000, 1500, 2250, 3375, … capped at 30 000
  assert.deepEqual(
    [1, 2, 3, 4].map((attempt) => at(attempt, 0.5)),
    [1000, 1500, 2250, 3375],
  );
  assert.equal(at(20, 0.5), 30_000);
  assert.equal(at(1, 0), 500, 'the least: half');
  assert.equal(at(1, 0.999_999), 1500, 'the most: one and a half');
  assert.equal(at(20, 0), 15_000);
});

test('retry policy: a retry waits for Retry-After or the backoff, capped, and is given up when it would pass the maximum elapsed time', () => {
  const policy = new RetryPolicy({ maxElapsedMs: 2500 }, () => 0.5);
  const first = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  assert.equal(policy.delay(1, first, first, undefined), 1000, 'the backoff, unjittered');
  assert.equal(policy.delay(1, first, first, '2'), 2000, 'Retry-After wins');
  assert.equal(policy.delay(1, first, first, 'Wed, 21 Oct 2026 07:28:02 GMT'), 2000, 'an HTTP date counts from now');
  assert.equal(policy.delay(1, first, first, '2', 1000), 1000, 'capped (the drain retries at least every second)');
  assert.equal(policy.delay(2, first, first + 1000, '1'), 1000, 'sent again at 2000 ms: within 2500');
  assert.equal(policy.delay(3, first, first + 2000, '1'), undefined, 'the next would come at 3000 ms: given up');
  assert.equal(policy.delay(3, first, first + 2000, '0'), 0, 'at once: still within');
});
