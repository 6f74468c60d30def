// A call's usage as a source reports it, in our terms, before it is checked: what every provider normaliser
// (`instrumentation/<provider>/usage.ts`) and every reader of other instrumentations' spans returns. Reading a
// count is the first half of the one validity rule: a count that is absent is unknown (or 0, where the source
// omits zeros), and one that is negative, fractional or not a number is malformed. The second half, whether the
// counts fit together, is `usageFigures` in usage-figures.ts.
import type { TokenledgerUsageUnknownReason } from '../conventions/attributes.ts';
import type { TokenCounts } from './token-types.ts';

export type UsageUnknownReason = TokenledgerUsageUnknownReason;

/**
 * One call's usage as reported, keyed by the token-type table's ids: `input` is ALL input (cache included) and
 * `output` ALL output (reasoning included), as the GenAI conventions count them. A figure left undefined was not
 * reported; NaN was reported malformed; neither is zero. Figures the source does not state (the uncached
 * remainder, a TTL split) are worked out by `usageFigures`, which also checks that the reported ones fit together.
 */
export interface NormalizedUsage {
  tokens: TokenCounts;
  /** Server-side tool input the provider reports on its own (Gemini `toolUsePromptTokenCount`); part of input. */
  serverToolInputTokens?: number;
  compactionInputTokens?: number;
  compactionOutputTokens?: number;
  /** Server-side web searches billed per request (Anthropic `server_tool_use.web_search_requests`). */
  webSearchRequests?: number;
  /** The call's cost in USD as the provider reported it (OpenRouter's `usage.cost`); NaN when reported malformed. */
  providerCostUsd?: number;
  unknownReason?: UsageUnknownReason;
}

/**
 * A token count read from a payload or an attribute. Absent (undefined/null) → `absent`; a non-negative safe
 * integer → the number; anything else (a string, a negative or fractional number, NaN) → `malformed`.
 */
export type TokenCount = number | 'absent' | 'malformed';

export function readCount(value: unknown): TokenCount {
  if (value === undefined || value === null) return 'absent';
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return 'malformed';
  return value;
}

/**
 * Collects counts and remembers whether any was malformed, so a reader reads like its table. A malformed count
 * reads as NaN: unknown, and — unlike a count the source left out (undefined) — never worked out from the others,
 * and anything summed from it is NaN too.
 */
export class CountReader {
  malformed = false;

  /** A count that is unknown when absent: absent gives undefined, malformed NaN (and is marked). */
  known(value: unknown): number | undefined {
    const count = readCount(value);
    if (count === 'absent') return undefined;
    if (count === 'malformed') return this.mark();
    return count;
  }

  /** A count the source omits when it is zero: absent gives 0, malformed NaN (and is marked). */
  zeroIfAbsent(value: unknown): number {
    const count = readCount(value);
    if (count === 'absent') return 0;
    if (count === 'malformed') return this.mark();
    return count;
  }

  private mark(): number {
    this.malformed = true;
    return Number.NaN;
  }

  /** The usage read, marked malformed when any count was. */
  finish(usage: NormalizedUsage): NormalizedUsage {
    if (this.malformed) usage.unknownReason ??= 'usage_malformed';
    return usage;
  }
}

/** A cost a provider reports: a finite non-negative number; anything else present is malformed (NaN). */
export function readProviderCost(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : Number.NaN;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
