// One sample of instrumentation.bench.ts, run in its own process: one call (an SDK, an API, streamed or not), one
// configuration (uninstrumented, tokenledger with its span processor, tokenledger's instrumentation alone,
// instrumentation-openai, OpenInference, OpenLIT, or the Anthropic SDK's own tracing; sampled or not). It measures the
// whole process's CPU over calls 1–5 000 (cold: what a short-lived process pays, first-call set-up included) and over
// calls 15 001–25 000 (steady), then the heap allocated per call. Spans go through a SimpleSpanProcessor to a
// dropping exporter; metrics to the no-op meter. tokenledger runs as the register entry sets it up: its sampler
// (setup/sampler.ts) and its span processor, so its calls carry all six token types and their cost. OpenLIT, the peer
// that also prices calls and records metrics, does both too: its price table (what `openlit.init()` fetches) holds
// the bench's models, and its metric instruments are on the same no-op meter.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OpenAIInstrumentation as ContribOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GCProfiler } from 'node:v8';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { tokenledgerSampler } from '../setup/sampler.ts';
import { prefixHash } from '../instrumentation/common/prompt-shape.ts';
import { chatToolResultShare } from '../instrumentation/openai/chat.ts';
import { fixtureJson, fixtureText } from '../test/fake-provider.ts';
import {
  openInferenceInstrumentation,
  openlitInstrumentation,
  openlitPricingAndMetrics,
  patch,
  type Instrumented,
  type OpenlitChatPrices,
} from '../test/peer-instrumentations.ts';
import { genaiPrices } from '../ledger/pricing/genai-prices.ts';
import { jsonFetch, sseFetch } from './canned-fetch.ts';
import { median } from './report.ts';

const require = createRequire(import.meta.url);

/** The calls measured: which SDK, which API, streamed or not. */
export interface CallSpec {
  sdk: 'openai6' | 'openai7' | 'anthropic';
  api: 'chat' | 'responses' | 'messages';
  stream: boolean;
}

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
  /** CPU µs per call over calls 1–`cold` of the process. */
  cold: number;
  /** CPU µs per call over the `calls` after the warm-up. */
  cpu: number;
  /** Heap bytes allocated per call (median of GC-free windows), or undefined when every window saw a GC. */
  heap: number | undefined;
}

export interface Phases {
  /** Calls measured cold, from the first; the warm-up goes on to `warmUp` calls, then `calls` are measured. */
  cold: number;
  warmUp: number;
  calls: number;
}

/** A sampler that counts the spans started (each start asks it once), so a configuration that patched nothing shows. */
class CountingSampler implements Sampler {
  started = 0;
  private readonly sampler: Sampler;
  constructor(sampler: Sampler) {
    this.sampler = sampler;
  }
  shouldSample(...args: Parameters<Sampler['shouldSample']>) {
    this.started += 1;
    return this.sampler.shouldSample(...args);
  }
  toString() {
    return `Counting{${this.sampler.toString()}}`;
  }
}

/**
 * Sets one configuration up in this process: the call to measure, and the spans counted so far. Configurations whose
 * name ends in `, unsampled` run under a sampler that drops every trace (what a 0.1 ratio does to nine calls in ten);
 * tokenledger's configurations wrap the sampler as the register entry does.
 */
