// The cost of pricing one call in the span processor (its figures priced, its cost attributes written), with the model match cached (the steady state), beside
// the first, uncached match and a direct @pydantic/genai-prices calcPrice call, in one run.
import { calcPrice } from '@pydantic/genai-prices';
import { writeCostAttributes } from '../ledger/cost-attributes.ts';
import { callDescription } from '../ledger/llm-spans.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { usageFromAttributes } from '../ledger/usage-attributes.ts';
import { usageFigures } from '../ledger/usage-figures.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const N = 20_000;
const attributes = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-4-5',
  'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
  'gen_ai.usage.input_tokens': 15050,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
  'gen_ai.usage.reasoning.output_tokens': 500,
  'tokenledger.usage.tool_result.input_tokens': 4699,
};
const libraryUsage = {
  input_tokens: 15050,
  output_tokens: 530,
  cache_read_tokens: 12000,
  cache_write_tokens: 3000,
  cache_write_1h_tokens: 2000,
  output_reasoning_tokens: 500,
};
const start = new Date('2026-11-29T10:00:00Z');
// What the processor prices: the call's usage figures (handed over by the instrumentation) and its description.
const figures = usageFigures(usageFromAttributes(attributes));
const call = callDescription(attributes, start);
const priceCall = (pricer: CallPricer) => writeCostAttributes(pricer.price(figures, call), {});

function nsPerOp(fn: () => unknown, n = N): number {
  for (let i = 0; i < 1000; i += 1) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

const cached: number[] = [];
const uncached: number[] = [];
const library: number[] = [];
const pricer = new CallPricer();
for (let round = 0; round < ROUNDS; round += 1) {
  cached.push(nsPerOp(() => priceCall(pricer)));
  uncached.push(nsPerOp(() => priceCall(new CallPricer()), 500));
  library.push(nsPerOp(() => calcPrice(libraryUsage, 'claude-sonnet-4-5-20250929', { providerId: 'anthropic', timestamp: start }), 2000));
}
const row = (name: string, samples: number[]) => {
  const ns = median(samples);
  return [name, ns.toFixed(0), Math.round(1e9 / ns).toLocaleString('en-US')];
};
printTable(
  'pricing one call (claude-sonnet-4-5, six token types)',
  ['configuration', 'ns/call (median)', 'calls/s'],
  [
    row('tokenledger, model match cached (every call after the first per model and hour)', cached),
    row('tokenledger, first call for a model (match + price)', uncached),
    row('@pydantic/genai-prices calcPrice, for comparison', library),
  ],
);
