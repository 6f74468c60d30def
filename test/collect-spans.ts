// Collector mode over spans a test made: the real OTLP/protobuf exporter sends them to a CollectorServer, which holds
// each trace, rolls it up when it stops and forwards every span to an upstream here. Returns the spans as forwarded.
import type { Attributes, MeterProvider } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { CollectorServer } from '../collector/collector-server.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { testMeterProvider } from './metric-reader.ts';
import { exportOrThrow, otlpExporter } from './otlp-clients.ts';

export interface ForwardedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Attributes;
}

/** Requests of at most this many spans, in the order given (a batch exporter sends a trace in several). */
const BATCH = 64;

export async function collectSpans(spans: readonly ReadableSpan[], meterProvider: MeterProvider = testMeterProvider().meterProvider): Promise<ForwardedSpan[]> {
  const upstream = await new FakeUpstream().start();
  // Traces are rolled up when the collector stops, whatever the clock: nothing waits on a quiet period.
  const collector = new CollectorServer({ port: 0, upstream: upstream.url, traces: { quietMs: 3_600_000, maxAgeMs: 3_600_000 }, meterProvider });
  try {
    const exporter = otlpExporter('proto', await collector.start());
    for (let start = 0; start < spans.length; start += BATCH) await exportOrThrow(exporter, spans.slice(start, start + BATCH));
    await exporter.shutdown();
    await collector.stop(10_000);
    return upstream.spans.map((span) => ({ ...span, attributes: span.attributes as Attributes }));
  } finally {
    await collector.stop();
    await upstream.stop();
  }
}
