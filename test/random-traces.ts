// Random agent traces for property tests (rollup-parity, cost-invariant): requests around agents, nested agents,
// retries, refused and failed calls, failed tools, malformed usage, calls that end after their run's root, agents
// learning their ideal steps; optionally two spans of one call (a framework's span around the SDK's, ending after it
// or before it, or a second source with the same response id in flight beside it) and calls that cannot be priced (an unknown model, no
// usage). Each trace is a tree of model spans with integer times (ms after EPOCH_MS), replayed through the real SDK
// in time order (inProcess) or sent to a real CollectorServer as OTLP/JSON from three services (collectorMode).
import assert from 'node:assert/strict';
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import type { Clock } from '../base/clock.ts';
import { CollectorServer } from '../collector/collector-server.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { FakeUpstream } from './fake-upstream.ts';
import { testMeterProvider } from './metric-reader.ts';

export interface ModelSpan {
  id: string;
  parent?: ModelSpan;
  name: string;
  start: number;
  end: number;
  attributes: Attributes;
  failed: boolean;
  service: string;
}

export type Rng = ReturnType<typeof random>;

/** A small deterministic PRNG, so a failing seed can be run again. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

/** What a trace may hold besides the basics (off: the traces rollup-parity was written for). */
export interface TraceFeatures {
  /** Two spans of one call: a framework's span around the SDK's, or a second source's with the same response id. */
  duplicates?: boolean;
  /**
   * Some framework spans end before the SDK's span inside them (as OpenInference's around the Anthropic SDK's own
   * can): the processor and collector mode both count the inner one, whichever ends first.
   */
  outerCallEndsFirst?: boolean;
  /** Calls that cannot be priced: an unknown model, or no usage at all. */
  unpriced?: boolean;
}

const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5'] as const;
const UNPRICED_MODEL = 'mystery-model-7';
const AGENTS = ['support', 'triage', 'research'] as const;
const SERVICES = ['gateway', 'agents', 'tools'] as const;
export const EPOCH_MS = 1_764_300_000_000;

