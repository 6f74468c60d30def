// What an AI SDK provider call's result says, recorded on its LLM span the same way wherever tokenledger sees it
// (the AI SDK 7 integration's events, AI SDK 6 results, Mastra's model calls): the response's id, model and finish
// reason, the service tier that served it (which prices it: the flex and batch tiers are discounted), and its usage.
import { ATTR_TOKENLEDGER_REQUEST_BATCH, ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER } from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import { isRecord } from '../../ledger/usage.ts';
import type { LlmCall } from '../common/llm-call.ts';
import { responseAttributes } from '../common/request-attributes.ts';
import { aiSdkServiceTier, normalizeAiSdkUsage } from './usage.ts';

export interface AiSdkCallResult {
  id: unknown;
  modelId: unknown;
  finishReason: unknown;
  /** The provider's metadata and raw response body, where the served tier is read from. */
  providerMetadata?: unknown;
  body?: unknown;
  usage: unknown;
}

export function recordAiSdkResult(call: LlmCall, provider: unknown, result: AiSdkCallResult): void {
  call.setAttributes(responseAttributes(result.id, result.modelId, [result.finishReason]));
  const tier = pricingTier(aiSdkServiceTier(result.providerMetadata, result.body, result.usage));
  if (tier) call.setAttributes({ [ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]: tier });
  if (tier === 'batch') call.setAttributes({ [ATTR_TOKENLEDGER_REQUEST_BATCH]: true });
  call.setUsage(normalizeAiSdkUsage(provider, result.usage));
}

/** A provider result's finish reason: `{ unified, raw }` in the LanguageModelV3 shape (the raw one first), else as given. */
export function finishReasonOf(reason: unknown): unknown {
  return isRecord(reason) ? (reason.raw ?? reason.unified) : reason;
}
