// LLM spans that other instrumentations make, read in their own conventions and normalised to tokenledger's
// token types, so they are priced and rolled up like tokenledger's own. Pure: attributes in, attributes to add out.
//
// | source                         | input (all)                                   | cache read / write                                  | output / reasoning |
// |--------------------------------|-----------------------------------------------|-----------------------------------------------------|--------------------|
// | GenAI conventions (current)    | gen_ai.usage.input_tokens                      | gen_ai.usage.cache_read / cache_write.input_tokens  | gen_ai.usage.output_tokens / reasoning.output_tokens |
// | GenAI legacy names             | gen_ai.usage.prompt_tokens                     | …cache_creation.input_tokens for writes             | gen_ai.usage.completion_tokens |
// | Anthropic SDK (own spans)      | gen_ai.usage.input_tokens (already all input)  | + anthropic.usage.cache_creation.ephemeral_5m/1h    | as GenAI |
// | OpenInference                  | llm.token_count.prompt                         | llm.token_count.prompt_details.cache_read / _write  | llm.token_count.completion / completion_details.reasoning |
// | OpenLLMetry-JS, OpenLIT (Anthropic) | their input EXCLUDES the cache: input + cache read + cache write | as GenAI (legacy)              | as GenAI |
//
// The Anthropic case is detected by the instrumentation's scope name, or by counts that are impossible if input
// included the cache (cache read + write > input); tokenledger then adds the cache back into input.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION,
  ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
} from '../conventions/attributes.ts';
import { countAttribute, stringAttribute } from './attribute-values.ts';
import {
  GEN_AI_SYSTEM,
  LEGACY_COMPLETION_TOKENS,
  LEGACY_PROMPT_TOKENS,
  OI_CACHE_READ,
  OI_CACHE_WRITE,
  OI_COMPLETION,
  OI_KIND,
  OI_MODEL,
  OI_PROMPT,
  OI_PROVIDER,
  OI_REASONING,
  OI_SYSTEM,
} from './foreign-names.ts';
import { ANTHROPIC_SDK_SCOPE, anthropicSdkSpanAttributes } from './sdk-native-spans.ts';

/** Instrumentations known to report Anthropic input without the cache. */
const EXCLUDES_CACHE_SCOPES = ['@traceloop/instrumentation-anthropic', 'opentelemetry.instrumentation.anthropic', 'openlit'];

/** `gen_ai.system` and OpenInference provider values → `gen_ai.provider.name`. */
const PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  google: 'gcp.gemini',
  'gcp.gemini': 'gcp.gemini',
  vertex_ai: 'gcp.vertex_ai',
  vertexai: 'gcp.vertex_ai',
  'gcp.vertex_ai': 'gcp.vertex_ai',
  'aws.bedrock': 'aws.bedrock',
  aws: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'az.ai.openai': 'azure.ai.openai',
  'azure.ai.openai': 'azure.ai.openai',
};

interface ForeignUsage {
  convention: string;
  provider?: string;
  model?: string;
  input?: number;
  output?: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning?: number;
}

/** The attributes to add to another instrumentation's LLM span; undefined when it is not one, or is ours. */
export function sourceConventionAttributes(attributes: Attributes, scope: string): Attributes | undefined {
  if (scope.startsWith('tokenledger')) return undefined;
  if (scope === ANTHROPIC_SDK_SCOPE) {
    const added = anthropicSdkSpanAttributes(attributes);
    return Object.keys(added).length > 0 ? { ...added, [ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION]: 'anthropic_sdk' } : undefined;
  }
  const usage = openInferenceUsage(attributes) ?? genAiUsage(attributes, scope);
  return usage ? usageAttributes(usage, attributes) : undefined;
}

function openInferenceUsage(attributes: Attributes): ForeignUsage | undefined {
  if (attributes[OI_PROMPT] === undefined && attributes[OI_KIND] !== 'LLM') return undefined;
  const provider = stringAttribute(attributes[OI_PROVIDER]) ?? stringAttribute(attributes[OI_SYSTEM]);
  return {
    convention: 'openinference',
    provider: provider ? (PROVIDERS[provider.toLowerCase()] ?? provider) : undefined,
    model: stringAttribute(attributes[OI_MODEL]),
    input: countAttribute(attributes[OI_PROMPT]),
    output: countAttribute(attributes[OI_COMPLETION]),
    cacheRead: countAttribute(attributes[OI_CACHE_READ]) ?? 0,
    cacheWrite: countAttribute(attributes[OI_CACHE_WRITE]) ?? 0,
    reasoning: countAttribute(attributes[OI_REASONING]),
  };
}

function genAiUsage(attributes: Attributes, scope: string): ForeignUsage | undefined {
  const currentInput = countAttribute(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
  const legacyInput = countAttribute(attributes[LEGACY_PROMPT_TOKENS]);
  if (currentInput === undefined && legacyInput === undefined && attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] === undefined) return undefined;
  const system = stringAttribute(attributes[GEN_AI_SYSTEM]);
  const provider = stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? (system ? (PROVIDERS[system.toLowerCase()] ?? system) : undefined);
  const legacyWrite = countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]);
  const usage: ForeignUsage = {
    convention: currentInput === undefined || system !== undefined || legacyWrite !== undefined ? 'genai_legacy' : 'genai',
    provider,
    input: currentInput ?? legacyInput,
    output: countAttribute(attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]) ?? countAttribute(attributes[LEGACY_COMPLETION_TOKENS]),
    cacheRead: countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]) ?? 0,
    cacheWrite: countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS]) ?? legacyWrite ?? 0,
    reasoning: countAttribute(attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]),
  };
  const cache = usage.cacheRead + usage.cacheWrite;
  const excludesCache =
    provider === 'anthropic' &&
    usage.input !== undefined &&
    cache > 0 &&
    (EXCLUDES_CACHE_SCOPES.some((prefix) => scope.startsWith(prefix)) || usage.input < cache);
  if (excludesCache) {
    usage.input = usage.input! + cache;
    usage.convention = 'anthropic_excluding_cache';
  }
  return usage;
}

function usageAttributes(usage: ForeignUsage, attributes: Attributes): Attributes {
  const added: Attributes = { [ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION]: usage.convention };
  if (attributes[ATTR_GEN_AI_OPERATION_NAME] === undefined) added[ATTR_GEN_AI_OPERATION_NAME] = 'chat';
  if (attributes[ATTR_GEN_AI_PROVIDER_NAME] === undefined && usage.provider) added[ATTR_GEN_AI_PROVIDER_NAME] = usage.provider;
  if (attributes[ATTR_GEN_AI_REQUEST_MODEL] === undefined && usage.model) added[ATTR_GEN_AI_REQUEST_MODEL] = usage.model;
  if (usage.input === undefined || usage.output === undefined || usage.cacheRead + usage.cacheWrite > usage.input) {
    added[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON] = 'usage_malformed';
    return added;
  }
  added[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.input;
  added[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.output;
  added[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cacheRead;
  added[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = usage.cacheWrite;
  if (usage.reasoning !== undefined && usage.reasoning <= usage.output) added[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoning;
  added[ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS] = usage.input - usage.cacheRead - usage.cacheWrite;
  return added;
}
