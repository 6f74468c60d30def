// A call as a lever sees it: its usage figures and what it was (model, tier, batch, start time) — the two things
// CallPricer prices. Levers make changed copies; moving tokens between the parts of input keeps all input the same
// and the cache-write total equal to its TTL split, so the changed figures obey the same rule usageFigures checks.
import type { CallDescription } from '../../ledger/pricing/call-pricer.ts';
import type { TokenCounts } from '../../ledger/token-types.ts';
import type { UsageFigures } from '../../ledger/usage-figures.ts';

export interface Scenario {
  usage: UsageFigures;
  description: CallDescription;
}

export type CacheTtl = '5m' | '1h';

/** The token parts a lever moves, read from a call's figures (all known: only priced calls are re-priced). */
export interface InputParts {
  uncached: number;
  cacheRead: number;
  write5m: number;
  write1h: number;
}

export function inputParts(tokens: TokenCounts): InputParts {
  return {
    uncached: tokens.uncached_input ?? 0,
    cacheRead: tokens.cache_read ?? 0,
    write5m: tokens.cache_write_5m ?? 0,
    write1h: tokens.cache_write_1h ?? 0,
  };
}

/** The scenario with its input split anew (all input unchanged). */
export function withInputParts(scenario: Scenario, parts: InputParts): Scenario {
  const tokens: TokenCounts = {
    ...scenario.usage.tokens,
    uncached_input: parts.uncached,
    cache_read: parts.cacheRead,
    cache_write_5m: parts.write5m,
    cache_write_1h: parts.write1h,
    cache_write: parts.write5m + parts.write1h,
  };
  return { ...scenario, usage: { ...scenario.usage, tokens } };
}

/** The scenario with its output capped at `cap` tokens (reasoning, inside output, capped with it). */
export function withOutputCap(scenario: Scenario, cap: number): Scenario {
  const { tokens } = scenario.usage;
  const output = tokens.output ?? 0;
  if (output <= cap) return scenario;
  const capped: TokenCounts = { ...tokens, output: cap };
  if (tokens.reasoning !== undefined) capped.reasoning = Math.min(tokens.reasoning, cap);
  return { ...scenario, usage: { ...scenario.usage, tokens: capped } };
}
