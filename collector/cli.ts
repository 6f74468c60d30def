// `tokenledger collect [flags]`: the flags and variables are the table in collector/settings.ts, which `--help`
// prints. The bearer token clients must send comes from TOKENLEDGER_COLLECTOR_TOKEN (never from argv, which `ps` shows).
import { parseArgs } from 'node:util';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { loadPriceOverridesFile } from '../ledger/pricing/price-overrides.ts';
import type { Setting } from '../setup/setting.ts';
import { CollectorServer } from './collector-server.ts';
import { forwardedRecorder } from './record-forwarded.ts';
import { COLLECTOR_FLAGS, collectorHelp } from './settings.ts';

type Flags = typeof COLLECTOR_FLAGS;
type FlagValue<K extends keyof Flags> = Flags[K] extends Setting<infer T> ? T : never;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<CollectorServer | undefined> {
  const [command, ...rest] = argv;
  if (command !== 'collect' || rest.includes('--help') || rest.includes('-h')) {
    if (command === 'collect') console.log(collectorHelp());
    else {
      console.error(collectorHelp());
      process.exitCode = 2;
    }
    return undefined;
  }
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const setting of Object.values(COLLECTOR_FLAGS)) options[setting.name.slice(2)] = { type: setting.type === 'boolean' ? 'boolean' : 'string' };
  const { values } = parseArgs({ args: rest, options, strict: true });
  /** A flag's value: given, else its documented default, else undefined. */
  const flag = <K extends keyof Flags>(key: K): FlagValue<K> | undefined => {
    const setting = COLLECTOR_FLAGS[key] as Setting<FlagValue<K>>;
    const given = values[setting.name.slice(2)];
    if (given === true) return true as FlagValue<K>;
    const raw = typeof given === 'string' ? given : setting.default === '—' ? undefined : setting.default;
    return raw === undefined ? undefined : setting.parse(raw);
  };
  const { host, port } = flag('listen')!;
  const upstream = flag('upstream') ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '';
  const meterProvider = new MeterProvider({ readers: [metricReader(flag('prometheus'), upstream, env)] });
  const prices = flag('prices');
  const recordPath = flag('record');
  const recorder = recordPath ? forwardedRecorder(recordPath) : undefined;
  const server = new CollectorServer({
    host,
    port,
    upstream,
    meterProvider,
    maxBodyBytes: flag('maxBodyBytes'),
    maxQueuedRequests: flag('maxQueuedRequests'),
    traces: {
      quietMs: flag('quietMs'),
      maxAgeMs: flag('maxTraceAgeMs'),
      maxTraces: flag('maxTraces'),
      maxSpans: flag('maxSpans'),
    },
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: prices ? loadPriceOverridesFile(prices) : undefined,
    legacyMetrics: flag('legacyMetrics') ?? false,
    record: recorder?.record,
  });
  const url = await server.start();
  console.log(`tokenledger collect: listening on ${url}/v1/traces`);
  // SIGTERM: roll up and forward every held trace, drain the queue, flush the metrics, then exit.
  const stop = () => void server.stop().finally(() => Promise.all([meterProvider.shutdown(), recorder?.close()]));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}

/** `--prometheus host:port` serves the metrics for scraping; otherwise they go to the upstream over OTLP. */
function metricReader(prometheus: { host: string; port: number } | undefined, upstream: string, env: NodeJS.ProcessEnv): IMetricReader {
  if (prometheus) return new PrometheusExporter({ host: prometheus.host, port: prometheus.port });
  const base = (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? upstream).replace(/\/+$/, '');
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: base.endsWith('/v1/metrics') ? base : `${base}/v1/metrics` }),
    exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000),
  });
}
