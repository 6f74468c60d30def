// OpenAI usage → the token-type table's figures. Pure functions; the table test beside this file checks each rule.
//
// Chat Completions: `prompt_tokens` INCLUDES `prompt_tokens_details.cached_tokens` (and cache writes);
// `completion_tokens` INCLUDES `completion_tokens_details.reasoning_tokens`.
// Responses: the same rules under `input_tokens` / `input_tokens_details` / `output_tokens_details`.
// OpenAI omits a details object when nothing was cached, so an absent detail counts as 0.
// Cache-write TTLs (30 min / 12 h) do not change OpenAI's price, so no TTL split is reported: every write is a
// standard-rate write.
// OpenAI-compatible hosts that bill the call themselves say what it cost: OpenRouter's `usage.cost` (USD).
import { CountReader, isRecord, readProviderCost, type NormalizedUsage } from '../../ledger/usage.ts';

export function normalizeChatUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { tokens: {}, unknownReason: 'usage_missing' };
  const read = new CountReader();
  const promptDetails = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completionDetails = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return read.finish({
    tokens: {
      input: read.known(usage.prompt_tokens),
      output: read.known(usage.completion_tokens),
      cache_read: read.zeroIfAbsent(promptDetails.cached_tokens),
      cache_write: read.zeroIfAbsent(promptDetails.cache_write_tokens),
      reasoning: read.known(completionDetails.reasoning_tokens),
    },
    providerCostUsd: readProviderCost(usage.cost),
  });
}

export function normalizeResponsesUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { tokens: {}, unknownReason: 'usage_missing' };
  const read = new CountReader();
  const inputDetails = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return read.finish({
    tokens: {
      input: read.known(usage.input_tokens),
      output: read.known(usage.output_tokens),
      cache_read: read.zeroIfAbsent(inputDetails.cached_tokens),
      cache_write: read.zeroIfAbsent(inputDetails.cache_write_tokens),
      reasoning: read.known(outputDetails.reasoning_tokens),
    },
    providerCostUsd: readProviderCost(usage.cost),
  });
}

/** Embeddings bill input only: `{ prompt_tokens, total_tokens }`. */
export function normalizeEmbeddingsUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { tokens: {}, unknownReason: 'usage_missing' };
  const read = new CountReader();
  return read.finish({
    tokens: { input: read.known(usage.prompt_tokens), output: 0, cache_read: 0, cache_write: 0 },
  });
}
