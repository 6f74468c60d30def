// Clients for end-to-end tests of collector mode: the real OpenTelemetry JS OTLP exporters (protobuf and JSON,
// gzip on, as the SDK sends), exporting spans made by the real SDK.
import type { AgentOptions } from 'node:https';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ROOT_CONTEXT, trace, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';

export type Protocol = 'proto' | 'json';

export interface ClientOptions {
  headers?: Record<string, string>;
  /** TLS: the CA to trust and, for mutual TLS, the client's certificate and key. */
  tls?: Pick<AgentOptions, 'ca' | 'cert' | 'key'>;
  compression?: 'gzip' | 'none';
  timeoutMillis?: number;
}

export function otlpExporter(protocol: Protocol, baseUrl: string, options: ClientOptions = {}): SpanExporter {
  const config = {
    url: `${baseUrl}/v1/traces`,
    // CompressionAlgorithm.GZIP / NONE are these strings.
    compression: (options.compression ?? 'gzip') as never,
    headers: options.headers,
    timeoutMillis: options.timeoutMillis ?? 60_000,
    ...(options.tls ? { httpAgentOptions: { ...options.tls } } : {}),
  };
  return protocol === 'json' ? new JsonExporter(config) : new ProtoExporter(config);
}

export interface SpanPlan {
  name: string;
  attributes?: Attributes;
  /** A child of the plan at this index (else a root). */
  parent?: number;
}

/**
 * Ended SDK spans, one trace per call: a root and its children as planned. Times are given, span i starting i ms
 * after the first and ending i ms before the first ends, so every parent encloses its children: the SDK's own
 * clock, anchored per trace, can put a parent's end before a child's when the first span is slow to start.
 */
export async function sdkSpans(tracerName: string, plans: SpanPlan[], resource?: Attributes): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    ...(resource ? { resource: resourceFromAttributes(resource) } : {}),
  });
  const tracer = provider.getTracer(tracerName);
  const started = plans.map(() => undefined as ReturnType<typeof tracer.startSpan> | undefined);
  const base = Date.now();
  plans.forEach((plan, i) => {
    const parent = plan.parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, started[plan.parent]!);
    started[i] = tracer.startSpan(plan.name, { attributes: plan.attributes, startTime: base + i }, parent);
  });
  started.forEach((span, i) => {
    span!.end(base + 1000 - i);
  });
  await provider.forceFlush();
  // Copied before the shutdown, which empties the in-memory exporter.
  const spans = [...memory.getFinishedSpans()];
  await provider.shutdown();
  return spans;
}

/** The span as a buggy SDK would send it: with these ids instead of its own. */
export function withIds(span: ReadableSpan, ids: { traceId?: string; spanId?: string }): ReadableSpan {
  const context = { ...span.spanContext(), ...ids };
  return new Proxy(span, { get: (target, key) => (key === 'spanContext' ? () => context : Reflect.get(target, key)) });
}

export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

export async function exportOrThrow(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  const result = await exportSpans(exporter, spans);
  if (result.code !== ExportResultCode.SUCCESS) throw new Error(`export failed: ${result.error?.message}`);
}
