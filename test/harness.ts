// Test harness: the real OpenTelemetry SDK with an in-memory exporter, tokenledger's instrumentations
// enabled once per test process, and the fake provider. SDK packages are required only after the
// instrumentations are enabled, as an app under `--require tokenledger/register` would load them.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createRequire } from 'node:module';
import { FakeProvider } from './fake-provider.ts';
import { waitUntil } from './wait.ts';

export const requireFromTest = createRequire(import.meta.url);

export interface Harness {
  exporter: InMemorySpanExporter;
  provider: FakeProvider;
  tracerProvider: TracerProvider;
  spans(): ReadableSpan[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startHarness(instrumentations: Instrumentation[], processors: SpanProcessor[] = []): Promise<Harness> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [...processors, new SimpleSpanProcessor({ exporter })],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  for (const instrumentation of instrumentations) {
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.enable();
  }
  const provider = await new FakeProvider().start();
  return {
    exporter,
    provider,
    tracerProvider,
    spans: () => exporter.getFinishedSpans(),
    reset: () => {
      exporter.reset();
      provider.reset();
    },
    stop: async () => {
      await provider.stop();
      for (const instrumentation of instrumentations) instrumentation.disable();
      await tracerProvider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** The one finished span with this name; fails loudly when there are none or several. */
export function onlySpan(spans: ReadableSpan[], name?: string): ReadableSpan {
  const matching = name ? spans.filter((span) => span.name === name) : spans;
  if (matching.length !== 1) {
    throw new Error(`expected one span${name ? ` named ${name}` : ''}, got ${spans.map((s) => s.name).join(', ') || 'none'}`);
  }
  return matching[0]!;
}

/** Waits until `count` spans have finished (stream spans end when the app finishes iterating). */
export async function waitForSpans(harness: Harness, count: number): Promise<ReadableSpan[]> {
  const finished = () =>
    harness
      .spans()
      .map((span) => span.name)
      .join(', ') || 'none';
  await waitUntil(
    () => `${count} finished spans (finished: ${finished()})`,
    () => harness.spans().length >= count,
  );
  return harness.spans();
}
