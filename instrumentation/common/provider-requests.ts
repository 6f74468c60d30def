// How the request sensor tells the span processor that a provider API request was made while a span was active:
// a count on the span object under a process-wide symbol (as ledger/handover.ts carries a call's figures), read by
// the processor when the span ends. The processor decides whether an LLM span covered the request.
const REQUESTS = Symbol.for('tokenledger.provider-requests');
type Carrier = { [REQUESTS]?: number };

export function noteProviderRequest(span: object): void {
  const carrier = span as Carrier;
  carrier[REQUESTS] = (carrier[REQUESTS] ?? 0) + 1;
}

export function providerRequestsOf(span: object): number {
  return (span as Carrier)[REQUESTS] ?? 0;
}

/** A request the sensor noted on `span` was covered after all by an LLM span recorded beside it (not inside it). */
export function coverProviderRequest(span: object): void {
  const carrier = span as Carrier;
  if ((carrier[REQUESTS] ?? 0) > 0) carrier[REQUESTS]! -= 1;
}
