// `npm run bench:against -- <git ref>`: the span processor's CPU per span and collector mode's ingest of this checkout
// against an earlier commit's, side by side in one run. Each version measures itself with its own
// `processor.bench.ts` and `collector.bench.ts`, each sample a fresh process (the processor's with three inner
// rounds, so each of its pipelines goes first once, as its rotation intends); the rounds alternate which version goes
// first, so a machine that slows down mid-run weighs on both alike. The earlier commit is checked out once as a git
// worktree beside the system's temporary files, sharing this checkout's node_modules. A version's process is
// stopped once it has printed the CPU figures compared here, before its memory measurements start.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, printTable } from './report.ts';

const ref = process.argv[2];
if (!ref) {
  console.error('usage: npm run bench:against -- <git ref> (for example 36358ed)');
  process.exit(2);
}
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const here = new URL('..', import.meta.url).pathname;
const sha = execFileSync('git', ['rev-parse', '--short', `${ref}^{commit}`], { cwd: here, encoding: 'utf8' }).trim();
const before = join(tmpdir(), `tokenledger-bench-${sha}`);
if (!existsSync(before)) {
  execFileSync('git', ['worktree', 'add', '--detach', '--force', before, sha], { cwd: here, stdio: 'ignore' });
  symlinkSync(join(here, 'node_modules'), join(before, 'node_modules'));
}

interface Bench {
  file: string;
  /** Its BENCH_ROUNDS in each sample. */
  rounds: number;
  /** Whether the output holds everything compared here (the process is then stopped). */
  complete(output: string): boolean;
  /** The figures compared, read from the bench's output. */
  read(output: string): Map<string, number>;
}

/** µs/span of a table row: the number just before the row's ratio or share column. */
function microseconds(line: string): number {
  const cells = line.trim().split(/\s{2,}/);
  return Number(cells[cells.length - 2]!.replaceAll(',', ''));
}

/** CPU the whole processor adds to the SDK's cost of a span, per table (run size × exporter). */
const processor: Bench = {
  file: 'bench/processor.bench.ts',
  rounds: 3,
  // Each of its four CPU tables ends with this line.
  complete: (output) => (output.match(/^run rollup adds .*\n/gm)?.length ?? 0) === 4,
  read(output) {
    const figures = new Map<string, number>();
    let table = '';
    let sdk = Number.NaN;
    for (const line of output.split('\n')) {
      const title = /^CPU per span, SDK with (an? [^,]+), runs of ([^,]+),/.exec(line);
      if (title) table = `processor, ${title[2]}, ${title[1]!.replace(/^an? /, '')}: µs added a span`;
      else if (line.startsWith('SDK only')) sdk = microseconds(line);
      else if (line.startsWith('+ tokenledger (')) figures.set(table, microseconds(line) - sdk);
    }
    return figures;
  },
};

/** Collector mode's CPU per span: decoding and forwarding, and the whole service on plain and gzip bodies. */
const collector: Bench = {
  file: 'bench/collector.bench.ts',
  rounds: 1,
  complete: (output) => /^of the service's per-span time.*\n/m.test(output),
  read(output) {
    const figures = new Map<string, number>();
    for (const line of output.split('\n')) {
      if (line.startsWith('decode + re-encode')) figures.set('collector, decode and forward: µs a span', microseconds(line));
      else if (line.startsWith('+ hold each trace')) figures.set('collector, the service, plain bodies: µs a span', microseconds(line));
      else if (line.startsWith('the service, gzip')) figures.set('collector, the service, gzip bodies: µs a span', microseconds(line));
    }
    return figures;
  },
};

/** Runs one sample of a version's bench and returns its figures. */
function sample(bench: Bench, root: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(root, bench.file)], {
      cwd: root,
      env: { ...process.env, BENCH_ROUNDS: String(bench.rounds) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    let done = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (!done && bench.complete(output)) {
        done = true;
        child.kill();
      }
    });
    child.on('close', () => (done ? resolve(bench.read(output)) : reject(new Error(`${root}/${bench.file} ended before its CPU tables:\n${output}`))));
  });
}

const versions = [
  { name: `before (${sha})`, root: before },
  { name: 'now', root: here },
];
const samples = new Map<string, Map<string, number[]>>(versions.map((v) => [v.name, new Map()]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? [...versions].reverse() : versions;
  for (const bench of [processor, collector]) {
    for (const version of order) {
      for (const [figure, value] of await sample(bench, version.root)) {
        const list = samples.get(version.name)!.get(figure) ?? [];
        list.push(value);
        samples.get(version.name)!.set(figure, list);
      }
    }
  }
  console.error(`round ${round + 1} of ${ROUNDS} done`);
}

const [old, now] = versions.map((v) => samples.get(v.name)!);
const rows = [...now!.keys()]
  .filter((figure) => old!.has(figure))
  .map((figure) => {
    const a = old!.get(figure)!;
    const b = now!.get(figure)!;
    const ratios = b.map((value, i) => value / a[i]!);
    return [
      figure,
      median(a).toFixed(2),
      median(b).toFixed(2),
      `${(median(b) / median(a)).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`,
    ];
  });
printTable(
  `this checkout against ${sha}, ${ROUNDS} rounds, each a fresh process per version (medians; in brackets each round's ratio, lowest–highest)`,
  ['figure', `before (${sha})`, 'now', 'now / before'],
  rows,
);
