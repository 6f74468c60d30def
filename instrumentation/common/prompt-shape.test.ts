import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import test from 'node:test';
import { prefixHash } from './prompt-shape.ts';

const sha = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

test('prefixHash: the first 16 hex digits of the SHA-256 of the present parts, remembered or not', () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
  assert.equal(prefixHash('You are a bot.', undefined, tools), sha(['You are a bot.', tools]));
  assert.equal(prefixHash('You are a bot.', undefined, tools), sha(['You are a bot.', tools]), 'a repeat gives the same value');
  assert.equal(prefixHash(undefined, null), undefined);
});

test('prefixHash: a prefix changed in place gets a new fingerprint (remembered by content, never by object)', () => {
  const tools: Array<Record<string, unknown>> = [{ name: 'a' }];
  const first = prefixHash('system', tools);
  assert.equal(prefixHash('system', tools), first, 'sent twice in a row: now kept as a private copy too');
  tools.push({ name: 'b' });
  const second = prefixHash('system', tools);
  assert.notEqual(second, first);
  assert.equal(second, sha(['system', [{ name: 'a' }, { name: 'b' }]]));
  (tools[0] as { name: string }).name = 'c';
  assert.equal(prefixHash('system', tools), sha(['system', [{ name: 'c' }, { name: 'b' }]]));
});

test('prefixHash: many distinct prefixes (past the memory bound) each keep their own fingerprint', () => {
  for (let i = 0; i < 300; i += 1) assert.equal(prefixHash(`system ${i}`), sha([`system ${i}`]));
  const big = 'x'.repeat(2 << 20);
  assert.equal(prefixHash(big), sha([big]));
  assert.equal(prefixHash(big), sha([big]));
});

test('prefixHash: prefixes the walk cannot tell (toJSON, Date, class instances) and interleaved agents keep exact fingerprints', () => {
  class Schema {
    readonly type = 'object';
    readonly required = ['city'];
  }
  const withInstances = ['system', { at: new Date(0), schema: new Schema(), custom: { toJSON: () => 'as JSON' } }];
  for (let i = 0; i < 3; i += 1) assert.equal(prefixHash(...withInstances), sha(withInstances));
  for (let round = 0; round < 3; round += 1) {
    for (let agent = 0; agent < 6; agent += 1) assert.equal(prefixHash(`agent ${agent}`, [{ name: 'lookup' }]), sha([`agent ${agent}`, [{ name: 'lookup' }]]));
  }
  assert.equal(prefixHash('agent 5', [{ name: 'lookup' }]), sha(['agent 5', [{ name: 'lookup' }]]), 'a repeat after the interleaving');
});
