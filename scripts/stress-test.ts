// `npm run test:stress`: the whole test suite several times back to back, each time beside a CPU-bound process, so a
// test that depends on timing or load fails here rather than on a newcomer's machine. It runs what `npm test` runs
// (its commands, read from package.json): the typecheck and build once, then the suite STRESS_RUNS times (default 5)
// while STRESS_BURNERS busy processes (default 1) take a core each. It stops at the first failing run and says which
// run failed and which tests; each run's TAP output is kept in a temporary directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = positive('STRESS_RUNS', 5);
const burners = positive('STRESS_BURNERS', 1);

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < (name === 'STRESS_BURNERS' ? 0 : 1)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

/** `npm test` as its parts: what prepares the suite (typecheck, build) and the command that runs it. */
function testCommands(): { prepare: string[]; suite: string } {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test;
  const parts = script.split('&&').map((part) => part.trim());
  return { prepare: parts.slice(0, -1), suite: parts.at(-1)! };
}

/** A process that keeps one core busy until killed. */
function burner(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

interface RunResult {
  code: number | null;
  tests: number;
  failed: string[];
  seconds: number;
}

/** One run of the suite, its TAP output written to `file`. */
function runSuite(suite: string, file: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', suite], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(file);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      const tests = Number(/^# tests (\d+)$/m.exec(output)?.[1] ?? 0);
      // Top-level failures only: a failing subtest fails its parent, which names the file.
      const failed = [...output.matchAll(/^not ok \d+ - (.*)$/gm)].map((match) => match[1]!);
      resolve({ code, tests, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const { prepare, suite } = testCommands();
for (const command of prepare) {
  console.log(`test:stress: ${command}`);
  const prepared = spawnSync('sh', ['-c', command], { cwd: root, stdio: 'inherit' });
  if (prepared.status !== 0) {
    console.error(`test:stress: "${command}" failed (exit ${prepared.status}); no run started`);
    process.exit(1);
  }
}
const logs = mkdtempSync(join(tmpdir(), 'tokenledger-stress-'));
console.log(`test:stress: ${runs} runs of the suite, each beside ${burners} CPU-bound process${burners === 1 ? '' : 'es'}; TAP output in ${logs}`);
for (let run = 1; run <= runs; run += 1) {
  const busy = Array.from({ length: burners }, burner);
  let result: RunResult;
  try {
    result = await runSuite(suite, join(logs, `run-${run}.tap`));
  } finally {
    for (const busyProcess of busy) busyProcess.kill('SIGKILL');
  }
  const line = `run ${run} of ${runs}: ${result.tests} tests, ${result.failed.length} failed, ${result.seconds.toFixed(0)} s`;
  if (result.code !== 0 || result.failed.length > 0) {
    console.error(`test:stress: ${line} — run ${run} FAILED (exit ${result.code}); see ${join(logs, `run-${run}.tap`)}`);
    for (const name of result.failed) console.error(`  not ok: ${name}`);
    process.exit(1);
  }
  console.log(`test:stress: ${line}`);
}
console.log(`test:stress: ${runs}/${runs} runs passed, 0 failures`);
