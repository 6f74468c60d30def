import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownFigures } from '../../test/known-figures.ts';
import { normalizeGenerateContentUsage } from './usage.ts';

const cases = [
  {
    name: 'prompt includes cached; output = candidates + thoughts; tool-use prompt is input',
    usage: {
      promptTokenCount: 5200,
      candidatesTokenCount: 40,
      totalTokenCount: 5840,
      cachedContentTokenCount: 4096,
      thoughtsTokenCount: 480,
      toolUsePromptTokenCount: 120,
    },
    expected: {
      input: 5320,
      output: 520,
      uncached_input: 1224,
      cache_read: 4096,
      cache_write: 0,
      cache_write_5m: 0,
      cache_write_1h: 0,
      reasoning: 480,
      tool_result: 120,
    },
  },
  {
    name: 'zero-valued counts are omitted by the API and read as 0',
    usage: { promptTokenCount: 9, totalTokenCount: 9 },
    expected: { input: 9, output: 0, uncached_input: 9, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 0 },
  },
  { name: 'an empty usageMetadata is missing', usage: {}, expected: { unknownReason: 'usage_missing' } },
  {
    name: 'a fractional count is malformed',
    usage: { promptTokenCount: 9.5, candidatesTokenCount: 1 },
    expected: { output: 1, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0, reasoning: 0, unknownReason: 'usage_malformed' },
  },
];

for (const c of cases) {
  test(`gemini usage: ${c.name}`, () => {
    assert.deepEqual(knownFigures(normalizeGenerateContentUsage(c.usage)), c.expected);
  });
}
