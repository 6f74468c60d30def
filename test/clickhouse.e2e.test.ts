// The span-attribute queries in queries/clickhouse/ against a real ClickHouse engine (chDB, installed by .ci/run in
// .ci/chdb): tokenledger's processor prices and rolls up a known workload, the real OTLP/protobuf exporter sends the
// spans to a receiver here that writes them into the ClickHouse exporter's `otel_traces` table as that exporter does
// (test/clickhouse/exporter-rows.ts), and every query must return exactly the rows worked out below.
//
// gpt-4.1: $2 input, $0.50 cache read, $8 output per MTok. Five tasks over two UTC days, service `support-bot`:
//   T1 2026-11-29 10:00 acme    support ✓  c1 1000 in / 100 out = 0.0028 (prefix P1); tool search_kb;
//                                           c2 2000 in, 1000 cached / 200 out, 600 tool-result = 0.002 + 0.0005 + 0.0016 = 0.0041 → 0.0069
//   T2 2026-11-29 11:00 globex  support ✗  c1 2000 in, 1500 cached / 100 out (P1) = 0.001 + 0.00075 + 0.0008 = 0.00255;
//                                           nested researcher ✓: c1 1000/100 = 0.0028; tool fetch_page; c2 1000/100, 400 tool-result = 0.0028
//                                           → task 0.00815 (researcher 0.0056)
//   T3 2026-11-30 09:00 acme    support ✓  prefix P2 (a cache bust): c1 2000/100 = 0.0048; c2 4000, 2000 cached = 0.0058;
//                                           tools search_kb + lookup_order, then c3 6000, 4000 cached, 1500 tool-result = 0.0068;
//                                           c4 8000, 6000 cached = 0.0078 → 0.0252; input per step 2000…8000: quadratic growth;
//                                           a gateway's span of c4 (same response id, in flight with it): a duplicate
//   T4 2026-11-30 10:00 initech support ✗  budget 1 step, enforce: c1 1000/100 = 0.0028; c2 refused (BudgetExceededError)
//   T5 2026-11-30 11:00 acme    triage  ✓  acme-coder-32b 500/50: no price (unknown_model); gpt-4.1 1000/100 = 0.0028, its SDK
//                                           span inside a framework's span of the same call (a duplicate)
// The duplicates keep their usage and state no cost: the bill is the sum of tokenledger.cost.usd over all spans,
// and the queries that count calls or tokens take the counted calls (a cost or a reason for none).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ManualClock } from '../base/manual-clock.ts';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { exporterRows } from './clickhouse/exporter-rows.ts';

const chdbPackage = new URL('../.ci/chdb/package.json', import.meta.url);
const chdbInstalled = existsSync(new URL('../.ci/chdb/node_modules/chdb/package.json', import.meta.url));
// CI installs chDB (.ci/run: npm install --prefix .ci/chdb); on a developer machine without it the test is skipped.
const skip = !chdbInstalled && !process.env.CI ? 'chDB is not installed (npm install --prefix .ci/chdb)' : false;
const queries = new URL('../queries/clickhouse/', import.meta.url);

interface ChdbSession {
  query(sql: string, format?: string): string;
  queryBind(sql: string, params: object, format?: string): string;
  close(): void;
}
let session: ChdbSession;
let receiver: Server;
let provider: TracerProvider;
let tracer: Tracer;
let processor: TokenledgerSpanProcessor;

