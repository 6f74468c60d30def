// The byte-level OTLP handling round-trips: spans encoded into one buffer decode to themselves, attributes added to
// a span's bytes decode as new or replaced keys (never twice), and a request assembled from held bytes decodes to
// the spans under their own resources and scopes, with their schema URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toAnyValue, toAttributes, type KeyValue } from './enrich.ts';
import { encodeRequest, hexId, replaceAttributes, SpanWriter, type EncodedSpan, type Origin } from './otlp-bytes.ts';
import type { Attributes } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { ExportTraceServiceRequest, KeyValue as KeyValueMessage, Span } from './otlp-schema.ts';

const kv = (key: string, value: string | number | boolean): KeyValue => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : { intValue: value },
});

function span(id: number, name: string, attributes: KeyValue[] = []) {
  return Span.fromObject({
    traceId: Buffer.alloc(16, 0xab),
    spanId: Buffer.from([0, 0, 0, 0, 0, 0, 0, id]),
    parentSpanId: id > 1 ? Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]) : undefined,
    name,
    kind: 3,
    startTimeUnixNano: '1764300000000000000',
    endTimeUnixNano: '1764300000250000000',
    attributes,
    status: { code: 2, message: 'failed' },
  });
}

/** A span's bytes with attributes appended, as collector mode writes a span it keeps as it came. */
function appendAttributes(bytes: Uint8Array, added: Attributes): Uint8Array {
  const writer = new SpanWriter();
  writer.addAsItCame(bytes, added);
  return writer.finish().bytes;
}

/** A decoded span as plain JSON: ids in hex, times as strings. */
function plain(bytes: Uint8Array) {
  const decoded = Span.toObject(Span.decode(bytes), { longs: String, bytes: String, defaults: false }) as { name?: string; attributes?: KeyValue[] } & Record<
    string,
    unknown
  >;
  return { ...decoded, attributes: toAttributes(decoded.attributes ?? []), keys: (decoded.attributes ?? []).map((attribute) => attribute.key) };
}

test('otlp bytes: spans written into one buffer are each their own slice, decoding to the span as it came', () => {
  const spans = [
    span(1, 'invoke_agent support', [kv('gen_ai.operation.name', 'invoke_agent')]),
    span(2, 'chat gpt-4.1', [kv('gen_ai.usage.input_tokens', 1000)]),
    span(3, 'empty'),
  ];
  const writer = new SpanWriter();
  for (const message of spans) writer.add(message);
  const { bytes, ends } = writer.finish();
  assert.equal(ends.length, 3);
  assert.equal(ends.at(-1), bytes.length);
  let start = 0;
  ends.forEach((end, i) => {
    assert.deepEqual(plain(bytes.subarray(start, end)), plain(Span.encode(spans[i]!).finish()), `span ${i}`);
    start = end;
  });
  assert.equal(plain(bytes.subarray(ends[0], ends[1])).name, 'chat gpt-4.1');
  assert.deepEqual(plain(bytes.subarray(ends[0], ends[1])).attributes, { 'gen_ai.usage.input_tokens': 1000 });
});

test('otlp bytes: spans encoded and spans kept as they came, in any order, are each their own slice of one buffer', () => {
  const messages = [1, 2, 3, 4, 5].map((id) => span(id, `span ${id}`, [kv('n', id)]));
  const asCame = (i: number) => Span.encode(messages[i]!).finish();
  const writer = new SpanWriter();
  writer.add(messages[0]!);
  writer.addAsItCame(asCame(1));
  writer.add(messages[2]!);
  writer.addAsItCame(asCame(3), { 'tokenledger.usage.input_tokens': 7 });
  writer.addAsItCame(asCame(4));
  const { bytes, ends } = writer.finish();
  assert.equal(ends.at(-1), bytes.length);
  const slices = ends.map((end, i) => plain(bytes.subarray(ends[i - 1] ?? 0, end)));
  assert.deepEqual(
    slices.map((slice) => [slice.name, slice.keys]),
    [
      ['span 1', ['n']],
      ['span 2', ['n']],
      ['span 3', ['n']],
      ['span 4', ['n', 'tokenledger.usage.input_tokens']],
      ['span 5', ['n']],
    ],
  );
  assert.deepEqual(slices[3]!.attributes, { n: 4, 'tokenledger.usage.input_tokens': 7 });
});

