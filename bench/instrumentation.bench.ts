// CPU and heap added per LLM call, like with like. tokenledger's whole pipeline (its instrumentation and span
// processor: normalise, price, de-duplicate, roll up, record metrics) against the peers that also record usage details
// or price (OpenInference, OpenLIT, the Anthropic SDK's own tracing) on every call they record: openai 6 and 7 chat,
// openai 7 Responses, Anthropic messages, streamed and not. tokenledger's instrumentation alone against the lean
// `@opentelemetry/instrumentation-openai` (which patches only openai < 7). And issue 22's question: what a call the
// app's sampler drops costs with tokenledger (its sampler records it, so the processor counts it) against a sampled
// one and against the bare SDK with instrumentation-openai. The SDKs get an in-process canned `fetch`, so the
// network is not measured.
//
// Every sample is a fresh child process that sets up one configuration and measures the whole process's CPU over
// calls 1–5 000 (cold: what a CLI agent, a serverless function or a CI job lives in) and 15 001–25 000 (steady:
// every configuration of a non-streamed call, the SDK alone too, takes 11 000–12 000 calls before its cost per call
// stops falling). An app patches its SDK once; patching and unpatching in one process left the SDK's shared code
// deoptimised by whichever wrapper came before. The configurations of a case run one after another in each round, in
// a rotating order, so the machine's drift falls on all of them; medians are reported, and each ratio of added CPU
// with its spread over the rounds (each round's ratio against that round's uninstrumented sample).
// One sample alone: BENCH_SAMPLE='openai7-chat|tokenledger'; some cases only: BENCH_CASES=openai7-chat,anthropic.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CallSpec, Phases, Sample } from './instrumentation-sample.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PHASES: Phases = { cold: 5000, warmUp: 15000, calls: 10000 };

const WHOLE = 'tokenledger';
const ALONE = 'tokenledger, instrumentation alone';
const CONTRIB = 'instrumentation-openai';
const OPENAI_PEERS = ['OpenInference', 'OpenLIT'];
const ANTHROPIC_PEERS = ['SDK built-in tracing', 'OpenInference', 'OpenLIT'];

interface Case {
  id: string;
  title: string;
  spec: CallSpec;
  configurations: string[];
}

const openai = (sdk: 'openai6' | 'openai7', api: 'chat' | 'responses', stream: boolean, configurations: string[]): Case => ({
  id: `${sdk}-${api}${stream ? '-stream' : ''}`,
  title: `openai ${sdk.slice(-1)} ${api === 'chat' ? 'chat.completions' : 'responses'}.create${stream ? ', streamed' : ''}`,
  spec: { sdk, api, stream },
  configurations,
});
const anthropic = (stream: boolean): Case => ({
  id: `anthropic${stream ? '-stream' : ''}`,
  title: `@anthropic-ai/sdk messages.create${stream ? ', streamed (12 events)' : ''}`,
  spec: { sdk: 'anthropic', api: 'messages', stream },
  configurations: ['uninstrumented', WHOLE, ALONE, ...ANTHROPIC_PEERS],
});

const CASES: Case[] = [
  openai('openai6', 'chat', false, ['uninstrumented', WHOLE, ALONE, CONTRIB, ...OPENAI_PEERS]),
  openai('openai6', 'chat', true, ['uninstrumented', WHOLE, ALONE, CONTRIB, ...OPENAI_PEERS]),
  openai('openai7', 'chat', false, ['uninstrumented', WHOLE, ALONE, ...OPENAI_PEERS]),
  openai('openai7', 'chat', true, ['uninstrumented', WHOLE, ALONE, ...OPENAI_PEERS]),
  openai('openai7', 'responses', false, ['uninstrumented', WHOLE, ALONE, ...OPENAI_PEERS]),
  openai('openai7', 'responses', true, ['uninstrumented', WHOLE, ALONE, ...OPENAI_PEERS]),
  anthropic(false),
  anthropic(true),
  {
    id: 'sampling',
    title: 'openai 6 chat.completions.create, sampled and unsampled (issue 22)',
    spec: { sdk: 'openai6', api: 'chat', stream: false },
    configurations: ['uninstrumented', WHOLE, `${WHOLE}, unsampled`, `${CONTRIB}, unsampled`, CONTRIB],
  },
];