before(async () => {
  if (skip) return;
  const { Session } = createRequire(chdbPackage)('chdb') as { Session: new () => ChdbSession };
  session = new Session();
  session.query("SET session_timezone = 'UTC'");
  session.query('CREATE DATABASE IF NOT EXISTS otel');
  session.query(readFileSync(new URL('./clickhouse/otel-traces-table.sql', import.meta.url), 'utf8').replace(/^--.*$/gm, ''));
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rows = exporterRows(Buffer.concat(chunks));
    if (rows.length > 0) session.query(`INSERT INTO otel.otel_traces FORMAT JSONEachRow\n${rows.map((row) => JSON.stringify(row)).join('\n')}`);
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  processor = new TokenledgerSpanProcessor({ attribution: { baggageKeys: ['tenant.id'] }, clock: new ManualClock(Date.UTC(2026, 10, 30)) });
  const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces` });
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
    idGenerator: new CountingIds(),
    spanProcessors: [processor, new BatchSpanProcessor({ exporter, scheduledDelayMillis: 50 })],
  });
  tracer = provider.getTracer('app');
  workload();
  await provider.forceFlush();
});

after(async () => {
  await provider?.shutdown();
  receiver?.close();
  session?.close();
  context.disable();
});

/** Ids in order (trace 1, 2, …; span 1, 2, …), so the expected rows can name them. */
class CountingIds {
  private traces = 0;
  private spans = 0;
  generateTraceId(): string {
    return (++this.traces).toString(16).padStart(32, '0');
  }
  generateSpanId(): string {
    return (++this.spans).toString(16).padStart(16, '0');
  }
}

/** A clock of explicit instants, so days, order and durations are the same on every run. */
class Clock {
  private ms: number;
  constructor(iso: string) {
    this.ms = Date.parse(iso);
  }
  tick(): Date {
    this.ms += 1000;
    return new Date(this.ms);
  }
}

function task(tenant: string, iso: string, work: (clock: Clock, inBaggage: <T>(fn: () => T) => T) => void): void {
  const clock = new Clock(iso);
  const baggage = propagation.setBaggage(context.active(), propagation.createBaggage({ 'tenant.id': { value: tenant } }));
  context.with(baggage, () => work(clock, (fn) => context.with(baggage, fn)));
}

function child(parent: Span, name: string, attributes: Attributes, clock: Clock, kind = SpanKind.INTERNAL): Span {
  return tracer.startSpan(name, { kind, attributes, startTime: clock.tick() }, trace.setSpan(context.active(), parent));
}

function agent(name: string, parent: Span | undefined, clock: Clock, extra: Attributes = {}): Span {
  const attributes = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, ...extra };
  return parent ? child(parent, `invoke_agent ${name}`, attributes, clock) : tracer.startSpan(`invoke_agent ${name}`, { attributes, startTime: clock.tick() });
}

interface CallSpec {
  input: number;
  output: number;
  cached?: number;
  prefix?: string;
  toolResult?: number;
  model?: string;
  responseId?: string;
}

function startCall(parent: Span, spec: CallSpec, clock: Clock): Span {
  const model = spec.model ?? 'gpt-4.1';
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.usage.input_tokens': spec.input,
    'gen_ai.usage.output_tokens': spec.output,
    'gen_ai.usage.cache_read.input_tokens': spec.cached ?? 0,
    'gen_ai.usage.cache_write.input_tokens': 0,
  };
  if (spec.prefix) attributes['tokenledger.request.prefix_hash'] = spec.prefix;
  if (spec.toolResult) attributes['tokenledger.usage.tool_result.input_tokens'] = spec.toolResult;
  if (spec.responseId) attributes['gen_ai.response.id'] = spec.responseId;
  return child(parent, `chat ${model}`, attributes, clock, SpanKind.CLIENT);
}

function call(parent: Span, spec: CallSpec, clock: Clock): void {
  startCall(parent, spec, clock).end(clock.tick());
}

function toolCall(parent: Span, name: string, clock: Clock): void {
  child(parent, `execute_tool ${name}`, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name }, clock).end(clock.tick());
}

function endRun(span: Span, success: boolean, clock: Clock): void {
  if (!success) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(clock.tick());
}

const P1 = 'a1b2c3d4e5f60718';
const P2 = 'ffee0011aabb2233';

function workload(): void {
  task('acme', '2026-11-29T10:00:00Z', (clock) => {
    const request = tracer.startSpan('POST /chat', { kind: SpanKind.SERVER, startTime: clock.tick() });
    const support = agent('support', request, clock, { 'tokenledger.run.ideal_steps': 2 });
    call(support, { input: 1000, output: 100, prefix: P1 }, clock);
    toolCall(support, 'search_kb', clock);
    call(support, { input: 2000, cached: 1000, output: 200, prefix: P1, toolResult: 600 }, clock);
    endRun(support, true, clock);
    request.end(clock.tick());
  });
  task('globex', '2026-11-29T11:00:00Z', (clock) => {
    const support = agent('support', undefined, clock);
    call(support, { input: 2000, cached: 1500, output: 100, prefix: P1 }, clock);
    const researcher = agent('researcher', support, clock);
    call(researcher, { input: 1000, output: 100, prefix: P1 }, clock);
    toolCall(researcher, 'fetch_page', clock);
    call(researcher, { input: 1000, output: 100, prefix: P1, toolResult: 400 }, clock);
    endRun(researcher, true, clock);
    endRun(support, false, clock);
  });
  task('acme', '2026-11-30T09:00:00Z', (clock) => {
    const support = agent('support', undefined, clock);
    call(support, { input: 2000, output: 100, prefix: P2 }, clock);
    call(support, { input: 4000, cached: 2000, output: 100, prefix: P2 }, clock);
    toolCall(support, 'search_kb', clock);
    toolCall(support, 'lookup_order', clock);
    call(support, { input: 6000, cached: 4000, output: 100, prefix: P2, toolResult: 1500 }, clock);
    const c4 = startCall(support, { input: 8000, cached: 6000, output: 100, prefix: P2, responseId: 'chatcmpl-t3-c4' }, clock);
    // An LLM gateway's span of the same call, with the same usage: the response id tells it is the same call.
    const gateway = startCall(support, { input: 8000, cached: 6000, output: 100, responseId: 'chatcmpl-t3-c4' }, clock);
    c4.end(clock.tick());
    gateway.end(clock.tick());
    endRun(support, true, clock);
  });
  task('initech', '2026-11-30T10:00:00Z', (clock) => {
    const support = agent('support', undefined, clock, { 'tokenledger.run.budget.max_steps': 1, 'tokenledger.run.budget.mode': 'enforce' });
    const planned = { provider: 'openai', model: 'gpt-4.1', estimatedInputTokens: 250, maxOutputTokens: 100 };
    const first = startCall(support, { input: 1000, output: 100, prefix: P2 }, clock);
    processor.callGate!.beforeCall(first, planned);
    first.end(clock.tick());
    // The second call would be the run's second step: the guardrail refuses it before it is sent.
    const second = tracer.startSpan(
      'chat gpt-4.1',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1' },
        startTime: clock.tick(),
      },
      trace.setSpan(context.active(), support),
    );
    assert.throws(() => processor.callGate!.beforeCall(second, planned), { name: 'BudgetExceededError' });
    second.setAttribute('error.type', 'BudgetExceededError');
    second.setStatus({ code: SpanStatusCode.ERROR });
    second.end(clock.tick());
    endRun(support, false, clock);
  });
  task('acme', '2026-11-30T11:00:00Z', (clock) => {
    const triage = agent('triage', undefined, clock);
    call(triage, { input: 500, output: 50, model: 'acme-coder-32b' }, clock);
    // A framework's span of the call around the SDK's: the SDK's ends first and is counted.
    const framework = startCall(triage, { input: 1000, output: 100 }, clock);
    call(framework, { input: 1000, output: 100 }, clock);
    framework.end(clock.tick());
    endRun(triage, true, clock);
  });
}

const PARAMS = { from: '2026-11-29 00:00:00', to: '2026-12-01 00:00:00' };

/** Runs a query file with the time window bound, returning its rows as arrays of values. */
function run(file: string): unknown[][] {
  const sql = readFileSync(new URL(file, queries), 'utf8');
  const out = session.queryBind(sql, PARAMS, 'JSONCompact');
  return (JSON.parse(out) as { data: unknown[][] }).data;
}

test('clickhouse: the exporter table holds every span tokenledger exported', { skip }, () => {
  const [[spans, calls, duplicates, runs]] = JSON.parse(
    session.query(
      `SELECT count(), countIf(SpanAttributes['gen_ai.operation.name'] = 'chat'), countIf(mapContains(SpanAttributes, 'tokenledger.call.duplicate_of')),
       countIf(mapContains(SpanAttributes, 'tokenledger.run.id')) FROM otel.otel_traces`,
      'JSONCompact',
    ),
  ).data as number[][];
  // 5 + 6 + 8 + 3 + 4 spans; 2 + 3 + 5 + 2 + 3 chat spans (the refused call and the 2 duplicates included); 6 runs
  // (T1's request span is not a run of its own, T2's researcher is one).
  assert.deepEqual([Number(spans), Number(calls), Number(duplicates), Number(runs)], [26, 15, 2, 6]);
});

test("clickhouse: the sum of tokenledger.cost.usd over all spans is the bill, and the tasks' cost", { skip }, () => {
  const [[bill, tasks, duplicateCost]] = JSON.parse(
    session.query(
      `SELECT round(sum(toFloat64OrZero(SpanAttributes['tokenledger.cost.usd'])), 10),
       round(sumIf(toFloat64OrZero(SpanAttributes['tokenledger.run.cost.usd']), SpanAttributes['tokenledger.run.nested'] = 'false'), 10),
       countIf(mapContains(SpanAttributes, 'tokenledger.call.duplicate_of') AND mapContains(SpanAttributes, 'tokenledger.cost.usd'))
     FROM otel.otel_traces`,
      'JSONCompact',
    ),
  ).data as number[][];
  // Every call is in a task: 0.0069 + 0.00815 + 0.0252 + 0.0028 + 0.0028 (T5's unpriced call adds nothing).
  assert.deepEqual([bill, tasks, Number(duplicateCost)], [0.04585, 0.04585, 0]);
});

test('clickhouse: every query file is tested here', { skip }, () => {
  assert.deepEqual(
    readdirSync(queries)
      .filter((name) => name.endsWith('.sql'))
      .sort(),
    Object.keys(EXPECTED).sort(),
  );
});

// Span ids count up in start order: T1 request 1, support 2; T2 support 6, researcher 8; T3 support 0c; T4 14; T5 17.
const TRACE = (n: number) => n.toString(16).padStart(32, '0');
const EXPECTED: Record<string, unknown[][]> = {
  // T3's first call: its prefix changed from P1 and its hit rate fell from T2's 1500 / 2000 = 0.75 to 0. Later calls
  // keep P2; T4's P2 call at hit rate 0 follows a P2 call, so it is no bust.
  'cache_busts.sql': [['2026-11-30 09:00:02.000000000', TRACE(3), 'support', 'gpt-4.1', P1, P2, 0.75, 0]],
  // gpt-4.1: 14 500 cached of 29 000 input (T1 1000 + T2 1500 + T3 2000 + 4000 + 6000); nothing written to the cache.
  'cache_hit_rate.sql': [
    ['support-bot', 'acme-coder-32b', 500, 0, 0, 0],
    ['support-bot', 'gpt-4.1', 29000, 14500, 0.5, 0],
  ],
  // support's 4 tasks: 0.0069 + 0.00815 + 0.0252 + 0.0028 = 0.04305, 2 successful; the researcher is inside T2.
  'cost_per_agent.sql': [
    ['support', 4, 2, 0.04305],
    ['triage', 1, 1, 0.0028],
  ],
  // 29 Nov: T1 + T2 = 5 calls, $0.01505. 30 Nov: T3 4 + T4 1 (the refused call was never sent) + T5 2 = 7 calls,
  // one unpriced, 0.0252 + 0.0028 + 0.0028 = $0.0308.
  'cost_per_day.sql': [
    ['2026-11-29', 'support-bot', 5, 0, 0.01505],
    ['2026-11-30', 'support-bot', 7, 1, 0.0308],
  ],
  'cost_per_model.sql': [
    ['gpt-4.1', 11, 0, 29000, 1200, 0.04585],
    ['acme-coder-32b', 1, 1, 500, 50, 0],
  ],
  // T5's triage run is incomplete: one of its calls has no cost, so $0.0028 is a lower bound.
  'cost_per_run.sql': [
    ['0000000000000002', 'support', 'acme', 0, 1, 1, 2, 0.0069],
    ['0000000000000006', 'support', 'globex', 0, 0, 1, 3, 0.00815],
    ['0000000000000008', 'researcher', 'globex', 1, 1, 1, 2, 0.0056],
    ['000000000000000c', 'support', 'acme', 0, 1, 1, 4, 0.0252],
    ['0000000000000014', 'support', 'initech', 0, 0, 1, 1, 0.0028],
    ['0000000000000017', 'triage', 'acme', 0, 1, 0, 2, 0.0028],
  ],
  'cost_per_successful_task.sql': [
    ['support', 0.04305, 2, 0.021525], // 0.04305 / 2
    ['triage', 0.0028, 1, 0.0028],
  ],
  // acme: T1 0.0069 + T3 0.0252 + T5 0.0028 over 8 calls (one unpriced); globex: T2; initech: T4's one sent call.
  'cost_per_tenant.sql': [
    ['acme', 8, 1, 0.0349],
    ['globex', 3, 0, 0.00815],
    ['initech', 1, 0, 0.0028],
  ],
  // T3: input 2000, 4000, 6000, 8000 a step, slope 2000 tokens a step.
  'quadratic_context_growth.sql': [['000000000000000c', 'support', 4, [2000, 4000, 6000, 8000], 2000, 0.0252]],
  'runs_stopped_by_guardrails.sql': [['0000000000000014', 'support', 'initech', 'max_steps', 1, 1, ['tokenledger.budget.exceeded'], 0.0028]],
  // search_kb: T1's 600 (input cost 0.0025 × 600 / 2000 = $0.00075) + half of T3 c3's 1500 (0.006 × 1500 / 6000 / 2
  // = $0.00075); lookup_order: the other half; fetch_page: T2's 400 (0.002 × 400 / 1000).
  'top_tools_by_tool_result_tokens.sql': [
    ['search_kb', 2, 1350, 0.0015],
    ['lookup_order', 1, 750, 0.00075],
    ['fetch_page', 1, 400, 0.0008],
  ],
  'unpriced_calls.sql': [['2026-11-30 11:00:02.000000000', TRACE(5), 'openai', 'acme-coder-32b', 'unknown_model', 500, 50]],
};

for (const file of readdirSync(queries)
  .filter((name) => name.endsWith('.sql'))
  .sort()) {
  test(`clickhouse: ${file} returns the expected rows`, { skip }, () => {
    const rows = run(file);
    assert.deepEqual(rows, EXPECTED[file]);
  });
}
