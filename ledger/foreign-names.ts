// Attribute names of other conventions that tokenledger reads (never writes), as those projects define them:
// the GenAI conventions' legacy names and OpenInference's. Not in tokenledger's registry, which lists what it
// emits; test/conventions.test.ts allows literal names only here.
export const GEN_AI_SYSTEM = 'gen_ai.system';
export const LEGACY_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens';
export const LEGACY_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens';
export const OI_KIND = 'openinference.span.kind';
export const OI_MODEL = 'llm.model_name';
export const OI_PROVIDER = 'llm.provider';
export const OI_SYSTEM = 'llm.system';
export const OI_PROMPT = 'llm.token_count.prompt';
export const OI_COMPLETION = 'llm.token_count.completion';
export const OI_CACHE_READ = 'llm.token_count.prompt_details.cache_read';
export const OI_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write';
export const OI_REASONING = 'llm.token_count.completion_details.reasoning';
// Other spellings of the GenAI usage figures that instrumentations write: OpenLLMetry (`gen_ai.usage.reasoning_tokens`,
// `…cache_read_input_tokens`), OpenLIT (`…completion_tokens_details.reasoning`, `…prompt_tokens_details.cache_*`) and
// Mastra (`gen_ai.usage.reasoning_tokens`).
export const REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens';
export const COMPLETION_DETAILS_REASONING = 'gen_ai.usage.completion_tokens_details.reasoning';
export const CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read_input_tokens';
export const CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation_input_tokens';
export const PROMPT_DETAILS_CACHE_READ = 'gen_ai.usage.prompt_tokens_details.cache_read';
export const PROMPT_DETAILS_CACHE_WRITE = 'gen_ai.usage.prompt_tokens_details.cache_write';