function setUp(spec: CallSpec, configuration: string): { call: () => Promise<unknown>; counts: () => SpanCounts } {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const unsampled = configuration.endsWith(', unsampled');
  const tool = configuration.replace(/, unsampled$/, '');
  let exported = 0;
  let ended = 0;
  const dropExporter: SpanExporter = {
    export: (spans, done) => {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
  const exporting = new SimpleSpanProcessor({ exporter: dropExporter });
  const counting = {
    onStart() {},
    onEnding() {},
    onEnd: () => {
      ended += 1;
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const withProcessor = tool === 'tokenledger';
  const spanProcessors = withProcessor ? [new TokenledgerSpanProcessor({ spanProcessors: [exporting] }), counting] : [exporting, counting];
  const appSampler = unsampled ? new AlwaysOffSampler() : new ParentBasedSampler({ root: new AlwaysOnSampler() });
  const sampler = new CountingSampler(tool.startsWith('tokenledger') ? tokenledgerSampler(appSampler) : appSampler);
  const tracerProvider = new TracerProvider({ spanProcessors, sampler });
  trace.setGlobalTracerProvider(tracerProvider);
  const call = makeCall(spec, tool, tracerProvider);
  return { call, counts: () => ({ started: sampler.started, ended, exported }) };
}

export async function measure(spec: CallSpec, configuration: string, phases: Phases): Promise<Sample> {
  const { call, counts } = setUp(spec, configuration);
  const cpuOf = (start: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start);
    return used.user + used.system;
  };
  const coldStart = process.cpuUsage();
  for (let i = 0; i < phases.cold; i += 1) await call();
  const cold = cpuOf(coldStart) / phases.cold;
  for (let i = phases.cold; i < phases.warmUp; i += 1) await call();
  checkSpans(spec, configuration, phases.warmUp, counts());
  const start = process.cpuUsage();
  for (let i = 0; i < phases.calls; i += 1) await call();
  const cpu = cpuOf(start) / phases.calls;
  return { cold, cpu, heap: await heapPerCall(call) };
}

/**
 * Every instrumented configuration makes exactly one span a call (a configuration that patched nothing would measure
 * the bare SDK): started, ended (recorded: tokenledger's sampler records what the app's drops) and exported as the
 * sampler decides.
 */
interface SpanCounts {
  started: number;
  ended: number;
  exported: number;
}

function checkSpans(spec: CallSpec, configuration: string, calls: number, counts: SpanCounts): void {
  const instrumented = configuration !== 'uninstrumented';
  const unsampled = configuration.endsWith(', unsampled');
  const recorded = instrumented && (!unsampled || configuration.startsWith('tokenledger'));
  const expected = { started: instrumented ? calls : 0, ended: recorded ? calls : 0, exported: instrumented && !unsampled ? calls : 0 };
  if (counts.started !== expected.started || counts.ended !== expected.ended || counts.exported !== expected.exported) {
    throw new Error(
      `${spec.sdk} ${spec.api}${spec.stream ? ' stream' : ''} / ${configuration}: ${JSON.stringify(counts)} for ${calls} calls, expected ${JSON.stringify(expected)}`,
    );
  }
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

const BASE_URL = { openai: 'http://bench.invalid/v1', anthropic: 'http://bench.invalid' };

function makeCall(spec: CallSpec, tool: string, tracerProvider: TracerProvider): () => Promise<unknown> {
  const provider = spec.sdk === 'anthropic' ? 'anthropic' : 'openai';
  // openai 6 for the comparison with instrumentation-openai (which patches only < 7).
  const name = { openai6: 'openai6', openai7: 'openai', anthropic: '@anthropic-ai/sdk' }[spec.sdk];
  const moduleExports = require(name);
  const version = require(`${name}/version`).VERSION as string;
  if (tool.startsWith('tokenledger'))
    patch(provider === 'openai' ? new OpenAIInstrumentation() : new AnthropicInstrumentation(), tracerProvider, moduleExports, version);
  if (tool === 'instrumentation-openai') patch(new ContribOpenAIInstrumentation() as unknown as Instrumented, tracerProvider, moduleExports, version);
  if (tool === 'OpenInference') openInferenceInstrumentation(provider, tracerProvider, moduleExports);
  if (tool === 'OpenLIT') {
    patch(openlitInstrumentation(provider), tracerProvider, moduleExports, version);
    openlitPricingAndMetrics(openlitPrices(), metrics.getMeterProvider().getMeter('openlit'));
  }

  const fixture = { chat: 'openai-chat', responses: 'openai-responses', messages: 'anthropic-messages' }[spec.api];
  const request = fixtureJson(`${fixture}.request.json`);
  const body = spec.stream ? { ...request, stream: true } : request;
  const fetch = spec.stream ? sseFetch(fixtureText(`${fixture}.sse`)) : jsonFetch(fixtureJson(`${fixture}.json`));
  const options = { apiKey: 'k', baseURL: BASE_URL[provider], maxRetries: 0, fetch };
  // The Anthropic SDK traces its own calls only when asked (the peer 'SDK built-in tracing').
  const client = new moduleExports.default(provider === 'anthropic' ? { ...options, openTelemetry: tool === 'SDK built-in tracing' } : options);
  const api = { chat: client.chat?.completions, responses: client.responses, messages: client.messages }[spec.api];
  if (!spec.stream) return () => api.create(body);
  return async () => {
    const stream = await api.create(body);
    for await (const _ of stream);
  };
}

/** OpenLIT's table for the models the bench asks for, at the base rates of the price data tokenledger uses. */
function openlitPrices(): OpenlitChatPrices {
  // A rate the price data does not have stays absent (OpenLIT then skips that part), never a price of 0.
  const perThousand = (price: unknown) => {
    const perMillion = typeof price === 'number' ? price : (price as { base?: number } | undefined)?.base;
    return perMillion === undefined ? undefined : perMillion / 1000;
  };
  const required = (price: unknown, model: string) => {
    const rate = perThousand(price);
    if (rate === undefined) throw new Error(`no input or output rate for ${model}: the bench's OpenLIT table needs both`);
    return rate;
  };
  const prices: OpenlitChatPrices = {};
  for (const [providerId, model] of [
    ['openai', 'gpt-5.5'],
    ['anthropic', 'claude-sonnet-5-5'],
  ] as const) {
    const rates = genaiPrices().calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId })?.model_price;
    if (!rates) throw new Error(`no price for ${model}: the bench's OpenLIT table needs one`);
    prices[model] = {
      promptPrice: required(rates.input_mtok, model),
      completionPrice: required(rates.output_mtok, model),
      cacheReadPrice: perThousand(rates.cache_read_mtok),
      cacheCreationPrice: perThousand(rates.cache_write_mtok),
    };
  }
  return prices;
}

/** The request measurements taken before each call (tool-result share, prefix hash), on a 131 KB prompt. */
export function requestMeasurement(rounds: number): string {
  const tools = fixtureJson('openai-chat.request.json').tools;
  const messages = Array.from({ length: 200 }, (_, i) =>
    i % 4 === 3
      ? {
          role: 'tool',
          tool_call_id: `call_${i}`,
          content: JSON.stringify({ rows: Array.from({ length: 20 }, (_, j) => ({ id: j, name: `item ${j}`, price: j * 1.5 })) }),
        }
      : { role: i % 2 ? 'assistant' : 'user', content: 'lorem ipsum dolor sit amet '.repeat(20) },
  );
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
