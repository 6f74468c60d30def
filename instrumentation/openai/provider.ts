import type { Attributes } from '@opentelemetry/api';
import { ATTR_OPENAI_RESPONSE_SERVICE_TIER, ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER } from '../../conventions/attributes.ts';
import { pricingTier } from '../../conventions/service-tier.ts';

// Facts about the OpenAI client behind a resource (`this` in a patched method).

export function clientBaseURL(resource: unknown): unknown {
  return (resource as { _client?: { baseURL?: unknown } } | undefined)?._client?.baseURL;
}

/** `gen_ai.provider.name`: `azure.ai.openai` when the client talks to Azure OpenAI, else `openai`. */
export function providerName(resource: unknown): string {
  const baseURL = clientBaseURL(resource);
  if (typeof baseURL === 'string' && /\.openai\.azure\.com/i.test(baseURL)) return 'azure.ai.openai';
  return 'openai';
}

/** The tier OpenAI reports having used (chat completions, responses and their stream events carry it). */
export function responseServiceTierAttributes(serviceTier: unknown): Attributes {
  if (typeof serviceTier !== 'string') return {};
  const tier = pricingTier(serviceTier);
  return {
    [ATTR_OPENAI_RESPONSE_SERVICE_TIER]: serviceTier,
    ...(tier ? { [ATTR_TOKENLEDGER_REQUEST_SERVICE_TIER]: tier } : {}),
  };
}
