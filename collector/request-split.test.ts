// Splitting a refused request: halves by span count, each span once, under its own resource and scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportTraceServiceRequest } from './otlp-schema.ts';
import { splitRequest } from './request-split.ts';

const span = (n: number) => ({ traceId: Buffer.alloc(16, n + 1), spanId: Buffer.alloc(8, n + 1), name: `s${n}` });
const resource = (service: string) => ({ attributes: [{ key: 'service.name', value: { stringValue: service } }] });

function layout(body: Uint8Array): string[] {
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body)) as {
    resourceSpans: Array<{
      resource: { attributes: Array<{ value: { stringValue: string } }> };
      scopeSpans: Array<{ scope: { name: string }; spans: Array<{ name: string }> }>;
    }>;
  };
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => `${rs.resource.attributes[0]!.value.stringValue}/${ss.scope.name}/${s.name}`)),
  );
}

test('request split: five spans over two resources and three scopes become two and three, each where it was', () => {
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: resource('a'),
          scopeSpans: [
            { scope: { name: 'x' }, spans: [span(0)] },
            { scope: { name: 'y' }, spans: [span(1), span(2)] },
          ],
        },
        { resource: resource('b'), scopeSpans: [{ scope: { name: 'z' }, spans: [span(3), span(4)] }] },
      ],
    }),
  ).finish();
  const [first, second] = splitRequest(body)!;
  assert.equal(first.spans, 2);
  assert.equal(second.spans, 3);
  assert.deepEqual(layout(first.body), ['a/x/s0', 'a/y/s1']);
  assert.deepEqual(layout(second.body), ['a/y/s2', 'b/z/s3', 'b/z/s4']);
});

test('request split: a request of one span, or one that cannot be read, is not split', () => {
  const one = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [span(0)] }] }] })).finish();
  assert.equal(splitRequest(one), undefined);
  assert.equal(splitRequest(new Uint8Array([0x0a, 0xff])), undefined);
});
