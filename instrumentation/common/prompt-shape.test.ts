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
