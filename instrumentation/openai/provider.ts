// What the OpenAI APIs (chat completions, responses) share: the provider behind a client (Azure or OpenAI), the
// tier a response reports, and the leading system content of a request.
import type { Attributes } from '@opentelemetry/api';
import { responseAttributes } from '../common/request-attributes.ts';
import { clientBaseURL } from '../common/stainless.ts';
import { isRecord } from '../../ledger/usage.ts';
import { ATTR_OPENAI_RESPONSE_SERVICE_TIER } from '../../conventions/attributes.ts';

/** `gen_ai.provider.name`: `azure.ai.openai` when the client talks to Azure OpenAI, else `openai`. */
export function providerName(resource: unknown): string {
  const baseURL = clientBaseURL(resource);
  if (typeof baseURL === 'string' && /\.openai\.azure\.com/i.test(baseURL)) return 'azure.ai.openai';
  return 'openai';
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
