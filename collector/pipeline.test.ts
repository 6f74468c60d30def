// The pipeline's failures stay where they happen: a request whose resource cannot be encoded is refused when it
// arrives; a release that cannot be encoded is made again trace by trace, and only what still cannot be is dropped
// and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { MemoryBudget } from './memory-budget.ts';
import { decodeProtobuf } from './otlp-decode.ts';
import { ExportTraceServiceRequest } from './otlp-schema.ts';
import { Refusals } from './otlp-validate.ts';
import { CollectorPipeline, type HeldSpan, type OtlpRequest } from './pipeline.ts';
import { TraceStore } from './trace-store.ts';

function request(trace: number, spans: number): OtlpRequest {
  const body = ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent' } }] },
          scopeSpans: [
            {
              scope: { name: 'app' },
              spans: Array.from({ length: spans }, (_, i) => ({
                traceId: Buffer.alloc(16, trace),
                spanId: Buffer.from([0, 0, 0, 0, 0, 0, trace, i + 1]),
                name: `span ${i}`,
                startTimeUnixNano: '1764300000000000000',
                endTimeUnixNano: '1764300000250000000',
              })),
            },
          ],
        },
      ],
    }),
  ).finish();
  return decodeProtobuf(body, new Refusals(), { wireBytes: true }) as unknown as OtlpRequest;
}

const names = (forwarded: { body: Uint8Array }) =>
  (
    ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(forwarded.body)) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; name: string }> }> }>;
    }
  ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => `${Buffer.from(span.traceId, 'base64')[0]}:${span.name}`)));

/** A resource the encoder cannot write (as one nested past its stack would be), once `armed`. */
function unencodable(armed: () => boolean) {
  return {
    get attributes() {
      if (armed()) throw new RangeError('Maximum call stack size exceeded');
      return [];
    },
  };
}

test('pipeline: a request whose resource cannot be encoded is refused when it arrives (the server answers 400), nothing of it held', () => {
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore<HeldSpan>(), {}, new MemoryBudget(1e9));
  pipeline.accept(request(1, 2));
  const broken = request(2, 3);
  broken.resourceSpans![0]!.resource = unencodable(() => true);
  assert.throws(() => pipeline.accept(broken), RangeError);
  assert.equal(pipeline.store.heldTraces, 1);
  const [forwarded, ...more] = pipeline.flush();
  assert.equal(more.length, 0);
  assert.deepEqual(names(forwarded!), ['1:span 0', '1:span 1']);
});

test('pipeline: a release that cannot be encoded is made again trace by trace; only the trace that cannot be is dropped, and counted', () => {
  const lost: Array<[number, string]> = [];
  const pipeline = new CollectorPipeline(
    new CallPricer(),
    new TraceStore<HeldSpan>(),
    { onUnencodable: (spans, detail) => lost.push([spans, detail]) },
    new MemoryBudget(1e9),
  );
  let armed = false;
  pipeline.accept(request(1, 2));
  const broken = request(2, 3);
  broken.resourceSpans![0]!.resource = unencodable(() => armed);
  pipeline.accept(broken);
  pipeline.accept(request(3, 1));
  armed = true;
  const forwarded = pipeline.flush();
  assert.deepEqual(lost, [[3, 'could not encode them for the upstream: Maximum call stack size exceeded']]);
  assert.deepEqual(forwarded.map(names), [['1:span 0', '1:span 1'], ['3:span 0']]);
  assert.deepEqual(
    forwarded.map((r) => r.spans),
    [2, 1],
  );
  assert.equal(pipeline.store.heldTraces, 0);
});
