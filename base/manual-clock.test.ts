import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from './manual-clock.ts';

test('manual clock: timers run in due order, each at its own time, and a cancelled one never runs', () => {
  const clock = new ManualClock(1000);
  const seen: string[] = [];
  clock.after(30, () => seen.push(`b@${clock.now()}`));
  clock.after(10, () => seen.push(`a@${clock.now()}`));
  const cancelled = clock.after(20, () => seen.push('never'));
  cancelled.cancel();
  const tick = clock.every(25, () => seen.push(`tick@${clock.now()}`));
  clock.advance(60);
  assert.deepEqual(seen, ['a@1010', 'tick@1025', 'b@1030', 'tick@1050']);
  assert.equal(clock.now(), 1060);
  tick.cancel();
  assert.equal(clock.pending, 0);
});
