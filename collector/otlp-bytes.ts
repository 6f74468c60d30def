// OTLP trace protobuf at the byte level, for the spans collector mode holds as bytes instead of decoded messages:
// a request's spans encoded into one buffer; attributes added to a span's bytes (appended when the key is new,
// since a protobuf message takes more entries of a repeated field after its end; decoded and encoded again when it
// replaces a key, since OTLP keys are unique); and an ExportTraceServiceRequest assembled from held spans' bytes,
// each resource and scope encoded once. Round-trip tests: otlp-bytes.test.ts.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { withAttributes, type KeyValue as OtlpKeyValue } from './enrich.ts';
import { AnyValue, ArrayValue, ExportTraceServiceRequest, InstrumentationScope, KeyValue, Resource, ResourceSpans, ScopeSpans, Span } from './otlp-schema.ts';

/** The resource and scope a span came with, shared by all spans of one scopeSpans (compared by identity). */
export interface Origin {
  resource: unknown;
  resourceSchemaUrl: unknown;
  scope: unknown;
  scopeSchemaUrl: unknown;
}

/** A span as a request is assembled from: where it came from, its bytes and what is written after them. */
export interface EncodedSpan {
  readonly origin: Origin;
  /** Its bytes as held (read first: it may write what was added into them). */
  bytes(): Uint8Array;
  /** Attributes to write after its bytes (keys they do not have), if any. */
  appended(): Attributes | undefined;
}

/** Spans written one after another into one buffer: span i is `bytes[ends[i - 1] ?? 0, ends[i])`. */
export interface SpanBuffer {
  bytes: Uint8Array;
  ends: number[];
}

/**
 * Writes a request's spans into one buffer: decoded spans (OTLP Span messages, as protobufjs reads them) encoded,
 * and spans kept as they came copied, with attributes appended. Nothing of the request's body is kept.
 */
export class SpanWriter {
  private readonly writer = protobuf.Writer.create();
  private readonly ends: number[] = [];

  add(span: object): void {
    Span.encode(span as never, this.writer);
    this.ends.push(this.writer.pos);
  }

  /** A span's bytes as they came, and `added` appended (keys the span does not have). */
  addAsItCame(bytes: Uint8Array, added?: Attributes): void {
    this.writer.raw(bytes);
    if (added) writeAttributes(this.writer, added);
    this.ends.push(this.writer.pos);
  }

  finish(): SpanBuffer {
    return { bytes: this.writer.finish(), ends: this.ends };
  }
}

/**
 * Attributes as further entries of a span's repeated `attributes` field: written after a span's bytes, since a
 * protobuf message takes more entries of a repeated field after its end.
 */
function writeAttributes(writer: protobuf.Writer, added: Attributes): protobuf.Writer {
  for (const key in added) {
    const value = added[key];
    if (value === undefined) continue;
    writer.uint32(SPAN_ATTRIBUTES).fork();
    writer.raw(keyField(key));
    writeAnyValue(writer.uint32(KEY_VALUE_VALUE).fork(), value).ldelim();
    writer.ldelim();
  }
  return writer;
}

/**
 * A KeyValue's key field (tag, length, UTF-8), written once per name: what tokenledger adds is a few dozen names on
 * every call span, and copying their bytes costs half of writing them (bench/collector.bench.ts).
 */
function keyField(key: string): Uint8Array {
  let bytes = keyFields.get(key);
  if (bytes === undefined) {
    bytes = protobuf.Writer.create().uint32(KEY_VALUE_KEY).string(key).finish();
    if (keyFields.size < MAX_KEY_FIELDS) keyFields.set(key, bytes);
  }
  return bytes;
}
const keyFields = new Map<string, Uint8Array>();
/** Names past this many (a backend convention's, an app's own) are written each time. */
const MAX_KEY_FIELDS = 1024;

/**
 * An attribute value as an OTLP AnyValue, written field by field: the bytes KeyValue.encode makes of toAnyValue's
 * message (enrich.ts), without building that message for every attribute the rollup adds.
 */
function writeAnyValue(writer: protobuf.Writer, value: AttributeValue): protobuf.Writer {
  if (typeof value === 'string') return writer.uint32(ANY_STRING).string(value);
  if (typeof value === 'boolean') return writer.uint32(ANY_BOOL).bool(value);
  if (typeof value === 'number') return Number.isInteger(value) ? writer.uint32(ANY_INT).int64(value) : writer.uint32(ANY_DOUBLE).double(value);
  writer.uint32(ANY_ARRAY).fork();
  for (const item of value as Array<string | number | boolean>) writeAnyValue(writer.uint32(ARRAY_VALUES).fork(), item).ldelim();
  return writer.ldelim();
}

