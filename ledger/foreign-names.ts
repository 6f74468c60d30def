// Attribute names of other conventions that tokenledger reads: the GenAI conventions' legacy names and
// OpenInference's. The OpenInference names tokenledger can also write (TOKENLEDGER_BACKEND_CONVENTIONS) are in the
// registry and come from its generated constants; the rest are read only and listed here, the one place
// test/conventions.test.ts allows literal names.
export {
  ATTR_LLM_MODEL_NAME as OI_MODEL,
  ATTR_LLM_PROVIDER as OI_PROVIDER,
  ATTR_LLM_TOKEN_COUNT_COMPLETION as OI_COMPLETION,
  ATTR_LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING as OI_REASONING,
  ATTR_LLM_TOKEN_COUNT_PROMPT as OI_PROMPT,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ as OI_CACHE_READ,
  ATTR_LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE as OI_CACHE_WRITE,
  ATTR_OPENINFERENCE_SPAN_KIND as OI_KIND,
} from '../conventions/attributes.ts';
export const GEN_AI_SYSTEM = 'gen_ai.system';
export const LEGACY_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const LEGACY_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens';
export const OI_SYSTEM = 'llm.system';
// Other spellings of the GenAI usage figures that instrumentations write: OpenLLMetry (`gen_ai.usage.reasoning_tokens`,
// `…cache_read_input_tokens`), OpenLIT (`…completion_tokens_details.reasoning`, `…prompt_tokens_details.cache_*`) and
// Mastra (`gen_ai.usage.reasoning_tokens`).
export const REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens';
export const COMPLETION_DETAILS_REASONING = 'gen_ai.usage.completion_tokens_details.reasoning';
export const CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read_input_tokens';
export const CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation_input_tokens';
export const PROMPT_DETAILS_CACHE_READ = 'gen_ai.usage.prompt_tokens_details.cache_read';
export const PROMPT_DETAILS_CACHE_WRITE = 'gen_ai.usage.prompt_tokens_details.cache_write';
// Mastra's OpenTelemetry exporter and bridge (@mastra/otel-exporter 1.4, formatUsageMetrics): Anthropic's cache-write
// TTL split beside `gen_ai.usage.cache_creation.input_tokens`.
export const CACHE_CREATION_5M_INPUT_TOKENS = 'gen_ai.usage.cache_creation.5m_input_tokens';
export const CACHE_CREATION_1H_INPUT_TOKENS = 'gen_ai.usage.cache_creation.1h_input_tokens';
// The Vercel AI SDK's own spans (AI SDK 6 `experimental_telemetry`, AI SDK 7's legacy integration): `ai.*` names.
export const AI_OPERATION_ID = 'ai.operationId';
export const AI_FUNCTION_ID = 'ai.telemetry.functionId';
export const AI_MODEL_PROVIDER = 'ai.model.provider';
export const AI_MODEL_ID = 'ai.model.id';
export const AI_RESPONSE_ID = 'ai.response.id';
export const AI_RESPONSE_PROVIDER_METADATA = 'ai.response.providerMetadata';
export const AI_INPUT_TOKENS = 'ai.usage.inputTokens';
export const AI_OUTPUT_TOKENS = 'ai.usage.outputTokens';
export const AI_CACHE_READ_TOKENS = 'ai.usage.inputTokenDetails.cacheReadTokens';
export const AI_CACHE_WRITE_TOKENS = 'ai.usage.inputTokenDetails.cacheWriteTokens';
export const AI_REASONING_TOKENS = 'ai.usage.outputTokenDetails.reasoningTokens';
/** Earlier spellings the AI SDK still writes beside the detailed ones (AI SDK 5 wrote only these). */
export const AI_CACHED_INPUT_TOKENS = 'ai.usage.cachedInputTokens';
export const AI_REASONING_TOKENS_FLAT = 'ai.usage.reasoningTokens';
/** AI SDK 4: prompt and completion tokens. */
export const AI_PROMPT_TOKENS = 'ai.usage.promptTokens';
export const AI_COMPLETION_TOKENS = 'ai.usage.completionTokens';
/** An embedding call's input (`ai.embed.doEmbed`, `ai.embedMany.doEmbed`). */
export const AI_EMBEDDING_TOKENS = 'ai.usage.tokens';
