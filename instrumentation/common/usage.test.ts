import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usageAttributes } from './usage.ts';

test('usage attributes: uncached input is input minus cache read minus cache write', () => {
  const attributes = usageAttributes({
    inputTokens: 15050,
    outputTokens: 530,
    cacheReadTokens: 12000,
    cacheWriteTokens: 3000,
    cacheWrite5mTokens: 1000,
    cacheWrite1hTokens: 2000,
    reasoningTokens: 500,
  });
  assert.deepEqual(attributes, {
    'gen_ai.usage.input_tokens': 15050,
    'gen_ai.usage.output_tokens': 530,
    'gen_ai.usage.cache_read.input_tokens': 12000,
    'gen_ai.usage.cache_write.input_tokens': 3000,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
    'tokenledger.usage.uncached.input_tokens': 50,
  });
});

test('usage attributes: the legacy cache_creation name is written only when asked for', () => {
  const usage = { inputTokens: 10, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 4 };
  assert.equal(usageAttributes(usage)['gen_ai.usage.cache_creation.input_tokens'], undefined);
  assert.equal(usageAttributes(usage, { legacyAttributes: true })['gen_ai.usage.cache_creation.input_tokens'], 4);
});

test('usage attributes: unknown usage writes only the reason', () => {
  assert.deepEqual(usageAttributes({ unknownReason: 'usage_missing' }), {
    'tokenledger.usage.unknown_reason': 'usage_missing',
  });
});

test('usage attributes: cache larger than input leaves uncached off with a reason', () => {
  const attributes = usageAttributes({ inputTokens: 10, outputTokens: 1, cacheReadTokens: 8, cacheWriteTokens: 5 });
  assert.equal(attributes['tokenledger.usage.uncached.input_tokens'], undefined);
  assert.equal(attributes['tokenledger.usage.unknown_reason'], 'usage_malformed');
});
