// Anthropic usage → the token-type table's figures. Pure functions; the table test beside this file checks each rule.
//
// `input_tokens` EXCLUDES the cache: all input = input_tokens + cache_read_input_tokens
// + cache_creation_input_tokens (the SDK's own tracing sums the same three).
// Cache writes split by TTL from `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`;
// without that object every write is a 5-minute write (the API's default TTL), the rule for an unsplit total.
// `output_tokens` INCLUDES thinking (`output_tokens_details.thinking_tokens`, where the API sends it).
// Beta `usage.iterations` of type `compaction` are billed but NOT in the top-level usage: added here.
// Null cache counts mean no caching happened (the SDK's tracing reads them as 0 too).
// `server_tool_use.web_search_requests` are billed per request beside the tokens.
import { CountReader, isRecord, type NormalizedUsage } from '../../ledger/usage.ts';

export function normalizeMessagesUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { tokens: {}, unknownReason: 'usage_missing' };
  const read = new CountReader();
  const uncached = read.known(usage.input_tokens);
  const cacheRead = read.zeroIfAbsent(usage.cache_read_input_tokens);
  const cacheWrite = read.zeroIfAbsent(usage.cache_creation_input_tokens);
  // The split is checked against the total by the one validity rule (ledger/usage-figures.ts).
  const split = isRecord(usage.cache_creation) ? usage.cache_creation : undefined;
  const details = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  const compaction = compactionUsage(read, usage.iterations);
  const serverTools = isRecord(usage.server_tool_use) ? usage.server_tool_use : {};

  const plus = (a: number | undefined, b: number) => (a === undefined ? undefined : a + b);
  const input = uncached === undefined || cacheRead === undefined || cacheWrite === undefined ? undefined : uncached + cacheRead + cacheWrite;
  const fiveMinutes = split ? read.zeroIfAbsent(split.ephemeral_5m_input_tokens) : undefined;
  const oneHour = split ? read.zeroIfAbsent(split.ephemeral_1h_input_tokens) : undefined;
  return read.finish({
    tokens: {
      input: plus(input, compaction.input + compaction.cacheRead + compaction.cacheWrite),
      output: plus(read.known(usage.output_tokens), compaction.output),
      cache_read: plus(cacheRead, compaction.cacheRead),
      cache_write: plus(cacheWrite, compaction.cacheWrite),
      // Compaction writes carry no TTL split: the API's default, 5 minutes.
      cache_write_5m: split ? plus(fiveMinutes, compaction.cacheWrite) : undefined,
      cache_write_1h: oneHour,
      reasoning: read.known(details.thinking_tokens),
    },
    compactionInputTokens: compaction.found ? compaction.input + compaction.cacheRead + compaction.cacheWrite : undefined,
    compactionOutputTokens: compaction.found ? compaction.output : undefined,
    webSearchRequests: read.zeroIfAbsent(serverTools.web_search_requests) || undefined,
  });
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
