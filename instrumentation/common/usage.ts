// The six token types every provider's usage is normalised into, and their span attributes.
// Each provider's normaliser is a pure function in `instrumentation/<provider>/usage.ts`.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS,
} from '../../conventions/attributes.ts';

export type UsageUnknownReason =
  | 'usage_missing'
  | 'usage_malformed'
  | 'stream_usage_not_requested'
  | 'stream_incomplete'
  | 'raw_response';

/**
 * One call's usage in our terms. `inputTokens` is ALL input (cache included) and `outputTokens` ALL output
 * (reasoning included). A field left undefined is unknown, never zero.
 */
export interface NormalizedUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  /** All cache writes, whatever the TTL. */
  cacheWriteTokens?: number;
  /** The TTL split, only for providers whose price depends on it (Anthropic). Adds up to cacheWriteTokens. */
  cacheWrite5mTokens?: number;
  cacheWrite1hTokens?: number;
  reasoningTokens?: number;
  /** Server-side tool input the provider reports on its own (Gemini `toolUsePromptTokenCount`); part of input. */
  serverToolInputTokens?: number;
  compactionInputTokens?: number;
  compactionOutputTokens?: number;
  /** Server-side web searches billed per request (Anthropic `server_tool_use.web_search_requests`). */
  webSearchRequests?: number;
  unknownReason?: UsageUnknownReason;
}

/**
 * Reads a token count from a provider payload. Absent (undefined/null) → `absent`;
 * a non-negative safe integer → the number; anything else → `malformed`.
 */
export type TokenCount = number | 'absent' | 'malformed';

export function readCount(value: unknown): TokenCount {
  if (value === undefined || value === null) return 'absent';
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return 'malformed';
  return value;
}

/** Collects counts and remembers whether any was malformed, so a normaliser reads like its table. */
export class CountReader {
  malformed = false;

  /** A count that is unknown when absent: absent or malformed gives undefined (malformed is marked). */
  known(value: unknown): number | undefined {
    const count = readCount(value);
    if (count === 'malformed') this.malformed = true;
    return typeof count === 'number' ? count : undefined;
  }

  /** A count the provider omits when it is zero: absent gives 0. */
  zeroIfAbsent(value: unknown): number | undefined {
    const count = readCount(value);
    if (count === 'absent') return 0;
    if (count === 'malformed') {
      this.malformed = true;
      return undefined;
    }
    return count;
  }
}

/**
 * Marks usage whose parts do not fit their whole (cache > input, reasoning > output) or that had a
 * malformed count; a reasoning figure larger than the output is dropped rather than reported.
 */
export function finishUsage(read: CountReader, usage: NormalizedUsage): NormalizedUsage {
  const cacheParts = (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
  const cacheTooBig = usage.inputTokens !== undefined && cacheParts > usage.inputTokens;
  const reasoningTooBig =
    usage.reasoningTokens !== undefined && usage.outputTokens !== undefined && usage.reasoningTokens > usage.outputTokens;
  if (reasoningTooBig) usage.reasoningTokens = undefined;
  if (read.malformed || cacheTooBig || reasoningTooBig) usage.unknownReason ??= 'usage_malformed';
  return usage;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Uncached input = input − cache read − cache write; unknown when any part is unknown or they do not fit. */
export function uncachedInputTokens(usage: NormalizedUsage): number | undefined {
  const { inputTokens, cacheReadTokens, cacheWriteTokens } = usage;
  if (inputTokens === undefined || cacheReadTokens === undefined || cacheWriteTokens === undefined) return undefined;
  const uncached = inputTokens - cacheReadTokens - cacheWriteTokens;
  return uncached >= 0 ? uncached : undefined;
}

export interface UsageAttributeOptions {
  /** Also write the legacy `gen_ai.usage.cache_creation.input_tokens`. */
  legacyAttributes?: boolean;
}

/**
 * The span attributes for a normalised usage; unknown figures are left off and the reason is written.
 * Written into `attributes` when given (the call's pending attributes), so the end of a call builds one object.
 */
export function usageAttributes(usage: NormalizedUsage, options: UsageAttributeOptions = {}, attributes: Attributes = {}): Attributes {
  setCount(attributes, ATTR_GEN_AI_USAGE_INPUT_TOKENS, usage.inputTokens);
  setCount(attributes, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, usage.outputTokens);
  setCount(attributes, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadTokens);
  setCount(attributes, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, usage.cacheWriteTokens);
  if (options.legacyAttributes) setCount(attributes, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheWriteTokens);
  setCount(attributes, ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens);
  setCount(attributes, ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS, usage.cacheWrite5mTokens);
  setCount(attributes, ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS, usage.cacheWrite1hTokens);
  setCount(attributes, ATTR_TOKENLEDGER_USAGE_COMPACTION_INPUT_TOKENS, usage.compactionInputTokens);
  setCount(attributes, ATTR_TOKENLEDGER_USAGE_COMPACTION_OUTPUT_TOKENS, usage.compactionOutputTokens);
  if (usage.webSearchRequests) setCount(attributes, ATTR_TOKENLEDGER_USAGE_WEB_SEARCH_REQUESTS, usage.webSearchRequests);
  const uncached = uncachedInputTokens(usage);
  setCount(attributes, ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS, uncached);
  let reason = usage.unknownReason;
  if (reason === undefined && usage.inputTokens !== undefined && uncached === undefined) reason = 'usage_malformed';
  if (reason === undefined && (usage.inputTokens === undefined || usage.outputTokens === undefined)) {
    reason = 'usage_malformed';
  }
  if (reason !== undefined) attributes[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON] = reason;
  return attributes;
}

function setCount(attributes: Attributes, key: string, value: number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}
