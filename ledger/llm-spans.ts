// What a span says about itself as an LLM call: whether it is one (and so is normalised, priced and counted as a
// step), whether a guardrail refused it, and what it was as far as its price goes. Agent and tool spans are not
// LLM calls.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_OPENAI_RESPONSE_SERVICE_TIER,
  ATTR_TOKENLEDGER_REQUEST_BATCH,
  ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER,
} from '../conventions/attributes.ts';
import { pricingTier } from '../conventions/service-tier.ts';
import { aiSdkOperation, isAiSdkCall } from './ai-sdk-spans.ts';
import { stringAttribute } from './attribute-values.ts';
import { GEN_AI_SYSTEM, OI_KIND } from './foreign-names.ts';
import type { CallDescription } from './pricing/call-pricer.ts';

export const LLM_OPERATIONS = new Set(['chat', 'generate_content', 'text_completion', 'embeddings']);
/** The errors a guardrail stops a call with before it is sent (see instrumentation/common/guard-errors.ts). */
const REFUSALS = new Set(['BudgetExceededError', 'RunawayLoopError']);

/** `added`: attributes about to be added to the span (what a reader found it lacks), read before its own. */
export function isLlmCall(attributes: Attributes, added?: Attributes): boolean {
  const operation = added?.[ATTR_GEN_AI_OPERATION_NAME] ?? attributes[ATTR_GEN_AI_OPERATION_NAME];
  const provider = added?.[ATTR_GEN_AI_PROVIDER_NAME] ?? attributes[ATTR_GEN_AI_PROVIDER_NAME];
  return typeof operation === 'string' && LLM_OPERATIONS.has(operation) && provider !== undefined;
}

/**
 * Whether a span says at its start that it is an LLM call, in any convention tokenledger reads (the describing
 * attributes another instrumentation's span lacks are added only at its end).
 */
export function startsAsLlmCall(attributes: Attributes): boolean {
  if (isLlmCall(attributes)) return true;
  if (attributes[OI_KIND] === 'LLM' || attributes[GEN_AI_SYSTEM] !== undefined) return true;
  const aiOperation = aiSdkOperation(attributes);
  return aiOperation !== undefined && isAiSdkCall(aiOperation);
}

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
