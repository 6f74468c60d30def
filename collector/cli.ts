// `tokenledger collect [flags]`: the flags and variables are the table in collector/settings.ts, which `--help`
// prints. The bearer token clients must send comes from TOKENLEDGER_COLLECTOR_TOKEN, and the salt of the attribution
// hash from TOKENLEDGER_BAGGAGE_HASH_SALT (never from argv, which `ps` shows).
//
// The process logs through OpenTelemetry's diag at OTEL_LOG_LEVEL (default info), prints one line when it listens
// and one when it stops. SIGTERM or SIGINT: stop receiving, forward what is held, wait for the upstream until the
// drain deadline, flush the metrics (within the same deadline, at least 1 s), say what was forwarded and what was lost; exit 1 when spans were lost (a
// second signal exits at once).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { loadPriceOverridesFile } from '../ledger/pricing/price-overrides.ts';
import type { Setting } from '../setup/setting.ts';
import { CollectorServer, type CollectorTls, type StopResult } from './collector-server.ts';
import { forwardedRecorder } from './record-forwarded.ts';
import { COLLECTOR_FLAGS, collectorHelp } from './settings.ts';
import { upstreamCompression, upstreamHeaders } from './upstream-headers.ts';

type Flags = typeof COLLECTOR_FLAGS;
type FlagValue<K extends keyof Flags> = Flags[K] extends Setting<infer T> ? T : never;

