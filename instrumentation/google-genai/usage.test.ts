import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeGenerateContentUsage } from './usage.ts';

const cases = [
  {
    name: 'prompt includes cached; output = candidates + thoughts; tool-use prompt is input',
    usage: {
      promptTokenCount: 5200, candidatesTokenCount: 40, totalTokenCount: 5840, cachedContentTokenCount: 4096,
      thoughtsTokenCount: 480, toolUsePromptTokenCount: 120,
    },
    expected: {
      inputTokens: 5320, outputTokens: 520, cacheReadTokens: 4096, cacheWriteTokens: 0, reasoningTokens: 480,
      serverToolInputTokens: 120,
    },
  },
  {
    name: 'zero-valued counts are omitted by the API and read as 0',
    usage: { promptTokenCount: 9, totalTokenCount: 9 },
    expected: {
      inputTokens: 9, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
      serverToolInputTokens: 0,
    },
  },
  { name: 'an empty usageMetadata is missing', usage: {}, expected: { unknownReason: 'usage_missing' } },
  {
    name: 'a fractional count is malformed',
    usage: { promptTokenCount: 9.5, candidatesTokenCount: 1 },
    expected: {
      inputTokens: undefined, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
      serverToolInputTokens: 0, unknownReason: 'usage_malformed',
    },
  },
];

for (const c of cases) {
  test(`gemini usage: ${c.name}`, () => {
    assert.deepEqual(normalizeGenerateContentUsage(c.usage), c.expected);
  });
}
