// Collector mode's ingest cost on one core, side by side in one run: protobuf requests decoded and re-encoded
// for forwarding alone; with each span normalised and priced but not held; and the whole service (normalise,
// price, hold each trace, roll its runs up, forward). Each trace is 1 run span + 5 LLM call spans (OpenInference
// names) + 2 tool spans. Also the heap held per buffered trace.
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { CollectorPipeline, type OtlpRequest } from '../collector/pipeline.ts';
import { decodeProtobuf } from '../collector/otlp-decode.ts';
import { enrichSpan, type OtlpSpan } from '../collector/enrich.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { Refusals } from '../collector/otlp-validate.ts';
import { TraceStore } from '../collector/trace-store.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const TRACES_PER_REQUEST = 50;
const REQUESTS = 40;
const SPANS_PER_TRACE = 8;
const gc = (globalThis as { gc?: () => void }).gc;

const kv = (key: string, value: string | number) => ({ key, value: typeof value === 'string' ? { stringValue: value } : { intValue: value } });
let traceCounter = 0;

function request(): Uint8Array {
  const spans = [];
  for (let t = 0; t < TRACES_PER_REQUEST; t += 1) {
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE((traceCounter += 1), 12);
    const id = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeUInt32BE(n + 1, 4);
      return b;
    };
    const base = { traceId, startTimeUnixNano: 1_764_300_000_000_000_000, endTimeUnixNano: 1_764_300_000_100_000_000 };
    spans.push({ ...base, spanId: id(0), name: 'invoke_agent support', attributes: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', 'support')] });
    for (let i = 1; i <= 5; i += 1) {
      spans.push({
        ...base, spanId: id(i), parentSpanId: id(0), name: 'ChatCompletion',
        attributes: [kv('openinference.span.kind', 'LLM'), kv('llm.provider', 'openai'), kv('llm.model_name', 'gpt-4o'),
          kv('llm.token_count.prompt', 5000 + i), kv('llm.token_count.completion', 300), kv('llm.token_count.prompt_details.cache_read', 4096)],
      });
    }
    for (let i = 6; i <= 7; i += 1) {
      spans.push({ ...base, spanId: id(i), parentSpanId: id(0), name: 'execute_tool lookup', attributes: [kv('gen_ai.operation.name', 'execute_tool'), kv('gen_ai.tool.name', 'lookup')] });
    }
  }
  const message = ExportTraceServiceRequest.fromObject({ resourceSpans: [{ resource: { attributes: [kv('service.name', 'agent')] }, scopeSpans: [{ scope: { name: 'openinference' }, spans }] }] });
  return ExportTraceServiceRequest.encode(message).finish();
}

const bodies = Array.from({ length: REQUESTS }, request);
const spans = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE;

function forwardOnly(): number {
  const start = process.cpuUsage();
  for (const body of bodies) ExportTraceServiceRequest.encode(decodeProtobuf(body, new Refusals())).finish();
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

/** What a collector that prices but does not hold or roll up would do: enrich each span, forward the request. */
function pricingOnly(): number {
  const pricer = new CallPricer();
  const start = process.cpuUsage();
  for (const body of bodies) {
    const message = decodeProtobuf(body, new Refusals()) as unknown as OtlpRequest;
    for (const resourceSpans of message.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) enrichSpan(span as OtlpSpan, scopeSpans.scope?.name ?? '', pricer);
      }
    }
    ExportTraceServiceRequest.encode(message as never).finish();
  }
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

function fullPipeline(): number {
  const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore({ maxTraces: 1e6, maxSpans: 1e7 }));
  const start = process.cpuUsage();
  for (const body of bodies) pipeline.accept(decodeProtobuf(body, new Refusals()) as unknown as OtlpRequest, 0);
  pipeline.flush();
  const used = process.cpuUsage(start);
  return spans / ((used.user + used.system) / 1e6);
}

forwardOnly();
pricingOnly();
fullPipeline();
const forward: number[] = [];
const priced: number[] = [];
const full: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  forward.push(1e6 / forwardOnly());
  priced.push(1e6 / pricingOnly());
  full.push(1e6 / fullPipeline());
}
const f = median(forward);
const n = median(priced);
const p = median(full);
const row = (label: string, micros: number) => [label, Math.round(1e6 / micros).toLocaleString('en-US'), micros.toFixed(2), `${((100 * micros) / p).toFixed(0)}%`];
printTable(`collector ingest, protobuf, one core (${spans} spans per round, ${ROUNDS} rounds, medians)`, ['pipeline', 'spans/s', 'µs/span', 'of the whole'], [
  row('decode + re-encode for forwarding', f),
  row('+ normalise and price each span (no holding)', n),
  row('+ hold each trace, roll its runs up (the service)', p),
]);
console.log(
  `of the service's per-span time: holding and rollup ${((100 * (p - n)) / p).toFixed(0)}%, normalising and pricing ${((100 * (n - f)) / p).toFixed(0)}%, ` +
    `everything beyond decode-and-forward ${((100 * (p - f)) / p).toFixed(0)}%`,
);

// Heap held per buffered trace: 2000 traces accepted and not yet released.
const heap = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const pipeline = new CollectorPipeline(new CallPricer(), new TraceStore({ quietMs: 3_600_000, maxAgeMs: 3_600_000, maxTraces: 1e6, maxSpans: 1e7 }));
const before = heap();
for (const body of bodies) pipeline.accept(decodeProtobuf(body, new Refusals()) as unknown as OtlpRequest, 0);
const after = heap();
console.log(`heap per buffered trace: ${((after - before) / (REQUESTS * TRACES_PER_REQUEST)).toFixed(0)} bytes (${SPANS_PER_TRACE} spans each: their bytes and what the rollup reads${gc ? '' : '; run with --expose-gc for exact figures'})`);
