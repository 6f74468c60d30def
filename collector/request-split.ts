// A forwarded request the upstream refused for its content (400, 413) is split in two and each half sent on its
// own, so a span the upstream will not take costs only itself: halving finds it in log2(spans) rounds. Each half
// keeps its spans' resources and scopes. Only refused requests pay for this decoding.
import { ExportTraceServiceRequest, LenientExportTraceServiceRequest } from './otlp-schema.ts';

export interface ForwardRequest {
  /** An encoded ExportTraceServiceRequest. */
  body: Uint8Array;
  /** How many spans it holds. */
  spans: number;
}

type ScopeSpans = { spans?: unknown[] } & Record<string, unknown>;
type ResourceSpans = { scopeSpans?: ScopeSpans[] } & Record<string, unknown>;

/** How many spans a decoded request holds. */
export function countSpans(request: { resourceSpans?: readonly { scopeSpans?: readonly { spans?: readonly unknown[] | null }[] | null }[] | null }): number {
  let count = 0;
  for (const resourceSpans of request.resourceSpans ?? []) for (const scopeSpans of resourceSpans.scopeSpans ?? []) count += scopeSpans.spans?.length ?? 0;
  return count;
}

/** The request as two with half the spans each; undefined when it has fewer than two spans or cannot be read. */
export function splitRequest(body: Uint8Array): [ForwardRequest, ForwardRequest] | undefined {
  let request: { resourceSpans?: ResourceSpans[] };
  try {
    request = LenientExportTraceServiceRequest.decode(body) as unknown as typeof request;
  } catch {
    return undefined;
  }
  const total = countSpans(request);
  if (total < 2) return undefined;
  const half = Math.floor(total / 2);
  const first: ResourceSpans[] = [];
  const second: ResourceSpans[] = [];
  let seen = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    const into = { first: [] as ScopeSpans[], second: [] as ScopeSpans[] };
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const spans = scopeSpans.spans ?? [];
      const cut = Math.max(0, Math.min(spans.length, half - seen));
      if (cut > 0) into.first.push({ ...scopeSpans, spans: spans.slice(0, cut) });
      if (cut < spans.length) into.second.push({ ...scopeSpans, spans: spans.slice(cut) });
      seen += spans.length;
    }
    if (into.first.length > 0) first.push({ ...resourceSpans, scopeSpans: into.first });
    if (into.second.length > 0) second.push({ ...resourceSpans, scopeSpans: into.second });
  }
  const encode = (resourceSpans: ResourceSpans[]) => ExportTraceServiceRequest.encode({ resourceSpans } as never).finish();
  return [
    { body: encode(first), spans: half },
    { body: encode(second), spans: total - half },
  ];
}
