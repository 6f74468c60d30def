// The service tier that served an AI SDK provider call, which prices it (the flex and batch tiers are discounted).
import { ATTR_TOKENLEDGER_REQUEST_BATCH, ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER } from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';
import type { LlmCall } from '../common/llm-call.ts';

export function setServedTier(call: LlmCall, served: string | undefined): void {
  const tier = pricingTier(served);
  if (tier) call.setAttributes({ [ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]: tier });
  if (tier === 'batch') call.setAttributes({ [ATTR_TOKENLEDGER_REQUEST_BATCH]: true });
}
