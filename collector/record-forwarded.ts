// `tokenledger collect --record <file>`: every request forwarded upstream — spans with tokenledger's figures, costs
// and run rollups added — is also appended to a file as one OTLP/JSON line, the format TOKENLEDGER_RECORD writes in
// process and the OpenTelemetry Collector's file exporter writes. Only done when asked: it decodes each request
// again to write it as JSON.
import { diag } from '@opentelemetry/api';
import { RecordFile } from '../setup/record-file.ts';
import { ExportTraceServiceRequest } from './otlp-schema.ts';

type JsonSpan = { traceId?: string; spanId?: string; parentSpanId?: string; links?: Array<{ traceId?: string; spanId?: string }> };
type JsonRequest = { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: JsonSpan[] }> }> };

/** The request as OTLP/JSON: 64-bit integers as strings, enums as numbers, trace and span ids in hex. */
export function otlpJson(request: Uint8Array): string {
  const message = ExportTraceServiceRequest.decode(request);
  const json = ExportTraceServiceRequest.toObject(message, { longs: String, enums: Number, bytes: String }) as JsonRequest;
  for (const resourceSpans of json.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        span.traceId = hex(span.traceId);
        span.spanId = hex(span.spanId);
        if (span.parentSpanId !== undefined) span.parentSpanId = hex(span.parentSpanId);
        for (const link of span.links ?? []) {
          link.traceId = hex(link.traceId);
          link.spanId = hex(link.spanId);
        }
      }
    }
  }
  return JSON.stringify(json);
}

function hex(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('hex') : '';
}

/** Opens `path` for appending (throws, naming it, when it cannot be) and returns the hook that records a request. */
export function forwardedRecorder(path: string): { record(request: Uint8Array): void; close(): Promise<void> } {
  const file = new RecordFile(path, '--record');
  return {
    record(request) {
      try {
        file.append(Buffer.from(otlpJson(request)), (error) => {
          if (error) diag.error(`tokenledger collect: could not record into ${path}`, error);
        });
      } catch (error) {
        diag.error('tokenledger collect: could not record a forwarded request', error);
      }
    },
    close: () => file.close(),
  };
}