test('otlp bytes: appended attributes decode after the ones the span came with, every other field unchanged', () => {
  const bytes = Span.encode(span(2, 'chat gpt-4.1', [kv('gen_ai.usage.input_tokens', 1000)])).finish();
  const patched = plain(
    appendAttributes(bytes, { 'tokenledger.cost.usd': 0.0028, 'tokenledger.run.id': 'r1', 'tokenledger.call.retry': true, absent: undefined }),
  );
  assert.deepEqual(patched.keys, ['gen_ai.usage.input_tokens', 'tokenledger.cost.usd', 'tokenledger.run.id', 'tokenledger.call.retry']);
  assert.deepEqual(patched.attributes, {
    'gen_ai.usage.input_tokens': 1000,
    'tokenledger.cost.usd': 0.0028,
    'tokenledger.run.id': 'r1',
    'tokenledger.call.retry': true,
  });
  const original = plain(bytes);
  assert.deepEqual({ ...patched, attributes: undefined, keys: undefined }, { ...original, attributes: undefined, keys: undefined });
});

test('otlp bytes: replacing attributes keeps each key once, with the new value', () => {
  const bytes = Span.encode(
    span(1, 'invoke_agent support', [kv('tokenledger.run.id', 'old'), kv('tokenledger.run.steps', 9), kv('service.kept', 'yes')]),
  ).finish();
  const patched = plain(replaceAttributes(bytes, { 'tokenledger.run.id': 'new', 'tokenledger.run.steps': 2, 'tokenledger.run.complete': true }));
  assert.deepEqual(patched.keys.toSorted(), ['service.kept', 'tokenledger.run.complete', 'tokenledger.run.id', 'tokenledger.run.steps']);
  assert.deepEqual(patched.attributes, { 'tokenledger.run.id': 'new', 'tokenledger.run.steps': 2, 'service.kept': 'yes', 'tokenledger.run.complete': true });
  assert.equal(patched.name, 'invoke_agent support');
});

test('otlp bytes: a request assembled from held bytes puts each span under its own resource and scope, once each', () => {
  const resourceA = { attributes: [kv('service.name', 'frontend')] };
  const resourceB = { attributes: [kv('service.name', 'worker')] };
  const scopeA = { name: 'tokenledger', version: '0.1.0' };
  const scopeB = { name: 'openinference.instrumentation.openai' };
  const origins: Origin[] = [
    {
      resource: resourceA,
      resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
      scope: scopeA,
      scopeSchemaUrl: 'https://opentelemetry.io/schemas/1.31.0',
    },
    { resource: resourceB, resourceSchemaUrl: undefined, scope: scopeB, scopeSchemaUrl: undefined },
  ];
  const held = (id: number, origin: Origin): EncodedSpan & { id: number } => {
    const bytes = Span.encode(span(id, `span ${id}`)).finish();
    return { id, origin, bytes: () => bytes, appended: () => undefined };
  };
  // Interleaved as released: frontend, worker, frontend, worker.
  const spans = [held(1, origins[0]!), held(2, origins[1]!), held(3, origins[0]!), held(4, origins[1]!)];
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(encodeRequest(spans)), { longs: String, bytes: String }) as {
    resourceSpans: Array<{
      resource: { attributes: KeyValue[] };
      schemaUrl?: string;
      scopeSpans: Array<{ scope: { name: string; version?: string }; schemaUrl?: string; spans: Array<{ name: string; spanId: string }> }>;
    }>;
  };
  assert.deepEqual(
    request.resourceSpans.map((resourceSpans) => ({
      service: toAttributes(resourceSpans.resource.attributes)['service.name'],
      schemaUrl: resourceSpans.schemaUrl,
      scopes: resourceSpans.scopeSpans.map((scopeSpans) => ({
        scope: scopeSpans.scope,
        schemaUrl: scopeSpans.schemaUrl,
        spans: scopeSpans.spans.map((s) => s.name),
      })),
    })),
    [
      {
        service: 'frontend',
        schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
        scopes: [{ scope: { name: 'tokenledger', version: '0.1.0' }, schemaUrl: 'https://opentelemetry.io/schemas/1.31.0', spans: ['span 1', 'span 3'] }],
      },
      {
        service: 'worker',
        schemaUrl: undefined,
        scopes: [{ scope: { name: 'openinference.instrumentation.openai' }, schemaUrl: undefined, spans: ['span 2', 'span 4'] }],
      },
    ],
  );
  // Each span's bytes went out as they were held.
  const sent = request.resourceSpans.flatMap((resourceSpans) => resourceSpans.scopeSpans.flatMap((scopeSpans) => scopeSpans.spans));
  assert.deepEqual(
    sent.map((s) => hexId(s.spanId)),
    ['0000000000000001', '0000000000000003', '0000000000000002', '0000000000000004'],
  );
});

