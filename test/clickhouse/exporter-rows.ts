// An OTLP trace request → rows of `otel_traces`, as the OpenTelemetry Collector's ClickHouse exporter writes them
// (exporter/clickhouseexporter/exporter_traces.go): Timestamp = the span's start, ids in hex, SpanKind and StatusCode
// as pdata names them (`Client`, `Error`), ServiceName from the resource's `service.name`, the scope in ScopeName /
// ScopeVersion, every attribute value as pcommon's Value.AsString gives it (numbers in shortest form, booleans as
// `true`/`false`, arrays as JSON), Duration in nanoseconds, events and links as parallel arrays.
import { ExportTraceServiceRequest } from '../../collector/otlp-schema.ts';

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
};
type KeyValue = { key: string; value?: AnyValue };
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValue[];
  events?: Array<{ timeUnixNano?: string; name?: string; attributes?: KeyValue[] }>;
  links?: Array<{ traceId?: string; spanId?: string; traceState?: string; attributes?: KeyValue[] }>;
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans?: Array<{ resource?: { attributes?: KeyValue[] }; scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: OtlpSpan[] }> }>;
}

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUSES = ['Unset', 'Ok', 'Error'];

/** The rows of a protobuf ExportTraceServiceRequest, for `INSERT INTO otel_traces FORMAT JSONEachRow`. */
export function exporterRows(body: Uint8Array): Array<Record<string, unknown>> {
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, enums: Number, bytes: String }) as OtlpRequest;
  const rows: Array<Record<string, unknown>> = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = asStrings(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const start = BigInt(span.startTimeUnixNano ?? '0');
        rows.push({
          Timestamp: dateTime64(start),
          TraceId: hex(span.traceId),
          SpanId: hex(span.spanId),
          ParentSpanId: hex(span.parentSpanId),
          TraceState: span.traceState ?? '',
          SpanName: span.name ?? '',
          SpanKind: KINDS[span.kind ?? 0] ?? 'Unspecified',
          ServiceName: resource['service.name'] ?? '',
          ResourceAttributes: resource,
          ScopeName: scopeSpans.scope?.name ?? '',
          ScopeVersion: scopeSpans.scope?.version ?? '',
          SpanAttributes: asStrings(span.attributes),
          Duration: String(BigInt(span.endTimeUnixNano ?? '0') - start),
          StatusCode: STATUSES[span.status?.code ?? 0] ?? 'Unset',
          StatusMessage: span.status?.message ?? '',
          'Events.Timestamp': (span.events ?? []).map((event) => dateTime64(BigInt(event.timeUnixNano ?? '0'))),
          'Events.Name': (span.events ?? []).map((event) => event.name ?? ''),
          'Events.Attributes': (span.events ?? []).map((event) => asStrings(event.attributes)),
          'Links.TraceId': (span.links ?? []).map((link) => hex(link.traceId)),
          'Links.SpanId': (span.links ?? []).map((link) => hex(link.spanId)),
          'Links.TraceState': (span.links ?? []).map((link) => link.traceState ?? ''),
          'Links.Attributes': (span.links ?? []).map((link) => asStrings(link.attributes)),
        });
      }
    }
  }
  return rows;
}

function hex(base64: string | undefined): string {
  return base64 ? Buffer.from(base64, 'base64').toString('hex') : '';
}

/** `YYYY-MM-DD hh:mm:ss.nnnnnnnnn` in UTC, the text form of a DateTime64(9). */
function dateTime64(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${fraction}`;
}

function asStrings(attributes: KeyValue[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { key, value } of attributes ?? []) map[key] = asString(value);
  return map;
}

/** pcommon.Value.AsString: strings as they are, numbers in their shortest round-trip form, arrays and maps as JSON. */
function asString(value: AnyValue | undefined): string {
  if (value === undefined) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.arrayValue !== undefined) return JSON.stringify((value.arrayValue.values ?? []).map(raw));
  if (value.kvlistValue !== undefined) return JSON.stringify(Object.fromEntries((value.kvlistValue.values ?? []).map(({ key, value: v }) => [key, raw(v)])));
  return '';
}

function raw(value: AnyValue | undefined): unknown {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(raw);
  return null;
}
