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

/**
 * Reads the cost header of the response a Stainless `APIPromise` resolves to, into the call. Attached once the app
 * parses the promise: the SDK's own parse then holds the response promise, so this branch changes nothing about
 * how a rejection is handled, and the body is read after the headers, so the call has not ended yet.
 */
export function readGatewayCost(responsePromise: unknown, call: LlmCall): void {
  if (!(responsePromise instanceof Promise)) return;
  responsePromise.then(
    (props: ResponseProps) => {
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
    },
    () => {},
  );
}
