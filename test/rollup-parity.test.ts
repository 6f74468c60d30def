// One rollup engine: random traces — requests around agents, nested agents, retries, refused calls, failed tools,
// malformed usage, calls that end after their run, agents learning their ideal steps — go once through the
// in-process span processor (started and ended in time order, as an app would) and once through collector mode
// (the same spans as OTLP/JSON from three services, in shuffled order and several requests). Every run attribute,
// every call's cost, and every metric must come out the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { CollectorServer } from '../collector/collector-server.ts';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { testMeterProvider } from './metric-reader.ts';

interface ModelSpan {
  id: string;
  parent?: ModelSpan;
  name: string;
  start: number;
  end: number;
  attributes: Attributes;
  failed: boolean;
  service: string;
}

/** A small deterministic PRNG, so a failing seed can be run again. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5'] as const;
const AGENTS = ['support', 'triage', 'research'] as const;
const SERVICES = ['gateway', 'agents', 'tools'] as const;
const EPOCH_MS = 1_764_300_000_000;

/** One trace: a root (a request, or an agent) with agents, calls and tools under it, every time distinct. */
function generateTrace(rng: ReturnType<typeof random>, traceIndex: number): ModelSpan[] {
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
  const call = (parent: ModelSpan, model: string, failedBefore: boolean) => {
    const provider = model.startsWith('claude') ? 'anthropic' : 'openai';
    const kind = rng.int(20);
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'gen_ai.request.model': model };
    const span = open(`chat ${model}`, parent, attributes);
    if (kind === 0 && !failedBefore) {
      span.failed = true;
      attributes['error.type'] = 'InternalServerError';
    } else if (kind === 1) {
      span.failed = true;
      attributes['error.type'] = 'BudgetExceededError'; // refused by a guardrail: never sent
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
        const model = failedModel ?? rng.pick(MODELS);
        const made = call(span, model, failedModel !== undefined);
        failedModel = made.failed && made.attributes['error.type'] === 'InternalServerError' ? model : undefined;
        if (rng.int(12) === 0) late.push(made); // a stream the app finished after its run ended
        else made.end = tick();
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
    if (rng.int(3) === 0) call(request, rng.pick(MODELS), false).end = tick(); // a call outside every agent
    agent(request, 0);
    request.end = tick();
  } else {
    agent(undefined, 0);
  }
  return spans;
}

/** Replays the traces through a real TracerProvider with the processor, starts and ends in time order. */
async function inProcess(traces: ModelSpan[][]) {
  const { meterProvider, reader } = testMeterProvider();
  const exporter = new InMemorySpanExporter();
  // The exporter behind tokenledger's processor, as the register entry sets it up: a run's root waits for its calls.
  const processor = new TokenledgerSpanProcessor({ meterProvider, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
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
  await processor.shutdown();
  // By the model's span ids, the ones collector mode sees; a run's own id is its span id, so it is rewritten too.
  const modelId = new Map([...sdkIds].map(([span, sdkId]) => [sdkId, span.id]));
  const bySpan = new Map<string, Attributes>();
  for (const [span, sdkId] of sdkIds) {
    const attributes = { ...bySdkId.get(sdkId) };
    for (const key of ['tokenledger.run.id', 'tokenledger.run.parent_id']) {
      if (typeof attributes[key] === 'string') attributes[key] = modelId.get(attributes[key] as string);
    }
    bySpan.set(span.id, attributes);
  }
  return { attributes: bySpan, metrics: await reader.metricsByName() };
}

/** Sends the same spans to `tokenledger collect` as OTLP/JSON from three services, shuffled, in several requests. */
async function collectorMode(traces: ModelSpan[][], rng: ReturnType<typeof random>) {
  const received = new Map<string, Attributes>();
  const upstream: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String, bytes: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ spanId: string; attributes?: KeyValue[] }> }> }>;
    };
    for (const rs of request.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) received.set(Buffer.from(span.spanId, 'base64').toString('hex'), toAttributes(span.attributes ?? []));
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { meterProvider, reader } = testMeterProvider();
  const collector = new CollectorServer({
    port: 0,
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    maxBodyBytes: 16 * 1024 * 1024,
    traces: { quietMs: 3_600_000, maxAgeMs: 3_600_000 },
    meterProvider,
  });
  const url = await collector.start();
  const nanos = (at: number) => (BigInt(EPOCH_MS + at) * 1_000_000n).toString();
  const traceId = (spans: ModelSpan[]) => spans[0]!.id.slice(0, 8).padStart(32, '0');
  for (const spans of traces) {
    const shuffled = [...spans].sort(() => rng.next() - 0.5);
    for (let start = 0; start < shuffled.length; start += 4) {
      const part = shuffled.slice(start, start + 4);
      const resourceSpans = SERVICES.map((service) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{
          scope: { name: 'app' },
          spans: part.filter((span) => span.service === service).map((span) => ({
            traceId: traceId(spans),
            spanId: span.id,
            parentSpanId: span.parent?.id,
            name: span.name,
            startTimeUnixNano: nanos(span.start),
            endTimeUnixNano: nanos(span.end),
            status: span.failed ? { code: 2 } : {},
            attributes: Object.entries(span.attributes).map(([key, value]) =>
              ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } })),
          })),
        }],
      }));
      const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: JSON.stringify({ resourceSpans }), headers: { 'content-type': 'application/json' } });
      assert.equal(response.status, 200, await response.text());
    }
  }
  await collector.stop(5000); // rolls up every held trace, in the order they arrived, and forwards it
  upstream.close();
  return { attributes: received, metrics: await reader.metricsByName() };
}

