// Spans that provider SDKs make of their own calls.
//
// `@anthropic-ai/sdk` 1.x traces every call (scope `com.anthropic.sdk.typescript`, and `….bedrock` / `….vertex` for
// the AnthropicBedrock and AnthropicVertex clients, which name their platform in `gen_ai.provider.name`) with
// correct GenAI usage:
// `gen_ai.usage.input_tokens` already sums input + cache read + cache write, and the cache-write TTL split
// is under `anthropic.usage.cache_creation.ephemeral_{5m,1h}_input_tokens`. tokenledger's instrumentation
// stands aside for such calls, so this span is the call's one span with usage: we read it, and add our figures.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_TOKENLEDGER_REQUEST_BATCH, ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER } from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { genAiKind, type SourceConvention, type SpanUsage } from './source.ts';
import { usageFromAttributes } from '../usage-attributes.ts';
import { CountReader } from '../usage.ts';

export const ANTHROPIC_SDK_SCOPE = 'com.anthropic.sdk.typescript';

/** The SDK's scope, or a platform client's (`com.anthropic.sdk.typescript.bedrock`, `….vertex`). */
export function isAnthropicSdkScope(scope: string): boolean {
  return scope === ANTHROPIC_SDK_SCOPE || (scope.startsWith(ANTHROPIC_SDK_SCOPE) && scope[ANTHROPIC_SDK_SCOPE.length] === '.');
}
export const anthropicSdkSource: SourceConvention = {
  id: 'anthropic_sdk',
  owns: (_attributes, scope) => isAnthropicSdkScope(scope),
  exclusive: true,
  kind: genAiKind,
  usage: anthropicSdkUsage,
};

const ANTHROPIC_5M = 'anthropic.usage.cache_creation.ephemeral_5m_input_tokens';
const ANTHROPIC_1H = 'anthropic.usage.cache_creation.ephemeral_1h_input_tokens';
const ANTHROPIC_TIER = 'anthropic.response.service_tier';

/** The usage of an Anthropic SDK call span; undefined when it carries none (a span of a call still failing). */
export function anthropicSdkUsage(attributes: Attributes): SpanUsage | undefined {
  const read = new CountReader();
  const usage = usageFromAttributes(attributes, read);
  const { tokens } = usage;
  if (tokens.input === undefined && tokens.output === undefined) return undefined;
  if (attributes[ANTHROPIC_5M] !== undefined) tokens.cache_write_5m = read.known(attributes[ANTHROPIC_5M]);
  if (attributes[ANTHROPIC_1H] !== undefined) tokens.cache_write_1h = read.known(attributes[ANTHROPIC_1H]);
  read.finish(usage);
  const describing: Attributes = {};
  const tier = pricingTier(attributes[ANTHROPIC_TIER]);
  if (tier) describing[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER] = tier;
  if (tier === 'batch') describing[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
  return { usage, convention: 'anthropic_sdk', describing };
}
