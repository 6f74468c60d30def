// In-process `fetch` stand-ins that answer every request with a prepared body, so a benchmark measures the
// SDK and the instrumentation, not the network.
type Fetch = typeof fetch;

export function jsonFetch(body: unknown): Fetch {
  const text = JSON.stringify(body);
  return async () => new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
}

export function sseFetch(sse: string): Fetch {
  const bytes = new TextEncoder().encode(sse);
  return async () => new Response(bytes, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}
