// tokenledger's own options, as `startTokenledger` takes them in code: each one a row of setup/settings.ts
// (the TOKENLEDGER_* variable that sets it, its type, default and meaning). An option given in code wins over the
// variable, which wins over the default.
import type { GuardMode } from '../instrumentation/common/budget.ts';
import type { BackendConvention } from '../ledger/backend-attributes.ts';
import { settingsFromEnv } from './settings.ts';

/** The options of `startTokenledger`: each one a `TOKENLEDGER_*` variable by name, and an option given wins over it. */
export interface TokenledgerOptions {
  /** TOKENLEDGER_LEGACY_ATTRIBUTES: also write `gen_ai.usage.cache_creation.input_tokens`. Default false. */
  legacyAttributes: boolean;
  /** TOKENLEDGER_LEGACY_METRICS: also record the previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics: boolean;
  /** TOKENLEDGER_OPENAI_STREAM_USAGE: `inject` (default) or `off`; see OpenAIInstrumentationConfig.streamUsage. */
  openaiStreamUsage: 'inject' | 'off';
  /**
   * TOKENLEDGER_ANTHROPIC_SDK_SPANS: `off` (default): the Anthropic SDK starts no span of its own for the Messages
   * calls tokenledger records, so tokenledger's span, with tool-result and prefix figures, is the call's one span
   * (the SDK's other spans stay; so do the call spans of a client given its own tracer provider, and of every
   * client while the app sets ANTHROPIC_OPEN_TELEMETRY; the environment is never written); `keep`: the SDK's span
   * is the call's span and tokenledger normalises it instead.
   */
  anthropicSdkSpans: 'off' | 'keep';
  /**
   * TOKENLEDGER_PROVIDER_URLS: base URL → `gen_ai.provider.name` for `openai` clients whose host tokenledger cannot
   * tell (`local` for a self-hosted server, a provider's name for a gateway). Default none.
   */
  providerUrls?: Record<string, string>;
  /** TOKENLEDGER_PRICES: a JSON or YAML price overrides file. Default none (the bundled price data only). */
  pricesFile?: string;
  /**
   * TOKENLEDGER_PRICES_REFRESH_URL: fetch fresh price data at start (`default` for genai-prices' published file,
   * or a URL of a copy). Default unset: no network request is made, the bundled data is used.
   */
  pricesRefreshUrl?: string;
  /**
   * TOKENLEDGER_RUNS: `false` prices calls only and leaves runs to collector mode (which sees a run across
   * services); guardrails are then off. Default true.
   */
  runs: boolean;
  /** TOKENLEDGER_GENAI_COST_ATTRIBUTES: also write the proposed `gen_ai.usage.cost.*` attributes. Default false. */
  genaiCostAttributes: boolean;
  /** TOKENLEDGER_RUN_MAX_USD: a USD budget for every run that has none of its own. Default none. */
  runMaxUsd?: number;
  /** TOKENLEDGER_RUN_MAX_STEPS: a budget in LLM calls for every run that has none of its own. Default none. */
  runMaxSteps?: number;
  /** TOKENLEDGER_RECORD: also append every finished span to this file as OTLP/JSON lines. Default none. */
  record?: string;
  /** TOKENLEDGER_GUARD_MODE: `warn` (default) records breaches; `enforce` stops the call or tool. */
  guardMode: GuardMode;
  /** TOKENLEDGER_BAGGAGE_KEYS: baggage entries copied onto spans and metric labels (attribution). Default none. */
  baggageKeys?: string[];
  /** TOKENLEDGER_BAGGAGE_MAX_VALUES: distinct values per key on the metrics before `_overflow`. Default 100. */
  baggageMaxValues?: number;
  /** TOKENLEDGER_BAGGAGE_HASH_KEYS: keys whose values are recorded as a hash (e.g. `user.id`). Default none. */
  baggageHashKeys?: string[];
  /** TOKENLEDGER_BAGGAGE_HASH_SALT: the HMAC key of that hash. Default none (plain SHA-256). */
  baggageHashSalt?: string;
  /** TOKENLEDGER_BACKEND_CONVENTIONS: also write OpenInference and/or Langfuse attributes. Default none. */
  backendConventions?: BackendConvention[];
  /**
   * TOKENLEDGER_SHUTDOWN_TIMEOUT_MS: at normal exit and on SIGTERM, telemetry is flushed for at most this long,
   * then the process ends, whatever the exporters' endpoints do. Default 3000.
   */
  shutdownTimeoutMs: number;
}

const DEFAULTS: TokenledgerOptions = {
  legacyAttributes: false,
  legacyMetrics: false,
  openaiStreamUsage: 'inject',
  anthropicSdkSpans: 'off',
  runs: true,
  genaiCostAttributes: false,
  guardMode: 'warn',
  shutdownTimeoutMs: 3000,
};

/** The options: `overrides` (code) over the TOKENLEDGER_* variables over the defaults. Throws on an invalid variable. */
export function resolveOptions(overrides: Partial<TokenledgerOptions> = {}, env: NodeJS.ProcessEnv = process.env): TokenledgerOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULTS, ...settingsFromEnv(env), ...defined };
}
