// `tokenledger collect [flags]`: the flags and variables are the table in collector/settings.ts, parsed by the one
// parser every command uses, which `--help` prints. The bearer token clients must send comes from
// TOKENLEDGER_COLLECTOR_TOKEN, and the salt of the attribution hash from TOKENLEDGER_BAGGAGE_HASH_SALT (never from
// argv, which `ps` shows).
//
// `startCollector(argv, io)` starts collector mode in the calling process and returns a handle whose `stop()` does
// what SIGTERM does: stop receiving, forward what is held, wait for the upstream until the drain deadline, flush the
// metrics (within the same deadline, at least 1 s), say what was forwarded and what was lost, and resolve to the
// exit code (1 when spans were lost). Tests run it in process. `collect(argv, io)` is the command: it starts the
// collector and stops it on SIGTERM or SIGINT (a second signal exits at once). Flags or variables it cannot use are
// a UsageError (exit 2). It logs through OpenTelemetry's diag at OTEL_LOG_LEVEL (default info) and prints one line
// when it listens and one when it stops.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { withTimeout } from '../base/with-timeout.ts';
import { parseCommandLine, UsageError, type CommandIo, type FlagValues } from '../config/command-line.ts';
import { loadPriceOverridesFile } from '../ledger/pricing/price-overrides.ts';
import { CollectorServer, type CollectorTls, type StopResult } from './collector-server.ts';
import { forwardedRecorder } from './record-forwarded.ts';
import { COLLECT_COMMAND, collectorHelp, hostPort, type Address, type COLLECTOR_FLAGS } from './settings.ts';
import { upstreamCompression, upstreamHeaders } from './upstream-headers.ts';

type Values = FlagValues<typeof COLLECTOR_FLAGS>;

/** The last metrics may take what is left of the drain deadline, and at least this. */
const MIN_METRICS_FLUSH_MS = 1000;
/** After the stop line, what still holds the process (a metrics export to an endpoint that never answers) is cut off. */
const EXIT_GRACE_MS = 1000;

export interface RunningCollector {
  /** Where it serves `POST /v1/traces` (the base URL, as printed). */
  readonly url: string;
  /** Where `--prometheus` serves the metrics, when given. */
  readonly metricsUrl: string | undefined;
  readonly server: CollectorServer;
  /** How long `stop()` waits for the upstream (`--drain-timeout-ms`). */
  readonly drainMs: number;
  /** Stops as SIGTERM does and says so; resolves to the exit code (1 when spans were lost). Once: later calls get the same. */
  stop(): Promise<number>;
}

/** The command: `--help`, or collector mode until SIGTERM or SIGINT; resolves to the exit code. */
export async function collect(argv: readonly string[], io: CommandIo): Promise<number> {
  if (parseCommandLine(COLLECT_COMMAND, argv).help) {
    io.out(`${collectorHelp()}\n`);
    return 0;
  }
  const running = await startCollector(argv, io);
  const code = await new Promise<number>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        const { heldTraces, queuedSpans } = running.server.stats;
        io.err(`tokenledger collect: ${signal} again; exiting now, losing ${heldTraces} held traces and ${queuedSpans} queued spans\n`);
        process.exit(1);
      }
      stopping = true;
      diag.info(`tokenledger collect: ${signal}; forwarding what is held, for up to ${running.drainMs / 1000} s`);
      running.stop().then(resolve, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  return code;
}

/** Starts collector mode from its command line (without `collect`) and `io.env`. */
export async function startCollector(argv: readonly string[], io: CommandIo): Promise<RunningCollector> {
  const { files, values } = parseCommandLine(COLLECT_COMMAND, argv);
  if (files.length > 0) throw new UsageError(`collect takes no files, got ${files.join(' ')}`);
  const env = io.env;
  const level = env.OTEL_LOG_LEVEL ? diagLogLevelFromString(env.OTEL_LOG_LEVEL) : DiagLogLevel.INFO;
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level ?? DiagLogLevel.INFO, suppressOverrideMessage: true });
  const upstream = values.upstream || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!upstream) throw new UsageError('an upstream endpoint is required (--upstream or OTEL_EXPORTER_OTLP_ENDPOINT)');
  if (values.baggageHashKeys && !values.baggageKeys) throw new UsageError('--baggage-hash-keys needs --baggage-keys');
  const tls = tlsFiles(values);
  const prices = values.prices ? usable(() => loadPriceOverridesFile(values.prices!)) : undefined;
  const metricsEndpoint = values.metricsEndpoint || env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT || upstream;
  const metrics = values.prometheus
    ? await prometheusReader(values.prometheus)
    : { reader: otlpReader(metricsEndpoint, env), address: undefined, close: async () => undefined };
  const meterProvider = new MeterProvider({ readers: [metrics.reader] });
  const recorder = values.record ? forwardedRecorder(values.record) : undefined;
  const release = () => Promise.all([meterProvider.shutdown().catch(() => undefined), recorder?.close().catch(() => undefined), metrics.close()]);
  let server: CollectorServer;
  let url: string;
  try {
    server = usable(() => collectorServer(values, env, { upstream, tls, prices, meterProvider, record: recorder?.record }));
    url = await server.start();
  } catch (error) {
    await release();
    throw error;
  }
  const drainMs = values.drainTimeoutMs!;
  const mib = (bytes: number) => `${+(bytes / 1048576).toFixed(1)} MiB`;
  io.out(
    `tokenledger collect: listening on ${url}/v1/traces; upstream ${upstream.replace(/\/+$/, '')}; ` +
      `memory limit ${mib(values.maxMemoryBytes!)}, body limit ${mib(values.maxBodyBytes!)}, ${values.upstreamConcurrency} upstream requests in flight, ` +
      `drain ${drainMs / 1000} s; metrics ${metrics.address ? `for Prometheus on ${hostPort(metrics.address)}` : `to ${metricsEndpoint.replace(/\/+$/, '')}`}` +
      `${values.queueDir ? `; queue kept in ${values.queueDir}` : ''}${values.record ? `; recording into ${values.record}` : ''}\n`,
  );
  let stopped: Promise<number> | undefined;
  const stop = async (): Promise<number> => {
    const deadline = Date.now() + drainMs;
    const result = await server.stop(drainMs);
    await withTimeout(release(), Math.max(MIN_METRICS_FLUSH_MS, deadline - Date.now()));
    const { line, lost } = summary(result);
    (lost > 0 ? io.err : io.out)(`${line}\n`);
    return lost > 0 ? 1 : 0;
  };
  const metricsUrl = metrics.address && `http://${hostPort(metrics.address)}/metrics`;
  return { url, metricsUrl, server, drainMs, stop: () => (stopped ??= stop()) };
}

