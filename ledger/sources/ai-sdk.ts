// Spans the Vercel AI SDK makes of itself: AI SDK 6 with `experimental_telemetry: { isEnabled: true }` and AI SDK
// 7's legacy OpenTelemetry integration. Every span says what it is in `ai.operationId`:
//
// | ai.operationId                                   | what it is                       | tokenledger reads it as        |
// |--------------------------------------------------|----------------------------------|--------------------------------|
// | ai.generateText.doGenerate, ai.streamText.doStream, ai.generateObject.doGenerate, ai.streamObject.doStream | one provider call | an LLM call, usage from ai.usage.* |
// | ai.embed.doEmbed, ai.embedMany.doEmbed            | one embedding call               | an `embeddings` call, input from ai.usage.tokens |
// | ai.generateText, ai.streamText                   | the whole multi-step operation   | a run (runs/run-spans.ts); its ai.usage.* totals are never a call |
// | ai.toolCall                                      | one tool execution               | a tool (runs/run-spans.ts)     |
//
// A call's usage: ai.usage.inputTokens (ALL input), ai.usage.inputTokenDetails.cacheReadTokens / cacheWriteTokens
// (absent: 0), ai.usage.outputTokens (ALL output), ai.usage.outputTokenDetails.reasoningTokens; the older flat
// spellings where the detailed ones are missing. The AI SDK's span has no TTL split of its own: Anthropic's
// provider metadata (`ai.response.providerMetadata`, JSON) carries the raw usage with `cache_creation`, read when
// present, and the served tier (Anthropic `usage.service_tier`, OpenAI `serviceTier`).
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
} from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { stringAttribute } from '../attribute-values.ts';
import {
  AI_CACHE_READ_TOKENS,
  AI_CACHE_WRITE_TOKENS,
  AI_CACHED_INPUT_TOKENS,
  AI_COMPLETION_TOKENS,
  AI_EMBEDDING_TOKENS,
  AI_FUNCTION_ID,
  AI_INPUT_TOKENS,
  AI_MODEL_ID,
  AI_MODEL_PROVIDER,
  AI_OPERATION_ID,
  AI_OUTPUT_TOKENS,
  AI_PROMPT_TOKENS,
  AI_REASONING_TOKENS,
  AI_REASONING_TOKENS_FLAT,
  AI_RESPONSE_PROVIDER_METADATA,
} from '../foreign-names.ts';
import type { SourceConvention, SpanKind, SpanUsage } from './source.ts';
import { CountReader, isRecord } from '../usage.ts';

const CALL_SUFFIXES = ['.doGenerate', '.doStream'];
const TOOL_CALL = 'ai.toolCall';
const EMBED_SUFFIX = '.doEmbed';
const RUN_OPERATIONS = new Set(['ai.generateText', 'ai.streamText']);
/** Provider metadata longer than this is not parsed (it is a few hundred characters). */
const MAX_METADATA_CHARS = 65_536;

export const aiSdkSource: SourceConvention = {
  id: 'ai_sdk',
  owns: (attributes) => aiSdkOperation(attributes) !== undefined,
  exclusive: true,
  kind: (attributes) => aiSdkKind(aiSdkOperation(attributes) ?? ''),
  runName: (attributes) => stringAttribute(attributes[AI_FUNCTION_ID]) ?? aiSdkOperation(attributes),
  usage: (attributes) => aiSdkSpanUsage(attributes, aiSdkOperation(attributes) ?? ''),
};

/** Only these AI SDK spans are calls, runs and tools: its aggregates (and its run's own ai.usage.* totals) are none. */
function aiSdkKind(operation: string): SpanKind {
  if (isAiSdkCall(operation)) return 'call';
  if (RUN_OPERATIONS.has(operation)) return 'agent';
  return operation === TOOL_CALL ? 'tool' : 'other';
}

/** The AI SDK's provider id (`openai.chat`, `anthropic.messages`, `google.vertex.chat`) → `gen_ai.provider.name`. */
export function aiSdkProviderName(provider: unknown): string {
  if (typeof provider !== 'string' || provider === '') return 'unknown';
  if (provider.startsWith('google.vertex') || provider.startsWith('vertex')) return 'gcp.vertex_ai';
  const family = provider.split('.')[0]!;
  if (family === 'google') return 'gcp.gemini';
  if (family === 'azure') return 'azure.ai.openai';
  if (family === 'amazon-bedrock' || family === 'bedrock') return 'aws.bedrock';
  return family;
}

export function aiSdkOperation(attributes: Attributes): string | undefined {
  return stringAttribute(attributes[AI_OPERATION_ID]);
}

/** An AI SDK span of one provider call. */
function isAiSdkCall(operation: string): boolean {
  if (!operation.startsWith('ai.')) return false;
  if (operation.endsWith(EMBED_SUFFIX)) return true;
  return CALL_SUFFIXES.some((suffix) => operation.endsWith(suffix)) && !operation.includes('Embed');
}

