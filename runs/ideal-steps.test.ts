import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdealStepsLearner, LEARNED_MIN_RUNS, LEARNED_PERCENTILE, LEARNED_WINDOW } from './ideal-steps.ts';

/** The definition, computed the slow way: the percentile of the last LEARNED_WINDOW runs. */
function expected(history: number[]): number | undefined {
  const window = history.slice(-LEARNED_WINDOW);
  if (window.length < LEARNED_MIN_RUNS) return undefined;
  const sorted = [...window].sort((a, b) => a - b);
  return sorted[Math.floor(LEARNED_PERCENTILE * (sorted.length - 1))];
}

test('the learned ideal is the 10th percentile of the last 50 successful runs, at every step of a long history', () => {
  const learner = new IdealStepsLearner();
  const history: number[] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 30;
  for (let i = 0; i < 400; i += 1) {
    const steps = i < 120 ? 8 + next() : 3 + (next() % 5); // the agent gets better: the window must forget
    learner.record('support', steps);
    history.push(steps);
    assert.equal(learner.ideal('support'), expected(history), `after ${i + 1} runs`);
  }
  assert.equal(learner.ideal('other'), undefined);
});

test('fewer than 5 runs: unknown, never invented', () => {
  const learner = new IdealStepsLearner();
  for (const steps of [4, 6, 5, 9]) learner.record('a', steps);
  assert.equal(learner.ideal('a'), undefined);
  learner.record('a', 7);
  assert.equal(learner.ideal('a'), 4);
});
