import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeStreamUsage, normalizeMessagesUsage } from './usage.ts';

const cases = [
  {
    name: 'input_tokens excludes the cache: all input = 50 + 12000 + 3000',
    usage: {
      input_tokens: 50, cache_read_input_tokens: 12000, cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 530, output_tokens_details: { thinking_tokens: 500 },
    },
    expected: {
      inputTokens: 15050, outputTokens: 530, cacheReadTokens: 12000, cacheWriteTokens: 3000,
      cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000, reasoningTokens: 500,
      compactionInputTokens: undefined, compactionOutputTokens: undefined, webSearchRequests: undefined,
    },
  },
  {
    name: 'without the TTL object every write is a 5-minute write; null cache counts are 0',
    usage: { input_tokens: 20, cache_read_input_tokens: null, cache_creation_input_tokens: 400, cache_creation: null, output_tokens: 7 },
    expected: {
      inputTokens: 420, outputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 400,
      cacheWrite5mTokens: 400, cacheWrite1hTokens: 0, reasoningTokens: undefined,
      compactionInputTokens: undefined, compactionOutputTokens: undefined, webSearchRequests: undefined,
    },
  },
  {
    name: 'a TTL split that does not add up to the write total is not reported',
    usage: {
      input_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 10 }, output_tokens: 1,
    },
    expected: {
      inputTokens: 101, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 100,
      cacheWrite5mTokens: undefined, cacheWrite1hTokens: undefined, reasoningTokens: undefined,
      compactionInputTokens: undefined, compactionOutputTokens: undefined, webSearchRequests: undefined, unknownReason: 'usage_malformed',
    },
  },
  {
    name: 'compaction iterations are billed on top of the top-level usage',
    usage: {
      input_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 50,
      iterations: [
        { type: 'compaction', input_tokens: 9000, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0, output_tokens: 800 },
        { type: 'message', input_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 50 },
      ],
    },
    expected: {
      inputTokens: 10100, outputTokens: 850, cacheReadTokens: 1000, cacheWriteTokens: 0,
      cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: undefined,
      compactionInputTokens: 10000, compactionOutputTokens: 800, webSearchRequests: undefined,
    },
  },
  {
    name: 'missing input_tokens leaves input unknown',
    usage: { output_tokens: 3 },
    expected: {
      inputTokens: undefined, outputTokens: 3, cacheReadTokens: 0, cacheWriteTokens: 0,
      cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: undefined,
      compactionInputTokens: undefined, compactionOutputTokens: undefined, webSearchRequests: undefined,
    },
  },
  {
    name: 'server-side web searches are counted for their per-request fee',
    usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 } },
    expected: {
      inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0,
      cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: undefined,
      compactionInputTokens: undefined, compactionOutputTokens: undefined, webSearchRequests: 3,
    },
  },
];

for (const c of cases) {
  test(`anthropic usage: ${c.name}`, () => {
    assert.deepEqual(normalizeMessagesUsage(c.usage), c.expected);
  });
}

test('anthropic stream: cumulative usage is not added twice', () => {
  const start = {
    input_tokens: 50, cache_creation_input_tokens: 3000, cache_read_input_tokens: 12000,
    cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    output_tokens: 1, output_tokens_details: null,
  };
  const delta = {
    input_tokens: 50, cache_creation_input_tokens: 3000, cache_read_input_tokens: 12000,
    output_tokens: 530, output_tokens_details: { thinking_tokens: 500 },
  };
  const usage = normalizeMessagesUsage(mergeStreamUsage(start, delta));
  assert.equal(usage.inputTokens, 15050);
  assert.equal(usage.outputTokens, 530);
  assert.equal(usage.cacheWrite1hTokens, 2000);
  assert.equal(usage.reasoningTokens, 500);
});
