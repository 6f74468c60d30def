/**
 * tokenledger's public API. `tokenledger/register` is the zero-code entry; everything here is for apps that
 * wire OpenTelemetry themselves. Attribute and metric names are in `tokenledger/conventions`.
 * @module tokenledger
 */
export { OpenAIInstrumentation, type OpenAIInstrumentationConfig } from './instrumentation/openai/instrumentation.ts';
export { recordOpenAIBatchResults } from './instrumentation/openai/batch-output.ts';
export { AnthropicInstrumentation, type AnthropicInstrumentationConfig } from './instrumentation/anthropic/instrumentation.ts';
export { GoogleGenAIInstrumentation } from './instrumentation/google-genai/instrumentation.ts';
export { BedrockRuntimeInstrumentation } from './instrumentation/bedrock/instrumentation.ts';
export { AiSdkInstrumentation } from './instrumentation/ai-sdk/instrumentation.ts';
export { LangChainInstrumentation } from './instrumentation/langchain/instrumentation.ts';
export { MastraInstrumentation } from './instrumentation/mastra/instrumentation.ts';
export { OpenAIAgentsInstrumentation } from './instrumentation/openai-agents/instrumentation.ts';
export { ProviderRequestSensor } from './instrumentation/request-sensor/instrumentation.ts';
export type { TokenledgerInstrumentationConfig } from './instrumentation/common/config.ts';
export { agentRun, type AgentRun, type AgentRunOptions } from './instrumentation/agent/run.ts';
export { tool, type ToolOptions, type MemoizeOptions } from './instrumentation/agent/tool.ts';
export { LruMemoStore, type MemoStore } from './instrumentation/agent/memo-store.ts';
export { BudgetExceededError, RunawayLoopError, type BudgetLimit, type LoopLimit } from './instrumentation/common/guard-errors.ts';
export type { Budget, GuardMode } from './instrumentation/common/budget.ts';
export type { GuardrailOptions, AgentGuard, LoopLimits, TenantBudgets, UnknownCost } from './processor/guardrails/guard-options.ts';
export { enableGuardrails } from './processor/guardrails/enable.ts';
export { TokenledgerSpanProcessor, type TokenledgerSpanProcessorOptions } from './processor/span-processor.ts';
export type { BaggageAttributionOptions } from './processor/baggage-attributes.ts';
export { DEFAULT_RUN_LIMITS, type RunLimits } from './runs/run-tree.ts';
export type { Clock, Timer } from './base/clock.ts';
export type { PriceOverrides } from './ledger/pricing/price-overrides.ts';
export type { PriceModifier, ModifierCondition } from './ledger/pricing/modifiers.ts';
export { refreshPriceData, type PriceRefreshOptions, type ActivePriceData } from './ledger/pricing/price-data.ts';
export { startTokenledger, tokenledgerInstrumentations, type StartedTokenledger } from './setup/start.ts';
export { tokenledgerSampler } from './setup/sampler.ts';
export type { TokenledgerOptions } from './setup/options.ts';
export { RecordingSpanExporter, type RecordingOptions } from './setup/record-exporter.ts';