/** The usage of an AI SDK call span; undefined for its other spans (aggregates, tools), which are no calls. */
export function aiSdkSpanUsage(attributes: Attributes, operation: string): SpanUsage | undefined {
  if (!isAiSdkCall(operation)) return undefined;
  if (operation.endsWith(EMBED_SUFFIX)) return embeddingSpanUsage(attributes);
  const read = new CountReader();
  const input = attributes[AI_INPUT_TOKENS] ?? attributes[AI_PROMPT_TOKENS];
  const output = attributes[AI_OUTPUT_TOKENS] ?? attributes[AI_COMPLETION_TOKENS];
  const providerId = stringAttribute(attributes[AI_MODEL_PROVIDER]);
  const metadata = providerMetadata(attributes[AI_RESPONSE_PROVIDER_METADATA]);
  const anthropicUsage = isRecord(metadata?.anthropic) && isRecord(metadata.anthropic.usage) ? metadata.anthropic.usage : undefined;
  const split = isRecord(anthropicUsage?.cache_creation) ? anthropicUsage.cache_creation : undefined;
  // AI SDK 6's generateObject span has only the old total spellings, never the details: its cache and reasoning
  // figures are unknown there (Anthropic's raw usage in the provider metadata still tells the cache), never 0.
  const totalsOnly = attributes[AI_INPUT_TOKENS] === undefined && attributes[AI_PROMPT_TOKENS] !== undefined;
  const detail = (value: unknown) => (totalsOnly ? read.known(value) : read.zeroIfAbsent(value));
  const usage = read.finish({
    tokens: {
      input: read.known(input),
      output: read.known(output),
      cache_read: detail(
        attributes[AI_CACHE_READ_TOKENS] ?? attributes[AI_CACHED_INPUT_TOKENS] ?? anthropicUsage?.cache_read_input_tokens ?? (anthropicUsage ? 0 : undefined),
      ),
      cache_write: detail(attributes[AI_CACHE_WRITE_TOKENS] ?? anthropicUsage?.cache_creation_input_tokens ?? (anthropicUsage ? 0 : undefined)),
      cache_write_5m: split ? read.zeroIfAbsent(split.ephemeral_5m_input_tokens) : undefined,
      cache_write_1h: split ? read.zeroIfAbsent(split.ephemeral_1h_input_tokens) : undefined,
      reasoning: read.known(attributes[AI_REASONING_TOKENS] ?? attributes[AI_REASONING_TOKENS_FLAT]),
    },
  });
  if (input === undefined && output === undefined) usage.unknownReason = 'usage_missing';
  const describing: Attributes = { [ATTR_GEN_AI_PROVIDER_NAME]: aiSdkProviderName(providerId) };
  if (attributes[ATTR_GEN_AI_OPERATION_NAME] === undefined) describing[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  const model = stringAttribute(attributes[AI_MODEL_ID]);
  if (attributes[ATTR_GEN_AI_REQUEST_MODEL] === undefined && model) describing[ATTR_GEN_AI_REQUEST_MODEL] = model;
  const tier = pricingTier(servedTier(metadata, anthropicUsage));
  if (tier) describing[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = tier;
  if (tier === 'batch') describing[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
  return { usage, convention: 'ai_sdk', describing };
}

/** An AI SDK embedding call: `ai.usage.tokens` is all its input (absent when the provider sent none). */
function embeddingSpanUsage(attributes: Attributes): SpanUsage {
  const read = new CountReader();
  const tokens = attributes[AI_EMBEDDING_TOKENS];
  const usage =
    tokens === undefined
      ? { tokens: {}, unknownReason: 'usage_missing' as const }
      : read.finish({ tokens: { input: read.known(tokens), output: 0, cache_read: 0, cache_write: 0 } });
  const describing: Attributes = { [ATTR_GEN_AI_PROVIDER_NAME]: aiSdkProviderName(stringAttribute(attributes[AI_MODEL_PROVIDER])) };
  if (attributes[ATTR_GEN_AI_OPERATION_NAME] === undefined) describing[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS;
  const model = stringAttribute(attributes[AI_MODEL_ID]);
  if (attributes[ATTR_GEN_AI_REQUEST_MODEL] === undefined && model) describing[ATTR_GEN_AI_REQUEST_MODEL] = model;
  return { usage, convention: 'ai_sdk', describing };
}

function providerMetadata(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || value.length > MAX_METADATA_CHARS) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function servedTier(metadata: Record<string, unknown> | undefined, anthropicUsage: Record<string, unknown> | undefined): unknown {
  if (anthropicUsage?.service_tier !== undefined) return anthropicUsage.service_tier;
  for (const key in metadata ?? {}) {
    const entry = metadata![key];
    if (isRecord(entry) && typeof entry.serviceTier === 'string') return entry.serviceTier;
  }
  return undefined;
}
