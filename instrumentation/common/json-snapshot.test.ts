import assert from 'node:assert/strict';
import test from 'node:test';
import { sameJson, snapshotOf } from './json-snapshot.ts';

const copyOf = (value: unknown) => snapshotOf(JSON.parse(JSON.stringify(value)));

test("json snapshot: a value is the same as the copy of its own JSON, JSON's omissions included", () => {
  const tools = [
    { type: 'function', function: { name: 'get_weather', strict: undefined, parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  ];
  assert.equal(sameJson(['You are a bot.', tools], copyOf(['You are a bot.', tools])), true);
  assert.equal(sameJson([1, Number.NaN, undefined, () => 1, -0, null], copyOf([1, Number.NaN, undefined, () => 1, -0, null])), true);
  assert.equal(sameJson({ b: 1, a: { c: [true, false] } }, copyOf({ b: 1, a: { c: [true, false] } })), true);
});

test('json snapshot: any change the JSON would show is a difference', () => {
  const copy = copyOf({ name: 'a', tags: ['x', 'y'], nested: { n: 1 } });
  assert.equal(sameJson({ tags: ['x', 'y'], name: 'a', nested: { n: 1 } }, copy), false, 'key order');
  assert.equal(sameJson({ name: 'a', tags: ['x', 'y'], nested: { n: 2 } }, copy), false, 'a nested value');
  assert.equal(sameJson({ name: 'a', tags: ['x'], nested: { n: 1 } }, copy), false, 'an array shorter');
  assert.equal(sameJson({ name: 'a', tags: ['x', 'y'], nested: { n: 1 }, more: 1 }, copy), false, 'a key more');
  assert.equal(sameJson({ name: 'a', tags: ['x', 'y'], nested: { n: '1' } }, copy), false, 'a number as a string');
  assert.equal(sameJson([undefined], copyOf([null])), true, 'an undefined array item is written as null');
  assert.equal(sameJson([0], copyOf([null])), false);
});

test('json snapshot: what it cannot tell cheaply is never called the same', () => {
  const date = new Date(0);
  assert.equal(sameJson([date], copyOf([date])), false, 'toJSON');
  class Tool {
    name = 'a';
  }
  assert.equal(sameJson([new Tool()], copyOf([new Tool()])), false, 'a class instance');
  assert.equal(sameJson([1n], copyOf([1])), false, 'a BigInt');
});

test('json snapshot: never the same when the JSON differs (random values)', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const values = (depth: number): unknown => {
    const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
    if (pick === 0) return Math.floor(random() * 3);
    if (pick === 1) return ['a', 'b', 'é'][Math.floor(random() * 3)];
    if (pick === 2) return random() < 0.5;
    if (pick === 3) return null;
    if (pick === 4) return undefined;
    if (pick === 5) return Number.NaN;
    if (pick === 6) return Array.from({ length: Math.floor(random() * 3) }, () => values(depth + 1));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 3); i > 0; i -= 1) object[['x', 'y', 'z'][Math.floor(random() * 3)]!] = values(depth + 1);
    return object;
  };
  let same = 0;
  for (let i = 0; i < 5000; i += 1) {
    const a = [values(0)];
    const b = [values(0)];
    const jsonA = JSON.stringify(a);
    const jsonB = JSON.stringify(b);
    assert.equal(sameJson(b, snapshotOf(JSON.parse(jsonA))), jsonA === jsonB, `${jsonA} vs ${jsonB}`);
    if (jsonA === jsonB) same += 1;
  }
  assert.ok(same > 100, 'the random values repeat often enough to test the same case');
});
