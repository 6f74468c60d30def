// One sample of instrumentation.bench.ts, run in its own process: one SDK, one configuration (uninstrumented,
// tokenledger, instrumentation-openai, OpenInference, OpenLIT, or the Anthropic SDK's own tracing), CPU µs per call
// after a warm-up, then heap allocated per call. Spans go through a SimpleSpanProcessor to a dropping exporter;
// metrics to the no-op meter. tokenledger runs with its span processor, so its calls carry all six token types and
// their cost, as an app under the register entry gets them.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { SimpleSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GCProfiler } from 'node:v8';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { prefixHash } from '../instrumentation/common/prompt-shape.ts';
import { chatToolResultShare } from '../instrumentation/openai/chat.ts';
import { fixtureJson, fixtureText } from '../test/fake-provider.ts';
import { openInferenceInstrumentation, openlitInstrumentation, patch, type Instrumented } from '../test/peer-instrumentations.ts';
import { jsonFetch, openaiChatStream, sseFetch } from './canned-fetch.ts';
import { median } from './report.ts';

const require = createRequire(import.meta.url);

export function versions(): Record<string, string> {
  // Their package.json is not always exported: found by walking up from the entry point.
  const version = (name: string) => {
    for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
        if (manifest.name === name) return manifest.version;
      } catch {
        // no package.json at this level
      }
    }
    return '?';
  };
  return {
    'openai (6)': require('openai6/version').VERSION,
    'openai (7)': require('openai/version').VERSION,
    '@anthropic-ai/sdk': require('@anthropic-ai/sdk/version').VERSION,
    '@opentelemetry/instrumentation-openai': new ContribOpenAIInstrumentation({ enabled: false }).instrumentationVersion,
    '@arizeai/openinference-instrumentation-openai': version('@arizeai/openinference-instrumentation-openai'),
    '@arizeai/openinference-instrumentation-anthropic': version('@arizeai/openinference-instrumentation-anthropic'),
    openlit: version('openlit'),
  };
}

export interface Sample {
  /** CPU µs per call. */
  cpu: number;
  /** Heap bytes allocated per call (median of GC-free windows), or undefined when every window saw a GC. */
  heap: number | undefined;
}

export async function measure(caseId: string, configuration: string, warmUp: number, calls: number, streamChunks: number): Promise<Sample> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  let exported = 0;
  const dropExporter: SpanExporter = { export: (spans, done) => { exported += spans.length; done({ code: 0 }); }, shutdown: async () => {} };
  const exporting = new SimpleSpanProcessor({ exporter: dropExporter });
  const spanProcessors = configuration === 'tokenledger' ? [new TokenledgerSpanProcessor(), exporting] : [exporting];
  const tracerProvider = new TracerProvider({ spanProcessors });
  trace.setGlobalTracerProvider(tracerProvider);
  const call = caseId.startsWith('openai') ? openaiCall(caseId, configuration, tracerProvider, streamChunks) : anthropicCall(caseId, configuration, tracerProvider);
  for (let i = 0; i < warmUp; i += 1) await call();
  // A configuration that patched nothing would measure the bare SDK: each instrumented one must make a span a call.
  const expected = configuration === 'uninstrumented' ? 0 : warmUp;
  if (exported !== expected) throw new Error(`${caseId} / ${configuration}: ${exported} spans for ${warmUp} calls, expected ${expected}`);
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) await call();
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / calls, heap: await heapPerCall(call) };
}

/**
 * Bytes allocated per call: heapUsed grows by what the calls allocate as long as no GC runs, so it is measured over
 * short windows, and only windows in which the GC profiler saw no collection count.
 */
async function heapPerCall(call: () => Promise<unknown>): Promise<number | undefined> {
  const windows: number[] = [];
  for (let attempt = 0; attempt < 40 && windows.length < 9; attempt += 1) {
    const profiler = new GCProfiler();
    profiler.start();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 20; i += 1) await call();
    const after = process.memoryUsage().heapUsed;
    const collections = profiler.stop()?.statistics.length ?? 1;
    if (collections === 0) windows.push((after - before) / 20);
  }
  return windows.length > 0 ? median(windows) : undefined;
}

function openaiCall(caseId: string, configuration: string, tracerProvider: TracerProvider, streamChunks: number): () => Promise<unknown> {
  // openai 6 for the comparison with instrumentation-openai (which patches only < 7), openai 7 for the peers.
  const sdk = caseId.startsWith('openai7') ? 'openai' : 'openai6';
  const openai = require(sdk);
  const version = require(`${sdk}/version`).VERSION as string;
  if (configuration.startsWith('tokenledger')) patch(new OpenAIInstrumentation(), tracerProvider, openai, version);
  if (configuration === 'instrumentation-openai') patch(new ContribOpenAIInstrumentation() as unknown as Instrumented, tracerProvider, openai, version);
  if (configuration === 'OpenInference') openInferenceInstrumentation('openai', tracerProvider, openai);
  if (configuration === 'OpenLIT') patch(openlitInstrumentation('openai'), tracerProvider, openai, version);
  const body = fixtureJson('openai-chat.request.json');
  if (caseId === 'openai-json' || caseId === 'openai7-json') {
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
  const version = require('@anthropic-ai/sdk/version').VERSION as string;
  if (configuration === 'tokenledger') patch(new AnthropicInstrumentation(), tracerProvider, anthropic, version);
  if (configuration === 'OpenInference') openInferenceInstrumentation('anthropic', tracerProvider, anthropic);
  if (configuration === 'OpenLIT') patch(openlitInstrumentation('anthropic'), tracerProvider, anthropic, version);
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
