// Spans that provider SDKs make of their own calls, normalised to tokenledger's token types.
//
// `@anthropic-ai/sdk` 1.x traces every call (scope `com.anthropic.sdk.typescript`) with correct GenAI usage:
// `gen_ai.usage.input_tokens` already sums input + cache read + cache write, and the cache-write TTL split
// is under `anthropic.usage.cache_creation.ephemeral_{5m,1h}_input_tokens`. tokenledger's instrumentation
// stands aside for such calls, so this span is the call's one span with usage: we add our own figures to it.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS,
  ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON,
} from '../conventions/attributes.ts';
import { countAttribute } from './attribute-values.ts';
import { pricingTier } from '../conventions/service-tier.ts';

export const ANTHROPIC_SDK_SCOPE = 'com.anthropic.sdk.typescript';
const ANTHROPIC_5M = 'anthropic.usage.cache_creation.ephemeral_5m_input_tokens';
const ANTHROPIC_1H = 'anthropic.usage.cache_creation.ephemeral_1h_input_tokens';
const ANTHROPIC_TIER = 'anthropic.response.service_tier';

/** The attributes to add to an Anthropic SDK call span; empty when it carries no usage. */
export function anthropicSdkSpanAttributes(attributes: Attributes): Attributes {
  if (attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] === undefined && attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] === undefined) {
    return {};
  }
  const added: Attributes = {};
  const input = countAttribute(attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS]);
  const cacheRead = countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] ?? 0);
  const cacheWrite = countAttribute(attributes[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] ?? 0);
  if (input === undefined || cacheRead === undefined || cacheWrite === undefined || cacheRead + cacheWrite > input) {
    added[ATTR_TOKENLEDGER_USAGE_UNKNOWN_REASON] = 'usage_malformed';
  } else {
    added[ATTR_TOKENLEDGER_USAGE_UNCACHED_INPUT_TOKENS] = input - cacheRead - cacheWrite;
  }
  if (cacheWrite !== undefined) {
    const oneHour = countAttribute(attributes[ANTHROPIC_1H] ?? 0);
    const fiveMinutes = countAttribute(attributes[ANTHROPIC_5M] ?? (oneHour === undefined ? undefined : cacheWrite - oneHour));
    if (oneHour !== undefined && fiveMinutes !== undefined && oneHour + fiveMinutes === cacheWrite) {
      added[ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_5M_INPUT_TOKENS] = fiveMinutes;
      added[ATTR_TOKENLEDGER_USAGE_CACHE_WRITE_TTL_1H_INPUT_TOKENS] = oneHour;
    }
  }
  const tier = pricingTier(attributes[ANTHROPIC_TIER]);
  if (tier) added[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = tier;
  if (tier === 'batch') added[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
  return added;
}
