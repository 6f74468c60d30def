// The one validity rule and the attributes written from its figures, table by table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeUsageAttributes } from './usage-attributes.ts';
import { usageFigures } from './usage-figures.ts';
import type { NormalizedUsage } from './usage.ts';

const attributesOf = (usage: NormalizedUsage, options = {}) => writeUsageAttributes(usageFigures(usage), {}, options);

test('usage attributes: every token type and total of the table, uncached = input − cache read − cache write', () => {
  const attributes = attributesOf({
    tokens: { input: 15050, output: 530, cache_read: 12000, cache_write: 3000, cache_write_5m: 1000, cache_write_1h: 2000, reasoning: 500 },
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
  const usage: NormalizedUsage = { tokens: { input: 10, output: 1, cache_read: 0, cache_write: 4 } };
  assert.equal(attributesOf(usage)['gen_ai.usage.cache_creation.input_tokens'], undefined);
  assert.equal(attributesOf(usage, { legacyAttributes: true })['gen_ai.usage.cache_creation.input_tokens'], 4);
});

test('usage attributes: unknown usage writes only the reason', () => {
  assert.deepEqual(attributesOf({ tokens: {}, unknownReason: 'usage_missing' }), { 'tokenledger.usage.unknown_reason': 'usage_missing' });
});

const rules: Array<{ name: string; usage: NormalizedUsage['tokens']; known: Record<string, number>; malformed: boolean }> = [
  {
    name: 'no TTL split reported: every write is a standard-rate (5-minute) write',
    usage: { input: 100, output: 1, cache_read: 0, cache_write: 40 },
    known: { input: 100, output: 1, uncached_input: 60, cache_read: 0, cache_write: 40, cache_write_5m: 40, cache_write_1h: 0 },
    malformed: false,
  },
  {
    name: 'one side of the TTL split reported: the other is the rest of the total',
    usage: { input: 100, output: 1, cache_read: 0, cache_write: 40, cache_write_1h: 30 },
    known: { input: 100, output: 1, uncached_input: 60, cache_read: 0, cache_write: 40, cache_write_5m: 10, cache_write_1h: 30 },
    malformed: false,
  },
  {
    name: 'a TTL split above its total: the split is unknown, the total stands',
    usage: { input: 100, output: 1, cache_read: 0, cache_write: 40, cache_write_5m: 30, cache_write_1h: 30 },
    known: { input: 100, output: 1, uncached_input: 60, cache_read: 0, cache_write: 40 },
    malformed: true,
  },
  {
    name: 'one side of the split above the total: unknown',
    usage: { input: 100, output: 1, cache_read: 0, cache_write: 40, cache_write_1h: 41 },
    known: { input: 100, output: 1, uncached_input: 60, cache_read: 0, cache_write: 40 },
    malformed: true,
  },
  {
    name: 'cache larger than input: no cache figure, nor the remainder, is known',
    usage: { input: 10, output: 1, cache_read: 8, cache_write: 5 },
    known: { input: 10, output: 1 },
    malformed: true,
  },
  {
    name: 'reasoning above output: reasoning is unknown',
    usage: { input: 10, output: 5, cache_read: 0, cache_write: 0, reasoning: 6 },
    known: { input: 10, output: 5, uncached_input: 10, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
    malformed: true,
  },
  {
    name: 'tool results above input: unknown',
    usage: { input: 10, output: 5, cache_read: 0, cache_write: 0, tool_result: 11 },
    known: { input: 10, output: 5, uncached_input: 10, cache_read: 0, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
    malformed: true,
  },
  {
    name: 'input unknown: the call is malformed, the figures that do not depend on it stand',
    usage: { output: 5, cache_read: 3, cache_write: 0 },
    known: { output: 5, cache_read: 3, cache_write: 0, cache_write_5m: 0, cache_write_1h: 0 },
    malformed: true,
  },
];

for (const rule of rules) {
  test(`usage figures: ${rule.name}`, () => {
    const figures = usageFigures({ tokens: rule.usage });
    const known = Object.fromEntries(Object.entries(figures.tokens).filter(([, value]) => value !== undefined));
    assert.deepEqual(known, rule.known);
    assert.equal(figures.unknownReason, rule.malformed ? 'usage_malformed' : undefined);
  });
}

test('usage figures: tool results are the input apportioned by their share of the prompt, plus server-side tool input', () => {
  const figures = usageFigures(
    { tokens: { input: 1120, output: 1, cache_read: 0, cache_write: 0 }, serverToolInputTokens: 120 },
    { toolChars: 250, totalChars: 1000 },
  );
  assert.equal(figures.tokens.tool_result, 250 + 120); // (1120 − 120) × 250 / 1000 + 120
  assert.equal(figures.toolResultEstimation, 'char_share');
});
