// The one validity rule, second half: a call's reported usage (NormalizedUsage, already read count by count) →
// its figures by token type. Every source of usage goes through here: tokenledger's provider instrumentations,
// provider SDKs' own spans, other instrumentations' spans, and OTLP spans in collector mode.
//
//   cache_write_5m + cache_write_1h = cache_write      (no TTL split reported: every write is a standard-rate write)
//   cache_read + cache_write ≤ input
//   uncached_input = input − cache_read − cache_write
//   every subset ≤ the part or total it is in (reasoning ≤ output, tool_result ≤ input)
//
// A count that does not fit the count it is part of is unknown (left undefined), and so is every figure
// derived from it; the call is then marked `usage_malformed`, and a call so marked is never priced.
import type { TokenledgerUsageToolResultEstimation } from '../conventions/attributes.ts';
import { SUBSET_ROWS, type TokenCounts } from './token-types.ts';
import type { NormalizedUsage, UsageUnknownReason } from './usage.ts';

/** The tool results' share of a request's prompt text, measured before it is sent. */
export interface ToolResultShare {
  toolChars: number;
  totalChars: number;
}

export interface UsageFigures {
  tokens: TokenCounts;
  /** Server-side web searches billed per request. */
  webSearchRequests?: number;
  /** The call's cost as the provider reported it (USD), when it did; a malformed report is left out. */
  providerCostUsd?: number;
  compactionInputTokens?: number;
  compactionOutputTokens?: number;
  /** How the tool-result figure was obtained, when it was estimated here. */
  toolResultEstimation?: TokenledgerUsageToolResultEstimation;
  /** Why some or all figures are unknown. */
  unknownReason?: UsageUnknownReason;
}

export function usageFigures(usage: NormalizedUsage, share?: ToolResultShare): UsageFigures {
  const reported = usage.tokens;
  let fits = true;
  const input = known(reported.input);
  const output = known(reported.output);
  const tokens: TokenCounts = { input, output };

  const writes = cacheWriteSplit(reported.cache_write, reported.cache_write_5m, reported.cache_write_1h);
  if (!writes.fits) fits = false;
  let cacheRead = known(reported.cache_read);
  let cacheWrite = writes.total;
  let { fiveMinutes, oneHour } = writes;
  if (input !== undefined && cacheRead !== undefined && cacheWrite !== undefined) {
    if (cacheRead + cacheWrite <= input) {
      tokens.uncached_input = input - cacheRead - cacheWrite;
    } else {
      // Cache counts that do not fit inside all input: none of them, nor the remainder, can be trusted.
      fits = false;
      cacheRead = cacheWrite = fiveMinutes = oneHour = undefined;
    }
  }
  tokens.cache_read = cacheRead;
  tokens.cache_write = cacheWrite;
  tokens.cache_write_5m = fiveMinutes;
  tokens.cache_write_1h = oneHour;

  const figures: UsageFigures = { tokens };
  // Tool results are rarely reported: they are estimated from the request, or are the provider's own server-side count.
  let toolResult = reported.tool_result;
  if (toolResult === undefined && share !== undefined) {
    toolResult = apportionedToolResultTokens(usage, share);
    if (toolResult !== undefined) figures.toolResultEstimation = 'char_share';
  } else if (toolResult === undefined && usage.serverToolInputTokens) {
    // Server-side tool input the provider counts itself is exact, with or without a measured request.
    toolResult = usage.serverToolInputTokens;
  }
  // Every subset fits inside the part or total it belongs to, or it is unknown.
  for (const row of SUBSET_ROWS) {
    const value = known(row.id === 'tool_result' ? toolResult : reported[row.id]);
    const parent = tokens[row.of as keyof TokenCounts];
    if (value !== undefined && parent !== undefined && value > parent) fits = false;
    tokens[row.id] = value !== undefined && (parent === undefined || value <= parent) ? value : undefined;
  }
  if (tokens.tool_result === undefined) figures.toolResultEstimation = undefined;

  if (usage.webSearchRequests) figures.webSearchRequests = known(usage.webSearchRequests);
  if (usage.providerCostUsd !== undefined && !Number.isNaN(usage.providerCostUsd)) figures.providerCostUsd = usage.providerCostUsd;
  if (usage.compactionInputTokens !== undefined) figures.compactionInputTokens = known(usage.compactionInputTokens);
  if (usage.compactionOutputTokens !== undefined) figures.compactionOutputTokens = known(usage.compactionOutputTokens);
  figures.unknownReason = usage.unknownReason ?? (fits && input !== undefined && output !== undefined ? undefined : 'usage_malformed');
  return figures;
}

/** A figure as known: a count reported malformed (NaN) is unknown. */
function known(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** Figures for a call whose usage is unknown altogether. */
export function unknownUsage(reason: UsageUnknownReason): UsageFigures {
  return { tokens: {}, unknownReason: reason };
}

interface CacheWrites {
  total?: number;
  fiveMinutes?: number;
  oneHour?: number;
  fits: boolean;
}

/**
 * All cache writes and their TTL split. The total is authoritative: a split that does not add up to it is unknown.
 * A split the source did not report is worked out (no split: every write at the standard rate; one side: the
 * rest), but never one it reported malformed (NaN), nor a total from its parts.
 */
function cacheWriteSplit(total: number | undefined, fiveMinutes: number | undefined, oneHour: number | undefined): CacheWrites {
  if (total === undefined || Number.isNaN(total)) return { fits: true };
  if (fiveMinutes === undefined && oneHour === undefined) return { total, fiveMinutes: total, oneHour: 0, fits: true };
  const five = fiveMinutes ?? total - oneHour!;
  const hour = oneHour ?? total - fiveMinutes!;
  if (Number.isNaN(five) || Number.isNaN(hour)) return { total, fits: true }; // the malformed side is marked already
  if (five < 0 || hour < 0 || five + hour !== total) return { total, fits: false };
  return { total, fiveMinutes: five, oneHour: hour, fits: true };
}

/**
 * Tool-result input tokens: the provider-reported input apportioned by the tool results' share of the prompt
 * text, plus what the provider itself reports for server-side tools (Gemini). No offline tokenizer matches
 * Claude's or Gemini's counts, so a raw tokenizer count is never used as billed tokens.
 */
export function apportionedToolResultTokens(usage: NormalizedUsage, share: ToolResultShare): number | undefined {
  const input = known(usage.tokens.input);
  if (input === undefined) return undefined;
  const server = known(usage.serverToolInputTokens) ?? 0;
  if (share.totalChars === 0) return server;
  const promptTokens = input - server;
  return Math.round((promptTokens * share.toolChars) / share.totalChars) + server;
}
