// Every setting of tokenledger in process (the register entry and `startTokenledger`): the standard OTEL_*
// variables the OpenTelemetry SDK reads, documented here beside tokenledger's own TOKENLEDGER_* ones, which are
// parsed from this table. Precedence: an option given in code, else the variable, else the default.
import { BACKEND_CONVENTIONS } from '../ledger/backend-attributes.ts';
import {
  booleanSetting,
  choiceSetting,
  fractionSetting,
  listSetting,
  positiveSetting,
  readSetting,
  stringSetting,
  urlMappingSetting,
  type DocumentedSetting,
  type PassedSetting,
  type Setting,
} from '../config/setting.ts';

/** Read by the OpenTelemetry SDK and exporters themselves. */
export const OTEL_SETTINGS: readonly PassedSetting[] = [
  { name: 'OTEL_SERVICE_NAME', type: 'string', default: 'unknown_service:node', meaning: 'the `service.name` resource attribute' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', type: '`key=value,…`', meaning: 'extra resource attributes' },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    type: 'URL',
    default: 'http://localhost:4318',
    meaning: 'OTLP endpoint for all signals; per-signal forms `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `…_METRICS_ENDPOINT` win',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_PROTOCOL',
    type: '`http/protobuf` \\| `http/json` \\| `grpc`',
    default: 'http/protobuf',
    meaning: 'the OTLP protocol (per-signal forms too)',
  },
  { name: 'OTEL_EXPORTER_OTLP_HEADERS', type: '`key=value,…`', meaning: 'headers for the OTLP exporters, e.g. an API key for your backend' },
  {
    name: 'OTEL_TRACES_EXPORTER',
    type: '`otlp`, `console`, `none`',
    default: 'otlp',
    meaning: 'where spans go; comma-separated for several. Only the exporter package configured is loaded (gRPC only for `grpc`)',
  },
  {
    name: 'OTEL_METRICS_EXPORTER',
    type: '`otlp`, `prometheus`, `console`, `none`',
    default: 'otlp',
    meaning: 'where metrics go (the Prometheus exporter is loaded only for `prometheus`)',
  },
  {
    name: 'OTEL_METRIC_EXPORT_INTERVAL',
    type: 'milliseconds',
    default: '60000',
    meaning: "how often metrics are exported over OTLP or to the console (`OTEL_METRIC_EXPORT_TIMEOUT`: each export's timeout, default 30000)",
  },
  {
    name: 'OTEL_EXPORTER_PROMETHEUS_PORT',
    type: 'port',
    default: '9464',
    meaning: 'where `OTEL_METRICS_EXPORTER=prometheus` serves `/metrics` (`OTEL_EXPORTER_PROMETHEUS_HOST`: the interface, default all)',
  },
  {
    name: 'OTEL_TRACES_SAMPLER',
    type: '`always_on`, `always_off`, `traceidratio`, `parentbased_*`',
    default: 'parentbased_always_on',
    meaning: 'the sampler; `OTEL_TRACES_SAMPLER_ARG` is the ratio',
  },
  {
    name: 'OTEL_PROPAGATORS',
    type: '`tracecontext`, `baggage`, `b3`, `b3multi`, `none`',
    default: 'tracecontext,baggage',
    meaning: 'trace context propagation, comma-separated',
  },
  {
    name: 'OTEL_NODE_RESOURCE_DETECTORS',
    type: '`host`, `os`, `process`, `serviceinstance`, `env`, `all`, `none`',
    default: 'all',
    meaning: 'which resource detectors run',
  },
  {
    name: 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
    type: 'number',
    default: '128',
    meaning: 'span limits (and the other `OTEL_SPAN_*_LIMIT` and `OTEL_ATTRIBUTE_*_LIMIT` variables)',
  },
  {
    name: 'OTEL_BSP_SCHEDULE_DELAY',
    type: 'milliseconds',
    default: '5000',
    meaning: "the batch span processor's export delay (and `OTEL_BSP_MAX_QUEUE_SIZE`, `…_MAX_EXPORT_BATCH_SIZE`, `…_EXPORT_TIMEOUT`)",
  },
  { name: 'OTEL_SDK_DISABLED', type: 'boolean', default: 'false', meaning: '`true`: start nothing; the app runs untouched' },
  {
    name: 'OTEL_LOG_LEVEL',
    type: '`none` … `all`',
    default: 'info',
    meaning:
      "what goes to stderr, one line per distinct problem, repeats at most once a minute: unpriced models, export failures, unknown exporter names and `TOKENLEDGER_*` variables, guardrail breaches in warn mode, tokenledger's internal errors; OpenTelemetry's own info lines only when set",
  },
  {
    name: 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
    type: 'boolean, or `SPAN_ONLY` \\| `SPAN_AND_EVENT`',
    default: 'false',
    meaning: 'write prompts and completions on spans',
  },
];

