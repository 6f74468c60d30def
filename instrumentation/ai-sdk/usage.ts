// Vercel AI SDK usage → the token-type table's figures. Pure functions; the table test beside this file checks each
// rule.
//
// The AI SDK reports every provider call's usage twice over: its own normalised object and, in `usage.raw`, the
// provider's usage exactly as the API sent it (AI SDK 6 and 7, every first-party provider). The raw object is read
// with tokenledger's own normaliser for that provider, so a call made through the AI SDK is as exact as one made
// through the vendor SDK: Anthropic's cache-write TTL split, OpenAI's reasoning, Gemini's thoughts and tool-use
// prompt. Only when there is no raw usage (a provider that does not pass it on) is the AI SDK's object read:
//   inputTokens (ALL input)    inputTokenDetails.cacheReadTokens / cacheWriteTokens (absent → 0: not reported)
//   outputTokens (ALL output)  outputTokenDetails.reasoningTokens (absent → unknown)
// AI SDK 6 and 7 hand the same object to integrations (`LanguageModelUsage`); the provider's own result
// (`LanguageModelV3/V4Usage`: `inputTokens.total`, `.cacheRead`, … ) is read with the same rules.
import { normalizeMessagesUsage } from '../anthropic/usage.ts';
import { normalizeGenerateContentUsage } from '../google-genai/usage.ts';
import { normalizeChatUsage, normalizeResponsesUsage } from '../openai/usage.ts';
import { CountReader, isRecord, type NormalizedUsage } from '../../ledger/usage.ts';

/** The call's usage as the AI SDK reports it, read through the provider's own rules where the raw usage is there. */
export function normalizeAiSdkUsage(provider: unknown, usage: unknown): NormalizedUsage {
  if (!isRecord(usage)) return { tokens: {}, unknownReason: 'usage_missing' };
  const fromRaw = rawUsage(typeof provider === 'string' ? provider : '', usage.raw);
  return fromRaw ?? aiSdkFields(usage);
}

/** The provider's raw usage read by tokenledger's normaliser for its API, when the shape is the one that API sends. */
function rawUsage(provider: string, raw: unknown): NormalizedUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const family = provider.split('.')[0];
  if ((family === 'openai' || family === 'azure') && raw.prompt_tokens !== undefined) return normalizeChatUsage(raw);
  if ((family === 'openai' || family === 'azure') && raw.input_tokens !== undefined) return normalizeResponsesUsage(raw);
  if (family === 'anthropic' && raw.input_tokens !== undefined) return normalizeMessagesUsage(raw);
  if ((family === 'google' || family === 'vertex') && raw.promptTokenCount !== undefined) return normalizeGenerateContentUsage(raw);
  return undefined;
}

/** The AI SDK's own normalised figures: `LanguageModelUsage` (integrations) or a provider result's `{ total, … }` pairs. */
function aiSdkFields(usage: Record<string, unknown>): NormalizedUsage {
  const read = new CountReader();
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  if (isRecord(input) || isRecord(output)) {
    const inputs = isRecord(input) ? input : {};
    const outputs = isRecord(output) ? output : {};
    return read.finish({
      tokens: {
        input: read.known(inputs.total),
        output: read.known(outputs.total),
        cache_read: read.zeroIfAbsent(inputs.cacheRead),
        cache_write: read.zeroIfAbsent(inputs.cacheWrite),
        reasoning: read.known(outputs.reasoning),
      },
    });
  }
  const inputDetails = isRecord(usage.inputTokenDetails) ? usage.inputTokenDetails : {};
  const outputDetails = isRecord(usage.outputTokenDetails) ? usage.outputTokenDetails : {};
  if (input === undefined && output === undefined) return { tokens: {}, unknownReason: 'usage_missing' };
  return read.finish({
    tokens: {
      input: read.known(input),
      output: read.known(output),
      cache_read: read.zeroIfAbsent(inputDetails.cacheReadTokens),
      cache_write: read.zeroIfAbsent(inputDetails.cacheWriteTokens),
      reasoning: read.known(outputDetails.reasoningTokens),
    },
  });
}

/** An embedding call's usage, `{ tokens }` (all input; the AI SDK puts NaN there when the provider sent none). */
export function aiSdkEmbeddingUsage(usage: unknown): NormalizedUsage {
  if (!isRecord(usage) || usage.tokens === undefined || Number.isNaN(usage.tokens)) return { tokens: {}, unknownReason: 'usage_missing' };
  const read = new CountReader();
  return read.finish({ tokens: { input: read.known(usage.tokens), output: 0, cache_read: 0, cache_write: 0 } });
}

/**
 * The service tier that served the call, which prices it: the provider metadata's `serviceTier` (OpenAI responses),
 * the raw response body's `service_tier` (OpenAI chat), or the raw usage's (Anthropic). Streamed calls reach the
 * integration without provider metadata, so only the raw usage can tell there.
 */
export function aiSdkServiceTier(providerMetadata: unknown, responseBody: unknown, usage: unknown): string | undefined {
  if (isRecord(providerMetadata)) {
    for (const key in providerMetadata) {
      const metadata = providerMetadata[key];
      if (isRecord(metadata) && typeof metadata.serviceTier === 'string') return metadata.serviceTier;
    }
  }
  if (isRecord(responseBody) && typeof responseBody.service_tier === 'string') return responseBody.service_tier;
  const raw = isRecord(usage) && isRecord(usage.raw) ? usage.raw : undefined;
  return typeof raw?.service_tier === 'string' ? raw.service_tier : undefined;
}
