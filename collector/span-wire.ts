// Where each span's bytes are in an OTLP protobuf request, so that a span tokenledger adds nothing to (or only
// attributes, appended) is forwarded as it came instead of being encoded again from its decoded message: encoding
// was most of what collector mode spent beyond decoding. A span's bytes are forwarded only when every field in them,
// at every depth, has the wire type the OTLP schema gives its number: protobufjs reads a field by its number alone,
// so bytes it decoded may still be refused by a strict decoder (the OpenTelemetry Collector's), and a request the
// upstream refuses is refused whole. Fields the schema does not know are kept as they came (a newer protocol's),
// unless they are groups, which only a re-encoding (dropping them) makes safe to forward. The walk reads the wire
// itself rather than with protobufjs' Reader, which takes varints past 10 bytes and skips groups: both are what a
// strict decoder refuses.
import protobuf from 'protobufjs';
import { ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span } from './otlp-schema.ts';

/** A decoded span's bytes in the body it came in, when they may be forwarded as they are. */
const WIRE_BYTES = Symbol('tokenledger.wireBytes');
type Marked = { [WIRE_BYTES]?: Uint8Array };

/** The bytes a decoded span came as, if they may be forwarded unchanged. */
export function wireBytes(span: object): Uint8Array | undefined {
  return (span as Marked)[WIRE_BYTES];
}

/** A decoded span was changed (an id cleared, a value hashed): its bytes as they came may no longer be forwarded. */
export function forgetWireBytes(span: object): void {
  if ((span as Marked)[WIRE_BYTES] !== undefined) (span as Marked)[WIRE_BYTES] = undefined;
}

type DecodedRequest = { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: object[] }> }> };

/**
 * Marks each span of a request decoded from `body` with its bytes there, if they are well formed. The spans are
 * found in the body in the order protobufjs decodes them; if the counts differ, nothing is marked (every span is
 * then encoded again, as before).
 */
export function markWireBytes(request: DecodedRequest, body: Uint8Array): void {
  const found = spanRanges(body);
  if (found === undefined) return;
  let count = 0;
  for (const resourceSpans of request.resourceSpans ?? []) for (const scopeSpans of resourceSpans.scopeSpans ?? []) count += scopeSpans.spans?.length ?? 0;
  if (count * 2 !== found.length) return;
  let i = 0;
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const start = found[i]!;
        const end = found[i + 1]!;
        i += 2;
        if (start >= 0) (span as Marked)[WIRE_BYTES] = body.subarray(start, end);
      }
    }
  }
}

/**
 * Each span's [start, end) in the body, in order (start -1 for a span whose bytes are not well formed); undefined
 * when the request's own layout is not what the schema says.
 */
export function spanRanges(body: Uint8Array): number[] | undefined {
  const ranges: number[] = [];
  const ok = eachField(body, 0, body.length, REQUEST_RESOURCE_SPANS, (start, end) =>
    eachField(body, start, end, RESOURCE_SCOPE_SPANS, (start, end) =>
      eachField(body, start, end, SCOPE_SPANS_SPANS, (start, end) => {
        ranges.push(wellFormed(body, start, end, SPAN_SHAPE, 0) ? start : -1, end);
        return true;
      }),
    ),
  );
  return ok ? ranges : undefined;
}

/** What the schema says of a message's fields: each known number's wire type, and the shape of a nested message. */
interface Shape {
  wireTypes: number[];
  nested: Array<Shape | undefined>;
  /** Numbers whose repeated scalars may also come packed (wire type 2). */
  packed: boolean[];
}

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;
/** Deeper nesting than this is left to the encoder, which refuses what it cannot write. */
const MAX_DEPTH = 64;

