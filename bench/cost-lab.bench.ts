// The cost lab's costs, side by side in one run:
// - recording (TOKENLEDGER_RECORD): CPU per span of the SDK with tokenledger's processor and a batch processor whose
//   exporter appends OTLP/JSON lines to a file, against the same with the OTLP/JSON exporter sending to a local
//   receiver in another process (its serialising is the same; its sending is not);
// - reading: a recording of 100 000 spans (10 000 agent runs of 5 LLM calls and 4 tools, as the processor records
//   them) read by `gate` (the totals), `report` (totals, runs to show, the prefix survey, the calls kept; then every
//   call under four levers) and `whatif` (the prefix survey and the calls kept; then every call under four levers),
//   each in one read, and the second read `whatif` and `report` make of a recording with more calls than they keep:
//   wall time, CPU and the largest heap.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ReportRuns } from '../cli/report/report-runs.ts';
import { readRecordings } from '../cli/recording/read-recordings.ts';
import { RecordingTotals } from '../cli/recording/recording-totals.ts';
import type { ReplaySink } from '../cli/recording/replay.ts';
import { KeptTraces } from '../cli/whatif/kept-traces.ts';
import { chooseLevers } from '../cli/whatif/lever-choice.ts';
import { PrefixSurvey } from '../cli/whatif/prefix-survey.ts';
import { Repricing } from '../cli/whatif/repricing.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { RecordingSpanExporter } from '../setup/record-exporter.ts';
import { median, printTable } from './report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECORD_RUNS = Number(process.env.BENCH_RECORD_RUNS ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;
const dir = mkdtempSync(join(tmpdir(), 'tokenledger-bench-'));

const callAttributes = (run: number, step: number) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-4-5',
  'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
  'gen_ai.request.max_tokens': 4096,
  'gen_ai.usage.input_tokens': 12_000 + step * 3000 + (run % 7),
  'gen_ai.usage.output_tokens': 600,
  'gen_ai.usage.cache_read.input_tokens': step === 0 ? 0 : 9000,
  'gen_ai.usage.cache_write.input_tokens': step === 0 ? 9000 : 0,
  'tokenledger.request.prefix_hash': `prefix-${run % 3}`,
});

/** One agent run: 5 calls and 4 tools inside an agent span (10 spans). */
function agentRun(tracer: Tracer, run: number): void {
  const agent = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } });
  // The parent is passed, not made active: no context manager is registered here, so context.with would not carry it.
  const inRun = trace.setSpan(context.active(), agent);
  for (let step = 0; step < 5; step += 1) {
    tracer.startSpan('chat claude-sonnet-4-5', { attributes: callAttributes(run, step) }, inRun).end();
    if (step < 4)
      tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }, inRun).end();
  }
  agent.end();
}

function pipeline(exporter: SpanExporter) {
  const provider = new TracerProvider({
    spanProcessors: [
      new TokenledgerSpanProcessor({ meterProvider: new MeterProvider() }),
      new BatchSpanProcessor({ exporter, maxQueueSize: 100_000, maxExportBatchSize: 512, scheduledDelayMillis: 50 }),
    ],
  });
  return { provider, tracer: provider.getTracer('bench') };
}

/** Records `runs` agent runs; CPU µs per span, exporting included (the flush is inside the measurement). */
async function recordRuns(exporter: SpanExporter, runs: number): Promise<number> {
  const { provider, tracer } = pipeline(exporter);
  const start = process.cpuUsage();
  for (let run = 0; run < runs; run += 1) {
    agentRun(tracer, run);
    if (run % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
  }
  await provider.forceFlush();
  const used = process.cpuUsage(start);
  await provider.shutdown();
  return (used.user + used.system) / (runs * 10);
}

/** A receiver in another process that reads and drops OTLP/JSON, so its CPU is not this process's. */
async function startSink(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json'});s.end('{}')})}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
  return { url: `http://127.0.0.1:${port}/v1/traces`, stop: () => child.kill() };
}

const sink = await startSink();
const recordFile = join(dir, 'rounds.jsonl');
await recordRuns(new RecordingSpanExporter(recordFile), 500); // warm-up
await recordRuns(new OTLPTraceExporter({ url: sink.url }), 500);
const recordCpu: number[] = [];
const otlpCpu: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  rmSync(recordFile, { force: true });
  recordCpu.push(await recordRuns(new RecordingSpanExporter(recordFile), RECORD_RUNS));
  otlpCpu.push(await recordRuns(new OTLPTraceExporter({ url: sink.url }), RECORD_RUNS));
}
sink.stop();
printTable(
  `recording, CPU per span with tokenledger's processor (${RECORD_RUNS * 10} spans a round, ${ROUNDS} rounds, medians)`,
  ['export', 'µs/span'],
  [
    ['TOKENLEDGER_RECORD (OTLP/JSON lines to a file)', median(recordCpu).toFixed(2)],
    ['OTLP/JSON exporter to a local receiver', median(otlpCpu).toFixed(2)],
  ],
);

