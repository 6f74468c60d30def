// tokenledger's own options: the TOKENLEDGER_* environment variables, parsed once, with clear errors.
export interface TokenledgerOptions {
  /** TOKENLEDGER_LEGACY_ATTRIBUTES: also write `gen_ai.usage.cache_creation.input_tokens`. Default false. */
  legacyAttributes: boolean;
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
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): TokenledgerOptions {
  return {
    legacyAttributes: booleanVar(env, 'TOKENLEDGER_LEGACY_ATTRIBUTES', false),
    openaiStreamUsage: choiceVar(env, 'TOKENLEDGER_OPENAI_STREAM_USAGE', ['inject', 'off'], 'inject'),
    anthropicSdkSpans: choiceVar(env, 'TOKENLEDGER_ANTHROPIC_SDK_SPANS', ['off', 'keep'], 'off'),
    pricesFile: env.TOKENLEDGER_PRICES?.trim() || undefined,
    pricesRefreshUrl: env.TOKENLEDGER_PRICES_REFRESH_URL?.trim() || undefined,
    genaiCostAttributes: booleanVar(env, 'TOKENLEDGER_GENAI_COST_ATTRIBUTES', false),
    runs: booleanVar(env, 'TOKENLEDGER_RUNS', true),
  };
}

function booleanVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

function choiceVar<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new Error(`${name} must be one of ${choices.join(', ')}, got "${env[name]}"`);
}
