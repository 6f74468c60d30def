// Spans forwarded as they came: each span's bytes are found in its request, only well-formed ones are kept (a
// wrong wire type protobufjs reads anyway, a group), and what collector mode forwards is those bytes exactly, with
// what it adds appended; a span it changed (an id cleared, a value hashed) is encoded again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { AttributionHasher } from '../metrics/attribution-hash.ts';
import { toAttributes, type KeyValue } from './enrich.ts';
import { MemoryBudget } from './memory-budget.ts';
import { decodeProtobuf } from './otlp-decode.ts';
import { Span } from './otlp-schema.ts';
import { Refusals } from './otlp-validate.ts';
import { CollectorPipeline, type HeldSpan, type OtlpRequest } from './pipeline.ts';
import { spanRanges, wireBytes } from './span-wire.ts';
import { TraceStore } from './trace-store.ts';

const kv = (key: string, value: string | number): KeyValue => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });

function spanBytes(id: number, name: string, attributes: KeyValue[], parent?: Buffer): Uint8Array {
  return Span.encode(
    Span.fromObject({
      traceId: Buffer.alloc(16, 0xab),
      spanId: Buffer.from([0, 0, 0, 0, 0, 0, 0, id]),
      parentSpanId: parent,
      name,
      startTimeUnixNano: '1764300000000000000',
      endTimeUnixNano: '1764300000250000000',
      attributes,
    }),
  ).finish();
}

/** A request of the spans' bytes as given, under one resource and scope (so bytes no encoder would write can be sent). */
function request(spans: Uint8Array[]): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 2).fork(); // resourceSpans
  writer.uint32((2 << 3) | 2).fork(); // scopeSpans
  writer
    .uint32((1 << 3) | 2)
    .fork()
    .uint32((1 << 3) | 2)
    .string('openinference')
    .ldelim(); // scope { name }
  for (const span of spans) writer.uint32((2 << 3) | 2).bytes(span);
  return writer.ldelim().ldelim().finish();
}

const concat = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)));
/** Span.kind (field 6, an int32) sent length-delimited: protobufjs reads the length as the kind; a strict decoder refuses it. */
const KIND_AS_BYTES = [(6 << 3) | 2, 0];
/** Field 100, unknown to the schema, a varint (7). */
const UNKNOWN_VARINT = [0xa0, 0x06, 7];
/** Field 100 as an (empty) group: only a re-encoding, which drops it, makes it safe. */
const UNKNOWN_GROUP = [0xa3, 0x06, 0xa4, 0x06];

function decodedSpans(body: Uint8Array, refusals = new Refusals()) {
  const message = decodeProtobuf(body, refusals, { wireBytes: true }) as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: object[] }> }> };
  return { message, spans: message.resourceSpans[0]!.scopeSpans[0]!.spans };
}

test('span wire: every span of a request is found, in order, its bytes exactly; ill-formed ones are marked as such', () => {
  const good = spanBytes(1, 'invoke_agent support', [kv('gen_ai.operation.name', 'invoke_agent')]);
  const wrongType = concat(spanBytes(2, 'tool', []), KIND_AS_BYTES);
  const unknown = concat(spanBytes(3, 'http', [kv('http.method', 'GET')]), UNKNOWN_VARINT);
  const group = concat(spanBytes(4, 'grouped', []), UNKNOWN_GROUP);
  const body = request([good, wrongType, unknown, group]);
  const ranges = spanRanges(body)!;
  assert.equal(ranges.length, 8);
  assert.deepEqual(Buffer.from(body.subarray(ranges[0], ranges[1])), Buffer.from(good));
  assert.equal(ranges[2], -1, 'a field with the wrong wire type');
  assert.deepEqual(Buffer.from(body.subarray(ranges[4], ranges[5])), Buffer.from(unknown));
  assert.equal(ranges[6], -1, 'a group');

  // protobufjs decodes all four; only the well-formed ones keep their bytes.
  const { spans } = decodedSpans(body);
  assert.deepEqual(
    spans.map((span) => wireBytes(span) && Buffer.from(wireBytes(span)!)),
    [good, undefined, unknown, undefined].map((bytes) => bytes && Buffer.from(bytes)),
  );
  assert.equal(spanRanges(body.subarray(0, body.length - 1)), undefined, 'a request cut short');
});

