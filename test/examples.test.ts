// The examples run as the README says and print figures from the rollup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function runExample(path: string): string {
  const result = spawnSync(process.execPath, [path], { cwd: root, encoding: 'utf8', timeout: 300_000 /* a hang guard only */ });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '', 'the example prints no warnings');
  return result.stdout;
}

test('examples: the support agent compares naive and optimised runs from the rollup', () => {
  const out = runExample('examples/support-agent/agent.ts');
  const row = (name: string) =>
    out
      .split('\n')
      .find((line) => line.startsWith(name))
      ?.split(/\s{2,}/);
  const naive = row('naive');
  const optimised = row('optimised');
  assert.ok(naive && optimised, out);
  assert.equal(naive[7], '3/3');
  assert.equal(optimised[7], '3/3');
  assert.equal(naive[4], '0.0%', 'the naive agent caches nothing');
  // Every KPI column is explained in one line, token efficiency with why caching does not raise it.
  const header = out
    .split('\n')
    .find((line) => line.startsWith('configuration'))!
    .split(/\s{2,}/)
    .slice(2);
  const legend = out.split('\n').filter((line) => line.startsWith('  '));
  for (const column of header) assert.equal(legend.filter((line) => line.trimStart().startsWith(`${column} `)).length, 1, `${column} is explained once`);
  assert.match(legend.find((line) => line.includes('token efficiency'))!, /caching cuts the cost but not this ratio/);
  assert.ok(Number.parseFloat(optimised[4]!) > 50, 'the optimised agent reads most input from the cache');
  const cost = (cells: string[]) => Number(cells[6]!.replace('$', ''));
  assert.ok(cost(optimised) < cost(naive), out);
  assert.match(out, /costs \d+% less per task/);
  // …and writes the naive-vs-optimised report from its recording (test/report.browser.test.ts opens one in Chromium).
  assert.match(out, /Report \(tokenledger report\): examples\/support-agent\/out\/report\.html/);
  const report = readFileSync(join(root, 'examples/support-agent/out/report.html'), 'utf8');
  assert.match(report, /<section class="agent" data-agent="support-naive"/);
  assert.match(report, /<section class="agent" data-agent="support-optimised"/);
});

test('examples: the weather agent prints each call with its token types and cost', () => {
  const out = runExample('examples/weather-agent/agent.ts');
  assert.match(out, /3 LLM calls, \$0\.027116 in all \(priced as openai\/gpt-5\.5\)/);
});

test('examples: the guardrails example stops a run at its budget and a failing tool loop', () => {
  const out = runExample('examples/guardrails/agent.ts');
  assert.match(out, /budget stop: max_usd 0.01 USD, spent 0.0028, next call ~0.0080/);
  assert.match(out, /answer: Paris is the capital of France. \(after 1 steps\)/);
  assert.match(out, /loop stop: consecutive_failures after 5 failures in a row/);
  assert.match(out, /invoke_agent retrier: 5 steps, \$0.014, stopped by consecutive_failures/);
});
