// Every setting of `tokenledger collect`: its flags and the variables it reads, with type, default and meaning.
// The CLI's parsing and `--help` come from this table, and so does the README's collector table.
import { booleanSetting, positiveSetting, stringSetting, type PassedSetting, type Setting } from '../setup/setting.ts';

/** `--listen` and `--prometheus`: host:port. */
function addressSetting(name: string, fallback: string | undefined, meaning: string): Setting<{ host: string; port: number }> {
  return {
    name,
    type: '`host:port`',
    default: fallback ?? '—',
    meaning,
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
  listen: addressSetting('--listen', '127.0.0.1:4318', 'where `POST /v1/traces` is served (`application/x-protobuf` and `application/json`)'),
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
  maxQueuedRequests: positiveSetting(
    '--max-queued-requests',
    true,
    1000,
    'requests held for an upstream that is down or slow (retried with backoff); past it the oldest is dropped and counted',
  ),
  maxBodyBytes: positiveSetting('--max-body-bytes', true, 4_194_304, 'larger bodies get 413'),
  prometheus: addressSetting(
    '--prometheus',
    undefined,
    'serve the metrics for Prometheus there; without it they go over OTLP to `<upstream>/v1/metrics` (or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`)',
  ),
  prices: stringSetting('--prices', 'path', 'price overrides, as `TOKENLEDGER_PRICES`'),
  record: stringSetting('--record', 'path', 'also append every forwarded request to this file as OTLP/JSON lines, as `TOKENLEDGER_RECORD` does in process'),
  legacyMetrics: booleanSetting('--legacy-metrics', false, 'also record the previous `gen_ai.client.token.usage` histogram, as `TOKENLEDGER_LEGACY_METRICS`'),
} satisfies Record<string, Setting<unknown>>;

/** Variables collector mode reads (never secrets in argv, which `ps` shows). */
export const COLLECTOR_VARIABLES: readonly PassedSetting[] = [
  { name: 'TOKENLEDGER_COLLECTOR_TOKEN', type: 'string', default: '—', meaning: 'when set, clients must send `Authorization: Bearer <token>` (401 otherwise)' },
  { name: 'OTEL_METRIC_EXPORT_INTERVAL', type: 'milliseconds', default: '60000', meaning: 'how often metrics go upstream over OTLP' },
];

export const COLLECTOR_SETTINGS: readonly PassedSetting[] = [...Object.values(COLLECTOR_FLAGS), ...COLLECTOR_VARIABLES];

/** `--help`: the usage line and the table as plain text. */
export function collectorHelp(): string {
  const plain = (text: string) => text.replace(/`/g, '').replace(/\\\|/g, '|').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
  const lines = ['usage: tokenledger collect [flags]', '', 'An OTLP/HTTP trace receiver that prices LLM spans and rolls up agent runs, then forwards every span.', ''];
  for (const setting of COLLECTOR_SETTINGS) {
    const fallback = setting.default === '—' ? '' : ` (default ${plain(setting.default)})`;
    lines.push(`  ${setting.name} ${plain(setting.type)}${fallback}`, `      ${plain(setting.meaning)}`);
  }
  return lines.join('\n');
}
