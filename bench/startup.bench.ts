// Start-up CPU an app pays for its preload, side by side: the same app (it loads openai, @anthropic-ai/sdk and
// @google/genai and makes a client of each, bench/apps/three-sdks.*) run bare, under tokenledger/register and
// under @opentelemetry/auto-instrumentations-node/register, with --require (CommonJS) and --import (ESM). Each
// sample is a fresh process reporting the CPU it used up to the end of the app's code (Node's own start-up
// included, the same in every configuration); configurations interleave round by round in a rotating order, and
// medians are reported. Also: what `import { TokenledgerSpanProcessor } from 'tokenledger'` costs.
// BENCH_ROUNDS sets the rounds (default 7).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const root = fileURLToPath(new URL('..', import.meta.url));
const AUTO = '@opentelemetry/auto-instrumentations-node/register';

interface Configuration {
  name: string;
  args: string[];
}

const CJS: Configuration[] = [
  { name: 'bare', args: ['bench/apps/three-sdks.cjs'] },
  { name: '--require tokenledger/register', args: ['--require', 'tokenledger/register', 'bench/apps/three-sdks.cjs'] },
  { name: `--require ${AUTO}`, args: ['--require', AUTO, 'bench/apps/three-sdks.cjs'] },
];
const ESM: Configuration[] = [
  { name: 'bare', args: ['bench/apps/three-sdks.mjs'] },
  { name: '--import tokenledger/register', args: ['--import', 'tokenledger/register', 'bench/apps/three-sdks.mjs'] },
  { name: `--import ${AUTO}`, args: ['--import', AUTO, 'bench/apps/three-sdks.mjs'] },
  // What auto-instrumentations-node needs to patch ESM imports at all: OpenTelemetry's loader hook over every module.
  {
    name: `--import ${AUTO} + loader hook`,
    args: ['--experimental-loader', '@opentelemetry/instrumentation/hook.mjs', '--import', AUTO, 'bench/apps/three-sdks.mjs'],
  },
];
const IMPORT: Configuration[] = [
  { name: "require('tokenledger')", args: ['bench/apps/import-processor.cjs'] },
  { name: "import('tokenledger')", args: ['bench/apps/import-processor.mjs'] },
];

// The same standard configuration for every preload: OTLP traces and metrics to an endpoint nothing listens on
// (nothing is exported during start-up), OpenTelemetry's own logging off.
const ENV = {
  PATH: process.env.PATH ?? '',
  OTEL_SERVICE_NAME: 'startup-bench',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
  OTEL_LOG_LEVEL: 'none',
  NODE_NO_WARNINGS: '1',
};

function sample(configuration: Configuration): { cpuMs: number; modules?: number } {
  const child = spawnSync(process.execPath, configuration.args, { cwd: root, env: ENV, encoding: 'utf8', timeout: 60_000 });
  if (child.status !== 0) throw new Error(`${configuration.name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { cpuMs: number; modules?: number };
}

function measure(title: string, configurations: Configuration[], baseline: boolean): void {
  const samples = new Map<string, number[]>(configurations.map((c) => [c.name, []]));
  let modules: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round += 1) {
    for (let i = 0; i < configurations.length; i += 1) {
      const configuration = configurations[(round + i) % configurations.length]!;
      const result = sample(configuration);
      samples.get(configuration.name)!.push(result.cpuMs);
      if (result.modules !== undefined) modules = { ...modules, [configuration.name]: result.modules };
    }
  }
  const base = baseline ? median(samples.get(configurations[0]!.name)!) : 0;
  printTable(
    title,
    baseline ? ['configuration', 'CPU ms (median)', 'added ms'] : ['entry', 'CPU ms (median)', 'modules loaded'],
    configurations.map((c) => {
      const ms = median(samples.get(c.name)!);
      return [c.name, ms.toFixed(0), baseline ? (ms - base).toFixed(0) : String(modules[c.name] ?? '—')];
    }),
  );
}

console.log(`${ROUNDS} rounds; Node ${process.versions.node}`);
measure('CommonJS app, start-up CPU of the whole process', CJS, true);
measure('ES module app, start-up CPU of the whole process', ESM, true);
measure('the span processor alone, imported from the package root', IMPORT, false);
