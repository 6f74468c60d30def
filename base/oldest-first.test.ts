import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OldestFirstMap, OldestFirstSet } from './oldest-first.ts';

test('oldest-first map: the oldest present key, through deletes, re-inserts, updates and clear', () => {
  const map = new OldestFirstMap<string, number>([
    ['a', 1],
    ['b', 2],
  ]);
  assert.equal(map.oldest(), 'a');
  map.set('c', 3).set('a', 10); // updating a present key keeps its place
  assert.equal(map.oldest(), 'a');
  map.delete('a');
  assert.equal(map.oldest(), 'b');
  map.set('a', 11); // deleted and inserted again: now the newest
  map.delete('b');
  assert.equal(map.oldest(), 'c');
  map.delete('c');
  assert.equal(map.oldest(), 'a');
  assert.deepEqual([...map], [['a', 11]]);
  map.clear();
  assert.equal(map.oldest(), undefined);
  map.set('z', 0);
  assert.equal(map.oldest(), 'z');
});

test('oldest-first map: evicting the oldest on every insert keeps insertion order, at any size', () => {
  const map = new OldestFirstMap<number, number>();
  for (let i = 0; i < 1000; i += 1) map.set(i, i);
  for (let i = 1000; i < 50_000; i += 1) {
    // Deletes out of order too: every seventh key goes early, and comes back as the newest.
    if (i % 7 === 0) {
      map.delete(i - 500);
      map.set(i - 500, -1);
    }
    const oldest = map.oldest()!;
    assert.ok(map.has(oldest));
    map.delete(oldest);
    map.set(i, i);
  }
  // The same operations on a plain Map, whose first key is by definition the oldest.
  const plain = new Map<number, number>();
  for (let i = 0; i < 1000; i += 1) plain.set(i, i);
  for (let i = 1000; i < 50_000; i += 1) {
    if (i % 7 === 0) {
      plain.delete(i - 500);
      plain.set(i - 500, -1);
    }
    plain.delete(plain.keys().next().value!);
    plain.set(i, i);
  }
  assert.deepEqual([...map.keys()], [...plain.keys()]);
  assert.equal(map.oldest(), plain.keys().next().value);
});

test('oldest-first set: the oldest present value', () => {
  const set = new OldestFirstSet<string>(['x']);
  set.add('y').add('x');
  assert.equal(set.oldest(), 'x');
  set.delete('x');
  set.add('x');
  assert.equal(set.oldest(), 'y');
  set.delete('y');
  assert.equal(set.oldest(), 'x');
  set.delete('x');
  assert.equal(set.oldest(), undefined);
});
