// Every setting of `tokenledger collect`: its flags and the variables it reads, with type, default and meaning.
// The command's parsing (config/command-line.ts, as for every command) and `--help` come from this table, and so
// does the table in docs/collector.md.
import { commandHelp, commandSettings, type CommandSpec } from '../config/command-line.ts';
import { booleanSetting, listSetting, positiveSetting, stringSetting, type DocumentedSetting, type PassedSetting, type Setting } from '../config/setting.ts';
import { BACKEND_CONVENTIONS } from '../ledger/backend-attributes.ts';

export interface Address {
  host: string;
  port: number;
}

/** `host:port`, an IPv6 host in brackets (as in a URL). */
export function hostPort({ host, port }: Address): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** `--listen` and `--prometheus`: host:port (port 0: one the system picks). */
function addressSetting(name: string, fallback: Address | undefined, meaning: string): Setting<Address> {
  return {
    name,
    type: '`host:port`',
    default: fallback,
    meaning,
    show: hostPort,
    parse(raw) {
      const index = raw.lastIndexOf(':');
      if (index <= 0) throw new Error(`${name} must be host:port, got ${raw}`);
      const port = raw.slice(index + 1);
      if (!/^\d+$/.test(port) || Number(port) > 65535) throw new Error(`${name} port must be a number up to 65535, got ${port}`);
      return { host: raw.slice(0, index).replace(/^\[|\]$/g, ''), port: Number(port) };
    },
  };
}

/** The flags, by option name (the flag is `--` and the name in kebab case). */
export const COLLECTOR_FLAGS = {
  listen: addressSetting(
    '--listen',
    { host: '127.0.0.1', port: 4318 },
    'where `POST /v1/traces` is served (`application/x-protobuf` and `application/json`, bodies plain or gzip, deflate or zstd)',
  ),
  upstream: stringSetting(
    '--upstream',
    'URL',
    'where spans are forwarded (`/v1/traces` appended); default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`',
  ),
  quietMs: positiveSetting('--quiet-ms', true, 2000, 'a trace is rolled up and forwarded once its root has arrived and no span came for this long'),
  maxTraceAgeMs: positiveSetting('--max-trace-age-ms', true, 30_000, 'a trace whose root never arrives is forwarded un-rolled after this'),
  maxTraces: positiveSetting(
    '--max-traces',
    true,
    10_000,
    'traces held at most; past it the oldest trace is forwarded un-rolled, its runs marked `tokenledger.run.complete = false`',
  ),
  maxSpans: positiveSetting('--max-spans', true, 200_000, 'spans held at most, over all traces; past it, as `--max-traces`'),
  maxMemoryBytes: positiveSetting(
    '--max-memory-bytes',
    true,
    67_108_864,
    'bytes held at most over request bodies being read, held traces and requests queued for the upstream; at the limit clients get 503 with `Retry-After` (nothing is dropped) and, while the upstream takes spans, the oldest held traces are forwarded early. Resident memory stayed under 200 MB + 2.5 × this with 4 MB requests and the upstream down (`npm run bench`)',
  ),
  maxBodyBytes: positiveSetting(
    '--max-body-bytes',
    true,
    20_971_520,
    'a request body larger than this, as sent or once inflated, gets 413 (after it has been read)',
  ),
  upstreamTimeoutMs: positiveSetting(
    '--upstream-timeout-ms',
    true,
    10_000,
    "how long one request to the upstream may take; one that takes longer is sent again, so set it above the upstream's slowest answer",
  ),
  upstreamConcurrency: positiveSetting('--upstream-concurrency', true, 4, 'requests in flight to the upstream at once'),
  upstreamMaxElapsedMs: positiveSetting(
    '--upstream-max-elapsed-ms',
    true,
    300_000,
    'a request the upstream keeps failing (429, 502, 503, 504, timeout, network error) is retried with exponential backoff and jitter, or after its `Retry-After`, for this long, then dropped and counted',
  ),
  drainTimeoutMs: positiveSetting(
    '--drain-timeout-ms',
    true,
    20_000,
    'on SIGTERM or SIGINT: how long to keep forwarding what is held and queued (retrying at least every second) before what is left is counted lost (or kept in `--queue-dir`); the exit code is 1 when spans were lost',
  ),
  queueDir: stringSetting(
    '--queue-dir',
    'path',
    'keep every request for the upstream in this directory too until it is delivered, and send what a previous run left there at start: a restart or a drain deadline loses nothing queued. One instance per directory',
  ),
  tlsCert: stringSetting('--tls-cert', 'path', 'serve HTTPS with this PEM certificate chain (with `--tls-key`)'),
  tlsKey: stringSetting('--tls-key', 'path', 'the PEM private key of `--tls-cert`'),
  tlsClientCa: stringSetting('--tls-client-ca', 'path', 'require client certificates signed by this PEM CA (mutual TLS)'),
  metricsEndpoint: stringSetting(
    '--metrics-endpoint',
    'URL',
    'where the metrics go over OTLP/HTTP (`/v1/metrics` appended); default `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`, else the upstream. Point it elsewhere (or use `--prometheus`) so they survive an upstream outage',
  ),
  prometheus: addressSetting('--prometheus', undefined, 'serve the metrics for Prometheus there instead of sending them over OTLP'),
  prices: stringSetting('--prices', 'path', 'price overrides, as `TOKENLEDGER_PRICES`'),
  record: stringSetting('--record', 'path', 'also append every forwarded request to this file as OTLP/JSON lines, as `TOKENLEDGER_RECORD` does in process'),
  legacyMetrics: booleanSetting('--legacy-metrics', false, 'also record the previous `gen_ai.client.token.usage` histogram, as `TOKENLEDGER_LEGACY_METRICS`'),
  genaiCostAttributes: booleanSetting(
    '--genai-cost-attributes',
    false,
    'also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes on the calls it prices, as `TOKENLEDGER_GENAI_COST_ATTRIBUTES`',
  ),
  baggageKeys: listSetting(
    '--baggage-keys',
    'names, comma-separated',
    "span attributes (baggage entries the app copied onto its spans, e.g. `tenant.id,user.id,feature`) to label the token, cost and run metrics with; a call without one takes its run's (see [Attribution](attribution.md))",
  ),
  baggageMaxValues: positiveSetting(
    '--baggage-max-values',
    true,
    100,
    'distinct values per `--baggage-keys` key on the metrics; later values are recorded as `_overflow` and counted',
  ),
  baggageHashKeys: listSetting(
    '--baggage-hash-keys',
    'names, comma-separated',
    'attributes among `--baggage-keys` (e.g. `user.id`) whose values are replaced by a hash (16 hex digits, keyed with `TOKENLEDGER_BAGGAGE_HASH_SALT`) on every span, forwarded and labelled alike, as `TOKENLEDGER_BAGGAGE_HASH_KEYS` does in process',
  ),
  backendConventions: listSetting(
    '--backend-conventions',
    '`openinference`, `langfuse`, comma-separated',
    "also write each LLM span's figures in these conventions, as `TOKENLEDGER_BACKEND_CONVENTIONS`",
    BACKEND_CONVENTIONS,
  ),
} satisfies Record<string, Setting<unknown>>;