if (process.env.BENCH_SAMPLE) {
  const [caseId, configuration] = process.env.BENCH_SAMPLE.split('|') as [string, string];
  const { measure } = await import('./instrumentation-sample.ts');
  const benchCase = CASES.find((c) => c.id === caseId);
  if (!benchCase) throw new Error(`no case ${caseId}: ${CASES.map((c) => c.id).join(', ')}`);
  process.stdout.write(JSON.stringify(await measure(benchCase.spec, configuration, PHASES)));
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

/** A case's samples, by configuration, one per round. */
type Results = Map<string, Sample[]>;

async function main(): Promise<void> {
  const versions = (await import('./instrumentation-sample.ts')).versions();
  console.log(
    `${Object.entries(versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}; ${ROUNDS} rounds`,
  );
  const only = process.env.BENCH_CASES?.split(',');
  const goals: string[] = [];
  for (const benchCase of CASES.filter((c) => !only || only.includes(c.id))) {
    const results: Results = new Map(benchCase.configurations.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      const count = benchCase.configurations.length;
      for (let i = 0; i < count; i += 1) {
        const configuration = benchCase.configurations[(round + i) % count]!;
        results.get(configuration)!.push(sample(benchCase.id, configuration));
      }
    }
    printCase(benchCase, results);
    goals.push(...caseGoals(benchCase, results));
  }
  console.log(`\nGoals (added CPU, ratio of medians; in brackets each round's ratio, lowest–highest over ${ROUNDS} rounds):`);
  for (const line of goals) console.log(`- ${line}`);
  const { requestMeasurement } = await import('./instrumentation-sample.ts');
  console.log(`\n${requestMeasurement(ROUNDS)}`);
}

function printCase(benchCase: Case, results: Results): void {
  const base = results.get('uninstrumented')!;
  const heapOf = (samples: Sample[]) => {
    const heaps = samples.map((s) => s.heap).filter((heap): heap is number => heap !== undefined);
    return heaps.length > 0 ? median(heaps) / 1024 : undefined;
  };
  const baseHeap = heapOf(base);
  const rows = benchCase.configurations.map((name) => {
    const samples = results.get(name)!;
    const steady = median(samples.map((s) => s.cpu));
    const cold = median(samples.map((s) => s.cold));
    const heap = heapOf(samples);
    return [
      name,
      steady.toFixed(1),
      signed(steady - median(base.map((s) => s.cpu))),
      cold.toFixed(1),
      signed(cold - median(base.map((s) => s.cold))),
      heap?.toFixed(1) ?? '—',
      heap !== undefined && baseHeap !== undefined ? signed(heap - baseHeap) : '—',
    ];
  });
  printTable(benchCase.title, ['configuration', 'steady µs/call', 'added', 'cold µs/call', 'added', 'heap KB/call', 'added'], rows);
}

/** Added CPU of `ours` against `theirs` in one phase: the ratio of the medians, and each round's ratio. */
function ratio(results: Results, ours: string, theirs: string, phase: 'cpu' | 'cold'): { ratio: number; low: number; high: number } {
  const base = results.get('uninstrumented')!;
  const added = (name: string) => results.get(name)!.map((s, round) => s[phase] - base[round]![phase]);
  const a = added(ours);
  const b = added(theirs);
  const rounds = a.map((value, round) => value / b[round]!);
  return { ratio: median(a) / median(b), low: Math.min(...rounds), high: Math.max(...rounds) };
}

function describe(r: { ratio: number; low: number; high: number }, goal: number): string {
  const verdict = r.ratio <= goal ? 'met' : 'not met';
  return `${r.ratio.toFixed(2)}× [${r.low.toFixed(2)}–${r.high.toFixed(2)}] (goal ≤ ${goal}×: ${verdict})`;
}

/** The goal lines of a case: the whole pipeline against each peer, steady and cold; the lean comparisons. */
function caseGoals(benchCase: Case, results: Results): string[] {
  const has = (name: string) => results.has(name);
  const lines: string[] = [];
  const title = benchCase.title;
  if (benchCase.id === 'sampling') {
    const cost = (name: string) => median(results.get(name)!.map((s) => s.cpu));
    const heap = (name: string) => median(results.get(name)!.flatMap((s) => (s.heap === undefined ? [] : [s.heap]))) / 1024;
    const unsampled = `${WHOLE}, unsampled`;
    const rounds = results.get(unsampled)!.map((s, round) => s.cpu / results.get(WHOLE)![round]!.cpu);
    lines.push(
      `${title}: tokenledger unsampled ${cost(unsampled).toFixed(1)} µs and ${heap(unsampled).toFixed(1)} KB a call against sampled ${cost(WHOLE).toFixed(1)} µs and ${heap(WHOLE).toFixed(1)} KB: ` +
        `${(cost(unsampled) / cost(WHOLE)).toFixed(3)}× [${Math.min(...rounds).toFixed(3)}–${Math.max(...rounds).toFixed(3)}] (goal ≤ 1×: ${cost(unsampled) <= cost(WHOLE) ? 'met' : 'not met'}); ` +
        `bare SDK + instrumentation-openai unsampled ${cost(`${CONTRIB}, unsampled`).toFixed(1)} µs and ${heap(`${CONTRIB}, unsampled`).toFixed(1)} KB`,
    );
    return lines;
  }
  const peers = benchCase.configurations.filter((name) => OPENAI_PEERS.includes(name) || ANTHROPIC_PEERS.includes(name));
  for (const peer of peers) {
    lines.push(
      `${title}, whole pipeline / ${peer}: steady ${describe(ratio(results, WHOLE, peer, 'cpu'), 1)}, cold ${describe(ratio(results, WHOLE, peer, 'cold'), 1.5)}`,
    );
  }
  if (peers.length > 0) {
    const best = peers.reduce((a, b) => (median(results.get(a)!.map((s) => s.cold)) <= median(results.get(b)!.map((s) => s.cold)) ? a : b));
    lines.push(`${title}, whole pipeline cold / the best peer cold (${best}): ${describe(ratio(results, WHOLE, best, 'cold'), 1.5)}`);
  }
  if (has(CONTRIB) && has(ALONE)) {
    lines.push(
      `${title}, instrumentation alone / ${CONTRIB}: steady ${describe(ratio(results, ALONE, CONTRIB, 'cpu'), 1.2)}, cold ${describe(ratio(results, ALONE, CONTRIB, 'cold'), 1.5)}`,
    );
  }
  return lines;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}