function collectorServer(
  values: Values,
  env: NodeJS.ProcessEnv,
  made: {
    upstream: string;
    tls: CollectorTls | undefined;
    prices: ReturnType<typeof loadPriceOverridesFile> | undefined;
    meterProvider: MeterProvider;
    record?: (request: Uint8Array) => void;
  },
): CollectorServer {
  const { host, port } = values.listen!;
  return new CollectorServer({
    host,
    port,
    upstream: made.upstream,
    meterProvider: made.meterProvider,
    maxBodyBytes: values.maxBodyBytes,
    maxMemoryBytes: values.maxMemoryBytes,
    upstreamTimeoutMs: values.upstreamTimeoutMs,
    upstreamConcurrency: values.upstreamConcurrency,
    upstreamBackoff: { maxElapsedMs: values.upstreamMaxElapsedMs },
    upstreamHeaders: upstreamHeaders(env),
    upstreamCompression: upstreamCompression(env),
    queueDir: values.queueDir,
    tls: made.tls,
    traces: { quietMs: values.quietMs, maxAgeMs: values.maxTraceAgeMs, maxTraces: values.maxTraces, maxSpans: values.maxSpans },
    bearerToken: env.TOKENLEDGER_COLLECTOR_TOKEN || undefined,
    prices: made.prices,
    legacyMetrics: values.legacyMetrics ?? false,
    genaiCostAttributes: values.genaiCostAttributes ?? false,
    attribution: values.baggageKeys
      ? {
          keys: values.baggageKeys,
          maxValuesPerKey: values.baggageMaxValues,
          hashKeys: values.baggageHashKeys,
          hashSalt: env.TOKENLEDGER_BAGGAGE_HASH_SALT || undefined,
        }
      : undefined,
    backendConventions: values.backendConventions,
    record: made.record,
  });
}

/** What a setting names, read or checked: its failure is the user's to fix (a UsageError naming it). */
function usable<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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

function tlsFiles({ tlsCert: cert, tlsKey: key, tlsClientCa: clientCa }: Values): CollectorTls | undefined {
  if (!cert && !key && !clientCa) return undefined;
  if (!cert || !key) throw new UsageError('--tls-cert and --tls-key go together (and --tls-client-ca needs both)');
  return usable(() => ({ cert: readFileSync(cert), key: readFileSync(key), clientCa: clientCa ? readFileSync(clientCa) : undefined }));
}

/** The metrics over OTLP to `endpoint` (`/v1/metrics` appended), every OTEL_METRIC_EXPORT_INTERVAL. */
function otlpReader(endpoint: string, env: NodeJS.ProcessEnv): IMetricReader {
  const base = endpoint.replace(/\/+$/, '').replace(/\/v1\/traces$/, '');
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: base.endsWith('/v1/metrics') ? base : `${base}/v1/metrics` }),
    exportIntervalMillis: Number(env.OTEL_METRIC_EXPORT_INTERVAL ?? 60_000),
  });
}

/**
 * `--prometheus host:port`: the metrics served for scraping at `/metrics`, from a listener of our own so that port 0
 * (one the system picks) can be told back; like the exporter's own, it does not keep the process alive.
 */
async function prometheusReader({ host, port }: Address): Promise<{ reader: IMetricReader; address: Address; close(): Promise<void> }> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/metrics') exporter.getMetricsRequestHandler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`--prometheus ${host}:${port}: ${error.message}`)));
    server.listen(port, host, resolve);
  });
  server.unref();
  return {
    reader: exporter,
    address: { host, port: (server.address() as AddressInfo).port },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
