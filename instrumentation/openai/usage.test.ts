import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import { normalizeChatUsage, normalizeEmbeddingsUsage, normalizeResponsesUsage } from './usage.ts';

const chatCases = [
  {
    name: 'prompt_tokens includes cached_tokens; completion_tokens includes reasoning',
    usage: {
      prompt_tokens: 2150,
      completion_tokens: 420,
      prompt_tokens_details: { cached_tokens: 1920, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 384 },
    },
    expected: { input: 2150, output: 420, uncached_input: 230, cache_read: 1920, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 384 },
  },
  {
    name: 'cache writes are a part of prompt_tokens',
    usage: { prompt_tokens: 5000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 4096 } },
    expected: { input: 5000, output: 10, uncached_input: 904, cache_read: 0, cache_write: 4096, cache_write_5m: 4096, cache_write_1h: 0 },
  },
  {
    name: 'absent details objects mean nothing was cached',
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    expected: { input: 12, output: 3, uncached_input: 12, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
  },
  {
    name: 'a string count is malformed',
    usage: { prompt_tokens: '12', completion_tokens: 3 },
    expected: { output: 3, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, unknownReason: 'usage_malformed' },
  },
  {
    name: 'a negative count is malformed',
    usage: { prompt_tokens: 12, completion_tokens: -1 },
    expected: { input: 12, uncached_input: 12, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, unknownReason: 'usage_malformed' },
  },
  {
    name: 'cached tokens above the prompt are malformed: no cache figure, nor the remainder, is known',
    usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 11 } },
    expected: { input: 10, output: 1, unknownReason: 'usage_malformed' },
  },
  { name: 'a null usage is missing', usage: null, expected: { unknownReason: 'usage_missing' } },
];

for (const c of chatCases) {
  test(`openai chat usage: ${c.name}`, () => {
    assert.deepEqual(knownFigures(normalizeChatUsage(c.usage)), c.expected);
  });
}

test('openai responses usage: cached and cache-write tokens are parts of input_tokens', () => {
  const usage = {
    input_tokens: 3200,
    input_tokens_details: { cached_tokens: 2048, cache_write_tokens: 1024, cache_write_tokens_details: { ttl_30m_tokens: 1024, ttl_12h_tokens: 0 } },
    output_tokens: 900,
    output_tokens_details: { reasoning_tokens: 768 },
    total_tokens: 4100,
  };
  assert.deepEqual(knownFigures(normalizeResponsesUsage(usage)), {
    input: 3200,
    output: 900,
    uncached_input: 128,
    cache_read: 2048,
    cache_write: 1024,
    cache_write_5m: 1024,
    cache_write_1h: 0,
    reasoning: 768,
  });
});

test('openai responses usage: reasoning above output is dropped and marked malformed', () => {
  const usage = { input_tokens: 10, output_tokens: 5, output_tokens_details: { reasoning_tokens: 6 } };
  assert.deepEqual(knownFigures(normalizeResponsesUsage(usage)), {
    input: 10,
    output: 5,
    uncached_input: 10,
    cache_read: 0,
    cache_write: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
    unknownReason: 'usage_malformed',
  });
});

test('openai embeddings usage: input only', () => {
  assert.deepEqual(knownFigures(normalizeEmbeddingsUsage({ prompt_tokens: 8, total_tokens: 8 })), {
    input: 8,
    output: 0,
    uncached_input: 8,
    cache_read: 0,
    cache_write: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
  });
});