/** tokenledger's own settings, by the option each sets. */
export const TOKENLEDGER_SETTINGS = {
  legacyAttributes: booleanSetting(
    'TOKENLEDGER_LEGACY_ATTRIBUTES',
    false,
    'also write `gen_ai.usage.cache_creation.input_tokens` (the pre-2026-08 name of `cache_write`)',
  ),
  legacyMetrics: booleanSetting(
    'TOKENLEDGER_LEGACY_METRICS',
    false,
    'also record `gen_ai.client.token.usage`, the GenAI token histogram the `gen_ai.client.inference.*` metrics replaced',
  ),
  openaiStreamUsage: choiceSetting(
    'TOKENLEDGER_OPENAI_STREAM_USAGE',
    ['inject', 'off'] as const,
    'inject',
    '`inject`: ask for usage on OpenAI chat streams that did not, and hide the extra chunk from the app; `off`: leave the request alone (usage then unknown, with a reason)',
  ),
  anthropicSdkSpans: choiceSetting(
    'TOKENLEDGER_ANTHROPIC_SDK_SPANS',
    ['off', 'keep'] as const,
    'off',
    "`off`: the Anthropic SDK starts no span of its own for the Messages calls tokenledger records, so tokenledger's span is the call's span (the SDK's other spans stay, and so do the call spans of a client given its own tracer provider or while `ANTHROPIC_OPEN_TELEMETRY` is set; the environment is not written); `keep`: the SDK's span is the call's span (tokenledger normalises it)",
  ),
  providerUrls: urlMappingSetting(
    'TOKENLEDGER_PROVIDER_URLS',
    '`URL=name,…`',
    "the provider behind an `openai` client's base URL, for hosts tokenledger does not know: `local` (or a name of your own) for a self-hosted server on another machine, a provider's name for a gateway in front of it (see [Providers and where their prices come from](providers.md#providers-and-where-their-prices-come-from))",
  ),
  pricesFile: stringSetting('TOKENLEDGER_PRICES', 'path', 'a JSON or YAML price overrides file (see [How cost is computed](cost.md))'),
  pricesRefreshUrl: stringSetting(
    'TOKENLEDGER_PRICES_REFRESH_URL',
    '`default` \\| URL',
    "fetch fresh price data at start: `default` (genai-prices' published data file) or a URL of a copy. Unset: no network request, ever",
  ),
  runs: booleanSetting(
    'TOKENLEDGER_RUNS',
    true,
    '`false`: price calls and record call metrics only, no run tracking or guardrails (`runs: false` in code) — for services whose runs [collector mode](collector.md) rolls up across services',
  ),
  genaiCostAttributes: booleanSetting('TOKENLEDGER_GENAI_COST_ATTRIBUTES', false, 'also write the proposed `gen_ai.usage.cost.amount`/`.currency`/`.source`'),
  runMaxUsd: positiveSetting(
    'TOKENLEDGER_RUN_MAX_USD',
    false,
    undefined,
    'a budget in USD for every run that has none of its own (see [Guardrails](guardrails.md))',
  ),
  runMaxSteps: positiveSetting('TOKENLEDGER_RUN_MAX_STEPS', true, undefined, 'a budget in LLM calls for every run that has none of its own'),
  shutdownTimeoutMs: positiveSetting(
    'TOKENLEDGER_SHUTDOWN_TIMEOUT_MS',
    true,
    3000,
    "at normal exit and on SIGTERM, how long telemetry is flushed at most before the process ends, whatever the exporters' endpoints do (down, slow or black-holed)",
  ),
  record: stringSetting(
    'TOKENLEDGER_RECORD',
    'path',
    'also append every finished span to this file as OTLP/JSON lines, for `tokenledger report`, `whatif` and `gate` (see [Cost lab](cost-lab.md))',
  ),
  runWaitMs: fractionSetting(
    'TOKENLEDGER_RUN_WAIT_MS',
    5000,
    'how long, in milliseconds, a run whose root ended waits for LLM calls and tools still open under it (a stream drained after the handler returned) before it is written without them, incomplete (`calls_open_at_end`); 0: no wait (see [A run is its whole subtree](runs.md#a-run-is-its-whole-subtree))',
  ),
  runUnknownCost: choiceSetting(
    'TOKENLEDGER_RUN_UNKNOWN_COST',
    ['allow', 'stop'] as const,
    'allow',
    "what a dollar budget does with a call it cannot price (an unknown model, a local server): `allow` runs it, records it on the run and warns once; `stop` fails closed, sending no call once a run's spend cannot be known (in enforce mode)",
  ),
  guardMode: choiceSetting(
    'TOKENLEDGER_GUARD_MODE',
    ['warn', 'enforce'] as const,
    'warn',
    '`enforce`: a call or tool that would break a budget or loop limit is stopped with a typed error; `warn`: recorded only',
  ),
  baggageKeys: listSetting(
    'TOKENLEDGER_BAGGAGE_KEYS',
    'names, comma-separated',
    'baggage entries (e.g. `tenant.id,user.id,feature`) copied onto LLM call, tool and run spans under the same name and onto the token, cost and run metrics as labels (see [Attribution](attribution.md))',
  ),
  baggageMaxValues: positiveSetting(
    'TOKENLEDGER_BAGGAGE_MAX_VALUES',
    true,
    100,
    'distinct values per baggage key on the metrics; later values are recorded as `_overflow` and counted in `tokenledger.attribution.overflow`',
  ),
  baggageHashKeys: listSetting(
    'TOKENLEDGER_BAGGAGE_HASH_KEYS',
    'names, comma-separated',
    'baggage keys whose values are recorded as a hash (16 hex digits), e.g. `user.id`; each must be in `TOKENLEDGER_BAGGAGE_KEYS`',
  ),
  baggageHashSalt: stringSetting(
    'TOKENLEDGER_BAGGAGE_HASH_SALT',
    'string',
    'the HMAC key of that hash; without it the hash is a plain SHA-256, which anyone can recompute for a guessed id',
  ),
  backendConventions: listSetting(
    'TOKENLEDGER_BACKEND_CONVENTIONS',
    '`openinference`, `langfuse`, comma-separated',
    'also write the figures in these conventions on LLM call spans, for backends that read them (Phoenix, Arize and Datadog: `openinference`; Langfuse: `langfuse`)',
    BACKEND_CONVENTIONS,
  ),
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof TOKENLEDGER_SETTINGS;
/** The value of every TOKENLEDGER_* setting that is set (an unset one is left out, so its default applies). */
export type TokenledgerSettingValues = { [K in keyof Settings]?: Settings[K] extends Setting<infer T> ? T : never };

/** Reads every TOKENLEDGER_* variable; throws, naming the variable and the value, when one is invalid. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): TokenledgerSettingValues {
  const values: Record<string, unknown> = {};
  for (const [option, setting] of Object.entries(TOKENLEDGER_SETTINGS)) {
    const value = readSetting(setting as Setting<unknown>, env);
    if (value !== undefined) values[option] = value;
  }
  return values as TokenledgerSettingValues;
}

/** The TOKENLEDGER_* variables set in `env` that are no setting of this table (a typo, or a setting of collector mode). */
export function unknownSettingNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const known = new Set<string>(Object.values(TOKENLEDGER_SETTINGS).map((setting) => setting.name));
  return Object.keys(env).filter((name) => name.startsWith('TOKENLEDGER_') && !known.has(name));
}

/** The known setting whose name is closest to `name` (at most 3 edits away), for a "did you mean". */
export function closestSettingName(name: string): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const setting of Object.values(TOKENLEDGER_SETTINGS)) {
    const distance = editDistance(name, setting.name);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: setting.name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Every row, OTEL_* first, for docs/configuration.md. */
export const IN_PROCESS_SETTINGS: readonly DocumentedSetting[] = [...OTEL_SETTINGS, ...Object.values(TOKENLEDGER_SETTINGS)];
