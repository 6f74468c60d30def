import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Configuration shared by tokenledger's provider instrumentations. */
export interface TokenledgerInstrumentationConfig extends InstrumentationConfig {
  /**
   * Write prompts and completions on spans (`gen_ai.input.messages`, `gen_ai.output.messages`,
   * `gen_ai.system_instructions`). Default: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, else off.
   */
  captureMessageContent?: boolean;
  /** Also write `gen_ai.usage.cache_creation.input_tokens` (the pre-2026-08 name). Default: false. */
  legacyAttributes?: boolean;
}
