import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import { mergeStreamUsage, normalizeMessagesUsage } from './usage.ts';

const cases = [
  {
    name: 'input_tokens excludes the cache: all input = 50 + 12000 + 3000',
    usage: {
      input_tokens: 50,
      cache_read_input_tokens: 12000,
      cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      output_tokens: 530,
      output_tokens_details: { thinking_tokens: 500 },
    },
    expected: {
      input: 15050,
      output: 530,
      uncached_input: 50,
      cache_read: 12000,
      cache_write: 3000,
      cache_write_5m: 1000,
      cache_write_1h: 2000,
      reasoning: 500,
    },
  },
  {
    name: 'without the TTL object every write is a 5-minute write; null cache counts are 0',
    usage: { input_tokens: 20, cache_read_input_tokens: null, cache_creation_input_tokens: 400, cache_creation: null, output_tokens: 7 },
    expected: { input: 420, output: 7, uncached_input: 20, cache_read: 0, cache_write: 400, cache_write_5m: 400, cache_write_1h: 0 },
  },
  {
    name: 'a TTL split that does not add up to the write total is not reported, and the call is malformed',
    usage: {
      input_tokens: 1,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 10 },
      output_tokens: 1,
    },
    expected: { input: 101, output: 1, uncached_input: 1, cache_read: 0, cache_write: 100, unknownReason: 'usage_malformed' },
  },
  {
    name: 'compaction iterations are billed on top of the top-level usage',
    usage: {
      input_tokens: 100,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      output_tokens: 50,
      iterations: [
        { type: 'compaction', input_tokens: 9000, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0, output_tokens: 800 },
        { type: 'message', input_tokens: 100, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 50 },
      ],
    },
    expected: {
      input: 10100,
      output: 850,
      uncached_input: 9100,
      cache_read: 1000,
      cache_write: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      compactionInputTokens: 10000,
      compactionOutputTokens: 800,
    },
  },
  {
    name: 'missing input_tokens leaves input unknown',
    usage: { output_tokens: 3 },
    expected: { output: 3, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, unknownReason: 'usage_malformed' },
  },
  {
    name: 'server-side web searches are counted for their per-request fee',
    usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 } },
    expected: { input: 10, output: 5, uncached_input: 10, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, webSearchRequests: 3 },
  },
];

for (const c of cases) {
  test(`anthropic usage: ${c.name}`, () => {
    assert.deepEqual(knownFigures(normalizeMessagesUsage(c.usage)), c.expected);
  });
}

test('anthropic stream: cumulative usage is not added twice', () => {
  const start = {
    input_tokens: 50,
    cache_creation_input_tokens: 3000,
    cache_read_input_tokens: 12000,
    cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    output_tokens: 1,
    output_tokens_details: null,
  };
  const delta = {
    input_tokens: 50,
    cache_creation_input_tokens: 3000,
    cache_read_input_tokens: 12000,
    output_tokens: 530,
    output_tokens_details: { thinking_tokens: 500 },
  };
  const figures = knownFigures(normalizeMessagesUsage(mergeStreamUsage(start, delta)));
  assert.equal(figures.input, 15050);
  assert.equal(figures.output, 530);
  assert.equal(figures.cache_write_1h, 2000);
  assert.equal(figures.reasoning, 500);
});
