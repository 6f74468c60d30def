// The pipeline's failures stay where they happen: a request that cannot be encoded for the upstream is dropped
// alone and counted, and the pipeline goes on forwarding what comes after it.
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

test('pipeline: a request that cannot be encoded for the upstream is dropped alone and counted; the next is forwarded', () => {
  const lost: Array<[number, string]> = [];
  const pipeline = new CollectorPipeline(
    new CallPricer(),
    new TraceStore<HeldSpan>(),
    { onUnencodable: (spans, detail) => lost.push([spans, detail]) },
    new MemoryBudget(1e9),
  );
  const broken = request(1, 3);
  // A resource the encoder cannot write (as one nested past its stack would be).
  broken.resourceSpans![0]!.resource = {
    get attributes() {
      throw new RangeError('Maximum call stack size exceeded');
    },
  };
  pipeline.accept(broken);
  assert.deepEqual(pipeline.flush(), []);
  assert.deepEqual(lost, [[3, 'could not encode them for the upstream: Maximum call stack size exceeded']]);
  assert.equal(pipeline.store.heldTraces, 0);

  pipeline.accept(request(2, 2));
  const [forwarded, ...more] = pipeline.flush();
  assert.equal(more.length, 0);
  assert.equal(forwarded!.spans, 2);
  const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(forwarded!.body)) as {
    resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
  };
  assert.deepEqual(
    decoded.resourceSpans[0]!.scopeSpans[0]!.spans.map((span) => span.name),
    ['span 0', 'span 1'],
  );
});
