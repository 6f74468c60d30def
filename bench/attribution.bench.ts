// What attribution costs: the whole span processor with and without TOKENLEDGER_BAGGAGE_KEYS (three keys, all in
// the baggage, one hashed), side by side in each round, rotating order. Runs of 5 LLM calls and 2 tools under an
// agent span, through the SDK to a dropping exporter, with the metrics collected once per round. With attribution
// every LLM call, tool and run span reads the baggage when it starts, and the call and run metrics build the labels.
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const RUNS_PER_ROUND = Number(process.env.BENCH_RUNS ?? 2000);
const SPANS_PER_RUN = 1 + 5 + 2;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const drop: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
class RoundReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

type Mode = 'plain' | 'attribution';

function pipeline(mode: Mode) {
  const reader = new RoundReader();
  const attribution = mode === 'attribution' ? { baggageKeys: ['tenant.id', 'user.id', 'feature'], hashKeys: ['user.id'], hashSalt: 'bench' } : undefined;
  const processor = new TokenledgerSpanProcessor({ meterProvider: new MeterProvider({ readers: [reader] }), attribution });
  const provider = new TracerProvider({
    spanProcessors: [processor, new BatchSpanProcessor({ exporter: drop, maxQueueSize: 100_000, maxExportBatchSize: 512 })],
  });
  return { tracer: provider.getTracer('bench'), provider, reader };
}

const call = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-4-5',
  'gen_ai.usage.input_tokens': 15050,
  'gen_ai.usage.output_tokens': 530,
  'gen_ai.usage.cache_read.input_tokens': 12000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
};

function oneRun(tracer: Tracer, n: number): void {
  const baggage = propagation.createBaggage({
    'tenant.id': { value: `tenant-${n % 20}` },
    'user.id': { value: `user-${n % 500}` },
    feature: { value: n % 2 ? 'search' : 'chat' },
  });
  context.with(propagation.setBaggage(context.active(), baggage), () => {
    const run = tracer.startSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } });
    context.with(trace.setSpan(context.active(), run), () => {
      for (let i = 0; i < 5; i += 1) {
        tracer.startSpan('chat claude-sonnet-4-5', { attributes: call }).end();
        if (i < 2) tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } }).end();
      }
    });
    run.end();
  });
}

async function microsPerSpan(mode: Mode): Promise<number> {
  const { tracer, provider, reader } = pipeline(mode);
  for (let i = 0; i < RUNS_PER_ROUND / 10; i += 1) oneRun(tracer, i);
  await provider.forceFlush();
  await reader.collect();
  const start = process.cpuUsage();
  for (let i = 0; i < RUNS_PER_ROUND; i += 1) {
    oneRun(tracer, i);
    if (i % 32 === 31) await new Promise(setImmediate);
  }
  await provider.forceFlush();
  await reader.collect();
  const used = process.cpuUsage(start);
  await provider.shutdown();
  return (used.user + used.system) / (RUNS_PER_ROUND * SPANS_PER_RUN);
}

const samples: Record<Mode, number[]> = { plain: [], attribution: [] };
const added: number[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  const order: Mode[] = round % 2 === 0 ? ['plain', 'attribution'] : ['attribution', 'plain'];
  const got = {} as Record<Mode, number>;
  for (const mode of order) samples[mode].push((got[mode] = await microsPerSpan(mode)));
  added.push(got.attribution - got.plain);
}
printTable(
  `CPU per span, whole processor, runs of 5 calls + 2 tools, ${ROUNDS} rounds (medians)`,
  ['pipeline', 'µs/span'],
  [
    ['processor, no attribution (baggage set but not read)', median(samples.plain).toFixed(2)],
    ['processor, 3 baggage keys (one hashed) on spans and metric labels', median(samples.attribution).toFixed(2)],
  ],
);
console.log(`attribution adds ${median(added).toFixed(2)} µs a span (median of per-round differences)`);
