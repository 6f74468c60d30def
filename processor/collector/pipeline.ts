// Collector mode's data path, without HTTP or the network: decoded OTLP requests in, encoded OTLP requests for
// the upstream out. Each span is normalised and priced as it arrives (enrich.ts), held with its trace
// (TraceBuffer) and, once the trace is released, its runs rolled up and its spans re-grouped under their
// resources and scopes for forwarding.
import type { Attributes } from '@opentelemetry/api';
import type { CallPricer } from '../pricing/call-pricer.ts';
import { enrichSpan, withAttributes, type KeyValue } from './enrich.ts';
import { ExportTraceServiceRequest } from './otlp-schema.ts';
import { TraceBuffer, type BufferedSpan } from './trace-buffer.ts';

/** Where a span came from, to re-group it with its resource and scope when forwarded. */
export interface Origin {
  resource: unknown;
  resourceSchemaUrl: unknown;
  scope: unknown;
  scopeSchemaUrl: unknown;
  span: { attributes?: KeyValue[] };
}

export type OtlpRequest = {
  resourceSpans?: Array<{
    resource?: unknown;
    schemaUrl?: unknown;
    scopeSpans?: Array<{ scope?: { name?: string }; schemaUrl?: unknown; spans?: Array<Record<string, unknown> & { attributes?: KeyValue[] }> }>;
  }>;
};

export class CollectorPipeline {
  private readonly pricer: CallPricer;
  readonly buffer: TraceBuffer<Origin>;

  constructor(pricer: CallPricer, buffer: TraceBuffer<Origin>) {
    this.pricer = pricer;
    this.buffer = buffer;
  }

  /** Takes a decoded request; returns what must be forwarded now (late spans, traces evicted to make room). */
  accept(request: OtlpRequest, now: number): Uint8Array[] {
    const { late, evicted } = this.buffer.add(this.bufferedSpans(request), now);
    const out: Uint8Array[] = [];
    if (late.length > 0) out.push(this.encode(late));
    for (const trace of evicted) out.push(this.encode(trace.spans));
    return out;
  }

  /** The traces ready at `now`, rolled up and encoded. */
  take(now: number): Uint8Array[] {
    return this.buffer.take(now).map((trace) => this.encode(trace.spans));
  }

  /** Every trace held, rolled up and encoded (at shutdown). */
  flush(): Uint8Array[] {
    return this.buffer.flush().map((trace) => this.encode(trace.spans));
  }

  /** Prices each span and wraps it for the trace buffer, remembering its resource and scope. */
  private bufferedSpans(request: OtlpRequest): BufferedSpan<Origin>[] {
    const spans: BufferedSpan<Origin>[] = [];
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const attributes = enrichSpan(span, scopeSpans.scope?.name ?? '', this.pricer);
          const origin: Origin = {
            resource: resourceSpans.resource,
            resourceSchemaUrl: resourceSpans.schemaUrl,
            scope: scopeSpans.scope,
            scopeSchemaUrl: scopeSpans.schemaUrl,
            span,
          };
          spans.push({
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            traceId: hex(span.traceId),
            name: String(span.name ?? ''),
            startNanos: Number(String(span.startTimeUnixNano ?? 0)),
            endNanos: Number(String(span.endTimeUnixNano ?? 0)),
            statusCode: Number((span.status as { code?: number } | undefined)?.code ?? 0),
            attributes,
            origin,
            setAttributes(attributes: Attributes) {
              Object.assign(this.attributes, attributes);
              origin.span.attributes = withAttributes(origin.span.attributes ?? [], attributes);
            },
          });
        }
      }
    }
    return spans;
  }

  /** Re-groups spans under their resource and scope, as one protobuf request. */
  private encode(spans: BufferedSpan<Origin>[]): Uint8Array {
    const byResource = new Map<unknown, { resource: unknown; schemaUrl: unknown; scopes: Map<unknown, { scope: unknown; schemaUrl: unknown; spans: unknown[] }> }>();
    for (const { origin } of spans) {
      let resource = byResource.get(origin.resource);
      if (!resource) byResource.set(origin.resource, (resource = { resource: origin.resource, schemaUrl: origin.resourceSchemaUrl, scopes: new Map() }));
      let scope = resource.scopes.get(origin.scope);
      if (!scope) resource.scopes.set(origin.scope, (scope = { scope: origin.scope, schemaUrl: origin.scopeSchemaUrl, spans: [] }));
      scope.spans.push(origin.span);
    }
    const request = {
      resourceSpans: [...byResource.values()].map((resource) => ({
        resource: resource.resource,
        schemaUrl: resource.schemaUrl,
        scopeSpans: [...resource.scopes.values()].map((scope) => ({ scope: scope.scope, schemaUrl: scope.schemaUrl, spans: scope.spans })),
      })),
    };
    return ExportTraceServiceRequest.encode(request as never).finish();
  }
}

function hex(bytes: unknown): string {
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('hex');
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64').toString('hex');
  return '';
}
