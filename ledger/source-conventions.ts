// LLM spans that arrive as attributes — other instrumentations' spans, provider SDKs' own spans, and in collector
// mode tokenledger's own from another process — read in their own conventions into the usage every source
// reports (NormalizedUsage), so the one validity rule, pricing and the rollup treat them like tokenledger's own.
// Pure: attributes in, usage and the describing attributes the span lacks out.
//
// | source                         | input (all)                                   | cache read / write                                  | output / reasoning |
// |--------------------------------|-----------------------------------------------|-----------------------------------------------------|--------------------|
// | tokenledger (another process)  | gen_ai.usage.input_tokens                      | as GenAI, TTL split from tokenledger.usage.*        | as GenAI, tool results from tokenledger.usage.* |
// | GenAI conventions (current)    | gen_ai.usage.input_tokens                      | gen_ai.usage.cache_read / cache_write.input_tokens  | gen_ai.usage.output_tokens / reasoning.output_tokens |
// | GenAI legacy names             | gen_ai.usage.prompt_tokens                     | …cache_creation.input_tokens for writes             | gen_ai.usage.completion_tokens / reasoning_tokens |
// | Anthropic SDK (own spans)      | gen_ai.usage.input_tokens (already all input)  | + anthropic.usage.cache_creation.ephemeral_5m/1h    | as GenAI |
// | OpenInference                  | llm.token_count.prompt                         | llm.token_count.prompt_details.cache_read / _write  | llm.token_count.completion / completion_details.reasoning |
// | OpenLLMetry-JS, OpenLIT (Anthropic) | their input EXCLUDES the cache: input + cache read + cache write | as GenAI (legacy)              | as GenAI |
// | Vercel AI SDK (own `ai.*` spans) | ai.usage.inputTokens (per-call spans only; ledger/ai-sdk-spans.ts) | ai.usage.inputTokenDetails.*, TTL from provider metadata | ai.usage.outputTokens / outputTokenDetails.reasoningTokens |
//
// The Anthropic case is detected by the instrumentation's scope name, or by counts that are impossible if input
// included the cache (cache read + write > input); tokenledger then adds the cache back into input. Counts are
// read with the one reading rule: a string, negative or fractional count is malformed, never 0.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  type TokenledgerUsageSourceConvention,
} from '../conventions/attributes.ts';
import { stringAttribute } from './attribute-values.ts';
import {
  GEN_AI_SYSTEM,
  LEGACY_COMPLETION_TOKENS,
  LEGACY_PROMPT_TOKENS,
  LEGACY_REASONING_TOKENS,
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
import { isLlmCall } from './llm-spans.ts';
import { aiSdkOperation, aiSdkSpanUsage } from './ai-sdk-spans.ts';
import { ANTHROPIC_SDK_SCOPE, anthropicSdkUsage } from './sdk-native-spans.ts';
import { usageFromAttributes, writeUsageAttributes } from './usage-attributes.ts';
import type { UsageFigures } from './usage-figures.ts';
import { CountReader, type NormalizedUsage } from './usage.ts';

/** Instrumentations known to report Anthropic input without the cache. */
const EXCLUDES_CACHE_SCOPES = ['@traceloop/instrumentation-anthropic', 'opentelemetry.instrumentation.anthropic', 'openlit'];
export const TOKENLEDGER_SCOPE_PREFIX = 'tokenledger';

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

export interface SpanUsage {
  usage: NormalizedUsage;
  /** The convention it was read in; undefined for tokenledger's own spans. */
  convention?: TokenledgerUsageSourceConvention;
  /** Attributes the span needs to be priced and counted and does not have (operation, provider, model, tier). */
  describing: Attributes;
}

/**
 * The usage an LLM span states in whatever convention it was written; undefined when it is not a span with usage.
 * tokenledger's own LLM spans are read too: in collector mode they come from another process (in process their
 * figures are handed over, ledger/handover.ts, and not read back).
 */
export function spanUsage(attributes: Attributes, scope: string): SpanUsage | undefined {
  if (scope.startsWith(TOKENLEDGER_SCOPE_PREFIX)) {
    return isLlmCall(attributes) ? { usage: usageFromAttributes(attributes), describing: {} } : undefined;
  }
  if (scope === ANTHROPIC_SDK_SCOPE) return anthropicSdkUsage(attributes);
  // The AI SDK's own spans: only its per-call spans have a call's usage; its aggregates carry run totals.
  const aiOperation = aiSdkOperation(attributes);
  if (aiOperation !== undefined) return aiSdkSpanUsage(attributes, aiOperation);
  return openInferenceUsage(attributes) ?? genAiUsage(attributes, scope);
}

/** The provider's id of the response a span describes (`gen_ai.response.id`): the same id is the same call. */
export function responseIdOf(attributes: Attributes): string | undefined {
  return stringAttribute(attributes[ATTR_GEN_AI_RESPONSE_ID]);
}

/**
 * What a span read here gets added: its usage figures in tokenledger's names, what it lacks to be priced, and the
 * convention they were read in — only the attributes it does not already have with that value.
 */
export function normalisedAttributes(attributes: Attributes, read: SpanUsage, figures: UsageFigures): Attributes {
  const all = writeUsageAttributes(figures, { ...read.describing });
  if (read.convention) all[ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION] = read.convention;
  const added: Attributes = {};
  for (const key in all) if (attributes[key] !== all[key]) added[key] = all[key];
  return added;
}

function openInferenceUsage(attributes: Attributes): SpanUsage | undefined {
  if (attributes[OI_PROMPT] === undefined && attributes[OI_KIND] !== 'LLM') return undefined;
  const read = new CountReader();
  const provider = stringAttribute(attributes[OI_PROVIDER]) ?? stringAttribute(attributes[OI_SYSTEM]);
  const usage = read.finish({
    tokens: {
      input: read.known(attributes[OI_PROMPT]),
      output: read.known(attributes[OI_COMPLETION]),
      cache_read: read.zeroIfAbsent(attributes[OI_CACHE_READ]),
      cache_write: read.zeroIfAbsent(attributes[OI_CACHE_WRITE]),
      reasoning: read.known(attributes[OI_REASONING]),
    },
  });
  return {
    usage,
    convention: 'openinference',
    describing: describing(attributes, provider ? (PROVIDERS[provider.toLowerCase()] ?? provider) : undefined, stringAttribute(attributes[OI_MODEL])),
  };
}

function genAiUsage(attributes: Attributes, scope: string): SpanUsage | undefined {
  const currentInput = attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined;
  if (!currentInput && attributes[LEGACY_PROMPT_TOKENS] === undefined && attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] === undefined) return undefined;
  const read = new CountReader();
  const usage = usageFromAttributes(attributes, read);
  const { tokens } = usage;
  if (!currentInput) tokens.input = read.known(attributes[LEGACY_PROMPT_TOKENS]);
  if (tokens.output === undefined) tokens.output = read.known(attributes[LEGACY_COMPLETION_TOKENS]);
  if (tokens.reasoning === undefined && attributes[LEGACY_REASONING_TOKENS] !== undefined) tokens.reasoning = read.known(attributes[LEGACY_REASONING_TOKENS]);
  read.finish(usage);
  const system = stringAttribute(attributes[GEN_AI_SYSTEM]);
  const provider = stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? (system ? (PROVIDERS[system.toLowerCase()] ?? system) : undefined);
  const legacy = !currentInput || system !== undefined || attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] !== undefined;
  let convention: TokenledgerUsageSourceConvention = legacy ? 'genai_legacy' : 'genai';
  const cache = (tokens.cache_read ?? 0) + (tokens.cache_write ?? 0);
  const excludesCache =
    provider === 'anthropic' &&
    tokens.input !== undefined &&
    cache > 0 &&
    (EXCLUDES_CACHE_SCOPES.some((prefix) => scope.startsWith(prefix)) || tokens.input < cache);
  if (excludesCache) {
    tokens.input = tokens.input! + cache;
    convention = 'anthropic_excluding_cache';
  }
  return { usage, convention, describing: describing(attributes, provider, undefined) };
}

/** The operation, provider and model a span must have to be priced, where it lacks them. */
function describing(attributes: Attributes, provider: string | undefined, model: string | undefined): Attributes {
  const added: Attributes = {};
  if (attributes[ATTR_GEN_AI_OPERATION_NAME] === undefined) added[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_NAME_VALUE_CHAT;
  if (attributes[ATTR_GEN_AI_PROVIDER_NAME] === undefined && provider) added[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  if (attributes[ATTR_GEN_AI_REQUEST_MODEL] === undefined && model) added[ATTR_GEN_AI_REQUEST_MODEL] = model;
  return added;
}
