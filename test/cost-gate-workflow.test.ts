// The example GitHub Actions workflow (examples/github-actions/cost-gate.yml): its own `run:` steps, run here as the
// job would run them (the baseline step, which checks out the base branch, is stood in for by the same sample).
// The same code passes its own baseline; the naive agent fails the gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const workflow = parse(readFileSync(join(root, 'examples/github-actions/cost-gate.yml'), 'utf8')) as {
  jobs: { 'cost-gate': { env: Record<string, string | number>; steps: Array<{ id?: string; run?: string }> } };
};
const job = workflow.jobs['cost-gate'];
const step = (id: string) => job.steps.find((candidate) => candidate.id === id)!.run!;

function run(command: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  // The job's node is 22; here it is the one running the tests, first on the PATH.
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000, // a hang guard only
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, HOME: process.env.HOME ?? '', ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('cost gate workflow: the sample is recorded and gated; the naive agent fails it', { timeout: 900_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'tokenledger-workflow-'));
  try {
    const env = { TASKS: '3', MAX_USD_PER_TASK: String(job.env.MAX_USD_PER_TASK), OUT: out, GITHUB_STEP_SUMMARY: join(out, 'summary.md') };
    const baseline = run(step('sample').replaceAll('candidate.jsonl', 'baseline.jsonl'), env);
    assert.equal(baseline.status, 0, baseline.stderr);
    const sample = run(step('sample'), env);
    assert.equal(sample.status, 0, sample.stderr);
    assert.match(sample.stdout, /sample: 3 tasks of support-optimised, recorded to .*candidate\.jsonl/);

    const pass = run(step('gate'), env);
    assert.equal(pass.status, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /## tokenledger cost gate: ✅ pass/);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /✅ pass/);

    const report = run(step('report'), env);
    assert.equal(report.status, 0, report.stderr);
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /tokenledger whatif: 1 file, 3 tasks/);

    // TOKENLEDGER_RECORD appends: a fresh file for the naive agent's sample.
    rmSync(join(out, 'candidate.jsonl'));
    const naive = run(step('sample').replace('--config optimised', '--config naive'), env);
    assert.equal(naive.status, 0, naive.stderr);
    const fail = run(step('gate'), env);
    assert.equal(fail.status, 1, fail.stdout + fail.stderr);
    assert.match(fail.stdout, /\$ per successful task \$0\.0773 is over the budget of \$0\.0500/);
    assert.match(fail.stdout, /\$ per successful task \$0\.0773 is \+122\.7% against the baseline's \$0\.0347 \(tolerance 20%\)/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
