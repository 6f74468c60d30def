// Leases on the memory budget: each counts its buffer under its part until released, exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBudget } from './memory-budget.ts';

test('memory budget: a lease counts its bytes under its part until released; a second release does nothing', () => {
  const budget = new MemoryBudget(10_000);
  const body = budget.charge('intake', 3000);
  const held = budget.charge('held', 4000);
  assert.deepEqual([budget.used, budget.part('intake'), budget.part('held'), budget.part('queued')], [7000, 3000, 4000, 0]);
  assert.equal(budget.fits(3000), true);
  assert.equal(budget.fits(3001), false);
  body.release();
  body.release();
  assert.deepEqual([budget.used, budget.part('intake'), body.bytes], [4000, 0, 0]);
  held.release();
  assert.equal(budget.used, 0);
});

test('memory budget: a lease grows and shrinks with its buffer, never below zero, and counts nothing once released', () => {
  const budget = new MemoryBudget(Infinity);
  const lease = budget.charge('intake', 0);
  lease.grow(1000);
  lease.grow(500);
  assert.deepEqual([lease.bytes, budget.part('intake')], [1500, 1500]);
  lease.shrink(400);
  assert.deepEqual([lease.bytes, budget.part('intake')], [1100, 1100]);
  lease.shrink(5000);
  assert.deepEqual([lease.bytes, budget.part('intake')], [0, 0]);
  lease.grow(200);
  lease.release();
  lease.grow(300);
  lease.shrink(100);
  assert.deepEqual([lease.bytes, budget.used], [0, 0]);
});
