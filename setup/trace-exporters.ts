// The exporting span processors that OTEL_TRACES_EXPORTER asks for. NodeSDK builds these itself only when no
// span processors are passed, and tokenledger passes its own, so the same standard variables are read here:
// OTEL_TRACES_EXPORTER (otlp | console | none, comma-separated; default otlp), the OTLP protocol
// (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL; default http/protobuf) and OTEL_BSP_*.
// Endpoints, headers and timeouts are read by the exporters themselves.
import { diag } from '@opentelemetry/api';
import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

export function exportingSpanProcessorsFromEnv(): SpanProcessor[] {
  const names = new Set(getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? []);
  if (names.size === 0) names.add('otlp');
  if (names.has('none')) return [];
  const processors: SpanProcessor[] = [];
  for (const name of names) {
    if (name === 'console') {
      processors.push(new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }));
    } else if (name === 'otlp') {
      processors.push(batchProcessor(otlpExporter()));
    } else {
      diag.warn(`tokenledger: unsupported OTEL_TRACES_EXPORTER value "${name}"; supported: otlp, console, none`);
    }
  }
  return processors;
}

function otlpExporter(): SpanExporter {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  switch (protocol) {
    case 'grpc':
      return new OTLPGrpcTraceExporter();
    case 'http/json':
      return new OTLPJsonTraceExporter();
    case 'http/protobuf':
      return new OTLPProtoTraceExporter();
    default:
      diag.warn(`tokenledger: unsupported OTLP traces protocol "${protocol}"; using http/protobuf`);
      return new OTLPProtoTraceExporter();
  }
}

/** A BatchSpanProcessor configured by OTEL_BSP_* (the SDK's processor does not read them itself). */
export function batchProcessor(exporter: SpanExporter): SpanProcessor {
  return new BatchSpanProcessor({
    exporter,
    maxQueueSize: getNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: getNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: getNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: getNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}
