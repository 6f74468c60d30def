// Bedrock Runtime usage → the token-type table's figures. Pure functions; the table test beside this file checks
// each rule.
//
// Converse / ConverseStream (every model family alike): `inputTokens` EXCLUDES the cache, so all input =
// inputTokens + cacheReadInputTokens + cacheWriteInputTokens; `outputTokens` includes reasoning, which Bedrock does
// not break out (reasoning unknown). Cache writes split by TTL in `cacheDetails: [{ ttl: '5m' | '1h', inputTokens }]`;
// without it every write is a 5-minute write.
//
// InvokeModel bodies are each family's own:
// | family            | input                                           | output                          |
// |-------------------|-------------------------------------------------|---------------------------------|
// | Anthropic         | the Messages API usage (instrumentation/anthropic/usage.ts)                         |
// | Amazon Nova       | usage.inputTokens (+ cacheRead/WriteInputTokenCount, which it excludes) | usage.outputTokens |
// | Meta Llama        | prompt_token_count                              | generation_token_count          |
// | Mistral (chat)    | usage.prompt_tokens                             | usage.completion_tokens         |
// A body without usage (Mistral's text-completion models) leaves the usage unknown. Streams end with
// `amazon-bedrock-invocationMetrics` on the last chunk for every family: inputTokenCount (uncached) +
// cacheRead/WriteInputTokenCount, outputTokenCount.
import { CountReader, isRecord, type NormalizedUsage } from '../../ledger/usage.ts';
import { normalizeMessagesUsage } from '../anthropic/usage.ts';

const MISSING: NormalizedUsage = { tokens: {}, unknownReason: 'usage_missing' };

/** Converse's `usage` (also ConverseStream's `metadata.usage`). */
export function normalizeConverseUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { ...MISSING };
  const read = new CountReader();
  const uncached = read.known(usage.inputTokens);
  const cacheRead = read.zeroIfAbsent(usage.cacheReadInputTokens);
  const cacheWrite = read.zeroIfAbsent(usage.cacheWriteInputTokens);
  const split = cacheWriteSplit(read, usage.cacheDetails);
  return read.finish({
    tokens: {
      input: uncached === undefined ? undefined : uncached + cacheRead + cacheWrite,
      output: read.known(usage.outputTokens),
      cache_read: cacheRead,
      cache_write: cacheWrite,
      cache_write_5m: split?.fiveMinutes,
      cache_write_1h: split?.oneHour,
    },
  });
}

/** `cacheDetails` by TTL; undefined when Bedrock sent none (the one validity rule then puts every write at 5 min). */
function cacheWriteSplit(read: CountReader, details: unknown): { fiveMinutes: number; oneHour: number } | undefined {
  if (!Array.isArray(details) || details.length === 0) return undefined;
  const split = { fiveMinutes: 0, oneHour: 0 };
  for (const detail of details) {
    if (!isRecord(detail)) continue;
    const tokens = read.known(detail.inputTokens) ?? Number.NaN;
    if (detail.ttl === '1h') split.oneHour += tokens;
    else split.fiveMinutes += tokens;
  }
  return split;
}

/** The family of a Bedrock model id (`anthropic.…`, `us.anthropic.…`, an inference-profile ARN ending in one). */
export type ModelFamily = 'anthropic' | 'nova' | 'meta' | 'mistral' | 'other';

export function modelFamily(modelId: unknown): ModelFamily {
  if (typeof modelId !== 'string') return 'other';
  const id = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  if (/(^|\.)anthropic\./.test(id)) return 'anthropic';
  if (/(^|\.)amazon\.nova/.test(id)) return 'nova';
  if (/(^|\.)meta\./.test(id)) return 'meta';
  if (/(^|\.)mistral\./.test(id)) return 'mistral';
  return 'other';
}

/** A non-streamed InvokeModel response body (parsed JSON), by the model's family. */
export function normalizeInvokeUsage(family: ModelFamily, body: unknown): NormalizedUsage {
  if (!isRecord(body)) return { ...MISSING };
  if (family === 'anthropic') return normalizeMessagesUsage(body.usage);
  if (family === 'meta') return countsUsage(body.prompt_token_count, body.generation_token_count);
  if (isRecord(body.usage) && body.usage.inputTokens !== undefined) return novaUsage(body.usage);
  if (isRecord(body.usage) && body.usage.prompt_tokens !== undefined) return countsUsage(body.usage.prompt_tokens, body.usage.completion_tokens);
  return { ...MISSING };
}

/** Nova's usage object: `inputTokens` without the cache, `cacheRead/WriteInputTokenCount` beside it. */
function novaUsage(usage: Record<string, unknown>): NormalizedUsage {
  return cacheBesideInput(usage.inputTokens, usage.cacheReadInputTokenCount, usage.cacheWriteInputTokenCount, usage.outputTokens);
}

/** Counts that give the input without the cache, and the cache reads and writes beside it (absent: none). */
function cacheBesideInput(uncachedCount: unknown, cacheReadCount: unknown, cacheWriteCount: unknown, outputCount: unknown): NormalizedUsage {
  const read = new CountReader();
  const uncached = read.known(uncachedCount);
  const cacheRead = read.zeroIfAbsent(cacheReadCount);
  const cacheWrite = read.zeroIfAbsent(cacheWriteCount);
  return read.finish({
    tokens: {
      input: uncached === undefined ? undefined : uncached + cacheRead + cacheWrite,
      output: read.known(outputCount),
      cache_read: cacheRead,
      cache_write: cacheWrite,
    },
  });
}

/** Families that cache nothing: all input and all output. */
function countsUsage(input: unknown, output: unknown): NormalizedUsage {
  const read = new CountReader();
  return read.finish({ tokens: { input: read.known(input), output: read.known(output), cache_read: 0, cache_write: 0 } });
}

/** The `amazon-bedrock-invocationMetrics` a response stream's last chunk carries, for every family. */
export function normalizeInvocationMetrics(metrics: unknown): NormalizedUsage {
  if (!isRecord(metrics)) return { ...MISSING };
  return cacheBesideInput(metrics.inputTokenCount, metrics.cacheReadInputTokenCount, metrics.cacheWriteInputTokenCount, metrics.outputTokenCount);
}
