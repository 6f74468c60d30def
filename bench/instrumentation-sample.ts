// One sample of instrumentation.bench.ts, run in its own process: one SDK, one configuration (uninstrumented,
// tokenledger, instrumentation-openai, or the Anthropic SDK's own tracing), CPU µs per call after a warm-up.
// Spans go through a SimpleSpanProcessor to a dropping exporter; metrics to the no-op meter.
import { context, metrics, trace, type MeterProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { prefixHash } from '../instrumentation/common/prompt-shape.ts';
import { chatToolResultShare } from '../instrumentation/openai/chat.ts';
import { fixtureJson, fixtureText } from '../test/fake-provider.ts';
import { jsonFetch, openaiChatStream, sseFetch } from './canned-fetch.ts';
import { median } from './report.ts';

const require = createRequire(import.meta.url);

export function versions(): { openai: string; anthropic: string; contrib: string } {
  return {
    openai: require('openai6/version').VERSION,
    anthropic: require('@anthropic-ai/sdk/version').VERSION,
    contrib: new ContribOpenAIInstrumentation({ enabled: false }).instrumentationVersion,
  };
}

interface Instrumented {
  setTracerProvider(provider: TracerProvider): void;
  setMeterProvider(provider: MeterProvider): void;
  enable(): void;
  getModuleDefinitions(): InstrumentationModuleDefinition[];
}

/** Patches the already-loaded module the way the instrumentation's require hook would. */
function patch(instrumentation: Instrumented, tracerProvider: TracerProvider, moduleExports: unknown, version: string): void {
  instrumentation.setTracerProvider(tracerProvider);
  // instrumentation-openai records metrics too; the no-op meter keeps that cost out of the comparison.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  instrumentation.enable();
  instrumentation.getModuleDefinitions()[0]!.patch?.(moduleExports, version);
}

export async function measure(caseId: string, configuration: string, warmUp: number, calls: number, streamChunks: number): Promise<number> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const dropExporter: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropExporter })] });
  trace.setGlobalTracerProvider(tracerProvider);
  const call = caseId.startsWith('openai') ? openaiCall(caseId, configuration, tracerProvider, streamChunks) : anthropicCall(caseId, configuration, tracerProvider);
  for (let i = 0; i < warmUp; i += 1) await call();
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / calls;
}

function openaiCall(caseId: string, configuration: string, tracerProvider: TracerProvider, streamChunks: number): () => Promise<unknown> {
  const openai = require('openai6');
  const version = require('openai6/version').VERSION as string;
  if (configuration === 'tokenledger') patch(new OpenAIInstrumentation(), tracerProvider, openai, version);
  if (configuration === 'instrumentation-openai') patch(new ContribOpenAIInstrumentation() as unknown as Instrumented, tracerProvider, openai, version);
  const body = fixtureJson('openai-chat.request.json');
  if (caseId === 'openai-json') {
    const client = new openai.default({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', maxRetries: 0, fetch: jsonFetch(fixtureJson('openai-chat.json')) });
    return () => client.chat.completions.create(body);
  }
  const client = new openai.default({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', maxRetries: 0, fetch: sseFetch(openaiChatStream(streamChunks)) });
  return async () => {
    const stream = await client.chat.completions.create({ ...body, stream: true });
    for await (const _ of stream);
  };
}

function anthropicCall(caseId: string, configuration: string, tracerProvider: TracerProvider): () => Promise<unknown> {
  const anthropic = require('@anthropic-ai/sdk');
  if (configuration === 'tokenledger') patch(new AnthropicInstrumentation(), tracerProvider, anthropic, require('@anthropic-ai/sdk/version').VERSION);
  const openTelemetry = configuration === 'SDK built-in tracing';
  const body = fixtureJson('anthropic-messages.request.json');
  if (caseId === 'anthropic-json') {
    const client = new anthropic.default({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, openTelemetry, fetch: jsonFetch(fixtureJson('anthropic-messages.json')) });
    return () => client.messages.create(body);
  }
  const client = new anthropic.default({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, openTelemetry, fetch: sseFetch(fixtureText('anthropic-messages.sse')) });
  return async () => {
    const stream = await client.messages.create({ ...body, stream: true });
    for await (const _ of stream);
  };
}

/** The request measurements taken before each call (tool-result share, prefix hash), on a 131 KB prompt. */
export function requestMeasurement(rounds: number): string {
  const tools = fixtureJson('openai-chat.request.json').tools;
  const messages = Array.from({ length: 200 }, (_, i) => (i % 4 === 3
    ? { role: 'tool', tool_call_id: `call_${i}`, content: JSON.stringify({ rows: Array.from({ length: 20 }, (_, j) => ({ id: j, name: `item ${j}`, price: j * 1.5 })) }) }
    : { role: i % 2 ? 'assistant' : 'user', content: 'lorem ipsum dolor sit amet '.repeat(20) }));
  const timings: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i += 1) {
      chatToolResultShare(messages, tools);
      prefixHash(messages[0], tools);
    }
    timings.push(Number(process.hrtime.bigint() - start) / 200 / 1000);
  }
  return `request measurement (tool-result share + prefix hash) on a ${(JSON.stringify(messages).length / 1024).toFixed(0)} KB prompt: ${median(timings).toFixed(1)} µs per call`;
}
