// `tokenledger collect [--listen host:port] [--upstream url] [--max-body-bytes n] [--prices file]`
// The bearer token clients must send comes from TOKENLEDGER_COLLECTOR_TOKEN (never from argv, which `ps` shows).
import { parseArgs } from 'node:util';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { loadPriceOverridesFile } from '../ledger/pricing/price-overrides.ts';
import { CollectorServer } from './collector-server.ts';

const USAGE =
  'usage: tokenledger collect [--listen 127.0.0.1:4318] [--upstream http://collector:4318] [--max-body-bytes 4194304] ' +
  '[--quiet-ms 2000] [--max-trace-age-ms 30000] [--max-traces 10000] [--max-spans 200000] [--max-queued-requests 1000] ' +
  '[--prometheus 127.0.0.1:9464] [--prices prices.yaml]';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CollectorServer | undefined> {
  const [command, ...rest] = argv;
  if (command !== 'collect') {
    console.error(USAGE);
    process.exitCode = 2;
    return undefined;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      listen: { type: 'string', default: '127.0.0.1:4318' },
      upstream: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'quiet-ms': { type: 'string' },
      'max-trace-age-ms': { type: 'string' },
      'max-traces': { type: 'string' },
      'max-spans': { type: 'string' },
      'max-queued-requests': { type: 'string' },
      prometheus: { type: 'string' },
      prices: { type: 'string' },
    },
  });
  const positive = (flag: string): number | undefined => {
    const text = (values as Record<string, string | undefined>)[flag];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${flag} must be a positive integer, got ${text}`);
    return value;
  };
  const [host, portText] = splitHostPort(values.listen!, 'listen');
  const upstream = values.upstream ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '';
  const meterProvider = new MeterProvider({ readers: [metricReader(values.prometheus, upstream, env)] });
  const server = new CollectorServer({
    host,
    port: Number(portText),
    upstream,
    meterProvider,
    maxBodyBytes: positive('max-body-bytes'),
    maxQueuedRequests: positive('max-queued-requests'),
    traces: {
      quietMs: positive('quiet-ms'),
      maxAgeMs: positive('max-trace-age-ms'),
      maxTraces: positive('max-traces'),
      maxSpans: positive('max-spans'),
    },
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: values.prices ? loadPriceOverridesFile(values.prices) : undefined,
  });
  const url = await server.start();
  console.log(`tokenledger collect: listening on ${url}/v1/traces`);
  // SIGTERM: roll up and forward every held trace, drain the queue, flush the metrics, then exit.
  const stop = () => void server.stop().finally(() => meterProvider.shutdown());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/** `--prometheus host:port` serves the metrics for scraping; otherwise they go to the upstream over OTLP. */
function metricReader(prometheus: string | undefined, upstream: string, env: NodeJS.ProcessEnv): IMetricReader {
  if (prometheus) {
    const [host, port] = splitHostPort(prometheus, 'prometheus');
    return new PrometheusExporter({ host, port: Number(port) });
  }
  const base = (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? upstream).replace(/\/+$/, '');
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: base.endsWith('/v1/metrics') ? base : `${base}/v1/metrics` }),
    exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000),
  });
}

function splitHostPort(address: string, flag: string): [string, string] {
  const index = address.lastIndexOf(':');
  if (index <= 0) throw new Error(`--${flag} must be host:port, got ${address}`);
  const port = address.slice(index + 1);
  if (!/^\d+$/.test(port)) throw new Error(`--${flag} port must be a number, got ${port}`);
  return [address.slice(0, index).replace(/^\[|\]$/g, ''), port];
}
