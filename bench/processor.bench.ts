// The span processor's cost and memory, side by side in one run:
// - CPU per span through the SDK (BatchSpanProcessor to a dropping exporter, or to one that serialises OTLP as
//   the OTLP exporter does; a MeterProvider with a reader), three pipelines in each round: the SDK alone; with
//   TokenledgerSpanProcessor pricing calls but not tracking runs (`runs: false`); with the whole processor. The
//   difference between the last two is the run rollup's cost. Two run sizes, since part of that cost is per run
//   (run attributes, run metrics) and part per span: a short run (1 run span, 5 LLM calls, 2 tools) and one of
//   20 LLM calls and 10 tools (the agents make 8–30 calls). The loop yields every 32 runs so the batch
//   processor exports as it goes, as in a running app: a round queued whole kept every span alive into the old
//   generation and doubled the SDK's own cost per span, which hid everyone's overhead in garbage collection;
// - the heap held per in-flight run, and the heap after 10k, 50k and 100k sequential runs (flat = no leak).
import { context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { endWithUsage } from '../ledger/handover.ts';
import { usageFromAttributes } from '../ledger/usage-attributes.ts';
import { usageFigures } from '../ledger/usage-figures.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const SPANS_PER_ROUND = Number(process.env.BENCH_SPANS ?? 16_000);
const gc = (globalThis as { gc?: () => void }).gc;

const drop: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
/** What the OTLP/protobuf exporter does with each batch before sending it (the sending is left out). */
const serialize: SpanExporter = {
  export: (spans, done) => {
    ProtobufTraceSerializer.serializeRequest(spans);
    done({ code: 0 });
  },
  shutdown: async () => {},
};

/** A reader that is collected once per round, as a periodic reader would be every interval. */
class RoundReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

type Mode = 'sdk' | 'pricing' | 'full';

// LLM call spans come from tokenledger's own instrumentation scope, with their usage figures handed over as the
// instrumentation hands them, as in an instrumented app.
function pipeline(mode: Mode, exporter: SpanExporter = drop) {
  const withTokenledger = mode !== 'sdk';
  const reader = new RoundReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const processor = withTokenledger ? new TokenledgerSpanProcessor({ meterProvider, runs: mode !== 'pricing' }) : undefined;
  const processors: SpanProcessor[] = [...(processor ? [processor] : []), new BatchSpanProcessor({ exporter, maxQueueSize: 100_000, maxExportBatchSize: 512 })];
  const provider = new TracerProvider({ spanProcessors: processors });
  return { tracer: provider.getTracer('bench'), llmTracer: provider.getTracer('tokenledger-instrumentation-anthropic'), provider, processor, reader };
}

const callAttributes = (i: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-4-5',
  'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
  'gen_ai.usage.input_tokens': 15050 + i * 100,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
  'tokenledger.usage.uncached.input_tokens': 50 + i * 100,
  'gen_ai.usage.reasoning.output_tokens': 500,
});

interface RunShape {
  calls: number;
  tools: number;
}
const SHORT: RunShape = { calls: 5, tools: 2 };
const LONG_CALLS = 20;
const LONG: RunShape = { calls: LONG_CALLS, tools: 10 };
const spansOf = (shape: RunShape) => 1 + shape.calls + shape.tools;

/** The figures tokenledger's instrumentation hands the processor with each call span (worked out there, once). */
const callFigures = Array.from({ length: LONG_CALLS }, (_, i) => usageFigures(usageFromAttributes(callAttributes(i))));

function oneRun({ tracer, llmTracer }: { tracer: Tracer; llmTracer: Tracer }, end = true, shape: RunShape = SHORT): Span {
  const run = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } });
  const ctx = trace.setSpan(context.active(), run);
  for (let i = 0; i < shape.calls; i += 1) {
    const call = llmTracer.startSpan('chat claude-sonnet-4-5', { attributes: callAttributes(i) }, ctx);
    endWithUsage(call, callFigures[i]!);
    if (i < shape.tools)
      tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }, ctx).end();
  }
  if (end) run.end();
  return run;
}

/** CPU microseconds per span, span export and metric collection included. */
async function microsPerSpan(mode: Mode, exporter: SpanExporter, shape: RunShape): Promise<number> {
  const tracers = pipeline(mode, exporter);
  const runs = Math.round(SPANS_PER_ROUND / spansOf(shape));
  for (let i = 0; i < runs / 10; i += 1) oneRun(tracers, true, shape);
  await tracers.provider.forceFlush();
  await tracers.reader.collect();
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i += 1) {
    oneRun(tracers, true, shape);
    // Let the batch processor export as it would in a running app, rather than queue the whole round.
    if (i % 32 === 31) await new Promise(setImmediate);
  }
  await tracers.provider.forceFlush();
  await tracers.reader.collect();
  const used = process.cpuUsage(start);
  await tracers.provider.shutdown();
  return (used.user + used.system) / (runs * spansOf(shape));
}

