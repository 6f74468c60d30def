// Defects the collector refactor fixes, pinned as the behaviour it must have (each test fails on the code before
// it): collector mode rolls runs up exactly as the in-process processor does for the same spans (learned ideal
// steps, calls a guardrail refused, calls that end in another order than they start), malformed counts that
// arrive over OTLP are never priced, and a deeply nested trace is rolled up in linear memory.
// Each parity case is one set of span definitions, replayed twice: as OTLP/JSON to a CollectorServer (whose
// forwarded spans an upstream receiver here decodes), and through a TracerProvider with the in-process
// TokenledgerSpanProcessor, spans started and ended in time order with explicit times and parents.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
// Project modules (their paths move in the refactor):
import { TokenledgerSpanProcessor } from '../index.ts';
import { CollectorServer } from '../collector/collector-server.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { testMeterProvider } from './metric-reader.ts';
import { waitUntil } from './wait.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number; arrayValue?: { values?: AnyValue[] } };
type KeyValue = { key: string; value?: AnyValue };
const fromAnyValue = (value: AnyValue | undefined): unknown =>
  value?.stringValue ??
  value?.boolValue ??
  (value?.intValue !== undefined ? Number(value.intValue) : undefined) ??
  value?.doubleValue ??
  value?.arrayValue?.values?.map(fromAnyValue);
const toAttributes = (keyValues: KeyValue[]) => Object.fromEntries(keyValues.map(({ key, value }) => [key, fromAnyValue(value)]));
interface Forwarded {
  name: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}
let upstream: Server;
let forwarded: Forwarded[] = [];
let collector: CollectorServer;
let collectorUrl = '';

before(async () => {
  upstream = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(Buffer.concat(chunks)), { longs: String, bytes: String }) as {
      resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name: string; traceId: string; spanId: string; attributes?: KeyValue[] }> }> }>;
    };
    for (const rs of request.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          const hex = (bytes: string) => Buffer.from(bytes, 'base64').toString('hex');
          forwarded.push({ name: span.name, traceId: hex(span.traceId), spanId: hex(span.spanId), attributes: toAttributes(span.attributes ?? []) });
        }
      }
    }
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  collector = new CollectorServer({ port: 0, upstream: upstreamUrl, traces: { quietMs: 50 }, meterProvider: testMeterProvider().meterProvider });
  collectorUrl = await collector.start();
});
after(async () => {
  await collector.stop();
  upstream.close();
});
beforeEach(() => {
  forwarded = [];
});

function waitFor(condition: () => boolean): Promise<void> {
  return waitUntil(() => `spans to be forwarded (got ${forwarded.length})`, condition);
}

// ---- span definitions, replayed in both modes ----

type Value = string | number | boolean;
interface SpanDef {
  id: string;
  parent?: string;
  name: string;
  /** Milliseconds after the trace's epoch. */
  start: number;
  end: number;
  attributes: Record<string, Value>;
  error?: boolean;
}
const EPOCH_MS = 1_764_300_000_000;
const nanos = (ms: number) => (BigInt(EPOCH_MS + ms) * 1_000_000n).toString();
const spanId = (trace: number, span: number) => `${(trace + 1).toString(16).padStart(4, '0')}${(span + 1).toString(16).padStart(12, '0')}`;
const traceIdOf = (tag: string, trace: number) => `${tag}${trace.toString(16).padStart(32 - tag.length, '0')}`;

function anyValue(value: Value) {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
}

function otlpRequest(traceId: string, spans: SpanDef[], extra: Record<string, KeyValue[]> = {}): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'agent-py' } }] },
        scopeSpans: [
          {
            scope: { name: 'agent-app' },
            spans: spans.map((span) => ({
              traceId,
              spanId: span.id,
              ...(span.parent ? { parentSpanId: span.parent } : {}),
              name: span.name,
              kind: span.attributes['gen_ai.operation.name'] === 'chat' ? 3 : 1,
              startTimeUnixNano: nanos(span.start),
              endTimeUnixNano: nanos(span.end),
              attributes: [...Object.entries(span.attributes).map(([key, value]) => ({ key, value: anyValue(value) })), ...(extra[span.id] ?? [])],
              ...(span.error ? { status: { code: 2, message: 'failed' } } : {}),
            })),
          },
        ],
      },
    ],
  });
}

