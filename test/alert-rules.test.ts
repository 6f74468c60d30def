// The Prometheus rules in alerts/ are valid and do what their unit tests say: `promtool check rules` and
// `promtool test rules` (Debian's `prometheus` package ships promtool; .ci/run installs it). Skipped only on a
// developer machine without promtool, never in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const alerts = fileURLToPath(new URL('../alerts/', import.meta.url));
const promtool = spawnSync('promtool', ['--version']).status === 0;
const skip = !promtool && !process.env.CI ? 'promtool is not installed (apt-get install prometheus)' : false;

function run(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: alerts, encoding: 'utf8', timeout: 300_000 /* a hang guard only */ });
  return { status: result.status, output: `${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}` };
}

test('alerts: promtool accepts the recording and alerting rules', { skip }, () => {
  const { status, output } = run(['check', 'rules', 'tokenledger.rules.yml']);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS: 12 rules found/);
});

test('alerts: the rules pass their promtool unit tests (SLO, cache collapse, breaches, loops, unpriced, evictions, collector drops)', { skip }, () => {
  const { status, output } = run(['test', 'rules', 'tokenledger.rules.test.yml']);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
});
