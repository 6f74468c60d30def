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
 * `output` ALL output (reasoning included), as the GenAI conventions count them. A figure left undefined is
 * unknown, never zero. Figures the source does not state (the uncached remainder, a TTL split) are worked out by
 * `usageFigures`, which also checks that the reported ones fit together.
 */
export interface NormalizedUsage {
  tokens: TokenCounts;
  /** Server-side tool input the provider reports on its own (Gemini `toolUsePromptTokenCount`); part of input. */
  serverToolInputTokens?: number;
  compactionInputTokens?: number;
  compactionOutputTokens?: number;
  /** Server-side web searches billed per request (Anthropic `server_tool_use.web_search_requests`). */
  webSearchRequests?: number;
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

/** Collects counts and remembers whether any was malformed, so a reader reads like its table. */
export class CountReader {
  malformed = false;

  /** A count that is unknown when absent: absent or malformed gives undefined (malformed is marked). */
  known(value: unknown): number | undefined {
    const count = readCount(value);
    if (count === 'malformed') this.malformed = true;
    return typeof count === 'number' ? count : undefined;
  }

  /** A count the source omits when it is zero: absent gives 0. */
  zeroIfAbsent(value: unknown): number | undefined {
    const count = readCount(value);
    if (count === 'absent') return 0;
    if (count === 'malformed') {
      this.malformed = true;
      return undefined;
    }
    return count;
  }

  /** The usage read, marked malformed when any count was. */
  finish(usage: NormalizedUsage): NormalizedUsage {
    if (this.malformed) usage.unknownReason ??= 'usage_malformed';
    return usage;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
