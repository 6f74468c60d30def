// What the OpenAI APIs (chat completions, responses) share: the provider behind a client (see provider-hosts.ts),
// the tier a response reports, and the leading system content of a request.
import type { Attributes } from '@opentelemetry/api';
import { responseAttributes } from '../common/request-attributes.ts';
import { clientBaseURL } from '../common/stainless.ts';
import { isRecord } from '../../ledger/usage.ts';
import { ATTR_OPENAI_RESPONSE_SERVICE_TIER, ATTR_TOKENLEDGER_REQUEST_DEPLOYMENT } from '../../conventions/attributes.ts';
import { providerForBaseURL, type ProviderUrlMapping } from './provider-hosts.ts';

/** `gen_ai.provider.name` of the client behind a resource, from its base URL and the user's mapping. */
export function providerName(resource: unknown, mapping: ProviderUrlMapping): string {
  return providerForBaseURL(clientBaseURL(resource), mapping);
}

/** The response attributes every provider has, and the tier OpenAI reports having used (responses and their
 * stream events carry it). The tier that prices the call is read from it (ledger/llm-spans.ts serviceTierOf), so
 * it is not written again as `tokenledger.request.service_tier`. */
export function openaiResponseAttributes(id: unknown, model: unknown, finishReasons: readonly unknown[], serviceTier: unknown): Attributes {
  const attributes = responseAttributes(id, model, finishReasons);
  if (typeof serviceTier !== 'string') return attributes;
  attributes[ATTR_OPENAI_RESPONSE_SERVICE_TIER] = serviceTier;
  return attributes;
}

/** The contents of the system / developer messages (chat) or input items (responses) a request starts with. */
export function leadingSystemContent(items: readonly unknown[]): unknown[] | undefined {
  const leading: unknown[] = [];
  for (const item of items) {
    if (!isRecord(item) || (item.role !== 'system' && item.role !== 'developer')) break;
    leading.push(item.content);
  }
  return leading.length > 0 ? leading : undefined;
}

/**
 * Azure names a deployment where other providers name a model: the client's `deployment`, else the request's
 * `model` (which the SDK puts in the path as the deployment). The response names the model that served it.
 */
export function deploymentAttributes(resource: unknown, provider: string, model: unknown): Attributes {
  if (provider !== 'azure.ai.openai') return {};
  const configured = (resource as { _client?: { deploymentName?: unknown } } | undefined)?._client?.deploymentName;
  const deployment = typeof configured === 'string' && configured ? configured : model;
  return typeof deployment === 'string' && deployment ? { [ATTR_TOKENLEDGER_REQUEST_DEPLOYMENT]: deployment } : {};
}
