// tokenledger's public API. `tokenledger/register` is the zero-code entry; everything here is for apps that
// wire OpenTelemetry themselves or read tokenledger's attribute names.
export { OpenAIInstrumentation, type OpenAIInstrumentationConfig } from './instrumentation/openai/instrumentation.ts';
export { AnthropicInstrumentation } from './instrumentation/anthropic/instrumentation.ts';
export { GoogleGenAIInstrumentation } from './instrumentation/google-genai/instrumentation.ts';
export type { TokenledgerInstrumentationConfig } from './instrumentation/common/config.ts';
export { TokenledgerSpanProcessor } from './processor/span-processor.ts';
export { startTokenledger, tokenledgerInstrumentations, type StartedTokenledger } from './setup/start.ts';
export type { TokenledgerOptions } from './setup/options.ts';
export * from './conventions/attributes.ts';
