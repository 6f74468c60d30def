import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usageFromAttributes, writeUsageAttributes } from './usage-attributes.ts';
import { usageFigures } from './usage-figures.ts';

test('usage attributes: a call with no cache writes leaves the TTL split off, and reads back to the same figures', () => {
  // 2150 input, 1920 of it cache reads, no writes: uncached 2150 − 1920 − 0 = 230.
  const figures = usageFigures({ tokens: { input: 2150, output: 420, cache_read: 1920, cache_write: 0, reasoning: 384 } });
  const attributes = writeUsageAttributes(figures, {});
  assert.equal(attributes['gen_ai.usage.cache_write.input_tokens'], 0);
  assert.equal(attributes['tokenledger.usage.cache_write.ttl_5m.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.cache_write.ttl_1h.input_tokens'], undefined);
  assert.deepEqual(usageFigures(usageFromAttributes(attributes)).tokens, figures.tokens);
});

test('usage attributes: a call that wrote to the cache keeps its TTL split, zero parts included', () => {
  const figures = usageFigures({ tokens: { input: 3200, output: 900, cache_read: 2048, cache_write: 1024 } });
  const attributes = writeUsageAttributes(figures, {});
  assert.equal(attributes['tokenledger.usage.cache_write.ttl_5m.input_tokens'], 1024);
  assert.equal(attributes['tokenledger.usage.cache_write.ttl_1h.input_tokens'], 0);
  assert.deepEqual(usageFigures(usageFromAttributes(attributes)).tokens, figures.tokens);
});

test('usage attributes: an unknown cache-write total leaves its parts unknown, not 0', () => {
  const figures = usageFigures({ tokens: { input: 100, output: 10 } });
  const attributes = writeUsageAttributes(figures, {});
  assert.equal(attributes['gen_ai.usage.cache_write.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.cache_write.ttl_5m.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], undefined);
});
