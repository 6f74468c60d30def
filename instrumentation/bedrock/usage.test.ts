import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import type { NormalizedUsage } from '../../ledger/usage.ts';
import { modelFamily, normalizeConverseUsage, normalizeInvocationMetrics, normalizeInvokeUsage } from './usage.ts';

const cases: Array<{ name: string; usage: NormalizedUsage; expected: Record<string, unknown> }> = [
  {
    name: 'Converse: inputTokens excludes the cache (50 + 12000 + 3000); cacheDetails split the writes by TTL',
    usage: normalizeConverseUsage({
      inputTokens: 50,
      outputTokens: 530,
      totalTokens: 15580,
      cacheReadInputTokens: 12000,
      cacheWriteInputTokens: 3000,
      cacheDetails: [
        { ttl: '1h', inputTokens: 2000 },
        { ttl: '5m', inputTokens: 1000 },
      ],
    }),
    expected: { input: 15050, output: 530, uncached_input: 50, cache_read: 12000, cache_write: 3000, cache_write_5m: 1000, cache_write_1h: 2000 },
  },
  {
    name: 'Converse without cache fields: nothing was cached; without cacheDetails writes are 5-minute writes',
    usage: normalizeConverseUsage({ inputTokens: 900, outputTokens: 80, cacheWriteInputTokens: 100 }),
    expected: { input: 1000, output: 80, uncached_input: 900, cache_read: 0, cache_write: 100, cache_write_5m: 100, cache_write_1h: 0 },
  },
  {
    name: 'Converse: a cacheDetails total that differs from cacheWriteInputTokens is malformed',
    usage: normalizeConverseUsage({ inputTokens: 10, outputTokens: 1, cacheWriteInputTokens: 100, cacheDetails: [{ ttl: '1h', inputTokens: 70 }] }),
    expected: { input: 110, output: 1, uncached_input: 10, cache_read: 0, cache_write: 100, unknownReason: 'usage_malformed' },
  },
  {
    name: 'InvokeModel, Meta Llama: prompt_token_count / generation_token_count',
    usage: normalizeInvokeUsage('meta', { generation: 'x', prompt_token_count: 1200, generation_token_count: 300 }),
    expected: { input: 1200, output: 300, uncached_input: 1200, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
  },
  {
    name: 'InvokeModel, Amazon Nova: inputTokens excludes cacheReadInputTokenCount',
    usage: normalizeInvokeUsage('nova', { usage: { inputTokens: 100, outputTokens: 50, cacheReadInputTokenCount: 400 } }),
    expected: { input: 500, output: 50, uncached_input: 100, cache_read: 400, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
  },
  {
    name: 'InvokeModel, Mistral text completion: no usage in the body is unknown, not zero',
    usage: normalizeInvokeUsage('mistral', { outputs: [{ text: 'x' }] }),
    expected: { unknownReason: 'usage_missing' },
  },
  {
    name: 'stream invocation metrics: inputTokenCount excludes the cache counts beside it',
    usage: normalizeInvocationMetrics({ inputTokenCount: 50, outputTokenCount: 530, cacheReadInputTokenCount: 12000, cacheWriteInputTokenCount: 3000 }),
    expected: { input: 15050, output: 530, uncached_input: 50, cache_read: 12000, cache_write: 3000, cache_write_5m: 3000, cache_write_1h: 0 },
  },
];

for (const c of cases) {
  test(`bedrock usage: ${c.name}`, () => assert.deepEqual(knownFigures(c.usage), c.expected));
}

test('bedrock model families: bare ids, regional and global profiles, and profile ARNs', () => {
  assert.deepEqual(
    [
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'apac.amazon.nova-pro-v1:0',
      'meta.llama3-3-70b-instruct-v1:0',
      'mistral.mistral-large-3-675b-instruct',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'cohere.command-r-v1:0',
    ].map(modelFamily),
    ['anthropic', 'anthropic', 'nova', 'meta', 'mistral', 'anthropic', 'other'],
  );
});
