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
// | OpenLLMetry-JS, OpenLIT JS and Python (Anthropic) | their input EXCLUDES the cache: input + cache read + cache write | as GenAI (legacy) | as GenAI |
// | Mastra (exporter, bridge)      | as GenAI                                       | as GenAI (legacy), TTL split from …cache_creation.5m_/1h_input_tokens | as GenAI, reasoning_tokens |
// | Vercel AI SDK (own `ai.*` spans) | ai.usage.inputTokens (per-call spans only; ledger/ai-sdk-spans.ts) | ai.usage.inputTokenDetails.*, TTL from provider metadata | ai.usage.outputTokens / outputTokenDetails.reasoningTokens |
//
// Reasoning is read in every spelling instrumentations use (`gen_ai.usage.reasoning.output_tokens`,
// `gen_ai.usage.reasoning_tokens`, `gen_ai.usage.completion_tokens_details.reasoning`), and so are cache counts
// (`…cache_read.input_tokens`, `…cache_read_input_tokens`, `…prompt_tokens_details.cache_read`, and the writes alike);
// a spelling that is absent leaves the figure unknown, never 0 (cache counts excepted: instrumentations omit them
// when nothing was cached). Whether an Anthropic input count leaves the cache out is decided from evidence on the
// span (anthropic-cache-evidence.ts); tokenledger then adds the cache back into input. Counts are read with the one
// reading rule: a string, negative or fractional count is malformed, never 0.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_SOURCE_CONVENTION,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  type TokenledgerUsageSourceConvention,
} from '../conventions/attributes.ts';
import { stringAttribute } from './attribute-values.ts';
import {
  CACHE_CREATION_1H_INPUT_TOKENS,
  CACHE_CREATION_5M_INPUT_TOKENS,
  CACHE_CREATION_INPUT_TOKENS,
  CACHE_READ_INPUT_TOKENS,
  COMPLETION_DETAILS_REASONING,
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
  PROMPT_DETAILS_CACHE_READ,
  PROMPT_DETAILS_CACHE_WRITE,
  REASONING_TOKENS,
} from './foreign-names.ts';
import { inputExcludesCache } from './anthropic-cache-evidence.ts';
import { isLlmCall } from './llm-spans.ts';
import { aiSdkOperation, aiSdkSpanUsage } from './ai-sdk-spans.ts';
import { anthropicSdkUsage, isAnthropicSdkScope } from './sdk-native-spans.ts';
import { usageFromAttributes, writeUsageAttributes } from './usage-attributes.ts';
import type { UsageFigures } from './usage-figures.ts';
import { CountReader, type NormalizedUsage } from './usage.ts';

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
export function spanUsage(attributes: Attributes, scope: string, scopeVersion?: string): SpanUsage | undefined {
  if (scope.startsWith(TOKENLEDGER_SCOPE_PREFIX)) {
    return isLlmCall(attributes) ? { usage: usageFromAttributes(attributes), describing: {} } : undefined;
  }
  if (isAnthropicSdkScope(scope)) return anthropicSdkUsage(attributes);
  // The AI SDK's own spans: only its per-call spans have a call's usage; its aggregates carry run totals.
  const aiOperation = aiSdkOperation(attributes);
  if (aiOperation !== undefined) return aiSdkSpanUsage(attributes, aiOperation);
  return openInferenceUsage(attributes) ?? genAiUsage(attributes, scope, scopeVersion);
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

function genAiUsage(attributes: Attributes, scope: string, scopeVersion: string | undefined): SpanUsage | undefined {
  const currentInput = attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] !== undefined;
  if (!currentInput && attributes[LEGACY_PROMPT_TOKENS] === undefined && attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] === undefined) return undefined;
  const read = new CountReader();
  const usage = usageFromAttributes(attributes, read);
  const { tokens } = usage;
  if (!currentInput) tokens.input = read.known(attributes[LEGACY_PROMPT_TOKENS]);
  if (tokens.output === undefined) tokens.output = read.known(attributes[LEGACY_COMPLETION_TOKENS]);
  // Another spelling counts only where the current name (and, for writes, the legacy one) is absent.
  const otherSpelling = (names: string[], ...others: string[]) =>
    names.some((name) => attributes[name] !== undefined) ? undefined : others.map((name) => attributes[name]).find((value) => value !== undefined);
  const cacheRead = otherSpelling([ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS], CACHE_READ_INPUT_TOKENS, PROMPT_DETAILS_CACHE_READ);
  if (cacheRead !== undefined) tokens.cache_read = read.zeroIfAbsent(cacheRead);
  const cacheWrite = otherSpelling([ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS], CACHE_CREATION_INPUT_TOKENS, PROMPT_DETAILS_CACHE_WRITE);
  if (cacheWrite !== undefined) tokens.cache_write = read.zeroIfAbsent(cacheWrite);
  // The TTL split only Mastra writes in GenAI-style names; without it every write is a 5-minute one (usage-figures.ts).
  if (tokens.cache_write_5m === undefined && attributes[CACHE_CREATION_5M_INPUT_TOKENS] !== undefined) tokens.cache_write_5m = read.known(attributes[CACHE_CREATION_5M_INPUT_TOKENS]);
  if (tokens.cache_write_1h === undefined && attributes[CACHE_CREATION_1H_INPUT_TOKENS] !== undefined) tokens.cache_write_1h = read.known(attributes[CACHE_CREATION_1H_INPUT_TOKENS]);
  const reasoning = otherSpelling([ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS], REASONING_TOKENS, COMPLETION_DETAILS_REASONING);
  if (reasoning !== undefined) tokens.reasoning = read.known(reasoning);
  read.finish(usage);
  const system = stringAttribute(attributes[GEN_AI_SYSTEM]);
  const provider = stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? (system ? (PROVIDERS[system.toLowerCase()] ?? system) : undefined);
  const legacy = !currentInput || system !== undefined || attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] !== undefined;
  let convention: TokenledgerUsageSourceConvention = legacy ? 'genai_legacy' : 'genai';
  const cache = { input: tokens.input ?? Number.NaN, cacheRead: tokens.cache_read ?? 0, cacheWrite: tokens.cache_write ?? 0 };
  if (provider === 'anthropic' && !Number.isNaN(cache.input) && inputExcludesCache(cache, scope, scopeVersion)) {
    tokens.input = cache.input + cache.cacheRead + cache.cacheWrite;
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
