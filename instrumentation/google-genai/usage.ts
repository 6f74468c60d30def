// Gemini `usageMetadata` → the token-type table's figures. Pure functions; the table test beside this file checks
// each rule.
//
// `promptTokenCount` INCLUDES `cachedContentTokenCount` (explicit or implicit cache reads).
// `toolUsePromptTokenCount` (results of server-side tools fed back to the model) is input too, outside the prompt count.
// `candidatesTokenCount` EXCLUDES `thoughtsTokenCount`: all output = candidates + thoughts.
// Gemini writes no per-call cache-write count (explicit caches are created by `caches.create`).
// The API omits zero-valued counts (proto3 JSON), so an absent count is 0 once usageMetadata is present.
import { CountReader, isRecord, type NormalizedUsage } from '../../ledger/usage.ts';

export function normalizeGenerateContentUsage(usageMetadata: unknown): NormalizedUsage {
  if (!isRecord(usageMetadata)) return { tokens: {}, unknownReason: 'usage_missing' };
  if (usageMetadata.promptTokenCount === undefined && usageMetadata.totalTokenCount === undefined) {
    return { tokens: {}, unknownReason: 'usage_missing' };
  }
  const read = new CountReader();
  const prompt = read.zeroIfAbsent(usageMetadata.promptTokenCount);
  const toolUsePrompt = read.zeroIfAbsent(usageMetadata.toolUsePromptTokenCount);
  const candidates = read.zeroIfAbsent(usageMetadata.candidatesTokenCount);
  const thoughts = read.zeroIfAbsent(usageMetadata.thoughtsTokenCount);
  const sum = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a + b);
  return read.finish({
    tokens: {
      input: sum(prompt, toolUsePrompt),
      output: sum(candidates, thoughts),
      cache_read: read.zeroIfAbsent(usageMetadata.cachedContentTokenCount),
      cache_write: 0,
      reasoning: thoughts,
    },
    serverToolInputTokens: toolUsePrompt,
  });
}