const RUN_AND_COST = /^tokenledger\.(run|cost|usage)\./;

/** What is compared of a span: tokenledger's run, cost and usage figures. */
function figuresOf(attributes: Attributes | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes ?? {}).filter(([key]) => RUN_AND_COST.test(key)).sort(([a], [b]) => a.localeCompare(b)));
}

/** A metric's points as sorted [attributes, value] pairs; histograms by count, sum, min and max. */
function pointsOf(metric: MetricData | undefined): string[] {
  return (metric?.dataPoints ?? [])
    .map((point) => {
      const value = point.value as number | { count: number; sum?: number };
      const shown = typeof value === 'number' ? value.toFixed(9) : `${value.count} ${value.sum?.toFixed(9)}`;
      return `${JSON.stringify(Object.entries(point.attributes).sort())} ${shown}`;
    })
    .sort();
}

/** The metrics both deployables record (the self-metrics of each differ by design). */
const COMPARED_METRICS = [
  'tokenledger.tokens', 'tokenledger.tokens.subset', 'tokenledger.cost', 'tokenledger.cost.subset', 'tokenledger.calls.unpriced',
  'tokenledger.runs', 'tokenledger.run.cost', 'tokenledger.run.steps', 'tokenledger.run.step_inflation',
  'tokenledger.run.cache_hit_rate', 'tokenledger.run.token_efficiency', 'tokenledger.processor.spans.late',
  'gen_ai.client.inference.usage.input_tokens', 'gen_ai.client.inference.usage.output_tokens',
  'gen_ai.client.inference.usage.cache_read.input_tokens', 'gen_ai.client.inference.usage.cache_write.input_tokens',
  'gen_ai.client.inference.usage.reasoning.output_tokens', 'gen_ai.client.inference.operation.input_tokens',
  'gen_ai.client.inference.operation.output_tokens', 'gen_ai.client.operation.duration',
];

for (const seed of [1, 2, 3]) {
  test(`rollup parity (seed ${seed}): in-process and collector mode give the same runs, costs and metrics`, { timeout: 60_000 }, async () => {
    const rng = random(seed);
    const traces = Array.from({ length: 40 }, (_, index) => generateTrace(rng, index));
    const spanCount = traces.reduce((sum, spans) => sum + spans.length, 0);
    const ours = await inProcess(traces);
    const collected = await collectorMode(traces, random(seed + 100));
    assert.equal(collected.attributes.size, spanCount, 'every span forwarded');
    let runs = 0;
    let nested = 0;
    let learned = 0;
    for (const spans of traces) {
      for (const span of spans) {
        const expected = figuresOf(ours.attributes.get(span.id));
        assert.deepEqual(figuresOf(collected.attributes.get(span.id)), expected, `${span.name} ${span.id}`);
        if (expected['tokenledger.run.steps'] !== undefined) runs += 1;
        if (expected['tokenledger.run.nested'] === true) nested += 1;
        if (expected['tokenledger.run.ideal_steps.source'] === 'learned') learned += 1;
      }
    }
    // The traces exercise what they are meant to: runs, nested runs, learned ideal steps.
    assert.ok(runs >= 40 && nested > 0 && learned > 0, `runs ${runs}, nested ${nested}, learned ${learned}`);
    for (const name of COMPARED_METRICS) assert.deepEqual(pointsOf(collected.metrics.get(name)), pointsOf(ours.metrics.get(name)), name);
  });
}