test('span wire: strings repaired and all-zero parents cleared are not forwarded as they came', () => {
  const invalidUtf8 = spanBytes(1, 'x', [kv('note', 'caf\u00e9')]);
  // 'é' is C3 A9 in UTF-8: a lone A9 is invalid.
  const at = invalidUtf8.indexOf(0xc3);
  const broken = concat(invalidUtf8.subarray(0, at), [0x41], invalidUtf8.subarray(at + 1));
  const refusals = new Refusals();
  const repaired = decodedSpans(request([broken, spanBytes(2, 'fine', [])]), refusals);
  assert.equal(refusals.repairedStrings, true);
  assert.deepEqual(
    repaired.spans.map((span) => wireBytes(span)),
    [undefined, undefined],
  );

  const zeroParent = decodedSpans(request([spanBytes(5, 'child', [], Buffer.alloc(8)), spanBytes(6, 'other', [])]));
  assert.equal(wireBytes(zeroParent.spans[0]!), undefined);
  assert.notEqual(wireBytes(zeroParent.spans[1]!), undefined);
});

/** What collector mode forwards for a request: each span's bytes in the forwarded request, by span name. */
function forwarded(body: Uint8Array, hasher?: AttributionHasher): Map<string, Uint8Array> {
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore<HeldSpan>(), {}, new MemoryBudget(Infinity), { hasher });
  const out = [...pipeline.accept(decodeProtobuf(body, new Refusals(), { wireBytes: true }) as unknown as OtlpRequest), ...pipeline.flush()];
  assert.equal(out.length, 1);
  const bytes = out[0]!.body;
  const ranges = spanRanges(bytes)!;
  const byName = new Map<string, Uint8Array>();
  for (let i = 0; i < ranges.length; i += 2) {
    const span = bytes.subarray(ranges[i], ranges[i + 1]);
    byName.set((Span.decode(span) as unknown as { name: string }).name, span);
  }
  return byName;
}

const attributesOf = (bytes: Uint8Array) => toAttributes((Span.decode(bytes) as unknown as { attributes: KeyValue[] }).attributes);

test('span wire: collector mode forwards a span it adds nothing to byte for byte, unknown fields included; an LLM call with its additions appended', () => {
  const http = concat(spanBytes(1, 'GET /health', [kv('http.method', 'GET')]), UNKNOWN_VARINT);
  const call = spanBytes(2, 'chat gpt-4.1', [
    kv('gen_ai.operation.name', 'chat'),
    kv('gen_ai.provider.name', 'openai'),
    kv('gen_ai.request.model', 'gpt-4.1'),
    kv('gen_ai.usage.input_tokens', 1000),
    kv('gen_ai.usage.output_tokens', 100),
  ]);
  const wrongType = concat(spanBytes(3, 'tool', []), KIND_AS_BYTES);
  const out = forwarded(request([http, call, wrongType]));
  assert.deepEqual(Buffer.from(out.get('GET /health')!), Buffer.from(http));
  const forwardedCall = out.get('chat gpt-4.1')!;
  assert.deepEqual(Buffer.from(forwardedCall.subarray(0, call.length)), Buffer.from(call), 'the call as it came, then what was added');
  const attributes = attributesOf(forwardedCall);
  assert.equal(attributes['gen_ai.usage.input_tokens'], 1000);
  // gpt-4.1: $2 per million input tokens, $8 per million output tokens.
  assert.equal(attributes['tokenledger.cost.usd'], 0.0028);
  // The ill-formed span was encoded again: its kind written as the int32 it was read as.
  assert.equal((Span.decode(out.get('tool')!) as unknown as { kind: number }).kind, 0);
  assert.notEqual(spanRanges(request([out.get('tool')!]))![0], -1, 'the re-encoded span is well formed');
});

test('span wire: a span with a hashed attribute is encoded again with the hash; the others go as they came', () => {
  const hasher = new AttributionHasher({ hashKeys: ['user.id'], hashSalt: 'test' }, ['user.id']);
  const withId = spanBytes(1, 'invoke_agent support', [kv('gen_ai.operation.name', 'invoke_agent'), kv('user.id', 'alice')]);
  const without = spanBytes(2, 'GET /health', [kv('http.method', 'GET')]);
  const out = forwarded(request([withId, without]), hasher);
  assert.deepEqual(Buffer.from(out.get('GET /health')!), Buffer.from(without));
  const userId = attributesOf(out.get('invoke_agent support')!)['user.id'];
  assert.equal(userId, hasher.hash('alice'));
  assert.notEqual(userId, 'alice');
});
