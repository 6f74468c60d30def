// Every setting of tokenledger in process (the register entry and `startTokenledger`): the standard OTEL_*
// variables the OpenTelemetry SDK reads, documented here beside tokenledger's own TOKENLEDGER_* ones, which are
// parsed from this table. Precedence: an option given in code, else the variable, else the default.
import {
  booleanSetting,
  choiceSetting,
  positiveSetting,
  readSetting,
  stringSetting,
  type PassedSetting,
  type Setting,
} from './setting.ts';

/** Read by the OpenTelemetry SDK and exporters themselves. */
export const OTEL_SETTINGS: readonly PassedSetting[] = [
  { name: 'OTEL_SERVICE_NAME', type: 'string', default: 'unknown_service:node', meaning: 'the `service.name` resource attribute' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', type: '`key=value,…`', default: '—', meaning: 'extra resource attributes' },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    type: 'URL',
    default: 'http://localhost:4318',
    meaning: 'OTLP endpoint for all signals; per-signal forms `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `…_METRICS_ENDPOINT` win',
  },
  { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', type: '`http/protobuf` \\| `http/json` \\| `grpc`', default: 'http/protobuf', meaning: 'the OTLP protocol (per-signal forms too)' },
  { name: 'OTEL_EXPORTER_OTLP_HEADERS', type: '`key=value,…`', default: '—', meaning: 'headers for the OTLP exporters, e.g. an API key for your backend' },
  { name: 'OTEL_TRACES_EXPORTER', type: '`otlp`, `console`, `none`', default: 'otlp', meaning: 'where spans go; comma-separated for several' },
  { name: 'OTEL_METRICS_EXPORTER', type: '`otlp`, `prometheus`, `console`, `none`', default: 'otlp', meaning: 'where metrics go' },
  { name: 'OTEL_BSP_SCHEDULE_DELAY', type: 'milliseconds', default: '5000', meaning: 'the batch span processor\'s export delay (and `OTEL_BSP_MAX_QUEUE_SIZE`, `…_MAX_EXPORT_BATCH_SIZE`, `…_EXPORT_TIMEOUT`)' },
  { name: 'OTEL_SDK_DISABLED', type: 'boolean', default: 'false', meaning: '`true`: start nothing; the app runs untouched' },
  { name: 'OTEL_LOG_LEVEL', type: '`none` … `all`', default: 'info', meaning: 'OpenTelemetry\'s own diagnostics (tokenledger reports its internal errors here)' },
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
    '`off`: set `ANTHROPIC_OPEN_TELEMETRY=false` when unset, so tokenledger\'s span is the call\'s span; `keep`: keep the SDK\'s own spans (tokenledger normalises them)',
  ),
  pricesFile: stringSetting('TOKENLEDGER_PRICES', 'path', 'a JSON or YAML price overrides file (see [How cost is computed](#how-cost-is-computed))'),
  pricesRefreshUrl: stringSetting(
    'TOKENLEDGER_PRICES_REFRESH_URL',
    '`default` \\| URL',
    'fetch fresh price data at start: `default` (genai-prices\' published data file) or a URL of a copy. Unset: no network request, ever',
  ),
  runs: booleanSetting(
    'TOKENLEDGER_RUNS',
    true,
    '`false`: price calls and record call metrics only, no run tracking or guardrails (`runs: false` in code) — for services whose runs [collector mode](#collector-mode) rolls up across services',
  ),
  genaiCostAttributes: booleanSetting('TOKENLEDGER_GENAI_COST_ATTRIBUTES', false, 'also write the proposed `gen_ai.usage.cost.amount`/`.currency`/`.source`'),
  runMaxUsd: positiveSetting(
    'TOKENLEDGER_RUN_MAX_USD',
    false,
    undefined,
    'a budget in USD for every run that has none of its own (see [Guardrails](#guardrails-budgets-the-loop-breaker-token-caps-memoised-tools))',
  ),
  runMaxSteps: positiveSetting('TOKENLEDGER_RUN_MAX_STEPS', true, undefined, 'a budget in LLM calls for every run that has none of its own'),
  record: stringSetting(
    'TOKENLEDGER_RECORD',
    'path',
    'also append every finished span to this file as OTLP/JSON lines, for `tokenledger report`, `whatif` and `gate` (see [Cost lab](#cost-lab-record-report-re-price-gate))',
  ),
  guardMode: choiceSetting(
    'TOKENLEDGER_GUARD_MODE',
    ['warn', 'enforce'] as const,
    'warn',
    '`enforce`: a call or tool that would break a budget or loop limit is stopped with a typed error; `warn`: recorded only',
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

/** Every row, OTEL_* first, for the README. */
export const IN_PROCESS_SETTINGS: readonly PassedSetting[] = [...OTEL_SETTINGS, ...Object.values(TOKENLEDGER_SETTINGS)];
