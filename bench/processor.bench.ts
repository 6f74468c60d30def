// The span processor's cost and memory, side by side in one run:
// - spans per second through the SDK (BatchSpanProcessor to a dropping exporter) without and with
//   TokenledgerSpanProcessor, on agent runs of 1 run span + 5 priced LLM call spans + 2 tool spans;
// - the heap held per in-flight run, and the heap after 10k, 50k and 100k sequential runs (flat = no leak).
import { context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const RUNS_PER_ROUND = 2000;
const SPANS_PER_RUN = 8;
const gc = (globalThis as { gc?: () => void }).gc;

const drop: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

// LLM call spans come from tokenledger's own instrumentation scope, as in an instrumented app.
function pipeline(withTokenledger: boolean): { tracer: Tracer; llmTracer: Tracer; provider: TracerProvider; processor?: TokenledgerSpanProcessor } {
  const processor = withTokenledger ? new TokenledgerSpanProcessor() : undefined;
  const processors: SpanProcessor[] = [...(processor ? [processor] : []), new BatchSpanProcessor({ exporter: drop, maxQueueSize: 100_000, maxExportBatchSize: 512 })];
  const provider = new TracerProvider({ spanProcessors: processors });
  return { tracer: provider.getTracer('bench'), llmTracer: provider.getTracer('tokenledger-instrumentation-anthropic'), provider, processor };
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

function oneRun({ tracer, llmTracer }: { tracer: Tracer; llmTracer: Tracer }, end = true): Span {
  const run = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } });
  const ctx = trace.setSpan(context.active(), run);
  for (let i = 0; i < 5; i += 1) {
    llmTracer.startSpan('chat claude-sonnet-4-5', { attributes: callAttributes(i) }, ctx).end();
    if (i < 2) tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }, ctx).end();
  }
  if (end) run.end();
  return run;
}

async function spansPerSecond(withTokenledger: boolean): Promise<number> {
  const tracers = pipeline(withTokenledger);
  const { provider } = tracers;
  for (let i = 0; i < 200; i += 1) oneRun(tracers);
  const start = process.cpuUsage();
  for (let i = 0; i < RUNS_PER_ROUND; i += 1) oneRun(tracers);
  const used = process.cpuUsage(start);
  await provider.shutdown();
  return (RUNS_PER_ROUND * SPANS_PER_RUN) / ((used.user + used.system) / 1e6);
}

const without: number[] = [];
const withTl: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  without.push(await spansPerSecond(false));
  withTl.push(await spansPerSecond(true));
}
const a = median(without);
const b = median(withTl);
printTable('spans through the SDK (BatchSpanProcessor, dropping exporter), CPU time', ['pipeline', 'spans/s (median)', 'µs/span', 'ratio'], [
  ['SDK only', Math.round(a).toLocaleString('en-US'), (1e6 / a).toFixed(2), '1.000×'],
  ['SDK + TokenledgerSpanProcessor (pricing + rollup)', Math.round(b).toLocaleString('en-US'), (1e6 / b).toFixed(2), `${(a / b).toFixed(3)}×`],
]);

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

// Heap per in-flight run: 10 000 runs whose root has not ended (their calls have), with and without tokenledger;
// the difference is what tokenledger holds per run.
function heapForOpenRuns(withTokenledger: boolean): { megabytes: number; held: number } {
  const processor = withTokenledger ? new TokenledgerSpanProcessor() : undefined;
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
  console.log(`\nheap tokenledger holds per in-flight run: ${perRun.toFixed(0)} bytes (${ours.held} runs held; open root spans alone: ${((bare.megabytes * 1024 * 1024) / 10_000).toFixed(0)} bytes each)`);
}

// Sequential runs: the heap must not grow with the number of runs.
{
  const tracers = pipeline(true);
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
