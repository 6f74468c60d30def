import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import { aiSdkProviderName } from '../../ledger/sources/ai-sdk.ts';
import { normalizeAiSdkUsage } from './usage.ts';

const cases = [
  {
    name: 'anthropic: the raw usage is read by the Anthropic rules, so the 1-hour writes keep their TTL',
    provider: 'anthropic.messages',
    usage: {
      inputTokens: 15050,
      inputTokenDetails: { noCacheTokens: 50, cacheReadTokens: 12000, cacheWriteTokens: 3000 },
      outputTokens: 530,
      outputTokenDetails: { textTokens: 30, reasoningTokens: 500 },
      raw: {
        input_tokens: 50,
        cache_read_input_tokens: 12000,
        cache_creation_input_tokens: 3000,
        cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
        output_tokens: 530,
        output_tokens_details: { thinking_tokens: 500 },
      },
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
    name: 'openai chat: raw prompt_tokens include the cache (2150 = 230 + 1920), reasoning inside completion_tokens',
    provider: 'openai.chat',
    usage: {
      inputTokens: 2150,
      outputTokens: 420,
      raw: {
        prompt_tokens: 2150,
        completion_tokens: 420,
        prompt_tokens_details: { cached_tokens: 1920 },
        completion_tokens_details: { reasoning_tokens: 384 },
      },
    },
    expected: { input: 2150, output: 420, uncached_input: 230, cache_read: 1920, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 384 },
  },
  {
    name: 'openai responses: raw input_tokens_details',
    provider: 'openai.responses',
    usage: {
      raw: {
        input_tokens: 3200,
        input_tokens_details: { cached_tokens: 2048, cache_write_tokens: 1024 },
        output_tokens: 900,
        output_tokens_details: { reasoning_tokens: 768 },
      },
    },
    expected: { input: 3200, output: 900, uncached_input: 128, cache_read: 2048, cache_write: 1024, cache_write_5m: 1024, cache_write_1h: 0, reasoning: 768 },
  },
  {
    name: 'gemini: raw usageMetadata, candidates exclude thoughts (all output = 100 + 40)',
    provider: 'google.generative-ai',
    usage: { raw: { promptTokenCount: 1000, cachedContentTokenCount: 600, candidatesTokenCount: 100, thoughtsTokenCount: 40 } },
    expected: { input: 1000, output: 140, uncached_input: 400, cache_read: 600, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 40 },
  },
  {
    name: 'no raw usage: the AI SDK figures, cache counts it leaves out are 0 and reasoning unknown',
    provider: 'mistral.chat',
    usage: { inputTokens: 900, inputTokenDetails: {}, outputTokens: 80, outputTokenDetails: {} },
    expected: { input: 900, output: 80, uncached_input: 900, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
  },
  {
    name: "a provider result's usage (LanguageModelV4Usage) without raw",
    provider: 'xai.chat',
    usage: { inputTokens: { total: 500, noCache: 300, cacheRead: 200, cacheWrite: undefined }, outputTokens: { total: 60, reasoning: 10 } },
    expected: { input: 500, output: 60, uncached_input: 300, cache_read: 200, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 10 },
  },
  {
    name: 'raw usage of another shape than the API sends falls back to the AI SDK figures',
    provider: 'anthropic.messages',
    usage: { inputTokens: 10, outputTokens: 2, raw: { tokens: 12 } },
    expected: { input: 10, output: 2, uncached_input: 10, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
  },
  {
    name: 'a malformed count is unknown, never 0',
    provider: 'mistral.chat',
    usage: { inputTokens: -5, outputTokens: 2 },
    expected: { output: 2, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, unknownReason: 'usage_malformed' },
  },
  {
    name: 'no usage at all',
    provider: 'openai.chat',
    usage: undefined,
    expected: { unknownReason: 'usage_missing' },
  },
  {
    name: 'an empty usage object (a stream that ended before its finish part)',
    provider: 'mistral.chat',
    usage: { inputTokenDetails: {}, outputTokenDetails: {} },
    expected: { unknownReason: 'usage_missing' },
  },
];

for (const { name, provider, usage, expected } of cases) {
  test(`ai sdk usage: ${name}`, () => {
    assert.deepEqual(knownFigures(normalizeAiSdkUsage(provider, usage)), expected);
  });
}

test('ai sdk provider ids map to gen_ai.provider.name', () => {
  const ids = [
    'openai.responses',
    'anthropic.messages',
    'google.generative-ai',
    'google.vertex.chat',
    'azure.chat',
    'amazon-bedrock',
    'mistral.chat',
    undefined,
  ];
  assert.deepEqual(ids.map(aiSdkProviderName), ['openai', 'anthropic', 'gcp.gemini', 'gcp.vertex_ai', 'azure.ai.openai', 'aws.bedrock', 'mistral', 'unknown']);
});
