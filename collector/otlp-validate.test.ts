// What a span needs to be forwarded as valid OTLP, table by table: ids of the right length and not all zeros.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Refusals, refuseInvalidSpans, type DecodedRequest } from './otlp-validate.ts';

const id = (bytes: number, fill = 1) => Buffer.alloc(bytes, fill);
const good = () => ({ traceId: id(16), spanId: id(8) });

test('otlp validate: bad ids refuse the span, with where and why; an all-zero parent is cleared', () => {
  const table: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['valid', good(), undefined],
    ['trace id 15 bytes', { ...good(), traceId: id(15) }, 'traceId must be 16 bytes (32 hex digits), got 15'],
    ['no trace id', { spanId: id(8) }, 'traceId must be 16 bytes (32 hex digits), got 0'],
    ['zero trace id', { ...good(), traceId: id(16, 0) }, 'traceId must not be all zeros'],
    ['span id 9 bytes', { ...good(), spanId: id(9) }, 'spanId must be 8 bytes (16 hex digits), got 9'],
    ['zero span id', { ...good(), spanId: id(8, 0) }, 'spanId must not be all zeros'],
    ['parent 4 bytes', { ...good(), parentSpanId: id(4) }, 'parentSpanId must be 8 bytes or empty, got 4'],
    ['zero parent', { ...good(), parentSpanId: id(8, 0) }, undefined],
    [
      'link trace id 8 bytes',
      {
        ...good(),
        links: [
          { traceId: id(16), spanId: id(8) },
          { traceId: id(8), spanId: id(8) },
        ],
      },
      'links[1].traceId must be 16 bytes (32 hex digits), got 8',
    ],
  ];
  for (const [label, span, problem] of table) {
    const request = { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] } as unknown as DecodedRequest;
    const refusals = new Refusals();
    refuseInvalidSpans(request, refusals);
    assert.equal(refusals.count, problem ? 1 : 0, label);
    assert.equal(request.resourceSpans![0]!.scopeSpans![0]!.spans!.length, problem ? 0 : 1, label);
    assert.equal(refusals.message(), problem ? `1 span refused (resourceSpans[0].scopeSpans[0].spans[0]: ${problem})` : '', label);
  }
  const cleared = { ...good(), parentSpanId: id(8, 0) };
  refuseInvalidSpans({ resourceSpans: [{ scopeSpans: [{ spans: [cleared] }] }] } as unknown as DecodedRequest, new Refusals());
  assert.equal(cleared.parentSpanId.length, 0, 'no parent');
});

test('otlp validate: the message names three refusals and counts the rest', () => {
  const spans = Array.from({ length: 5 }, () => ({ ...good(), traceId: id(3) }));
  const refusals = new Refusals();
  refuseInvalidSpans({ resourceSpans: [{ scopeSpans: [{ spans }] }] } as unknown as DecodedRequest, refusals);
  assert.equal(refusals.count, 5);
  assert.match(refusals.message(), /^5 spans refused \(.*spans\[0\].*spans\[1\].*spans\[2\]: traceId must be 16 bytes \(32 hex digits\), got 3; and 2 more\)$/);
});
