// The metric readers that OTEL_METRICS_EXPORTER asks for: otlp | prometheus | console | none, comma-separated
// (default otlp), with OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT. Only the package a reader needs is loaded: the OTLP
// exporter of the chosen protocol, the Prometheus exporter only for prometheus.
import { diag } from '@opentelemetry/api';
import type { MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { listFromEnv, numberFromEnv, stringFromEnv } from './env.ts';
import { packageRequire } from '../package-require.cjs';
import { otlpExporter } from './trace-exporters.ts';

type SdkMetrics = typeof import('@opentelemetry/sdk-metrics');

const METRIC_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;

const OTLP_METRIC_PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
  'http/json': '@opentelemetry/exporter-metrics-otlp-http',
  grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
};

export function metricReadersFromEnv(): MetricReader[] {
  const names = new Set(listFromEnv('OTEL_METRICS_EXPORTER') ?? ['otlp']);
  if (names.has('none')) return [];
  const sdk = packageRequire('@opentelemetry/sdk-metrics') as SdkMetrics;
  const readers: MetricReader[] = [];
  for (const name of names) {
    if (name === 'otlp') {
      readers.push(periodicReader(sdk, otlpExporter<PushMetricExporter>('METRICS', OTLP_METRIC_PACKAGES)));
    } else if (name === 'console') {
      readers.push(periodicReader(sdk, new sdk.ConsoleMetricExporter()));
    } else if (name === 'prometheus') {
      const { PrometheusExporter } = packageRequire('@opentelemetry/exporter-prometheus') as typeof import('@opentelemetry/exporter-prometheus');
      readers.push(new PrometheusExporter({ host: stringFromEnv('OTEL_EXPORTER_PROMETHEUS_HOST'), port: numberFromEnv('OTEL_EXPORTER_PROMETHEUS_PORT') }));
    } else {
      diag.warn(`tokenledger: unknown OTEL_METRICS_EXPORTER value "${name}", ignored; known: ${METRIC_EXPORTERS.join(', ')}`);
    }
  }
  return readers;
}

function periodicReader(sdk: SdkMetrics, exporter: PushMetricExporter): MetricReader {
  const exportIntervalMillis = positive('OTEL_METRIC_EXPORT_INTERVAL') ?? 60_000;
  const exportTimeoutMillis = Math.min(positive('OTEL_METRIC_EXPORT_TIMEOUT') ?? 30_000, exportIntervalMillis);
  return new sdk.PeriodicExportingMetricReader({ exporter, exportIntervalMillis, exportTimeoutMillis });
}

function positive(name: string): number | undefined {
  const value = numberFromEnv(name);
  return value !== undefined && value > 0 ? value : undefined;
}
