// CPU added to an AI SDK 7 `generateText` call (one step, `@ai-sdk/openai` chat, a canned in-process `fetch`):
// tokenledger's AI SDK integration against the AI SDK alone and against the AI SDK with its own OpenTelemetry
// integration (`@ai-sdk/otel`'s OpenTelemetry, registered with `registerTelemetry`). Spans go through a
// SimpleSpanProcessor to a dropping exporter in both traced configurations, so the comparison is of the spans
// each makes and how it makes them.
//
// As instrumentation.bench.ts: every sample is a fresh child process (one configuration, warmed up, then measured),
// configurations in a rotating order each round, medians and per-round differences reported.
// One sample alone: BENCH_SAMPLE='tokenledger' (BENCH_CALLS sets how many calls it measures); BENCH_ROUNDS rounds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 6000);
const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const CONFIGURATIONS = ['AI SDK alone', 'tokenledger', 'AI SDK telemetry (@ai-sdk/otel)'] as const;

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
  const ai = await import('ai');
  if (configuration === 'tokenledger') {
    const { AiSdkInstrumentation } = await import('../instrumentation/ai-sdk/instrumentation.ts');
    new AiSdkInstrumentation().setTracerProvider(tracerProvider);
  } else if (configuration.startsWith('AI SDK telemetry')) {
    const { OpenTelemetry } = await import('@ai-sdk/otel');
    ai.registerTelemetry(new OpenTelemetry());
  }
  const { createOpenAI } = await import('@ai-sdk/openai');
  const openai = createOpenAI({ apiKey: 'k', baseURL: 'http://bench.invalid/v1', fetch: jsonFetch(fixtureJson('openai-chat.json')) });
  const model = openai.chat('gpt-5.5');
  const call = () => ai.generateText({ model, prompt: 'What is the capital of France?', maxRetries: 0 });
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
  console.log(`ai ${process.env.npm_package_devDependencies_ai ?? ''}; ${ROUNDS} rounds, ${WARM_UP} calls warm-up, ${CALLS} measured`);
  const samples = new Map<string, number[]>(CONFIGURATIONS.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < CONFIGURATIONS.length; i += 1) {
      const configuration = CONFIGURATIONS[(round + i) % CONFIGURATIONS.length]!;
      samples.get(configuration)!.push(sample(configuration));
    }
  }
  const base = median(samples.get('AI SDK alone')!);
  printTable(
    'AI SDK 7 generateText, one step, non-streamed',
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
    `tokenledger − AI SDK telemetry: ${mid >= 0 ? '+' : ''}${mid.toFixed(1)} µs per call (median of per-round differences; tokenledger lower in ${lower} of ${ROUNDS} rounds)`,
  );
}
