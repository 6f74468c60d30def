// tokenledger's own options, as `startTokenledger` takes them in code: each one a row of setup/settings.ts
// (the TOKENLEDGER_* variable that sets it, its type, default and meaning). An option given in code wins over the
// variable, which wins over the default.
import type { GuardMode } from '../instrumentation/common/budget.ts';
import { settingsFromEnv } from './settings.ts';

export interface TokenledgerOptions {
  /** TOKENLEDGER_LEGACY_ATTRIBUTES: also write `gen_ai.usage.cache_creation.input_tokens`. Default false. */
  legacyAttributes: boolean;
  /** TOKENLEDGER_LEGACY_METRICS: also record the previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics: boolean;
  /** TOKENLEDGER_OPENAI_STREAM_USAGE: `inject` (default) or `off`; see OpenAIInstrumentationConfig.streamUsage. */
  openaiStreamUsage: 'inject' | 'off';
  /**
   * TOKENLEDGER_ANTHROPIC_SDK_SPANS: `off` (default) turns the Anthropic SDK's own spans off (by setting
   * ANTHROPIC_OPEN_TELEMETRY=false when it is unset) so tokenledger's span, with tool-result and prefix
   * figures, is the call's one span; `keep` leaves them on and tokenledger normalises them instead.
   */
  anthropicSdkSpans: 'off' | 'keep';
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
}

const DEFAULTS: TokenledgerOptions = {
  legacyAttributes: false,
  legacyMetrics: false,
  openaiStreamUsage: 'inject',
  anthropicSdkSpans: 'off',
  runs: true,
  genaiCostAttributes: false,
  guardMode: 'warn',
};

/** The options: `overrides` (code) over the TOKENLEDGER_* variables over the defaults. Throws on an invalid variable. */
export function resolveOptions(overrides: Partial<TokenledgerOptions> = {}, env: NodeJS.ProcessEnv = process.env): TokenledgerOptions {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...DEFAULTS, ...settingsFromEnv(env), ...defined };
}
