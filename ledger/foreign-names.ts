// Attribute names of other conventions that tokenledger reads (never writes), as those projects define them:
// the GenAI conventions' legacy names and OpenInference's. Not in tokenledger's registry, which lists what it
// emits; test/conventions.test.ts allows literal names only here.
export const GEN_AI_SYSTEM = 'gen_ai.system';
export const LEGACY_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const LEGACY_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens';
/** Reasoning under an older spelling (Mastra's OpenTelemetry bridge, OpenLLMetry). */
export const LEGACY_REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens';
export const OI_KIND = 'openinference.span.kind';
export const OI_MODEL = 'llm.model_name';
export const OI_PROVIDER = 'llm.provider';
export const OI_SYSTEM = 'llm.system';
export const OI_PROMPT = 'llm.token_count.prompt';
export const OI_COMPLETION = 'llm.token_count.completion';
export const OI_CACHE_READ = 'llm.token_count.prompt_details.cache_read';
export const OI_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write';
export const OI_REASONING = 'llm.token_count.completion_details.reasoning';
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
