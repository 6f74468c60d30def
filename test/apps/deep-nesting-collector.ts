// Run by test/defects-collector.test.ts under --max-old-space-size=256: one OTLP request holding a chain of
// 28 000 nested invoke_agent spans (each the parent of the next) with one LLM call at the bottom goes to a
// CollectorServer; an upstream receiver here counts what is forwarded. Prints one JSON line:
// { forwarded, outerSteps, innerSteps, innerComplete } (the outermost and innermost runs' tokenledger.run.steps,
// and the innermost's tokenledger.run.complete).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// Project modules (their paths move in the refactor):
import { CollectorServer } from '../../collector/collector-server.ts';
import { ExportTraceServiceRequest } from '../../collector/otlp-schema.ts';
import { testMeterProvider } from '../metric-reader.ts';

const DEPTH = 28_000;
const TRACE_ID = 'deadbeefdeadbeefdeadbeefdeadbeef';
const EPOCH_NANOS = 1_764_300_000_000_000_000n;
const id = (i: number) => (i + 1).toString(16).padStart(16, '0');

type AnyValue = { stringValue?: string; intValue?: string | number };
let forwarded = 0;
let outerSteps: unknown;
let innerSteps: unknown;
let innerComplete: unknown;
type KeyValues = Array<{ key: string; value?: AnyValue & { boolValue?: boolean } }> | undefined;
const steps = (attributes: KeyValues) => {
  const value = attributes?.find((kv) => kv.key === 'tokenledger.run.steps')?.value?.intValue;
  return value === undefined ? undefined : Number(value);
};
const upstream = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String, bytes: String }) as {
    resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ spanId: string; attributes?: KeyValues }> }> }>;
  };
  for (const rs of request.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        forwarded += 1;
        const spanId = Buffer.from(span.spanId, 'base64').toString('hex');
        if (spanId === id(0)) outerSteps = steps(span.attributes);
        if (spanId === id(DEPTH - 1)) {
          innerSteps = steps(span.attributes);
          innerComplete = span.attributes?.find((kv) => kv.key === 'tokenledger.run.complete')?.value?.boolValue;
        }
      }
    }
  }
  res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));

const collector = new CollectorServer({
  port: 0,
  upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  maxBodyBytes: 64 * 1024 * 1024,
  traces: { quietMs: 50, maxSpans: 1_000_000 },
  meterProvider: testMeterProvider().meterProvider,
});
const url = await collector.start();

const nanos = (offset: number) => (EPOCH_NANOS + BigInt(offset)).toString();
const spans: unknown[] = [];
for (let i = 0; i < DEPTH; i += 1) {
  spans.push({
    traceId: TRACE_ID,
    spanId: id(i),
    ...(i > 0 ? { parentSpanId: id(i - 1) } : {}),
    name: `invoke_agent level-${i}`,
    startTimeUnixNano: nanos(i),
    endTimeUnixNano: nanos(4 * DEPTH - i),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
      { key: 'gen_ai.agent.name', value: { stringValue: `level-${i}` } },
    ],
  });
}
spans.push({
  traceId: TRACE_ID,
  spanId: id(DEPTH),
  parentSpanId: id(DEPTH - 1),
  name: 'chat gpt-4.1',
  startTimeUnixNano: nanos(DEPTH),
  endTimeUnixNano: nanos(DEPTH + 10),
  attributes: [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4.1' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: 1000 } },
    { key: 'gen_ai.usage.output_tokens', value: { intValue: 100 } },
  ],
});
const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'deep' }, spans }] }] });
spans.length = 0;
const response = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
if (response.status !== 200) throw new Error(`collector answered ${response.status}: ${await response.text()}`);

// Every span forwarded (the test's own timeout ends a hang).
while (forwarded < DEPTH + 1) await new Promise((resolve) => setTimeout(resolve, 50));
await collector.stop();
upstream.close();
console.log(JSON.stringify({ forwarded, outerSteps, innerSteps, innerComplete }));
