// Anthropic usage → our six token types. Pure functions; the table test beside this file checks each rule.
//
// `input_tokens` EXCLUDES the cache: all input = input_tokens + cache_read_input_tokens
// + cache_creation_input_tokens (the SDK's own tracing sums the same three).
// Cache writes split by TTL from `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`;
// without that object every write is a 5-minute write (the API's default TTL).
// `output_tokens` INCLUDES thinking (`output_tokens_details.thinking_tokens`, where the API sends it).
// Beta `usage.iterations` of type `compaction` are billed but NOT in the top-level usage: added here.
// Null cache counts mean no caching happened (the SDK's tracing reads them as 0 too).
// `server_tool_use.web_search_requests` are billed per request beside the tokens.
import { CountReader, finishUsage, isRecord, type NormalizedUsage } from '../common/usage.ts';

export function normalizeMessagesUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { unknownReason: 'usage_missing' };
  const read = new CountReader();
  const uncached = read.known(usage.input_tokens);
  const cacheRead = read.zeroIfAbsent(usage.cache_read_input_tokens);
  const cacheWrite = read.zeroIfAbsent(usage.cache_creation_input_tokens);
  const ttl = cacheWriteSplit(read, cacheWrite, usage.cache_creation);
  const details = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const compaction = compactionUsage(read, usage.iterations);
  const serverTools = isRecord(usage.server_tool_use) ? usage.server_tool_use : {};

  const plus = (a: number | undefined, b: number) => (a === undefined ? undefined : a + b);
  const inputTokens =
    uncached === undefined || cacheRead === undefined || cacheWrite === undefined
      ? undefined
      : uncached + cacheRead + cacheWrite;
  return finishUsage(read, {
    inputTokens: plus(inputTokens, compaction.input + compaction.cacheRead + compaction.cacheWrite),
    outputTokens: plus(read.known(usage.output_tokens), compaction.output),
    cacheReadTokens: plus(cacheRead, compaction.cacheRead),
    cacheWriteTokens: plus(cacheWrite, compaction.cacheWrite),
    cacheWrite5mTokens: plus(ttl.fiveMinutes, compaction.cacheWrite),
    cacheWrite1hTokens: ttl.oneHour,
    reasoningTokens: read.known(details.thinking_tokens),
    compactionInputTokens: compaction.found ? compaction.input + compaction.cacheRead + compaction.cacheWrite : undefined,
    compactionOutputTokens: compaction.found ? compaction.output : undefined,
    webSearchRequests: read.zeroIfAbsent(serverTools.web_search_requests) || undefined,
  });
}

function cacheWriteSplit(read: CountReader, total: number | undefined, cacheCreation: unknown) {
  if (total === undefined) return { fiveMinutes: undefined, oneHour: undefined };
  if (!isRecord(cacheCreation)) return { fiveMinutes: total, oneHour: 0 };
  const oneHour = read.zeroIfAbsent(cacheCreation.ephemeral_1h_input_tokens);
  const fiveMinutes = read.zeroIfAbsent(cacheCreation.ephemeral_5m_input_tokens);
  if (oneHour === undefined || fiveMinutes === undefined) return { fiveMinutes: undefined, oneHour: undefined };
  // The total is authoritative; a split that does not add up to it is stale, so it is not reported.
  if (oneHour + fiveMinutes !== total) {
    read.malformed = true;
    return { fiveMinutes: undefined, oneHour: undefined };
  }
  return { fiveMinutes, oneHour };
}

function compactionUsage(read: CountReader, iterations: unknown) {
  const sum = { found: false, input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
  if (!Array.isArray(iterations)) return sum;
  for (const iteration of iterations) {
    if (!isRecord(iteration) || iteration.type !== 'compaction') continue;
    sum.found = true;
    sum.input += read.zeroIfAbsent(iteration.input_tokens) ?? 0;
    sum.cacheRead += read.zeroIfAbsent(iteration.cache_read_input_tokens) ?? 0;
    sum.cacheWrite += read.zeroIfAbsent(iteration.cache_creation_input_tokens) ?? 0;
    sum.output += read.zeroIfAbsent(iteration.output_tokens) ?? 0;
  }
  return sum;
}

/**
 * Stream usage: `message_start` carries the full usage (with the TTL split), `message_delta` carries
 * CUMULATIVE counts. Never add them: a delta's non-null count replaces the start's (the SDK's own rule in
 * `MessageStream`). The TTL split exists only in `message_start`.
 */
export function mergeStreamUsage(start: unknown, delta: unknown): unknown {
  if (!isRecord(start)) return isRecord(delta) ? delta : undefined;
  if (!isRecord(delta)) return start;
  const merged: Record<string, unknown> = { ...start };
  for (const [key, value] of Object.entries(delta)) {
    if (value !== null && value !== undefined) merged[key] = value;
  }
  return merged;
}
