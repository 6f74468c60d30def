// What an LLM call's span says about the call: whether a guardrail refused it, and what it was as far as its price
// goes (whether a span is an LLM call at all is its source's to say: ledger/sources/).
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
} from '../conventions/attributes.ts';
import { pricingTier } from '../conventions/service-tier.ts';
import { stringAttribute } from './attribute-values.ts';
import type { CallDescription } from './pricing/call-pricer.ts';

/** The errors a guardrail stops a call with before it is sent (see instrumentation/common/guard-errors.ts). */
const REFUSALS = new Set(['BudgetExceededError', 'RunawayLoopError']);

/** A call a guardrail refused was never sent: it is not a step and costs nothing. */
export function isRefusedCall(attributes: Attributes): boolean {
  const errorType = attributes[ATTR_ERROR_TYPE];
  return typeof errorType === 'string' && REFUSALS.has(errorType);
}

/** The model a call asked for ('' when it names none): a call to the same model right after a failed one is a retry. */
export function requestModelOf(attributes: Attributes): string {
  return stringAttribute(attributes[ATTR_GEN_AI_REQUEST_MODEL]) ?? '';
}

export function callDescription(attributes: Attributes, startTime: Date): CallDescription {
  return {
    provider: stringAttribute(attributes[ATTR_GEN_AI_PROVIDER_NAME]) ?? '',
    requestModel: stringAttribute(attributes[ATTR_GEN_AI_REQUEST_MODEL]),
    responseModel: stringAttribute(attributes[ATTR_GEN_AI_RESPONSE_MODEL]),
    serviceTier: serviceTierOf(attributes),
    batch: attributes[ATTR_TOKENLEDGER_REQUEST_BATCH] === true,
    startTime,
  };
}

/**
 * The tier that prices the call: `tokenledger.request.service_tier`, else the tier OpenAI reports in
 * `openai.response.service_tier` (tokenledger's OpenAI spans carry only that one, not a copy under its own name).
 */
export function serviceTierOf(attributes: Attributes): string | undefined {
  return stringAttribute(attributes[ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]) ?? pricingTier(attributes[ATTR_OPENAI_RESPONSE_SERVICE_TIER]);
}
