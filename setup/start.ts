// Starts OpenTelemetry for the whole process with tokenledger's instrumentations and span processor, configured by
// the standard OTEL_* variables plus TOKENLEDGER_*. This is what `tokenledger/register` runs; an app that starts
// its own NodeSDK adds `tokenledgerInstrumentations()` and `new TokenledgerSpanProcessor()` to it instead.
//
// It sets up what NodeSDK would for traces and metrics (sdk-components.ts), without NodeSDK, which loads every
// exporter, gRPC, Zipkin, B3 and the logs SDK whatever the configuration asks for; here each package is loaded
// only when the configuration uses it, and only once startTokenledger runs (`import 'tokenledger'` loads none).
// Logs are not set up: tokenledger records none, and OTEL_LOGS_EXPORTER is not read.
import { context, diag, metrics, propagation, trace } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { BedrockRuntimeInstrumentation } from '../instrumentation/bedrock/instrumentation.ts';
import { GoogleGenAIInstrumentation } from '../instrumentation/google-genai/instrumentation.ts';
import { LangChainInstrumentation } from '../instrumentation/langchain/instrumentation.ts';
import { MastraInstrumentation } from '../instrumentation/mastra/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { OpenAIAgentsInstrumentation } from '../instrumentation/openai-agents/instrumentation.ts';
import { ProviderRequestSensor } from '../instrumentation/request-sensor/instrumentation.ts';
import { refreshPriceData } from '../ledger/pricing/price-data.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { startDiagnostics } from './diagnostics.ts';
import { booleanFromEnv } from './env.ts';
import { flushOnExit } from './flush-on-exit.ts';
import { metricReadersFromEnv } from './metric-readers.ts';
import { resolveOptions, type TokenledgerOptions } from './options.ts';
import { packageRequire } from '../package-require.cjs';
import { recordingSpanProcessor } from './record-exporter.ts';
import { propagatorFromEnv, resourceFromEnv, samplerFromEnv, spanLimitsFromEnv } from './sdk-components.ts';
import { closestSettingName, unknownSettingNames } from './settings.ts';
import { exportingSpanProcessorsFromEnv } from './trace-exporters.ts';
import { tokenledgerSampler } from './sampler.ts';

/** tokenledger's provider and framework instrumentations, for an app that builds its own NodeSDK. */
export function tokenledgerInstrumentations(options: Partial<TokenledgerOptions> = {}): Instrumentation[] {
  const legacyAttributes = options.legacyAttributes ?? false;
  return [
    new OpenAIInstrumentation({ legacyAttributes, streamUsage: options.openaiStreamUsage ?? 'inject', providerUrls: options.providerUrls }),
    new AnthropicInstrumentation({ legacyAttributes, sdkSpans: options.anthropicSdkSpans === 'keep' ? 'keep' : 'suppress' }),
    new GoogleGenAIInstrumentation({ legacyAttributes }),
    new BedrockRuntimeInstrumentation({ legacyAttributes }),
    new AiSdkInstrumentation({ legacyAttributes }),
    new OpenAIAgentsInstrumentation(),
    new LangChainInstrumentation(),
    new MastraInstrumentation({ legacyAttributes }),
    new ProviderRequestSensor(),
  ];
}

/** What `startTokenledger` started. */
export interface StartedTokenledger {
  /** The tracer provider, registered as the global one. */
  tracerProvider: TracerProvider;
  /** Undefined when OTEL_METRICS_EXPORTER=none. */
  meterProvider: MeterProvider | undefined;
  /** Flushes and stops telemetry; also run at normal exit and on SIGTERM (for at most the shutdown timeout). */
  shutdown(): Promise<void>;
}

/**
 * Starts telemetry for the whole process, and sets OpenTelemetry's diag logger (diagnostics.ts). Returns undefined
 * when OTEL_SDK_DISABLED=true or when the configuration is invalid (one line on stderr says why): the app then runs
 * without telemetry.
 */