/** One trace: a root (a request, or an agent) with agents, calls and tools under it, every time distinct. */
export function generateTrace(rng: Rng, traceIndex: number, features: TraceFeatures = {}): ModelSpan[] {
  const spans: ModelSpan[] = [];
  let clock = traceIndex * 100_000;
  const tick = () => (clock += 1 + rng.int(5));
  let next = 0;
  const id = () => `${(traceIndex + 1).toString(16).padStart(8, '0')}${(next++).toString(16).padStart(8, '0')}`;
  const open = (name: string, parent: ModelSpan | undefined, attributes: Attributes): ModelSpan => {
    const span = { id: id(), parent, name, start: tick(), end: 0, attributes, failed: false, service: rng.pick(SERVICES) };
    spans.push(span);
    return span;
  };
  const models: readonly string[] = features.unpriced ? [...MODELS, UNPRICED_MODEL] : MODELS;
  const call = (parent: ModelSpan, model: string, failedBefore: boolean) => {
    const provider = model.startsWith('gpt') ? 'openai' : 'anthropic';
    const kind = rng.int(20);
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'gen_ai.request.model': model };
    const span = open(`chat ${model}`, parent, attributes);
    if (kind === 0 && !failedBefore) {
      span.failed = true;
      attributes['error.type'] = 'InternalServerError';
    } else if (kind === 1) {
      span.failed = true;
      attributes['error.type'] = 'BudgetExceededError'; // refused by a guardrail: never sent
    } else if (kind === 3 && features.unpriced) {
      // A call whose usage the source did not say: counted, its cost unknown (usage_missing).
    } else {
      const input = 500 + rng.int(20_000);
      const cached = rng.int(2) === 0 ? 0 : rng.int(input);
      const written = provider === 'anthropic' && rng.int(3) === 0 ? rng.int(input - cached) : 0;
      const output = 10 + rng.int(2000);
      attributes['gen_ai.usage.input_tokens'] = input;
      attributes['gen_ai.usage.output_tokens'] = output;
      attributes['gen_ai.usage.cache_read.input_tokens'] = kind === 2 ? input + 1 : cached; // kind 2: malformed
      attributes['gen_ai.usage.cache_write.input_tokens'] = written;
      if (rng.int(2) === 0) attributes['gen_ai.usage.reasoning.output_tokens'] = rng.int(output);
    }
    return span;
  };
  /** A call ended now, perhaps with a second span of it (one more source describing the same request). */
  const endedCall = (parent: ModelSpan, model: string, failedBefore: boolean): ModelSpan => {
    const style = features.duplicates ? rng.int(6) : 5;
    // 0, 1: a framework's call span around the SDK's, ending after it or (1, when asked for) before it.
    const around = style <= 1 ? open(`chat ${model}`, parent, {}) : undefined;
    const outerFirst = style === 1 && features.outerCallEndsFirst === true;
    const made = call(around ?? parent, model, failedBefore);
    const responseId = `resp-${made.id}`;
    if (around) Object.assign(around.attributes, made.attributes, { 'gen_ai.response.id': responseId });
    // 2: a second source's span of the call beside it (a gateway), in flight with it, with the same response id.
    const beside = style === 2 ? open(`chat ${model}`, parent, { ...made.attributes, 'gen_ai.response.id': responseId }) : undefined;
    if (style <= 2) made.attributes['gen_ai.response.id'] = responseId;
    if (around && outerFirst) around.end = tick();
    made.end = tick();
    if (around && !outerFirst) around.end = tick();
    if (beside) beside.end = tick();
    return made;
  };
  const agent = (parent: ModelSpan | undefined, depth: number): ModelSpan => {
    const name = rng.pick(AGENTS);
    const attributes: Attributes = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name };
    if (rng.int(4) === 0) attributes['tokenledger.run.ideal_steps'] = 1 + rng.int(4);
    const span = open(`invoke_agent ${name}`, parent, attributes);
    const late: ModelSpan[] = [];
    let failedModel: string | undefined;
    for (let step = rng.int(5); step >= 0; step -= 1) {
      const roll = rng.int(10);
      if (roll < 6) {
        // A call right after a failed one to the same model is a retry.
        const model = failedModel ?? rng.pick(models);
        let made: ModelSpan;
        if (features.duplicates) {
          // A stream the app finished after its run ended, or a call ended now (perhaps with a second span of it).
          made = rng.int(12) === 0 ? call(span, model, failedModel !== undefined) : endedCall(span, model, failedModel !== undefined);
          if (made.end === 0) late.push(made);
        } else {
          made = call(span, model, failedModel !== undefined);
          if (rng.int(12) === 0)
            late.push(made); // a stream the app finished after its run ended
          else made.end = tick();
        }
        failedModel = made.failed && made.attributes['error.type'] === 'InternalServerError' ? model : undefined;
      } else if (roll < 8) {
        const tool = open('execute_tool lookup', span, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' });
        tool.failed = rng.int(4) === 0;
        tool.end = tick();
      } else if (depth < 2) {
        agent(span, depth + 1);
      }
    }
    span.failed = rng.int(5) === 0;
    span.end = tick();
    for (const made of late) made.end = tick();
    return span;
  };
  if (rng.int(2) === 0) {
    const request = open('GET /tickets', undefined, { 'http.request.method': 'GET' });
    if (rng.int(3) === 0) call(request, rng.pick(models), false).end = tick(); // a call outside every agent
    agent(request, 0);
    request.end = tick();
  } else {
    agent(undefined, 0);
  }
  return spans;
}

export interface Observed {
  /** Each span's attributes as exported or forwarded, by its model span id. */
  attributes: Map<string, Attributes>;
  metrics: Map<string, MetricData>;
}

export interface InProcessOptions {
  /** More export processors behind tokenledger's (a recording exporter). */
  spanProcessors?: SpanProcessor[];
  clock?: Clock;
}

/**
 * Replays the traces through a real TracerProvider with the processor, starts and ends in time order. The exporters
 * are behind tokenledger's processor, as the register entry sets them up: a run's root waits for its calls.
 */
