// What current OpenLLMetry (Python and JS), OpenLIT (Python and JS), OpenInference and Mastra's OpenTelemetry
// exporter and bridge put on their LLM spans (test/fixtures/foreign-
// spans, each built from the instrumentation's public source, cited in its `source`), read in process by the span
// processor and in collector mode by a CollectorServer: the same figures and cost either way. `null` in a fixture's
// `expected` means the attribute must be absent: a figure that is not there is unknown, never 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Attributes } from '@opentelemetry/api';
import { CollectorServer } from '../collector/collector-server.ts';
import { toAnyValue, toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { testMeterProvider } from './metric-reader.ts';
import { waitUntil } from './wait.ts';

interface Fixture {
  file: string;
  scope: { name: string; version?: string };
  name: string;
  attributes: Attributes;
  expected: Record<string, unknown>;
}

const dir = new URL('./fixtures/foreign-spans/', import.meta.url);
const fixtures: Fixture[] = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Omit<Fixture, 'file'>) }));

function assertExpected(attributes: Record<string, unknown>, expected: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(attributes[key], value ?? undefined, `${where}: ${key}`);
  }
}

test('foreign spans: the fixtures cover OpenLLMetry (Python and JS), OpenLIT (Python and JS), OpenInference and Mastra', () => {
  assert.deepEqual(fixtures.map((fixture) => fixture.file).sort(), [
    'mastra-otel-bridge-openai.json',
    'mastra-otel-exporter-anthropic.json',
    'openinference-js-anthropic.json',
    'openlit-js-anthropic.json',
    'openlit-js-openai-responses.json',
    'openlit-python-anthropic.json',
    'openlit-python-openai-chat.json',
    'openlit-python-openai-responses.json',
    'openllmetry-js-anthropic.json',
    'openllmetry-python-anthropic.json',
    'openllmetry-python-openai-reasoning.json',
  ]);
});

for (const fixture of fixtures) {
  test(`foreign spans in process: ${fixture.file}`, async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new TokenledgerSpanProcessor({ meterProvider: testMeterProvider().meterProvider }), new SimpleSpanProcessor({ exporter })],
    });
    provider.getTracer(fixture.scope.name, fixture.scope.version).startSpan(fixture.name, { attributes: fixture.attributes }).end();
    const [span] = exporter.getFinishedSpans();
    assertExpected(span!.attributes, fixture.expected, fixture.file);
    await provider.shutdown();
  });
}

const traceIdOf = (index: number) => (index + 1).toString(16).padStart(32, '0');

let upstream: Server;
let collector: CollectorServer;
let collectorUrl = '';
const forwarded = new Map<string, Record<string, unknown>>();

before(async () => {
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ traceId: Uint8Array; attributes?: KeyValue[] }> }> }>;
    };
    // By trace id: each fixture is sent as a trace of its own (two may share a scope).
    for (const rs of request.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) forwarded.set(Buffer.from(span.traceId).toString('hex'), toAttributes(span.attributes ?? []));
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  collector = new CollectorServer({
    port: 0,
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    traces: { quietMs: 20 },
    meterProvider: testMeterProvider().meterProvider,
  });
  collectorUrl = await collector.start();
});
after(async () => {
  await collector.stop();
  upstream.close();
});

test('foreign spans in collector mode: the same figures and cost, the scope version included', async () => {
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'python-agent' } }] },
        scopeSpans: fixtures.map((fixture, index) => ({
          scope: { name: fixture.scope.name, version: fixture.scope.version },
          spans: [
            {
              traceId: traceIdOf(index),
              spanId: (index + 1).toString(16).padStart(16, '0'),
              name: fixture.name,
              kind: 3,
              startTimeUnixNano: String(now),
              endTimeUnixNano: String(now + 1_000_000n),
              attributes: Object.entries(fixture.attributes).map(([key, value]) => ({ key, value: toAnyValue(value!) })),
            },
          ],
        })),
      },
    ],
  };
  const response = await fetch(`${collectorUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
  await waitUntil(
    () => `every fixture's span to be forwarded (got ${forwarded.size} of ${fixtures.length})`,
    () => forwarded.size >= fixtures.length,
  );
  fixtures.forEach((fixture, index) => {
    assertExpected(forwarded.get(traceIdOf(index)) ?? {}, fixture.expected, `collector ${fixture.file}`);
  });
});