/** The last metrics may take what is left of the drain deadline, and at least this. */
const MIN_METRICS_FLUSH_MS = 1000;

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
  const level = env.OTEL_LOG_LEVEL ? diagLogLevelFromString(env.OTEL_LOG_LEVEL) : DiagLogLevel.INFO;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level ?? DiagLogLevel.INFO, suppressOverrideMessage: true });
  const { host, port } = flag('listen')!;
  const upstream = flag('upstream') ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '';
  if (!upstream) throw new Error('an upstream endpoint is required (--upstream or OTEL_EXPORTER_OTLP_ENDPOINT)');
  const metricsEndpoint = flag('metricsEndpoint') ?? env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? upstream;
  const prometheus = flag('prometheus');
  const meterProvider = new MeterProvider({ readers: [metricReader(prometheus, metricsEndpoint, env)] });
  const prices = flag('prices');
  const drainMs = flag('drainTimeoutMs')!;
  const baggageKeys = flag('baggageKeys');
  const baggageHashKeys = flag('baggageHashKeys');
  if (baggageHashKeys && !baggageKeys) throw new Error('--baggage-hash-keys needs --baggage-keys');
  const recordPath = flag('record');
  const recorder = recordPath ? forwardedRecorder(recordPath) : undefined;
  const server = new CollectorServer({
    host,
    port,
    upstream,
    meterProvider,
    maxBodyBytes: flag('maxBodyBytes'),
    maxMemoryBytes: flag('maxMemoryBytes'),
    upstreamTimeoutMs: flag('upstreamTimeoutMs'),
    upstreamConcurrency: flag('upstreamConcurrency'),
    upstreamBackoff: { maxElapsedMs: flag('upstreamMaxElapsedMs') },
    upstreamHeaders: upstreamHeaders(env),
    upstreamCompression: upstreamCompression(env),
    queueDir: flag('queueDir'),
    tls: tlsFiles(flag('tlsCert'), flag('tlsKey'), flag('tlsClientCa')),
    traces: {
      quietMs: flag('quietMs'),
      maxAgeMs: flag('maxTraceAgeMs'),
      maxTraces: flag('maxTraces'),
      maxSpans: flag('maxSpans'),
    },
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: prices ? loadPriceOverridesFile(prices) : undefined,
    legacyMetrics: flag('legacyMetrics') ?? false,
    attribution: baggageKeys
      ? { keys: baggageKeys, maxValuesPerKey: flag('baggageMaxValues'), hashKeys: baggageHashKeys, hashSalt: env.TOKENLEDGER_BAGGAGE_HASH_SALT || undefined }
      : undefined,
    backendConventions: flag('backendConventions'),
    record: recorder?.record,
  });
  const url = await server.start();
  const mib = (bytes: number) => `${+(bytes / 1048576).toFixed(1)} MiB`;
  console.log(
    `tokenledger collect: listening on ${url}/v1/traces; upstream ${upstream.replace(/\/+$/, '')}; ` +
      `memory limit ${mib(flag('maxMemoryBytes')!)}, body limit ${mib(flag('maxBodyBytes')!)}, ${flag('upstreamConcurrency')} upstream requests in flight, ` +
      `drain ${drainMs / 1000} s; metrics ${prometheus ? `for Prometheus on ${prometheus.host}:${prometheus.port}` : `to ${metricsEndpoint.replace(/\/+$/, '')}`}` +
      `${flag('queueDir') ? `; queue kept in ${flag('queueDir')}` : ''}${recordPath ? `; recording into ${recordPath}` : ''}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      const { heldTraces, queuedSpans } = server.stats;
      console.error(`tokenledger collect: ${signal} again; exiting now, losing ${heldTraces} held traces and ${queuedSpans} queued spans`);
      process.exit(1);
    }
    stopping = true;
    diag.info(`tokenledger collect: ${signal}; forwarding what is held, for up to ${drainMs / 1000} s`);
    const deadline = Date.now() + drainMs;
    void server
      .stop(drainMs)
      .then(async (result) => {
        const flushMs = Math.max(MIN_METRICS_FLUSH_MS, deadline - Date.now());
        const flushed = Promise.all([meterProvider.shutdown().catch(() => undefined), recorder?.close().catch(() => undefined)]);
        await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, flushMs))]);
        const { line, lost } = summary(result);
        (lost > 0 ? console.error : console.log)(line);
        process.exit(lost > 0 ? 1 : 0);
      })
      .catch((error: unknown) => {
        console.error(`tokenledger collect: stopping failed: ${(error as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}

/** The stop line, and how many spans were lost (dropped for any reason but `invalid`, which the client was told). */
function summary({ stats, persisted }: StopResult): { line: string; lost: number } {
  const lostBy = Object.entries(stats.droppedSpans).filter(([reason, spans]) => reason !== 'invalid' && spans > 0);
  const lost = lostBy.reduce((sum, [, spans]) => sum + spans, 0);
  const refused = Object.values(stats.refusedRequests).reduce((sum, requests) => sum + requests, 0);
  const parts = [
    `accepted ${stats.acceptedSpans} spans`,
    `forwarded ${stats.forwardedSpans}`,
    `lost ${lost}${lostBy.length > 0 ? ` (${lostBy.map(([reason, spans]) => `${reason} ${spans}`).join(', ')})` : ''}`,
    `refused ${stats.droppedSpans.invalid} invalid spans and ${refused} requests (the clients were told)`,
  ];
  if (persisted > 0) parts.push(`${persisted} spans kept in the queue directory for the next start`);
  return { line: `tokenledger collect: stopped; ${parts.join('; ')}`, lost };
}

function tlsFiles(cert: string | undefined, key: string | undefined, clientCa: string | undefined): CollectorTls | undefined {
  if (!cert && !key && !clientCa) return undefined;
  if (!cert || !key) throw new Error('--tls-cert and --tls-key go together (and --tls-client-ca needs both)');
  return { cert: readFileSync(cert), key: readFileSync(key), clientCa: clientCa ? readFileSync(clientCa) : undefined };
}

/** `--prometheus host:port` serves the metrics for scraping; otherwise they go over OTLP to `endpoint`. */
function metricReader(prometheus: { host: string; port: number } | undefined, endpoint: string, env: NodeJS.ProcessEnv): IMetricReader {
  if (prometheus) return new PrometheusExporter({ host: prometheus.host, port: prometheus.port });
  const base = endpoint.replace(/\/+$/, '').replace(/\/v1\/traces$/, '');
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: base.endsWith('/v1/metrics') ? base : `${base}/v1/metrics` }),
    exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000),
  });
}