export function startTokenledger(overrides: Partial<TokenledgerOptions> = {}): StartedTokenledger | undefined {
  if (booleanFromEnv('OTEL_SDK_DISABLED')) return undefined;
  startDiagnostics();
  let options: TokenledgerOptions;
  let processor: TokenledgerSpanProcessor;
  let exporting: SpanProcessor[] = [];
  try {
    options = resolveOptions(overrides);
    if (options.baggageHashKeys && !options.baggageKeys) throw new Error('TOKENLEDGER_BAGGAGE_HASH_KEYS needs TOKENLEDGER_BAGGAGE_KEYS');
    // Behind tokenledger's processor, so each span is exported and recorded with its figures, its cost and its
    // run's rollup, and a run's root waits for the calls still open under it.
    exporting = [...exportingSpanProcessorsFromEnv(), ...(options.record ? [recordingSpanProcessor(options.record)] : [])];
    processor = new TokenledgerSpanProcessor({
      spanProcessors: exporting,
      pricesFile: options.pricesFile,
      genaiCostAttributes: options.genaiCostAttributes,
      legacyMetrics: options.legacyMetrics,
      runs: options.runs,
      guardrails: options.runs ? { mode: options.guardMode, defaults: { maxUsd: options.runMaxUsd, maxSteps: options.runMaxSteps } } : undefined,
      attribution: options.baggageKeys
        ? {
            baggageKeys: options.baggageKeys,
            maxValuesPerKey: options.baggageMaxValues,
            hashKeys: options.baggageHashKeys,
            hashSalt: options.baggageHashSalt,
          }
        : undefined,
      backendConventions: options.backendConventions,
    });
  } catch (error) {
    for (const unused of exporting) void unused.shutdown();
    console.error(`tokenledger: not started: ${withoutPrefix((error as Error).message)}`);
    return undefined;
  }
  for (const name of unknownSettingNames()) {
    const closest = closestSettingName(name);
    diag.warn(`tokenledger: ${name} is not a setting, ignored${closest ? `; did you mean ${closest}?` : ''}`);
  }
  enableGuardrails(processor);
  const started = startSdk(processor, options);
  if (options.pricesRefreshUrl) {
    const url = options.pricesRefreshUrl === 'default' ? undefined : options.pricesRefreshUrl;
    refreshPriceData({ url }).catch((error: unknown) => diag.warn(`tokenledger: price data not refreshed: ${(error as Error).message}`));
  }
  flushOnExit(started.shutdown, options.shutdownTimeoutMs);
  return started;
}

function startSdk(processor: TokenledgerSpanProcessor, options: TokenledgerOptions): StartedTokenledger {
  const { registerInstrumentations } = packageRequire('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { AsyncLocalStorageContextManager } = packageRequire('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const sdkTrace = packageRequire('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const propagator = propagatorFromEnv();
  if (propagator) propagation.setGlobalPropagator(propagator);
  const resource = resourceFromEnv();

  const readers = metricReadersFromEnv();
  let meterProvider: MeterProvider | undefined;
  if (readers.length > 0) {
    const { MeterProvider } = packageRequire('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    meterProvider = new MeterProvider({ resource, readers });
    metrics.setGlobalMeterProvider(meterProvider);
  }
  // The app's sampler decides what is exported; tokenledger's processor sees every span (setup/sampler.ts).
  const tracerProvider = new sdkTrace.TracerProvider({
    resource,
    sampler: tokenledgerSampler(samplerFromEnv()),
    spanLimits: spanLimitsFromEnv(),
    spanProcessors: [processor],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  registerInstrumentations({ instrumentations: tokenledgerInstrumentations(options), tracerProvider, meterProvider });

  let stopping: Promise<void> | undefined;
  const shutdown = () => {
    stopping ??= Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown()]).then(() => undefined);
    return stopping;
  };
  return { tracerProvider, meterProvider, shutdown };
}

/** An error's message without a leading `tokenledger: `, which the line printing it already starts with. */
function withoutPrefix(message: string): string {
  return message.replace(/^(tokenledger:\s*)+/, '');
}
