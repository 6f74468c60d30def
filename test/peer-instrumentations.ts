// Other projects' GenAI instrumentations, set up on an already-loaded SDK module the way each is used: OpenInference's
// (built on an older @opentelemetry/instrumentation) patch a module by hand, OpenLIT's classes are reached inside its
// package (it exports them only through `openlit.init()`, which starts an SDK of its own). For the benchmarks, and
// for tests of tokenledger beside them.
import { metrics, type Meter, type MeterProvider } from '@opentelemetry/api';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface Instrumented {
  setTracerProvider(provider: TracerProvider): void;
  setMeterProvider(provider: MeterProvider): void;
  enable(): void;
  getModuleDefinitions(): InstrumentationModuleDefinition[];
}

/**
 * OpenLIT's instrumentation of a provider SDK, configured as `init` would, without content capture or events. Its
 * price table (fetched from the network by `init`) stays empty, so its cost lookup finds nothing, unless
 * `openlitPricingAndMetrics` gives it one and its metric instruments (as the bench does, like with like).
 */
export function openlitInstrumentation(provider: 'openai' | 'anthropic'): Instrumented {
  const dist = dirname(require.resolve('openlit'));
  const config = (require(join(dist, 'config.js')) as { default: { updateConfig(options: object): void } }).default;
  config.updateConfig({ applicationName: 'bench', environment: 'bench', captureMessageContent: false, disableEvents: true, disableMetrics: true });
  const Instrumentation = (require(join(dist, 'instrumentation', provider, 'index.js')) as { default: new () => Instrumented }).default;
  return new Instrumentation();
}

/** OpenLIT's pricing table: USD per thousand tokens, by model. */
export type OpenlitChatPrices = Record<string, { promptPrice: number; completionPrice: number; cacheReadPrice?: number; cacheCreationPrice?: number }>;

/**
 * OpenLIT pricing calls and recording its metrics as `init` sets it up: the table `init` fetches, given here, and
 * its metric instruments made on `meter`. For a comparison of like with like: tokenledger prices every call and
 * records its metrics too.
 */
export function openlitPricingAndMetrics(prices: OpenlitChatPrices, meter: Meter): void {
  const dist = dirname(require.resolve('openlit'));
  const config = (require(join(dist, 'config.js')) as { default: { pricingInfo?: unknown } }).default;
  config.pricingInfo = { chat: prices };
  (require(join(dist, 'otel', 'metrics.js')) as { default: { setup(options: { meter: Meter }): void } }).default.setup({ meter });
}

/** OpenInference's instrumentation of a provider SDK, patching the loaded module by hand. */
export function openInferenceInstrumentation(provider: 'openai' | 'anthropic', tracerProvider: TracerProvider, moduleExports: unknown): void {
  const name = provider === 'openai' ? 'OpenAIInstrumentation' : 'AnthropicInstrumentation';
  type OpenInference = { manuallyInstrument(module: unknown): void };
  const Instrumentation = (require(`@arizeai/openinference-instrumentation-${provider}`) as Record<string, new (options: object) => OpenInference>)[name]!;
  new Instrumentation({ tracerProvider }).manuallyInstrument(moduleExports);
}

/** Patches the already-loaded module the way the instrumentation's require hook would. */
export function patch(instrumentation: Instrumented, tracerProvider: TracerProvider, moduleExports: unknown, version: string): void {
  instrumentation.setTracerProvider(tracerProvider);
  // instrumentation-openai records metrics too; the no-op meter keeps that cost out of the comparison.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  instrumentation.enable();
  const definition = instrumentation.getModuleDefinitions()[0]!;
  definition.patch?.(moduleExports, version);
  // Instrumentations that hook files inside the package (tokenledger's Anthropic one) patch those files; by path,
  // since the package's `exports` map hides them from a bare specifier. Loading one makes it the module the SDK uses.
  if (definition.files.length === 0) return;
  const main = require.resolve(definition.name);
  const root = main.slice(0, main.lastIndexOf(`node_modules/${definition.name}/`) + `node_modules/${definition.name}`.length);
  for (const file of definition.files) {
    const path = join(root, file.name.slice(definition.name.length + 1));
    if (path.endsWith('.js') && existsSync(path)) file.patch(require(path), version);
  }
}
