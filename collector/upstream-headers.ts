// What the OpenTelemetry exporters read from the environment for an OTLP endpoint, applied to the traces
// collector mode forwards (the metrics exporter reads them itself): headers from OTEL_EXPORTER_OTLP_HEADERS with
// OTEL_EXPORTER_OTLP_TRACES_HEADERS winning per key (a backend's API key, say), and gzip when
// OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION says so (OpenTelemetry specification, "OTLP Exporter Configuration").
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';

export function upstreamHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  return { ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) };
}

export function upstreamCompression(env: NodeJS.ProcessEnv): 'gzip' | 'none' {
  const value = (env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION ?? env.OTEL_EXPORTER_OTLP_COMPRESSION ?? 'none').trim().toLowerCase();
  if (value === 'gzip' || value === 'none' || value === '') return value === 'gzip' ? 'gzip' : 'none';
  throw new Error(`OTEL_EXPORTER_OTLP_TRACES_COMPRESSION must be gzip or none, got "${value}"`);
}
