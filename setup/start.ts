// Starts the OpenTelemetry Node SDK with tokenledger's instrumentations and span processor, configured by the
// standard OTEL_* variables plus TOKENLEDGER_*. This is what `tokenledger/register` runs; an app that starts
// its own NodeSDK adds `tokenledgerInstrumentations()` and `new TokenledgerSpanProcessor()` to it instead.
import { diag } from '@opentelemetry/api';
import { getBooleanFromEnv } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { GoogleGenAIInstrumentation } from '../instrumentation/google-genai/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { refreshPriceData } from '../ledger/pricing/price-data.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { flushOnExit } from './flush-on-exit.ts';
import { resolveOptions, type TokenledgerOptions } from './options.ts';
import { recordingSpanProcessor } from './record-exporter.ts';
import { exportingSpanProcessorsFromEnv } from './trace-exporters.ts';

/** tokenledger's provider instrumentations, for an app that builds its own NodeSDK. */
export function tokenledgerInstrumentations(options: Partial<TokenledgerOptions> = {}): Instrumentation[] {
  const legacyAttributes = options.legacyAttributes ?? false;
  return [
    new OpenAIInstrumentation({ legacyAttributes, streamUsage: options.openaiStreamUsage ?? 'inject' }),
    new AnthropicInstrumentation({ legacyAttributes }),
    new GoogleGenAIInstrumentation({ legacyAttributes }),
  ];
}

export interface StartedTokenledger {
  sdk: NodeSDK;
  /** Flushes and stops telemetry; also run at normal exit and on SIGTERM. */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry for the whole process. Returns undefined when OTEL_SDK_DISABLED=true or when the
 * TOKENLEDGER_* configuration is invalid (the reason is printed): the app then runs without telemetry.
 */
export function startTokenledger(overrides: Partial<TokenledgerOptions> = {}): StartedTokenledger | undefined {
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return undefined;
  let options: TokenledgerOptions;
  let processor: TokenledgerSpanProcessor;
  let recording: SpanProcessor[];
  try {
    options = resolveOptions(overrides);
    processor = new TokenledgerSpanProcessor({
      pricesFile: options.pricesFile,
      genaiCostAttributes: options.genaiCostAttributes,
      legacyMetrics: options.legacyMetrics,
      runs: options.runs,
      guardrails: options.runs ? { mode: options.guardMode, defaults: { maxUsd: options.runMaxUsd, maxSteps: options.runMaxSteps } } : undefined,
    });
    // After tokenledger's processor, so each span is recorded with its figures, its cost and its run's rollup.
    recording = options.record ? [recordingSpanProcessor(options.record)] : [];
  } catch (error) {
    console.error(`tokenledger: not started: ${(error as Error).message.replace(/^tokenledger: /, '')}`);
    return undefined;
  }
  if (options.anthropicSdkSpans === 'off' && process.env.ANTHROPIC_OPEN_TELEMETRY === undefined) {
    process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';
  }
  enableGuardrails(processor);
  const sdk = new NodeSDK({
    instrumentations: tokenledgerInstrumentations(options),
    spanProcessors: [processor, ...exportingSpanProcessorsFromEnv(), ...recording],
  });
  sdk.start();
  if (options.pricesRefreshUrl) {
    const url = options.pricesRefreshUrl === 'default' ? undefined : options.pricesRefreshUrl;
    refreshPriceData({ url }).catch((error: unknown) => diag.warn(`tokenledger: price data not refreshed: ${(error as Error).message}`));
  }
  const shutdown = () => sdk.shutdown();
  flushOnExit(shutdown);
  return { sdk, shutdown };
}
