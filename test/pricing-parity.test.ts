// tokenledger prices a call with its own arithmetic (to split the cost by token type); this checks that the
// total equals what @pydantic/genai-prices computes, for every bundled Anthropic, OpenAI and Google model and a
// spread of usages (cache reads, 5-minute and 1-hour writes, reasoning, long-context tiers, web searches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { callCost } from '../ledger/pricing/call-cost.ts';
import { usageFigures } from '../ledger/usage-figures.ts';

interface PricedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
  webSearchRequests?: number;
}

const usages: PricedUsage[] = [
  { inputTokens: 15050, outputTokens: 530, cacheReadTokens: 12000, cacheWriteTokens: 3000, cacheWrite1hTokens: 2000, reasoningTokens: 500 },
  { inputTokens: 2150, outputTokens: 420, cacheReadTokens: 1920, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 384 },
  { inputTokens: 250_000, outputTokens: 4000, cacheReadTokens: 200_000, cacheWriteTokens: 10_000, cacheWrite1hTokens: 0, reasoningTokens: 0 },
  { inputTokens: 300_000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 900, webSearchRequests: 2 },
  { inputTokens: 12, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 },
];

function libraryUsage(usage: PricedUsage): Record<string, number> {
  const keys: Record<string, number> = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    cache_write_1h_tokens: usage.cacheWrite1hTokens,
    output_reasoning_tokens: usage.reasoningTokens,
  };
  if (usage.webSearchRequests) keys.web_searches = usage.webSearchRequests;
  return keys;
}

/** The same usage as tokenledger's figures, through the one validity rule. */
function ourTokens(usage: PricedUsage) {
  const { tokens } = usageFigures({
    tokens: {
      input: usage.inputTokens,
      output: usage.outputTokens,
      cache_read: usage.cacheReadTokens,
      cache_write: usage.cacheWriteTokens,
      cache_write_1h: usage.cacheWrite1hTokens,
      reasoning: usage.reasoningTokens,
    },
  });
  return tokens;
}

for (const providerId of ['anthropic', 'openai', 'google']) {
  test(`pricing parity: every bundled ${providerId} model costs what genai-prices says`, () => {
    const provider = findProvider({ providerId });
    assert.ok(provider, providerId);
    let compared = 0;
    for (const model of provider.models) {
      for (const usage of usages) {
        let expected: ReturnType<typeof calcPrice>;
        try {
          expected = calcPrice(libraryUsage(usage) as never, model.id, { providerId });
        } catch {
          continue; // a usage this model's entry cannot take (the package throws); tokenledger reports no cost then
        }
        if (!expected) continue;
        const ours = callCost(ourTokens(usage), usage.webSearchRequests ?? 0, expected.model_price);
        assert.ok(Math.abs(ours.total! - expected.total_price) < 1e-12, `${model.id} ${JSON.stringify(usage)}: ${ours.total} vs ${expected.total_price}`);
        compared += 1;
      }
    }
    assert.ok(compared > provider.models.length, `compared ${compared} prices`);
  });
}
