// CPU added per LLM call by tokenledger's instrumentation, measured side by side in one process against
// the same call uninstrumented, against `@opentelemetry/instrumentation-openai` (which patches only openai < 7,
// so all three run on openai 6), and against the Anthropic SDK's own tracing. The SDKs get an in-process canned
// `fetch`, so the network is not measured. Configurations alternate round by round; medians are reported.
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
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 11);
const CALLS = Number(process.env.BENCH_CALLS ?? 400);
const STREAM_CHUNKS = 500;

const require = createRequire(import.meta.url);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const dropExporter: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: dropExporter })] });
trace.setGlobalTracerProvider(tracerProvider);

interface Patch {
  name: string;
  apply(): void;
  remove(): void;
}

function manualPatch(name: string, definition: InstrumentationModuleDefinition, moduleExports: unknown, version: string): Patch {
  return {
    name,
    apply: () => definition.patch?.(moduleExports, version),
    remove: () => definition.unpatch?.(moduleExports, version),
  };
}

const none: Patch = { name: 'uninstrumented', apply() {}, remove() {} };

async function cpuMicrosPerCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i += 1) await call();
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i += 1) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

async function compare(title: string, patches: Patch[], call: () => Promise<unknown>) {
  const samples = new Map<string, number[]>(patches.map((patch) => [patch.name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const patch of patches) {
      patch.apply();
      samples.get(patch.name)!.push(await cpuMicrosPerCall(call));
      patch.remove();
    }
  }
  const base = median(samples.get(patches[0]!.name)!);
  return { title, rows: patches.map((patch) => ({ name: patch.name, micros: median(samples.get(patch.name)!), base })) };
}

interface Instrumented {
  setTracerProvider(provider: TracerProvider): void;
  setMeterProvider(provider: MeterProvider): void;
  enable(): void;
  disable(): void;
  getModuleDefinitions(): InstrumentationModuleDefinition[];
}

function setup(instrumentation: Instrumented, moduleExports: unknown, version: string, name: string): Patch {
  instrumentation.setTracerProvider(tracerProvider);
  // The contrib instrumentation records metrics too; a no-op meter keeps that cost out of the comparison.
  instrumentation.setMeterProvider(metrics.getMeterProvider());
  instrumentation.enable();
  instrumentation.disable();
  const [definition] = instrumentation.getModuleDefinitions();
  const patch = manualPatch(name, definition!, moduleExports, version);
  return {
    name,
    apply: () => {
      instrumentation.enable();
      patch.apply();
    },
    remove: () => {
      patch.remove();
      instrumentation.disable();
    },
  };
}

// ---- OpenAI 6: uninstrumented vs tokenledger vs @opentelemetry/instrumentation-openai ----
const openai6 = require('openai6');
const openai6Version = (await import('openai6/version')).VERSION as string;
const chatBody = fixtureJson('openai-chat.request.json');
const openaiPatches = [
  none,
  setup(new OpenAIInstrumentation(), openai6, openai6Version, 'tokenledger'),
  setup(new ContribOpenAIInstrumentation(), openai6, openai6Version, '@opentelemetry/instrumentation-openai 0.22'),
];
const openaiJson = new openai6.default({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', maxRetries: 0, fetch: jsonFetch(fixtureJson('openai-chat.json')) });
const openaiStream = new openai6.default({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', maxRetries: 0, fetch: sseFetch(openaiChatStream(STREAM_CHUNKS)) });

const results = [];
results.push(await compare(`openai ${openai6Version} chat.completions.create, non-streamed`, openaiPatches, () => openaiJson.chat.completions.create(chatBody)));
const streamed = await compare(`openai ${openai6Version} chat stream of ${STREAM_CHUNKS} chunks`, openaiPatches, async () => {
  const stream = await openaiStream.chat.completions.create({ ...chatBody, stream: true });
  for await (const _ of stream);
});
results.push(streamed);

// ---- Anthropic 1.x: uninstrumented vs tokenledger vs the SDK's own tracing ----
const anthropicModule = require('@anthropic-ai/sdk');
const anthropicVersion = require('@anthropic-ai/sdk/version').VERSION as string;
const Anthropic = anthropicModule.default;
const anthropicJson = fixtureJson('anthropic-messages.json');
const untraced = new Anthropic({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, openTelemetry: false, fetch: jsonFetch(anthropicJson) });
const nativeTraced = new Anthropic({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, fetch: jsonFetch(anthropicJson) });
const anthropicBody = fixtureJson('anthropic-messages.request.json');
const ours = setup(new AnthropicInstrumentation(), anthropicModule, anthropicVersion, 'tokenledger');
let client = untraced;
const anthropicPatches: Patch[] = [
  { name: 'uninstrumented', apply: () => (client = untraced), remove() {} },
  { name: 'tokenledger', apply: () => { client = untraced; ours.apply(); }, remove: () => ours.remove() },
  { name: 'SDK built-in tracing', apply: () => (client = nativeTraced), remove: () => (client = untraced) },
];
results.push(await compare(`@anthropic-ai/sdk ${anthropicVersion} messages.create, non-streamed`, anthropicPatches, () => client.messages.create(anthropicBody)));
const anthropicSse = fixtureText('anthropic-messages.sse');
const untracedStream = new Anthropic({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, openTelemetry: false, fetch: sseFetch(anthropicSse) });
const nativeStream = new Anthropic({ apiKey: 'k', baseURL: 'http://bench.invalid', maxRetries: 0, fetch: sseFetch(anthropicSse) });
let streamClient = untracedStream;
results.push(await compare(`@anthropic-ai/sdk ${anthropicVersion} messages stream (12 events)`, [
  { name: 'uninstrumented', apply: () => (streamClient = untracedStream), remove() {} },
  { name: 'tokenledger', apply: () => { streamClient = untracedStream; ours.apply(); }, remove: () => ours.remove() },
  { name: 'SDK built-in tracing', apply: () => (streamClient = nativeStream), remove: () => (streamClient = untracedStream) },
], async () => {
  const stream = await streamClient.messages.create({ ...anthropicBody, stream: true });
  for await (const _ of stream);
}));

for (const result of results) {
  printTable(result.title, ['configuration', 'CPU µs/call (median)', 'added µs', 'ratio'], result.rows.map((row) => [
    row.name,
    row.micros.toFixed(1),
    (row.micros - row.base).toFixed(1),
    `${(row.micros / row.base).toFixed(3)}×`,
  ]));
}
const ourStream = streamed.rows.find((row) => row.name === 'tokenledger')!;
console.log(`\ntokenledger per streamed chunk: ${((ourStream.micros - ourStream.base) / STREAM_CHUNKS).toFixed(3)} µs added (${STREAM_CHUNKS}-chunk stream, per-call overhead included)`);

// ---- The request measurements taken before each call, on a large prompt ----
const bigMessages = Array.from({ length: 200 }, (_, i) => (i % 4 === 3
  ? { role: 'tool', tool_call_id: `call_${i}`, content: JSON.stringify({ rows: Array.from({ length: 20 }, (_, j) => ({ id: j, name: `item ${j}`, price: j * 1.5 })) }) }
  : { role: i % 2 ? 'assistant' : 'user', content: 'lorem ipsum dolor sit amet '.repeat(20) }));
const promptChars = JSON.stringify(bigMessages).length;
const timings: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < 200; i += 1) {
    chatToolResultShare(bigMessages, chatBody.tools);
    prefixHash(bigMessages[0], chatBody.tools);
  }
  timings.push(Number(process.hrtime.bigint() - start) / 200 / 1000);
}
console.log(`request measurement (tool-result share + prefix hash) on a ${(promptChars / 1024).toFixed(0)} KB prompt: ${median(timings).toFixed(1)} µs per call`);

await tracerProvider.shutdown();
