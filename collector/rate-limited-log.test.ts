// Repeated warnings: the first of a kind at once, then at most one per interval, saying how many were left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { ManualClock } from '../base/manual-clock.ts';
import { RateLimitedLog } from './rate-limited-log.ts';

test('rate-limited log: one warning per kind per interval, with the count of those left out', () => {
  const lines: string[] = [];
  const logger: DiagLogger = { error() {}, warn: (message) => void lines.push(message), info() {}, debug() {}, verbose() {} };
  diag.setLogger(logger, DiagLogLevel.WARN);
  try {
    const clock = new ManualClock(0);
    const log = new RateLimitedLog(10_000, clock);
    for (let i = 0; i < 5; i += 1) log.warn('upstream', () => `failure ${i}`);
    log.warn('dropped', () => 'dropped once');
    clock.advance(9_999);
    log.warn('upstream', () => 'failure 5');
    clock.advance(2_001);
    log.warn('upstream', () => 'failure 6');
    assert.deepEqual(lines, [
      'tokenledger collect: failure 0',
      'tokenledger collect: dropped once',
      'tokenledger collect: failure 6 (5 more like it in the last 12 s)',
    ]);
  } finally {
    diag.disable();
  }
});