test('otlp bytes: a span without a resource or scope is sent without them', () => {
  const bytes = Span.encode(span(1, 'bare')).finish();
  const request = ExportTraceServiceRequest.toObject(
    ExportTraceServiceRequest.decode(
      encodeRequest([
        {
          origin: { resource: undefined, resourceSchemaUrl: undefined, scope: undefined, scopeSchemaUrl: undefined },
          bytes: () => bytes,
          appended: () => undefined,
        },
      ]),
    ),
  );
  assert.deepEqual(Object.keys(request.resourceSpans[0]), ['scopeSpans']);
  assert.deepEqual(Object.keys(request.resourceSpans[0].scopeSpans[0]), ['spans']);
  assert.equal(request.resourceSpans[0].scopeSpans[0].spans[0].name, 'bare');
});

test('otlp bytes: ids in hex from bytes, base64 strings or nothing', () => {
  assert.equal(hexId(Buffer.from([0xde, 0xad])), 'dead');
  assert.equal(hexId(new Uint8Array([0, 1, 0xff]).subarray(1)), '01ff');
  assert.equal(hexId(Buffer.from('0af7651916cd43dd', 'hex').toString('base64')), '0af7651916cd43dd');
  assert.equal(hexId(undefined), '');
});

test('otlp bytes: appended attributes are the bytes of the key-value messages enrich.ts would encode, for every value type', () => {
  const added = {
    text: 'gpt-4.1',
    empty: '',
    yes: true,
    no: false,
    count: 1000,
    negative: -3,
    large: 2 ** 53 - 1,
    usd: 0.007355,
    strings: ['stop', 'length'],
    numbers: [1, 2.5],
    flags: [true, false],
    none: [],
  };
  const bare = Span.encode(span(1, 'chat')).finish();
  const appended = appendAttributes(bare, added);
  // Each attribute as a KeyValue message of toAnyValue's value, in the span's repeated attributes field (9).
  const writer = protobuf.Writer.create();
  for (const [key, value] of Object.entries(added))
    KeyValueMessage.encode({ key, value: toAnyValue(value) } as never, writer.uint32((9 << 3) | 2).fork()).ldelim();
  assert.deepEqual(Buffer.from(appended.subarray(bare.length)), Buffer.from(writer.finish()));
  assert.deepEqual(plain(appended).attributes, added);
});

test('otlp bytes: a request writes the attributes a held span has pending after its bytes, for spans short and long', () => {
  const origin: Origin = { resource: undefined, resourceSchemaUrl: undefined, scope: { name: 'app' }, scopeSchemaUrl: undefined };
  const short = Span.encode(span(1, 'short')).finish();
  const long = Span.encode(span(2, 'long', [kv('note', 'x'.repeat(300))])).finish();
  const added = { 'tokenledger.cost.usd': 0.0028, 'tokenledger.run.id': 'r1' };
  const request = ExportTraceServiceRequest.decode(
    encodeRequest([
      { origin, bytes: () => short, appended: () => added },
      { origin, bytes: () => long, appended: () => ({ 'tokenledger.run.id': 'r2' }) },
      { origin, bytes: () => short, appended: () => undefined },
    ]),
  ) as unknown as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: KeyValue[] }> }> }> };
  const spans = request.resourceSpans[0]!.scopeSpans[0]!.spans;
  assert.deepEqual(
    spans.map((s) => [s.name, toAttributes(s.attributes)]),
    [
      ['short', added],
      ['long', { note: 'x'.repeat(300), 'tokenledger.run.id': 'r2' }],
      ['short', {}],
    ],
  );
});
