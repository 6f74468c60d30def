// CPU added to a Mastra `Agent.generate` (one step, an AI SDK 7 `@ai-sdk/openai` chat model, a canned in-process
// `fetch`): tokenledger's Mastra instrumentation (a run span, one LLM span, the model wrapped on the resolved
// instance) against Mastra alone and against Mastra with its own OpenTelemetry bridge (`@mastra/observability` +
// `@mastra/otel-bridge`). Spans go through a SimpleSpanProcessor to a dropping exporter in both traced
// configurations.
//
// As ai-sdk.bench.ts: every sample is a fresh child process (one configuration, warmed up, then measured),
// configurations in a rotating order each round, medians and per-round differences reported.
// One sample alone: BENCH_SAMPLE='tokenledger' (BENCH_CALLS sets how many calls it measures); BENCH_ROUNDS rounds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 300);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const CONFIGURATIONS = ['Mastra alone', 'tokenledger', 'Mastra OpenTelemetry bridge'] as const;

if (process.env.BENCH_SAMPLE) {
  process.stdout.write(JSON.stringify(await measure(process.env.BENCH_SAMPLE)));
} else {
  main();
}

async function measure(configuration: string): Promise<number> {
  const { context, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { SimpleSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { fixtureJson } = await import('../test/fake-provider.ts');
  const { jsonFetch } = await import('./canned-fetch.ts');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} } })],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  const agentModule = await import('@mastra/core/agent');
  if (configuration === 'tokenledger') {
    const { MastraInstrumentation } = await import('../instrumentation/mastra/instrumentation.ts');
    const instrumentation = new MastraInstrumentation();
    instrumentation.setTracerProvider(tracerProvider);
    instrumentation.patchAgent(agentModule);
  }
  const { createOpenAI } = await import('@ai-sdk/openai');
  const openai = createOpenAI({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', fetch: jsonFetch(fixtureJson('openai-chat.json')) });
  let agent = new agentModule.Agent({ id: 'bench', name: 'bench', instructions: 'Be brief.', model: openai.chat('gpt-5.5') as never });
  if (configuration.includes('bridge')) {
    const { Mastra } = await import('@mastra/core');
    const { Observability } = await import('@mastra/observability');
    const { OtelBridge } = await import('@mastra/otel-bridge');
    const mastra = new Mastra({
      agents: { bench: agent },
      logger: false,
      observability: new Observability({ configs: { default: { serviceName: 'bench', bridge: new OtelBridge() } } }),
    });
    agent = mastra.getAgent('bench');
  }
  const call = () => agent.generate('What is the capital of France?');
  for (let i = 0; i < WARM_UP; i += 1) await call();
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i += 1) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

function sample(configuration: string): number {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_SAMPLE: configuration }, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`sample ${configuration} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as number;
}

function main(): void {
  console.log(`@mastra/core ${process.env.npm_package_devDependencies__mastra_core ?? ''}; ${ROUNDS} rounds, ${WARM_UP} calls warm-up, ${CALLS} measured`);
  const samples = new Map<string, number[]>(CONFIGURATIONS.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < CONFIGURATIONS.length; i += 1) {
      const configuration = CONFIGURATIONS[(round + i) % CONFIGURATIONS.length]!;
      samples.get(configuration)!.push(sample(configuration));
    }
  }
  const base = median(samples.get('Mastra alone')!);
  printTable(
    'Mastra Agent.generate, one step, non-streamed',
    ['configuration', 'CPU µs/call (median)', 'added µs', 'ratio'],
    CONFIGURATIONS.map((name) => {
      const micros = median(samples.get(name)!);
      return [name, micros.toFixed(1), (micros - base).toFixed(1), `${(micros / base).toFixed(3)}×`];
    }),
  );
  const ours = samples.get('tokenledger')!;
  const theirs = samples.get(CONFIGURATIONS[2])!;
  const differences = ours.map((value, round) => value - theirs[round]!);
  const lower = differences.filter((d) => d < 0).length;
  const mid = median(differences);
  console.log(
    `tokenledger − Mastra bridge: ${mid >= 0 ? '+' : ''}${mid.toFixed(1)} µs per call (median of per-round differences; tokenledger lower in ${lower} of ${ROUNDS} rounds)`,
  );
}
