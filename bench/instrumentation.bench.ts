// CPU and heap added per LLM call by tokenledger (its instrumentation and span processor: all six token types and
// their cost), against the same call uninstrumented, against `@opentelemetry/instrumentation-openai` (which patches
// only openai < 7, so those three run on openai 6), against the peers that record usage details (OpenInference and
// OpenLIT, on openai 7 and Anthropic), and against the Anthropic SDK's own tracing. The SDKs get an in-process
// canned `fetch`, so the network is not measured.
//
// Every sample is a fresh child process that sets up one configuration, warms up, and measures: an app patches
// its SDK once, and patching and unpatching in one process (as an earlier version of this bench did) left the
// SDK's shared code deoptimised by whichever wrapper came before, which moved results by tens of µs. The
// configurations of a case run one after another in each round, in a rotating order, so the machine's drift
// falls on all of them; medians are reported, and tokenledger's per-round differences from each comparator.
// Warm-up: measured in 1000-call steps, every configuration of a non-streamed case (the SDK alone too) takes
// 11 000–12 000 calls before its cost per call stops falling (a 12-event stream ~18 000), so each sample warms up
// past that and then measures; measuring from call 5000 on, as before, compared half-warmed code.
// One sample alone: BENCH_SAMPLE='openai-json|tokenledger' (BENCH_CALLS sets how many calls it measures);
// some cases only: BENCH_CASES=openai-json,anthropic-json.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sample } from './instrumentation-sample.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const STREAM_CHUNKS = 500;

interface Case {
  id: string;
  title: string;
  configurations: string[];
  /** Warm-up calls (until the JIT has settled), then calls measured, in each sample. */
  warmUp: number;
  calls: number;
}

const CASES: Case[] = [
  // `tokenledger, no processor`: its instrumentation alone (usage figures, no cost, runs or metrics), to show which
  // share of its cost is the span processor's.
  { id: 'openai-json', title: 'openai 6 chat.completions.create, non-streamed', configurations: ['uninstrumented', 'tokenledger', 'instrumentation-openai', 'tokenledger, no processor'], warmUp: 15000, calls: 10000 },
  { id: 'openai-stream', title: `openai 6 chat stream of ${STREAM_CHUNKS} chunks`, configurations: ['uninstrumented', 'tokenledger', 'instrumentation-openai'], warmUp: 60, calls: 100 },
  { id: 'openai7-json', title: 'openai 7 chat.completions.create, non-streamed', configurations: ['uninstrumented', 'tokenledger', 'OpenInference', 'OpenLIT'], warmUp: 15000, calls: 10000 },
  { id: 'anthropic-json', title: '@anthropic-ai/sdk 1 messages.create, non-streamed', configurations: ['uninstrumented', 'tokenledger', 'SDK built-in tracing', 'OpenInference', 'OpenLIT'], warmUp: 15000, calls: 10000 },
  { id: 'anthropic-stream', title: '@anthropic-ai/sdk 1 messages stream (12 events)', configurations: ['uninstrumented', 'tokenledger', 'SDK built-in tracing'], warmUp: 20000, calls: 8000 },
];

if (process.env.BENCH_SAMPLE) {
  const [caseId, configuration] = process.env.BENCH_SAMPLE.split('|') as [string, string];
  const { measure } = await import('./instrumentation-sample.ts');
  const { warmUp, calls } = CASES.find((c) => c.id === caseId)!;
  const measured = process.env.BENCH_CALLS ? Number(process.env.BENCH_CALLS) : calls;
  process.stdout.write(JSON.stringify(await measure(caseId, configuration, warmUp, measured, STREAM_CHUNKS)));
} else {
  await main();
}

function sample(caseId: string, configuration: string): Sample {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_SAMPLE: `${caseId}|${configuration}` },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`sample ${caseId} / ${configuration} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Sample;
}

async function main(): Promise<void> {
  const versions = (await import('./instrumentation-sample.ts')).versions();
  console.log(`${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ')}; ${ROUNDS} rounds`);
  let streamed: { base: number; ours: number } | undefined;
  const only = process.env.BENCH_CASES?.split(',');
  for (const benchCase of CASES.filter((c) => !only || only.includes(c.id))) {
    const samples = new Map<string, number[]>(benchCase.configurations.map((name) => [name, []]));
    const heaps = new Map<string, number[]>(benchCase.configurations.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const count = benchCase.configurations.length;
      for (let i = 0; i < count; i += 1) {
        const configuration = benchCase.configurations[(round + i) % count]!;
        const measured = sample(benchCase.id, configuration);
        samples.get(configuration)!.push(measured.cpu);
        if (measured.heap !== undefined) heaps.get(configuration)!.push(measured.heap);
      }
    }
    const [baseName, oursName, ...comparators] = benchCase.configurations as [string, string, ...string[]];
    const base = median(samples.get(baseName)!);
    const heapOf = (name: string) => (heaps.get(name)!.length > 0 ? median(heaps.get(name)!) / 1024 : undefined);
    const baseHeap = heapOf(baseName);
    printTable(benchCase.title, ['configuration', 'CPU µs/call (median)', 'added µs', 'ratio', 'heap KB/call', 'added KB'], benchCase.configurations.map((name) => {
      const micros = median(samples.get(name)!);
      const heap = heapOf(name);
      const addedHeap = heap !== undefined && baseHeap !== undefined ? (heap - baseHeap).toFixed(1) : '—';
      return [name, micros.toFixed(1), (micros - base).toFixed(1), `${(micros / base).toFixed(3)}×`, heap?.toFixed(1) ?? '—', addedHeap];
    }));
    const ours = samples.get(oursName)!;
    const oursAdded = median(ours) - base;
    for (const name of comparators.filter((comparator) => !comparator.startsWith('tokenledger'))) {
      const theirs = samples.get(name)!;
      const differences = ours.map((value, round) => value - theirs[round]!);
      const mid = median(differences);
      const lower = differences.filter((d) => d < 0).length;
      const ratio = oursAdded / (median(theirs) - base);
      console.log(`tokenledger − ${name}: ${mid >= 0 ? '+' : ''}${mid.toFixed(1)} µs per call (median of per-round differences; tokenledger lower in ${lower} of ${ROUNDS} rounds); added CPU ${ratio.toFixed(2)}× theirs`);
    }
    if (benchCase.id === 'openai-stream') streamed = { base, ours: median(ours) };
  }
  if (streamed) {
    console.log(`\ntokenledger per streamed chunk: ${((streamed.ours - streamed.base) / STREAM_CHUNKS).toFixed(3)} µs added (${STREAM_CHUNKS}-chunk stream, per-call overhead included)`);
  }
  const { requestMeasurement } = await import('./instrumentation-sample.ts');
  console.log(requestMeasurement(ROUNDS));
}