// The recording read back.
const recording = join(dir, 'recording.jsonl');
await recordRuns(new RecordingSpanExporter(recording), RUNS);
const spans = RUNS * 10;
const pricer = new CallPricer();

const options = { pricer, holdSpans: 20_000, maxSpans: 200_000 };

/** Every call of the traces kept under the levers the survey chooses, as whatif and report do after their read. */
function repriceKept(survey: PrefixSurvey, kept: KeptTraces): void {
  const repricing = new Repricing(pricer, chooseLevers({}, survey).levers);
  for (const trace of kept.traces ?? []) repricing.reprice(trace);
}

/**
 * Reads the recording with these sinks, then does `after`; wall ms, CPU ms and the largest heap seen (sampled every
 * 200 traces, and at the end).
 */
async function timeRead(sinks: ReplaySink[], after = () => {}): Promise<{ wall: number; cpu: number; heap: number }> {
  gc?.();
  let heap = process.memoryUsage().heapUsed;
  let traces = 0;
  const sampler: ReplaySink = {
    trace: () => {
      if ((traces += 1) % 200 === 0) heap = Math.max(heap, process.memoryUsage().heapUsed);
    },
  };
  const start = performance.now();
  const cpu = process.cpuUsage();
  await readRecordings([recording], options, [...sinks, sampler]);
  heap = Math.max(heap, process.memoryUsage().heapUsed);
  after();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000, heap };
}

const rows: string[][] = [];
const measure = async (label: string, read: () => Promise<{ wall: number; cpu: number; heap: number }>) => {
  const results = [];
  for (let round = 0; round < ROUNDS; round += 1) results.push(await read());
  rows.push([
    label,
    `${(median(results.map((r) => r.wall)) / 1000).toFixed(2)} s`,
    `${(median(results.map((r) => r.cpu)) / 1000).toFixed(2)} s`,
    `${(Math.max(...results.map((r) => r.heap)) / 2 ** 20).toFixed(0)} MB`,
  ]);
};
await measure('gate (totals)', () => timeRead([new RecordingTotals()]));
await measure('report (totals, 12 runs shown, prefix survey; every call under 4 levers)', () => {
  const survey = new PrefixSurvey();
  const kept = new KeptTraces(options.maxSpans);
  return timeRead([new RecordingTotals(), new ReportRuns(12), survey, kept], () => repriceKept(survey, kept));
});
await measure('whatif (prefix survey; every call under 4 levers)', () => {
  const survey = new PrefixSurvey();
  const kept = new KeptTraces(options.maxSpans);
  return timeRead([survey, kept], () => repriceKept(survey, kept));
});
const survey = new PrefixSurvey();
await readRecordings([recording], options, [survey]);
await measure('whatif / report past the calls kept: the second read', () => timeRead([new Repricing(pricer, chooseLevers({}, survey).levers)]));
printTable(
  `reading a recording of ${spans.toLocaleString('en-US')} spans, ${(statSync(recording).size / 2 ** 20).toFixed(0)} MB of OTLP/JSON lines (${ROUNDS} rounds: medians, heap the largest)`,
  ['read', 'wall', 'CPU', 'heap'],
  rows,
);
rmSync(dir, { recursive: true, force: true });