export async function inProcess(traces: ModelSpan[][], options: InProcessOptions = {}): Promise<Observed> {
  const { meterProvider, reader } = testMeterProvider();
  const exporter = new InMemorySpanExporter();
  const spanProcessors = [new SimpleSpanProcessor({ exporter }), ...(options.spanProcessors ?? [])];
  const processor = new TokenledgerSpanProcessor({ meterProvider, spanProcessors, clock: options.clock });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('app');
  const sdkIds = new Map<ModelSpan, string>();
  for (const spans of traces) {
    const events = spans.flatMap((span) => [
      { at: span.start, span, starts: true },
      { at: span.end, span, starts: false },
    ]);
    events.sort((a, b) => a.at - b.at);
    const live = new Map<ModelSpan, Span>();
    for (const { at, span, starts } of events) {
      if (starts) {
        const parent = span.parent && live.get(span.parent);
        const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
        const started = tracer.startSpan(span.name, { startTime: EPOCH_MS + at, attributes: span.attributes, root: !parent }, ctx);
        live.set(span, started);
        sdkIds.set(span, started.spanContext().spanId);
      } else {
        const started = live.get(span)!;
        if (span.failed) started.setStatus({ code: SpanStatusCode.ERROR });
        started.end(EPOCH_MS + at);
      }
    }
  }
  await processor.forceFlush();
  const bySdkId = new Map(exporter.getFinishedSpans().map((span) => [span.spanContext().spanId, span.attributes]));
  await provider.shutdown();
  // By the model's span ids, the ones collector mode sees; a run's own id is its span id, so it is rewritten too.
  const modelId = new Map([...sdkIds].map(([span, sdkId]) => [sdkId, span.id]));
  const bySpan = new Map<string, Attributes>();
  for (const [span, sdkId] of sdkIds) {
    const attributes = { ...bySdkId.get(sdkId) };
    for (const key of ['tokenledger.run.id', 'tokenledger.run.parent_id', 'tokenledger.call.duplicate_of']) {
      if (typeof attributes[key] === 'string') attributes[key] = modelId.get(attributes[key] as string);
    }
    bySpan.set(span.id, attributes);
  }
  return { attributes: bySpan, metrics: await reader.metricsByName() };
}

export interface CollectorModeOptions {
  /**
   * Another host's clock: per trace, how far ahead (in ns) the spans of one service other than the root's are, or
   * undefined for none.
   */
  skew?: (rng: Rng) => bigint;
  /** Where a trace's root goes among its spans: first, last, or (default) anywhere. */
  rootAt?: (rng: Rng) => 'first' | 'last' | 'anywhere';
}

/** Sends the same spans to `tokenledger collect` as OTLP/JSON from three services, shuffled, in several requests. */
export async function collectorMode(traces: ModelSpan[][], rng: Rng, options: CollectorModeOptions = {}): Promise<Observed> {
  const upstream = await new FakeUpstream().start();
  const { meterProvider, reader } = testMeterProvider();
  const collector = new CollectorServer({
    port: 0,
    upstream: upstream.url,
    maxBodyBytes: 16 * 1024 * 1024,
    traces: { quietMs: 3_600_000, maxAgeMs: 3_600_000 },
    meterProvider,
  });
  const url = await collector.start();
  const traceId = (spans: ModelSpan[]) => spans[0]!.id.slice(0, 8).padStart(32, '0');
  for (const spans of traces) {
    const root = spans.find((span) => span.parent === undefined)!;
    const skew = options.skew?.(rng) ?? 0n;
    const skewed = skew === 0n ? undefined : rng.pick(SERVICES.filter((service) => service !== root.service));
    const nanos = (span: ModelSpan, at: number) => (BigInt(EPOCH_MS + at) * 1_000_000n + (span.service === skewed ? skew : 0n)).toString();
    let shuffled = [...spans].sort(() => rng.next() - 0.5);
    const rootAt = options.rootAt?.(rng) ?? 'anywhere';
    if (rootAt !== 'anywhere') {
      shuffled = shuffled.filter((span) => span !== root);
      if (rootAt === 'first') shuffled.unshift(root);
      else shuffled.push(root);
    }
    for (let start = 0; start < shuffled.length; start += 4) {
      const part = shuffled.slice(start, start + 4);
      const resourceSpans = SERVICES.map((service) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'app' },
            spans: part
              .filter((span) => span.service === service)
              .map((span) => ({
                traceId: traceId(spans),
                spanId: span.id,
                parentSpanId: span.parent?.id,
                name: span.name,
                startTimeUnixNano: nanos(span, span.start),
                endTimeUnixNano: nanos(span, span.end),
                status: span.failed ? { code: 2 } : {},
                attributes: Object.entries(span.attributes).map(([key, value]) => ({
                  key,
                  value: typeof value === 'string' ? { stringValue: value } : { intValue: value },
                })),
              })),
          },
        ],
      }));
      const response = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        body: JSON.stringify({ resourceSpans }),
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 200, await response.text());
    }
  }
  await collector.stop(5000); // rolls up every held trace, in the order they arrived, and forwards it
  await upstream.stop();
  const received = new Map(upstream.spans.map((span) => [span.spanId, span.attributes as Attributes]));
  return { attributes: received, metrics: await reader.metricsByName() };
}
