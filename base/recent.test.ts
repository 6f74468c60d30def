import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentMap, RecentSet } from './recent.ts';

test('recent set: the last `capacity` values are always remembered, and never more than twice as many', () => {
  const set = new RecentSet<number>(100);
  for (let i = 0; i < 1000; i += 1) {
    set.add(i);
    for (const back of [0, 1, 50, 99]) if (i - back >= 0) assert.ok(set.has(i - back), `value ${i - back} after adding ${i}`);
    assert.ok(set.size <= 200);
  }
  // Forgotten a generation at a time: after 1000 adds the generations hold 800–899 and 900–999.
  assert.equal(set.has(799), false);
  assert.equal(set.has(800), true);
  assert.equal(set.size, 200);
});

test('recent map: the newest value of a key is read, from either generation', () => {
  const map = new RecentMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  map.set('c', 3); // a, b are now the old generation
  assert.equal(map.get('a'), 1);
  map.set('a', 10); // the young generation has a's newer value
  assert.equal(map.get('a'), 10);
  map.set('d', 4); // young (c, a) becomes old; b is forgotten
  assert.equal(map.get('b'), undefined);
  assert.equal(map.get('a'), 10);
  assert.equal(map.get('c'), 3);
  assert.equal(map.size, 3);
});