async function postToCollector(body: string): Promise<void> {
  const response = await fetch(`${collectorUrl}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.equal(response.status, 200, await response.text());
}

/** The traces through a fresh in-process processor, in order; returns each finished span's attributes by trace. */
async function inProcess(traces: SpanDef[][]): Promise<Array<Map<string, Record<string, unknown>>>> {
  const { meterProvider } = testMeterProvider();
  const processor = new TokenledgerSpanProcessor({ meterProvider });
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('agent-app');
  const out: Array<Map<string, Record<string, unknown>>> = [];
  for (const defs of traces) {
    exporter.reset();
    const live = new Map<string, Span>();
    const events = defs.flatMap((def) => [
      { at: def.start, order: 0, def },
      { at: def.end, order: 1, def },
    ]);
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    for (const { order, def } of events) {
      if (order === 0) {
        const parent = def.parent ? trace.setSpan(ROOT_CONTEXT, live.get(def.parent)!) : ROOT_CONTEXT;
        live.set(def.id, tracer.startSpan(def.name, { startTime: EPOCH_MS + def.start, attributes: def.attributes }, parent));
      } else {
        const span = live.get(def.id)!;
        if (def.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
        span.end(EPOCH_MS + def.end);
      }
    }
    // The SDK's span ids are its own: each definition's span is found through the span it started.
    out.push(new Map(defs.map((def) => [def.id, { ...(live.get(def.id) as unknown as ReadableSpan).attributes }])));
  }
  await processor.shutdown();
  await provider.shutdown();
  return out;
}

/** The rollup a run span got, without the ids (which differ between the two replays). */
function rollup(attributes: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes ?? {}).filter(
      ([key]) => key.startsWith('tokenledger.run.') && key !== 'tokenledger.run.id' && key !== 'tokenledger.run.parent_id',
    ),
  );
}
const idealSource = (attributes: Record<string, unknown>) =>
  attributes['tokenledger.run.ideal_steps.source'] ?? attributes['tokenledger.run.ideal_steps_source'];

const agent = (id: string, name: string, start: number, end: number, extra: Record<string, Value> = {}): SpanDef => ({
  id,
  name: `invoke_agent ${name}`,
  start,
  end,
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, ...extra },
});
const call = (
  id: string,
  parent: string,
  start: number,
  end: number,
  model = 'gpt-4.1',
  usage: [number, number] | null = [1000, 100],
  extra: Record<string, Value> = {},
): SpanDef => ({
  id,
  parent,
  name: `chat ${model}`,
  start,
  end,
  attributes: {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    ...(usage ? { 'gen_ai.usage.input_tokens': usage[0], 'gen_ai.usage.output_tokens': usage[1] } : {}),
    ...extra,
  },
});

/** Sends each trace to the collector, one after the other (each rolled up before the next is sent). */
async function throughCollector(tag: string, traces: SpanDef[][]): Promise<Array<Map<string, Record<string, unknown>>>> {
  const out: Array<Map<string, Record<string, unknown>>> = [];
  for (const [t, defs] of traces.entries()) {
    const traceId = traceIdOf(tag, t);
    await postToCollector(otlpRequest(traceId, defs));
    await waitFor(() => forwarded.filter((span) => span.traceId === traceId).length === defs.length);
    const mine = forwarded.filter((span) => span.traceId === traceId);
    assert.equal(mine.length, defs.length, `trace ${t} forwarded whole`);
    out.push(new Map(mine.map((span) => [span.spanId, span.attributes])));
  }
  return out;
}

test('collector defect 6a: ideal steps are learned per agent in collector mode as in-process', async () => {
  // Six sequential traces, one `triage` run each (no ideal steps declared), with 2, 3, 4, 5, 6 and 7 calls.
  // After five successful, fully priced runs the ideal is their 10th percentile, 2: the sixth run's
  // step inflation is 7 / 2 = 3.5 (gpt-4.1, every call 1000 in / 100 out: $0.0028).
  const traces = [2, 3, 4, 5, 6, 7].map((calls, t) => [
    agent(spanId(t, 0), 'triage', 0, 10 * calls + 10),
    ...Array.from({ length: calls }, (_, i) => call(spanId(t, i + 1), spanId(t, 0), 10 * i + 1, 10 * i + 9)),
  ]);
  const local = await inProcess(traces);
  const sixth = local[5]!.get(spanId(5, 0))!;
  assert.equal(idealSource(sixth), 'learned', 'in-process learns (the reference)');
  assert.equal(sixth['tokenledger.run.step_inflation'], 3.5);
  const remote = await throughCollector('a1', traces);
  for (let t = 0; t < 6; t += 1) {
    assert.deepEqual(rollup(remote[t]!.get(spanId(t, 0))), rollup(local[t]!.get(spanId(t, 0))), `run ${t + 1}: collector vs in-process`);
  }
  assert.equal(idealSource(remote[5]!.get(spanId(5, 0))!), 'learned');
});

test('collector defect 6b: a call a guardrail refused is not a step in collector mode either', async () => {
  // Two priced calls and, between them, one refused before it was sent: BudgetExceededError, status ERROR, no usage.
  const run = spanId(0, 0);
  const traces = [
    [
      agent(run, 'guarded', 0, 100),
      call(spanId(0, 1), run, 10, 20),
      call(spanId(0, 2), run, 30, 31, 'gpt-4.1', null, { 'error.type': 'BudgetExceededError' }),
      call(spanId(0, 3), run, 40, 50),
    ],
  ];
  traces[0]![2]!.error = true;
  const local = await inProcess(traces);
  assert.equal(local[0]!.get(run)!['tokenledger.run.steps'], 2, 'in-process: the refused call is no step (the reference)');
  assert.equal(local[0]!.get(run)!['tokenledger.run.complete'], true);
  const remote = await throughCollector('b1', traces);
  assert.deepEqual(rollup(remote[0]!.get(run)), rollup(local[0]!.get(run)));
});

test('collector defect 6c: retries are detected in the order calls end, as in-process', async () => {
  // A call to gpt-4.1 starts first and fails last; a call to gpt-4.1-mini runs inside it; then gpt-4.1 again.
  // In the order they end: mini, gpt-4.1 failed, gpt-4.1 → the last is a retry (in-process: retries = 1).
  // In the order they start, mini comes between the failure and the retry, and the retry is missed.
  const run = spanId(0, 0);
  const traces = [
    [
      agent(run, 'retrying', 0, 200),
      { ...call(spanId(0, 1), run, 10, 100, 'gpt-4.1', null, { 'error.type': 'InternalServerError' }), error: true },
      call(spanId(0, 2), run, 20, 50, 'gpt-4.1-mini', [500, 50]),
      call(spanId(0, 3), run, 110, 150, 'gpt-4.1', [1000, 100]),
    ],
  ];
  const local = await inProcess(traces);
  assert.equal(local[0]!.get(run)!['tokenledger.run.retries'], 1, 'in-process (the reference)');
  const remote = await throughCollector('c1', traces);
  assert.deepEqual(rollup(remote[0]!.get(run)), rollup(local[0]!.get(run)));
});

test('collector: one provider call described by two spans is counted once, as in-process', async () => {
  // A framework's call span (response r1) around the SDK patch's span of the same request, then a call that merely
  // repeats the id r1 after the first ended (counted: a call of its own), then the AI SDK's own spans of one more
  // call: ai.generateText (a run) around ai.generateText.doGenerate. gpt-4.1 at $2 in / $8 out per million:
  // counted calls 1000 × 2 + 100 × 8 = 2800 µ$ each; the AI SDK call 500 × 2 + 50 × 8 = 1400 µ$.
  const run = spanId(0, 0);
  const traces = [
    [
      agent(run, 'deduped', 0, 300),
      call(spanId(0, 1), run, 10, 100, 'gpt-4.1', [1000, 100], { 'gen_ai.response.id': 'r1' }),
      call(spanId(0, 2), spanId(0, 1), 20, 90, 'gpt-4.1', [1000, 100], { 'gen_ai.response.id': 'r1' }),
      call(spanId(0, 3), run, 110, 150, 'gpt-4.1', [1000, 100], { 'gen_ai.response.id': 'r1' }),
      {
        id: spanId(0, 4),
        parent: run,
        name: 'ai.generateText',
        start: 160,
        end: 290,
        attributes: { 'ai.operationId': 'ai.generateText', 'ai.usage.inputTokens': 500, 'ai.usage.outputTokens': 50 },
      },
      {
        id: spanId(0, 5),
        parent: spanId(0, 4),
        name: 'ai.generateText.doGenerate',
        start: 170,
        end: 280,
        attributes: {
          'ai.operationId': 'ai.generateText.doGenerate',
          'ai.model.provider': 'openai.chat',
          'ai.model.id': 'gpt-4.1',
          'gen_ai.request.model': 'gpt-4.1',
          'ai.usage.inputTokens': 500,
          'ai.usage.outputTokens': 50,
        },
      },
    ],
  ];
  const local = await inProcess(traces);
  const remote = await throughCollector('e1', traces);
  for (const attributes of [local[0]!, remote[0]!]) {
    assert.equal(attributes.get(spanId(0, 2))!['tokenledger.call.duplicate_of'], undefined, 'the inner span ends first and is counted');
    assert.equal(attributes.get(spanId(0, 1))!['tokenledger.call.duplicate_reason'], 'same_response_id');
    assert.equal(attributes.get(spanId(0, 3))!['tokenledger.call.duplicate_of'], undefined, 'a later call with the same id is a call of its own');
    assert.equal(attributes.get(spanId(0, 5))!['tokenledger.usage.source_convention'], 'ai_sdk');
    assert.equal(attributes.get(spanId(0, 4))!['tokenledger.run.steps'], 1, 'ai.generateText is a run of one call, its totals no call');
    assert.equal(attributes.get(run)!['tokenledger.run.steps'], 3);
    assert.equal(attributes.get(run)!['tokenledger.run.cost.usd'], 0.007); // 2800 + 2800 + 1400 µ$
  }
  // The SDK's span ids are its own in process: the marked span points at the inner one of its own replay.
  assert.equal(remote[0]!.get(spanId(0, 1))!['tokenledger.call.duplicate_of'], spanId(0, 2));
  assert.deepEqual(rollup(remote[0]!.get(run)), rollup(local[0]!.get(run)));
  assert.deepEqual(rollup(remote[0]!.get(spanId(0, 4))), rollup(local[0]!.get(spanId(0, 4))));
});

test('collector defect 4: a cache-read count sent as a string, a negative or a double is malformed, never priced', async () => {
  const cases: Array<[string, string, string, KeyValue]> = [
    ['string', 'openai', 'gpt-4.1', { key: 'gen_ai.usage.cache_read.input_tokens', value: { stringValue: '4096' } }],
    ['negative', 'openai', 'gpt-4.1', { key: 'gen_ai.usage.cache_read.input_tokens', value: { intValue: -4096 } }],
    ['double', 'openai', 'gpt-4.1', { key: 'gen_ai.usage.cache_read.input_tokens', value: { doubleValue: 4096.5 } }],
    ['string (anthropic)', 'anthropic', 'claude-sonnet-4-5', { key: 'gen_ai.usage.cache_read.input_tokens', value: { stringValue: '4096' } }],
  ];
  for (const [t, [label, provider, model, cacheRead]] of cases.entries()) {
    const id = spanId(t, 0);
    const def: SpanDef = {
      id,
      name: `chat ${model} ${label}`,
      start: 0,
      end: 10,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 10000,
        'gen_ai.usage.output_tokens': 500,
      },
    };
    await postToCollector(otlpRequest(traceIdOf('d1', t), [def], { [id]: [cacheRead] }));
  }
  await waitFor(() => forwarded.length === cases.length);
  assert.equal(forwarded.length, cases.length);
  const wrong = forwarded
    .map((span) => ({
      name: span.name,
      reason: span.attributes['tokenledger.usage.unknown_reason'],
      cost: span.attributes['tokenledger.cost.usd'],
      why: span.attributes['tokenledger.cost.unknown_reason'],
    }))
    .filter((span) => span.reason !== 'usage_malformed' || span.cost !== undefined || span.why !== 'usage_unknown');
  assert.deepEqual(wrong, [], 'every one: usage_malformed, no tokenledger.cost.usd, cost unknown because usage_unknown');
});

test('collector defect 7: a chain of 28 000 nested runs is rolled up in 256 MB', async () => {
  const run = promisify(execFile)(process.execPath, ['--max-old-space-size=256', 'test/apps/deep-nesting-collector.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  const tail = (text: string) => text.split('\n').slice(-12).join('\n');
  const child = await run.catch((error: { signal?: string; code?: number; stderr?: string }) =>
    assert.fail(`ended by ${error.signal ?? `exit ${error.code}`} (SIGABRT: out of memory; SIGKILL: the 300 s timeout, a hang)\n${tail(error.stderr ?? '')}`),
  );
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { forwarded: number; outerSteps: unknown; innerSteps: unknown; innerComplete: unknown };
  assert.equal(result.forwarded, 28_001);
  assert.equal(result.outerSteps, 1, 'the outermost run has the one call at the bottom');
  // Runs nest at most maxRunDepth (64) deep: a deeper agent span is no run of its own, says so, and its call
  // counts toward the 64 runs above it — so a call costs at most 64 additions, whatever the depth.
  assert.equal(result.innerSteps, undefined);
  assert.equal(result.innerComplete, false);
});
