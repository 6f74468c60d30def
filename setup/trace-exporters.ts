// The exporting span processors that OTEL_TRACES_EXPORTER asks for: otlp | console | none, comma-separated
// (default otlp), the OTLP protocol from OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL
// (default http/protobuf), and the OTEL_BSP_* batch settings. Only the exporter package of the chosen protocol is
// loaded (gRPC only for grpc). Endpoints, headers and timeouts are read by the exporters themselves.
import { diag } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { listFromEnv, numberFromEnv, stringFromEnv } from './env.ts';
import { packageRequire } from '../package-require.cjs';

type SdkTrace = typeof import('@opentelemetry/sdk-trace');

const TRACE_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;

const OTLP_TRACE_PACKAGES: Record<(typeof OTLP_PROTOCOLS)[number], string> = {
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
};

export function exportingSpanProcessorsFromEnv(): SpanProcessor[] {
  const names = new Set(listFromEnv('OTEL_TRACES_EXPORTER') ?? ['otlp']);
  if (names.has('none')) return [];
  const trace = packageRequire('@opentelemetry/sdk-trace') as SdkTrace;
  const processors: SpanProcessor[] = [];
  for (const name of names) {
    if (name === 'console') {
      processors.push(new trace.SimpleSpanProcessor({ exporter: new trace.ConsoleSpanExporter() }));
    } else if (name === 'otlp') {
      processors.push(batchProcessor(otlpExporter('TRACES', OTLP_TRACE_PACKAGES)));
    } else {
      diag.warn(`tokenledger: unknown OTEL_TRACES_EXPORTER value "${name}", ignored; known: ${TRACE_EXPORTERS.join(', ')}`);
    }
  }
  return processors;
}

/** The OTLP exporter of the signal's protocol, its package loaded now; an unknown protocol falls back to http/protobuf. */
export function otlpExporter<Exporter>(signal: 'TRACES' | 'METRICS', packages: Record<(typeof OTLP_PROTOCOLS)[number], string>): Exporter {
  const variable = `OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`;
  let protocol = stringFromEnv(variable) ?? stringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (!(protocol in packages)) {
    diag.warn(
      `tokenledger: unknown OTLP protocol "${protocol}" (${variable} or OTEL_EXPORTER_OTLP_PROTOCOL); using http/protobuf; known: ${OTLP_PROTOCOLS.join(', ')}`,
    );
    protocol = 'http/protobuf';
  }
  const exporterPackage = packageRequire(packages[protocol as keyof typeof packages]) as Record<string, new () => Exporter>;
  const Exporter = signal === 'TRACES' ? exporterPackage.OTLPTraceExporter! : exporterPackage.OTLPMetricExporter!;
  return new Exporter();
}

/** A BatchSpanProcessor configured by OTEL_BSP_* (the SDK's processor does not read them itself). */
export function batchProcessor(exporter: SpanExporter): SpanProcessor {
  const trace = packageRequire('@opentelemetry/sdk-trace') as SdkTrace;
  return new trace.BatchSpanProcessor({
    exporter,
    maxQueueSize: numberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: numberFromEnv('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: numberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: numberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}