/** Variables collector mode reads (never secrets in argv, which `ps` shows). */
export const COLLECTOR_VARIABLES: readonly PassedSetting[] = [
  {
    name: 'TOKENLEDGER_COLLECTOR_TOKEN',
    type: 'string',
    meaning: 'when set, clients must send `Authorization: Bearer <token>` (401 otherwise; compared in constant time, the scheme in any case)',
  },
  {
    name: 'TOKENLEDGER_BAGGAGE_HASH_SALT',
    type: 'string',
    meaning:
      'the HMAC key of the `--baggage-hash-keys` hash (the same as in process: one salt gives the same hashes); without it the hash is a plain SHA-256, which anyone can recompute for a guessed id',
  },
  {
    name: 'OTEL_LOG_LEVEL',
    type: '`none` … `all`',
    default: '`info`',
    meaning: 'what the collector logs (to stderr and stdout); drops, refusals and upstream failures are warnings, at most one per kind every 10 s',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_HEADERS',
    type: '`key=value,…`',
    meaning: 'headers sent upstream with traces and metrics (`OTEL_EXPORTER_OTLP_TRACES_HEADERS` and `…_METRICS_HEADERS` add to them per signal)',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_COMPRESSION',
    type: '`gzip` \\| `none`',
    default: '`none`',
    meaning: 'compression of what is sent upstream (`OTEL_EXPORTER_OTLP_TRACES_COMPRESSION` for traces only)',
  },
  { name: 'OTEL_METRIC_EXPORT_INTERVAL', type: 'milliseconds', default: '60000', meaning: 'how often metrics are sent over OTLP' },
];

/** `tokenledger collect`, described as the cost lab's commands are, so one help printer and one table serve all. */
export const COLLECT_COMMAND: CommandSpec<typeof COLLECTOR_FLAGS> = {
  name: 'collect',
  usage: 'tokenledger collect [flags]',
  summary: 'An OTLP/HTTP trace receiver that prices LLM spans and rolls up agent runs, then forwards every span.',
  flags: COLLECTOR_FLAGS,
  variables: COLLECTOR_VARIABLES,
};

export const COLLECTOR_SETTINGS: readonly DocumentedSetting[] = commandSettings(COLLECT_COMMAND);

/** `--help`: the usage line and the table as plain text. */
export function collectorHelp(): string {
  return commandHelp(COLLECT_COMMAND);
}