const MODES: Mode[] = ['sdk', 'pricing', 'full'];
for (const [label, exporter, shape] of [
  ['a dropping exporter, runs of 5 calls + 2 tools', drop, SHORT],
  ['a dropping exporter, runs of 20 calls + 10 tools', drop, LONG],
  ['an OTLP/protobuf-serialising exporter, runs of 5 calls + 2 tools', serialize, SHORT],
  ['an OTLP/protobuf-serialising exporter, runs of 20 calls + 10 tools', serialize, LONG],
] as const) {
  // The three pipelines run in each round, in a rotating order; the shares are medians of each round's own
  // differences, which cancel the machine's drift between rounds.
  const samples: Record<Mode, number[]> = { sdk: [], pricing: [], full: [] };
  const rollupShare: number[] = [];
  const pricingShare: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const got = {} as Record<Mode, number>;
    for (let i = 0; i < MODES.length; i += 1) {
      const mode = MODES[(round + i) % MODES.length]!;
      got[mode] = await microsPerSpan(mode, exporter, shape);
      samples[mode].push(got[mode]);
    }
    rollupShare.push((got.full - got.pricing) / got.sdk);
    pricingShare.push((got.pricing - got.sdk) / got.sdk);
  }
  const [sdk, pricing, full] = MODES.map((mode) => median(samples[mode]));
  const row = (name: string, micros: number) => [name, Math.round(1e6 / micros).toLocaleString('en-US'), micros.toFixed(2), `${(micros / sdk!).toFixed(3)}×`];
  printTable(
    `CPU per span, SDK with ${label}, ${ROUNDS} rounds (medians)`,
    ['pipeline', 'spans/s', 'µs/span', 'vs SDK'],
    [
      row('SDK only', sdk!),
      row('+ tokenledger, runs off (normalise, price, call metrics)', pricing!),
      row('+ tokenledger (… and run rollup, run metrics)', full!),
    ],
  );
  const percent = (values: number[]) => `${(median(values) * 100).toFixed(0)}%`;
  console.log(
    `run rollup adds ${percent(rollupShare)} to the SDK's cost of a span; pricing and call metrics add ${percent(pricingShare)} (medians of per-round differences)`,
  );
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

// Heap per in-flight run: 10 000 runs whose root has not ended (their calls have), with and without tokenledger;
// the difference is what tokenledger holds per run.
function heapForOpenRuns(withTokenledger: boolean): { megabytes: number; held: number } {
  const processor = withTokenledger ? new TokenledgerSpanProcessor({ meterProvider: new MeterProvider() }) : undefined;
  const provider = new TracerProvider({ spanProcessors: processor ? [processor] : [] });
  const tracers = { tracer: provider.getTracer('bench'), llmTracer: provider.getTracer('tokenledger-instrumentation-anthropic') };
  const before = heapMb();
  const open: Span[] = [];
  for (let i = 0; i < 10_000; i += 1) open.push(oneRun(tracers, false));
  const megabytes = heapMb() - before;
  const held = processor?.activeRuns ?? 0;
  for (const span of open) span.end();
  return { megabytes, held };
}
{
  const bare = heapForOpenRuns(false);
  const ours = heapForOpenRuns(true);
  const perRun = ((ours.megabytes - bare.megabytes) * 1024 * 1024) / 10_000;
  console.log(
    `\nheap tokenledger holds per in-flight run: ${perRun.toFixed(0)} bytes (${ours.held} runs held; open root spans alone: ${((bare.megabytes * 1024 * 1024) / 10_000).toFixed(0)} bytes each)`,
  );
}

// 100 000 runs whose root never ends (each with one call that does), default limits: the processor holds at most
// maxRuns (10 000) of them, lets an evicted one go at once, and stays within the bound docs/runs.md states. In a
// function: a block of this module's top-level await would keep its variables, and so the processor, alive.
async function neverEndedRuns(): Promise<void> {
  const processor = new TokenledgerSpanProcessor({ meterProvider: new MeterProvider() });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracers = { tracer: provider.getTracer('bench'), llmTracer: provider.getTracer('tokenledger-instrumentation-anthropic') };
  const before = heapMb();
  for (let i = 0; i < 100_000; i += 1) oneRun(tracers, false, { calls: 1, tools: 0 });
  const held = heapMb() - before;
  console.log(
    `heap held after 100,000 runs that never end: ${held.toFixed(1)} MB (${processor.activeRuns} runs and ${processor.trackedSpans} spans held; ` +
      `documented bound: about 30 MB)`,
  );
  await processor.shutdown();
}
await neverEndedRuns();

// Sequential runs: the heap must not grow with the number of runs.
{
  const tracers = pipeline('full');
  const { provider, processor } = tracers;
  const samples: string[] = [];
  let done = 0;
  for (const target of [10_000, 50_000, 100_000]) {
    for (; done < target; done += 1) oneRun(tracers);
    await provider.forceFlush();
    samples.push(`${target.toLocaleString('en-US')} runs: ${heapMb().toFixed(1)} MB`);
  }
  console.log(`heap after sequential runs: ${samples.join(', ')} (runs held at the end: ${processor!.activeRuns})`);
  if (!gc) console.log('(run with --expose-gc for exact heap figures; npm run bench does)');
}
