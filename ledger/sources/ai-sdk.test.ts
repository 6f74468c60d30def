import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import { aiSdkSpanUsage } from './ai-sdk.ts';

const call = (attributes: Record<string, unknown>) => ({
  'ai.operationId': 'ai.generateText.doGenerate',
  'ai.model.provider': 'anthropic.messages',
  'ai.model.id': 'claude-sonnet-5-5',
  ...attributes,
});
const usage = {
  'ai.usage.inputTokens': 15050,
  'ai.usage.outputTokens': 530,
  'ai.usage.inputTokenDetails.cacheReadTokens': 12000,
  'ai.usage.inputTokenDetails.cacheWriteTokens': 3000,
  'ai.usage.outputTokenDetails.reasoningTokens': 500,
};
const metadata = (cacheCreation: unknown) =>
  JSON.stringify({ anthropic: { usage: { input_tokens: 50, cache_creation: cacheCreation, service_tier: 'priority' } } });

const cases: Array<{ name: string; operation?: string; attributes: Record<string, unknown>; expected: Record<string, unknown> | undefined }> = [
  {
    name: 'a per-call span: ai.usage.* with the TTL split from the provider metadata',
    attributes: call({ ...usage, 'ai.response.providerMetadata': metadata({ ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 }) }),
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
    name: 'no provider metadata (recordOutputs: false): every write is a 5-minute write',
    attributes: call(usage),
    expected: { input: 15050, output: 530, uncached_input: 50, cache_read: 12000, cache_write: 3000, cache_write_5m: 3000, cache_write_1h: 0, reasoning: 500 },
  },
  {
    name: 'provider metadata that is not JSON is ignored, never a wrong split',
    attributes: call({ ...usage, 'ai.response.providerMetadata': '{"anthropic":' }),
    expected: { input: 15050, output: 530, uncached_input: 50, cache_read: 12000, cache_write: 3000, cache_write_5m: 3000, cache_write_1h: 0, reasoning: 500 },
  },
  {
    name: 'a split that does not add up to the writes is unknown, and the call malformed',
    attributes: call({ ...usage, 'ai.response.providerMetadata': metadata({ ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 10 }) }),
    expected: { input: 15050, output: 530, uncached_input: 50, cache_read: 12000, cache_write: 3000, reasoning: 500, unknownReason: 'usage_malformed' },
  },
  {
    name: 'older flat spellings where the detailed ones are missing',
    attributes: call({ 'ai.usage.inputTokens': 2150, 'ai.usage.outputTokens': 420, 'ai.usage.cachedInputTokens': 1920, 'ai.usage.reasoningTokens': 384 }),
    expected: { input: 2150, output: 420, uncached_input: 230, cache_read: 1920, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 384 },
  },
  {
    name: 'a count sent as a string is malformed, never read as a number',
    attributes: call({ ...usage, 'ai.usage.inputTokenDetails.cacheReadTokens': '12000' }),
    expected: { input: 15050, output: 530, cache_write: 3000, cache_write_5m: 3000, cache_write_1h: 0, reasoning: 500, unknownReason: 'usage_malformed' },
  },
  {
    name: 'a per-call span without usage (a failed call) is a call with usage missing',
    attributes: call({}),
    expected: { cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, unknownReason: 'usage_missing' },
  },
  {
    name: 'the aggregate ai.generateText with its totals is no call',
    operation: 'ai.generateText',
    attributes: { 'ai.operationId': 'ai.generateText', ...usage },
    expected: undefined,
  },
  {
    name: 'a tool span is no call',
    operation: 'ai.toolCall',
    attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'weather' },
    expected: undefined,
  },
  {
    name: 'an embedding call: ai.usage.tokens is all its input, no output',
    operation: 'ai.embed.doEmbed',
    attributes: { 'ai.operationId': 'ai.embed.doEmbed', 'ai.usage.tokens': 8 },
    expected: { input: 8, output: 0, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, uncached_input: 8 },
  },
  {
    name: 'AI SDK 6 generateObject: the old total spellings only, so cache and reasoning are unknown, never 0',
    operation: 'ai.generateObject.doGenerate',
    attributes: { 'ai.operationId': 'ai.generateObject.doGenerate', 'ai.usage.promptTokens': 2150, 'ai.usage.completionTokens': 420 },
    expected: { input: 2150, output: 420 },
  },
];

for (const { name, operation, attributes, expected } of cases) {
  test(`ai sdk spans: ${name}`, () => {
    const read = aiSdkSpanUsage(attributes as never, operation ?? 'ai.generateText.doGenerate');
    assert.deepEqual(read && knownFigures(read.usage), expected);
  });
}

test('ai sdk spans: the provider, model and served tier are what the span lacks to be priced', () => {
  const read = aiSdkSpanUsage(
    call({ ...usage, 'ai.response.providerMetadata': metadata({ ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 }) }) as never,
    'ai.generateText.doGenerate',
  );
  assert.equal(read?.convention, 'ai_sdk');
  assert.deepEqual(read?.describing, {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'claude-sonnet-5-5',
    'tokenledger.request.service_tier': 'priority',
  });
});