const shapes = new Map<protobuf.Type, Shape>();
function shapeOf(type: protobuf.Type): Shape {
  let shape = shapes.get(type);
  if (shape) return shape;
  shape = { wireTypes: [], nested: [], packed: [] };
  shapes.set(type, shape);
  for (const field of type.fieldsArray) {
    field.resolve();
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      shape.wireTypes[field.id] = LEN;
      shape.nested[field.id] = shapeOf(resolved);
    } else {
      const basic = (protobuf.types.basic as Record<string, number>)[field.type];
      shape.wireTypes[field.id] = resolved instanceof protobuf.Enum ? VARINT : basic!;
      shape.packed[field.id] =
        field.repeated && (resolved instanceof protobuf.Enum || (protobuf.types.packed as Record<string, number>)[field.type] !== undefined);
    }
  }
  return shape;
}

const SPAN_SHAPE = shapeOf(Span);
const fieldId = (type: protobuf.Type, name: string) => type.fields[name]!.id;
const REQUEST_RESOURCE_SPANS = fieldId(ExportTraceServiceRequest, 'resourceSpans');
const RESOURCE_SCOPE_SPANS = fieldId(ResourceSpans, 'scopeSpans');
const SCOPE_SPANS_SPANS = fieldId(ScopeSpans, 'spans');

// The walk's position in the bytes: the walk is synchronous and not re-entered, and a shared number spares an
// object per nested message.
let pos = 0;

/**
 * Walks the fields in bytes[from, end), handing the content of each `wanted` one (a message) to `visit` and skipping
 * the rest; false if the bytes are not a sequence of fields, `wanted` comes with another wire type, or `visit` says so.
 */
function eachField(bytes: Uint8Array, from: number, end: number, wanted: number, visit: (start: number, end: number) => boolean): boolean {
  pos = from;
  while (pos < end) {
    const tag = readVarint32(bytes, end);
    if (tag <= 0) return false;
    const wireType = tag & 7;
    if (tag >>> 3 === wanted && wireType !== LEN) return false;
    if (wireType === LEN) {
      const length = readVarint32(bytes, end);
      const start = pos;
      if (length < 0 || length > end - start) return false;
      const next = start + length;
      if (tag >>> 3 === wanted && !visit(start, next)) return false;
      pos = next;
    } else if (!skip(bytes, end, wireType)) return false;
  }
  return pos === end;
}

/** Whether bytes[from, end) are fields of `shape` with the schema's wire types, at every depth. */
function wellFormed(bytes: Uint8Array, from: number, end: number, shape: Shape, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  pos = from;
  while (pos < end) {
    const tag = readVarint32(bytes, end);
    if (tag <= 0) return false;
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 0) return false;
    const expected = shape.wireTypes[field];
    if (expected !== undefined && expected !== wireType && !(wireType === LEN && shape.packed[field])) return false;
    if (wireType === LEN) {
      const length = readVarint32(bytes, end);
      const start = pos;
      if (length < 0 || length > end - start) return false;
      const next = start + length;
      const nested = expected === LEN ? shape.nested[field] : undefined;
      if (nested && !wellFormed(bytes, start, next, nested, depth + 1)) return false;
      pos = next;
    } else if (!skip(bytes, end, wireType)) return false;
  }
  return pos === end;
}

/** Skips a field's value of a fixed-size or varint wire type; false for groups and invalid wire types. */
function skip(bytes: Uint8Array, end: number, wireType: number): boolean {
  if (wireType === VARINT) {
    for (let i = 0; i < 10; i += 1) {
      if (pos >= end) return false;
      if ((bytes[pos++]! & 0x80) === 0) return true;
    }
    return false;
  }
  const size = wireType === FIXED64 ? 8 : wireType === FIXED32 ? 4 : -1;
  if (size < 0 || size > end - pos) return false;
  pos += size;
  return true;
}

/** A varint of at most 31 bits (a tag or a length); -1 if it is cut off, longer, or larger. */
function readVarint32(bytes: Uint8Array, end: number): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) return -1;
    const byte = bytes[pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value > 0x7fffffff ? -1 : value;
  }
  return -1;
}
