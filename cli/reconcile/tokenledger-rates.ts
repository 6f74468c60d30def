// tokenledger's own rate for a token type, asked of the CallPricer the recording is priced with: a small call of
// that one type (1,000 tokens: below every long-context tier) priced for the model, day and tier. What the bill's
// tokens would cost at tokenledger's prices where telemetry has none of its own to compare.
import type { CallDescription, CallPricer } from '../../ledger/pricing/call-pricer.ts';
import type { UsageFigures } from '../../ledger/usage-figures.ts';
import type { BillTokenType } from './bill-line.ts';
import type { RateOf } from './reconciliation.ts';

const PROBE_TOKENS = 1000;
const PARTS = ['uncached_input', 'cache_read', 'cache_write_5m', 'cache_write_1h', 'output'] as const;

export function tokenledgerRates(pricer: CallPricer): RateOf {
  const cache = new Map<string, number | undefined>();
  return (provider, model, type, day, tier) => {
    const key = `${provider}\u0000${model}\u0000${type}\u0000${day}\u0000${tier}`;
    if (cache.has(key)) return cache.get(key);
    const rate = probe(pricer, provider, model, type, day, tier);
    cache.set(key, rate);
    return rate;
  };
}

function probe(pricer: CallPricer, provider: string, model: string, type: BillTokenType, day: string, tier: string): number | undefined {
  if (model === '') return undefined;
  const part = type === 'cache_write' ? 'cache_write_5m' : type;
  const tokens: Record<string, number> = Object.fromEntries(PARTS.map((name) => [name, 0]));
  let webSearchRequests = 0;
  if (part === 'server_tools') webSearchRequests = PROBE_TOKENS;
  else tokens[part] = PROBE_TOKENS;
  tokens.input = tokens.uncached_input! + tokens.cache_read! + tokens.cache_write_5m! + tokens.cache_write_1h!;
  tokens.cache_write = tokens.cache_write_5m! + tokens.cache_write_1h!;
  const usage: UsageFigures = { tokens, webSearchRequests };
  const description: CallDescription = {
    provider,
    requestModel: model,
    serviceTier: tier === 'standard' || tier === 'batch' ? undefined : tier,
    batch: tier === 'batch',
    startTime: new Date(`${day}T12:00:00Z`),
  };
  const priced = pricer.price(usage, description);
  const cost = part === 'server_tools' ? priced.cost?.request_fees : priced.cost?.[part];
  return cost === undefined ? undefined : cost / PROBE_TOKENS;
}
