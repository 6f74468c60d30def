// The report in a real browser: Debian's headless Chromium, driven by playwright-core, opens the report the support
// agent example writes. The page loads nothing but itself and logs no error; every figure in its DOM equals the
// rollup the span processor wrote on the run spans while the agent ran (recorded with them); and a screenshot is kept
// (.tokenledger-tmp/report-screenshot.png). Skipped where /usr/bin/chromium is missing, except in CI (.ci/run installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const SCREENSHOT = join(root, '.tokenledger-tmp', 'report-screenshot.png');

type Attributes = Record<string, unknown>;
/** A DOM element's data-* attributes (the tests' TypeScript has no DOM library). */
type WithDataset = { dataset: Record<string, string | undefined> };

/** The processor's rollup on each run span of the recording, by run id. */
function recordedRuns(file: string): Map<string, Attributes> {
  const runs = new Map<string, Attributes>();
  for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) {
    const request = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ spanId: string; attributes: KeyValue[] }> }> }> };
    for (const span of request.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))) {
      const attributes = toAttributes(span.attributes);
      if (attributes['tokenledger.run.id'] === span.spanId) runs.set(span.spanId, attributes);
    }
  }
  return runs;
}

const close = (actual: unknown, expected: number, what: string, digits = 1e-9) =>
  assert.ok(Math.abs(Number(actual) - expected) <= digits, `${what}: ${String(actual)} ≠ ${expected}`);

test("report: renders in headless Chromium without errors or requests, its figures the processor's rollup", {
  skip: !existsSync(CHROMIUM) && !process.env.CI && `${CHROMIUM} is not installed`,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-report-'));
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run', '--disable-extensions'],
    viewport: { width: 1120, height: 900 },
  });
  try {
    const example = spawnSync(process.execPath, ['examples/support-agent/agent.ts', dir], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000 /* a hang guard only */,
    });
    assert.equal(example.status, 0, example.stderr);
    const runs = recordedRuns(join(dir, 'recording.jsonl'));
    assert.equal(runs.size, 6);

    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(join(dir, 'report.html')).href;
    await page.goto(url, { waitUntil: 'load' });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url]);
    assert.equal(await page.title(), 'Support agent: naive vs optimised');

    // Each task: the rollup's figures, and its steps' input the rollup's input per step.
    const shown = await page.$$eval('section.run', (sections) =>
      sections.map((section) => ({
        data: { ...(section as unknown as WithDataset).dataset },
        steps: [...section.querySelectorAll('tr.step')].map((row) => ({ ...(row as unknown as WithDataset).dataset })),
        bars: section.querySelectorAll('svg.waterfall g.bar').length,
      })),
    );
    assert.equal(shown.length, 6);
    for (const { data, steps, bars } of shown) {
      const expected = runs.get(data.runId!)!;
      assert.ok(expected, `run ${data.runId}`);
      assert.equal(data.agent, expected['gen_ai.agent.name'] ?? undefined);
      close(data.usd, expected['tokenledger.run.cost.usd'] as number, 'spend', 1e-10);
      assert.equal(Number(data.steps), expected['tokenledger.run.steps']);
      assert.equal(data.success, String(expected['tokenledger.run.success']));
      close(data.cacheHitRate, expected['tokenledger.run.cache_hit_rate'] as number, 'cache hit rate', 1e-6);
      close(data.tokenEfficiency, expected['tokenledger.run.token_efficiency'] as number, 'token efficiency', 1e-6);
      close(data.stepInflation, expected['tokenledger.run.step_inflation'] as number, 'step inflation', 1e-6);
      close(data.tokensPerStep, expected['tokenledger.run.context_growth.tokens_per_step'] as number, 'context growth', 1e-6);
      assert.deepEqual(
        steps.map((step) => Number(step.input)),
        expected['tokenledger.run.input_tokens_per_step'],
      );
      assert.equal(bars, steps.length);
    }

    // Each agent's KPIs, from its tasks' rollups: $ per successful task = spend / successful tasks, cache hit rate =
    // cache reads / input, token efficiency and step inflation = the mean over tasks.
    const tiles = await page.$$eval('.kpi', (elements) => elements.map((element) => ({ ...(element as unknown as WithDataset).dataset })));
    for (const agent of ['support-naive', 'support-optimised']) {
      const tasks = [...runs.values()].filter((run) => run['gen_ai.agent.name'] === agent);
      const sum = (key: string) => tasks.reduce((total, run) => total + (run[key] as number), 0);
      const mean = (key: string) => sum(key) / tasks.length;
      const value = (kpi: string) => tiles.find((tile) => tile.agent === agent && tile.kpi === kpi)?.value;
      close(
        value('usd_per_successful_task'),
        sum('tokenledger.run.cost.usd') / tasks.filter((run) => run['tokenledger.run.success']).length,
        `${agent} $ per successful task`,
        1e-10,
      );
      close(
        value('cache_hit_rate'),
        sum('tokenledger.run.usage.cache_read.input_tokens') / sum('tokenledger.run.usage.input_tokens'),
        `${agent} cache hit rate`,
      );
      close(value('token_efficiency'), mean('tokenledger.run.token_efficiency'), `${agent} token efficiency`, 1e-6);
      close(value('step_inflation'), mean('tokenledger.run.step_inflation'), `${agent} step inflation`, 1e-6);
    }
    const levers = await page.$$eval('tr.lever', (rows) => rows.map((row) => (row as unknown as WithDataset).dataset.lever));
    assert.deepEqual([...levers].sort(), ['batch', 'cache_prefix', 'cache_ttl', 'output_cap']);

    mkdirSync(join(root, '.tokenledger-tmp'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(existsSync(SCREENSHOT));
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
