import { test } from 'node:test';
import assert from 'node:assert/strict';
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
    expected: { inputTokens: 2150, outputTokens: 420, cacheReadTokens: 1920, cacheWriteTokens: 0, reasoningTokens: 384 },
  },
  {
    name: 'cache writes are a part of prompt_tokens',
    usage: { prompt_tokens: 5000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 4096 } },
    expected: { inputTokens: 5000, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 4096, reasoningTokens: undefined },
  },
  {
    name: 'absent details objects mean nothing was cached',
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    expected: { inputTokens: 12, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: undefined },
  },
  {
    name: 'a string count is malformed',
    usage: { prompt_tokens: '12', completion_tokens: 3 },
    expected: {
      inputTokens: undefined, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: undefined,
      unknownReason: 'usage_malformed',
    },
  },
  {
    name: 'a negative count is malformed',
    usage: { prompt_tokens: 12, completion_tokens: -1 },
    expected: {
      inputTokens: 12, outputTokens: undefined, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: undefined,
      unknownReason: 'usage_malformed',
    },
  },
  {
    name: 'cached tokens above the prompt are malformed',
    usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 11 } },
    expected: {
      inputTokens: 10, outputTokens: 1, cacheReadTokens: 11, cacheWriteTokens: 0, reasoningTokens: undefined,
      unknownReason: 'usage_malformed',
    },
  },
  { name: 'a null usage is missing', usage: null, expected: { unknownReason: 'usage_missing' } },
];

for (const c of chatCases) {
  test(`openai chat usage: ${c.name}`, () => {
    assert.deepEqual(normalizeChatUsage(c.usage), c.expected);
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
  assert.deepEqual(normalizeResponsesUsage(usage), {
    inputTokens: 3200, outputTokens: 900, cacheReadTokens: 2048, cacheWriteTokens: 1024, reasoningTokens: 768,
  });
});

test('openai responses usage: reasoning above output is dropped and marked malformed', () => {
  const usage = { input_tokens: 10, output_tokens: 5, output_tokens_details: { reasoning_tokens: 6 } };
  assert.deepEqual(normalizeResponsesUsage(usage), {
    inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: undefined,
    unknownReason: 'usage_malformed',
  });
});

test('openai embeddings usage: input only', () => {
  assert.deepEqual(normalizeEmbeddingsUsage({ prompt_tokens: 8, total_tokens: 8 }), {
    inputTokens: 8, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0,
  });
});