/** A span's bytes decoded, given the attributes (replacing keys it had, taking `removed` off), and encoded again. */
export function replaceAttributes(span: Uint8Array, added: Attributes, removed?: readonly string[]): Uint8Array {
  const message = Span.decode(span) as unknown as { attributes?: OtlpKeyValue[] };
  let attributes = message.attributes ?? [];
  if (removed) {
    const gone = new Set(removed);
    attributes = attributes.filter((kv) => !gone.has(kv.key));
  }
  message.attributes = withAttributes(attributes, added);
  return Span.encode(message as never).finish();
}

/**
 * Throws (a RangeError for one nested past the encoder's stack) if a request's resource or scope cannot be encoded:
 * checked when the request arrives, so that its client is told, rather than its spans lost when they are forwarded.
 */
export function checkEncodable(type: typeof Resource | typeof InstrumentationScope, message: unknown): void {
  if (message) type.encode(message as never).finish();
}

/** One ExportTraceServiceRequest: the spans re-grouped under their resources and scopes, their bytes as held. */
export function encodeRequest(spans: readonly EncodedSpan[]): Uint8Array {
  const byResource = new Map<unknown, Map<unknown, EncodedSpan[]>>();
  for (const span of spans) {
    const { resource, scope } = span.origin;
    let scopes = byResource.get(resource);
    if (!scopes) byResource.set(resource, (scopes = new Map()));
    let held = scopes.get(scope);
    if (!held) scopes.set(scope, (held = []));
    held.push(span);
  }
  const writer = protobuf.Writer.create();
  for (const [resource, scopes] of byResource) {
    writer.uint32(REQUEST_RESOURCE_SPANS).fork();
    if (resource) Resource.encode(resource as never, writer.uint32(RESOURCE).fork()).ldelim();
    let resourceSchemaUrl: unknown;
    for (const [scope, held] of scopes) {
      writer.uint32(SCOPE_SPANS).fork();
      if (scope) InstrumentationScope.encode(scope as never, writer.uint32(SCOPE).fork()).ldelim();
      for (const span of held) {
        const bytes = span.bytes();
        const appended = span.appended();
        if (appended) writeAttributes(writer.uint32(SPANS).fork().raw(bytes), appended).ldelim();
        else writer.uint32(SPANS).bytes(bytes);
      }
      const { scopeSchemaUrl } = held[0]!.origin;
      if (typeof scopeSchemaUrl === 'string' && scopeSchemaUrl) writer.uint32(SCOPE_SCHEMA_URL).string(scopeSchemaUrl);
      resourceSchemaUrl = held[0]!.origin.resourceSchemaUrl;
      writer.ldelim();
    }
    if (typeof resourceSchemaUrl === 'string' && resourceSchemaUrl) writer.uint32(RESOURCE_SCHEMA_URL).string(resourceSchemaUrl);
    writer.ldelim();
  }
  return writer.finish();
}

/** An id as decoded (bytes from protobuf, base64 from protobufjs' JSON form) in lowercase hex; '' when absent. */
export function hexId(bytes: unknown): string {
  if (Buffer.isBuffer(bytes)) return bytes.toString('hex');
  if (bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64').toString('hex');
  return '';
}

/** A length-delimited field's tag: its number and wire type 2. */
const tag = (type: protobuf.Type, field: string) => (type.fields[field]!.id << 3) | 2;
const REQUEST_RESOURCE_SPANS = tag(ExportTraceServiceRequest, 'resourceSpans');
const RESOURCE = tag(ResourceSpans, 'resource');
const SCOPE_SPANS = tag(ResourceSpans, 'scopeSpans');
const RESOURCE_SCHEMA_URL = tag(ResourceSpans, 'schemaUrl');
const SCOPE = tag(ScopeSpans, 'scope');
const SPANS = tag(ScopeSpans, 'spans');
const SCOPE_SCHEMA_URL = tag(ScopeSpans, 'schemaUrl');
const SPAN_ATTRIBUTES = tag(Span, 'attributes');
const KEY_VALUE_KEY = tag(KeyValue, 'key');
const KEY_VALUE_VALUE = tag(KeyValue, 'value');
const ARRAY_VALUES = tag(ArrayValue, 'values');
/** AnyValue's fields, each with its wire type: a string and a message (2), a bool and an int64 (0), a double (1). */
const ANY_STRING = tag(AnyValue, 'stringValue');
const ANY_ARRAY = tag(AnyValue, 'arrayValue');
const ANY_BOOL = (AnyValue.fields.boolValue!.id << 3) | 0;
const ANY_INT = (AnyValue.fields.intValue!.id << 3) | 0;
const ANY_DOUBLE = (AnyValue.fields.doubleValue!.id << 3) | 1;
