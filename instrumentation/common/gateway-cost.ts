// Gateways that price each call themselves and say so in a response header rather than in the body: LiteLLM's proxy
// sends `x-litellm-response-cost` (USD). Only a whole response can carry it: a stream's headers are sent before its
// tokens are generated, so a streamed response's header is not read.
import { diag } from '@opentelemetry/api';
import { readProviderCost } from '../../ledger/usage.ts';
import type { LlmCall } from './llm-call.ts';

const GATEWAY_COST_HEADERS = ['x-litellm-response-cost'] as const;

interface ResponseProps {
  response?: { headers?: { get(name: string): string | null } };
}

type ParseResponse = (this: unknown, client: unknown, props: ResponseProps) => unknown;

/**
 * Reads the cost header of the response a Stainless `APIPromise` resolves to, into the call, as the SDK starts
 * parsing it: the promise's own `parseResponse` (which the SDK calls with the response before the body is read, so
 * the call has not ended yet) is wrapped in place. No promise is chained for it: the app's chain, and its
 * unhandled-rejection behaviour, stay as they were.
 */
export function readGatewayCostOnParse(promise: Record<string, unknown>, call: LlmCall): void {
  const parseResponse = promise.parseResponse;
  if (typeof parseResponse !== 'function') return;
  promise.parseResponse = function (this: unknown, client: unknown, props: ResponseProps) {
    readGatewayCost(props, call);
    return (parseResponse as ParseResponse).call(this, client, props);
  };
}

function readGatewayCost(props: ResponseProps | undefined, call: LlmCall): void {
  try {
    const headers = props?.response?.headers;
    if (!headers || headers.get('content-type')?.includes('text/event-stream')) return;
    for (const name of GATEWAY_COST_HEADERS) {
      const value = headers.get(name);
      if (value === null) continue;
      call.setGatewayCost(readProviderCost(value.trim() === '' ? Number.NaN : Number(value)));
      return;
    }
  } catch (error) {
    diag.error('tokenledger: could not read a gateway cost header', error);
  }
}
