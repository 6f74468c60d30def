// tokenledger gate: a recording's $ per successful task (and steps per task, cache hit rate) against a budget and a
// baseline; exit 0 pass, 1 fail, 2 usage error; Markdown (and $GITHUB_STEP_SUMMARY), or JSON.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.ts';
import { ExportTraceServiceRequest } from '../collector/otlp-schema.ts';
import { agentSpan, callSpan, otlpLine, TEST_PRICES, writeRecording, type SpanSpec } from './recording-builder.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokenledger-gate-'));
const prices = join(dir, 'prices.json');
const file = (name: string) => join(dir, name);

/** A task of `steps` calls of 10,000 input and 1,000 output tokens on acme-large: $0.15 a step. */
function task(trace: number, steps: number, options: { failed?: boolean; cacheRead?: number; model?: string } = {}): SpanSpec[] {
  const calls = Array.from({ length: steps }, (_, i) =>
    callSpan({
      trace,
      id: 2 + i,
      start: trace * 100 + i * 2,
      input: 10_000,
      output: 1000,
      cacheRead: options.cacheRead,
      model: i === 0 ? options.model : undefined,
    }),
  );
  return [...calls, agentSpan(trace, 'support', trace * 100, trace * 100 + steps * 2, { error: options.failed })];
}

before(() => {
  writeFileSync(prices, JSON.stringify(TEST_PRICES));
  // Three tasks of 2 steps ($0.30 each), one of them failed: $0.90 over 2 successful = $0.45 per successful task.
  writeRecording(file('candidate.jsonl'), [...task(1, 2), ...task(2, 2), ...task(3, 2, { failed: true })]);
  // The baseline: three successful tasks of 2 steps, half their input read from the cache:
  // 5,000 × 10 + 5,000 × 1 + 1,000 × 50 = $0.105 a step, $0.21 a task; cache hit rate 50%.
  writeRecording(file('baseline.jsonl'), [...task(1, 2, { cacheRead: 5000 }), ...task(2, 2, { cacheRead: 5000 }), ...task(3, 2, { cacheRead: 5000 })]);
  writeRecording(file('unpriced.jsonl'), [...task(1, 2, { model: 'acme-mystery' }), ...task(2, 2)]);
  // A trace whose root span never arrived: its calls point at a parent that is not there.
  writeRecording(file('no-root.jsonl'), [...task(1, 2), callSpan({ trace: 9, id: 2, parent: 7, start: 5, input: 1000, output: 10 })]);
  const whole = otlpLine(task(1, 2));
  writeFileSync(file('cut.jsonl'), `${whole}\n${whole.slice(0, 200)}`);
});

async function gate(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['gate', ...args, '--prices', prices], { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}

test('gate: under budget passes (exit 0), over budget fails (exit 1), and the Markdown says why', async () => {
  const pass = await gate([file('candidate.jsonl'), '--max-usd-per-task', '0.45']);
  assert.equal(pass.code, 0, pass.out);
  assert.match(pass.out, /^## tokenledger cost gate: ✅ pass/);
  assert.match(pass.out, /\| \$ per successful task \| \$0\.4500 \| \$0\.4500 \| ✅ \|/);
  assert.match(pass.out, /\| tasks \| 3 \(2 successful, 1 failed\) \| at least 1 \| ✅ \|/);
  assert.match(pass.out, /- only 3 tasks: a cost per task from fewer than 30 is noisy/);
  assert.match(pass.out, /- 1 of 3 tasks failed; their spend counts in \$ per successful task/);
  const fail = await gate([file('candidate.jsonl'), '--max-usd-per-task', '0.40']);
  assert.equal(fail.code, 1);
  assert.match(fail.out, /❌ fail/);
  assert.match(fail.out, /- \$ per successful task \$0\.4500 is over the budget of \$0\.4000 \(\+12\.5%\)/);
});

test('gate: --json has the verdict, the tasks and $ per successful task', async () => {
  const { code, out } = await gate([file('candidate.jsonl'), '--max-usd-per-task', '0.5', '--json']);
  assert.equal(code, 0);
  const json = JSON.parse(out);
  assert.equal(json.verdict, 'pass');
  assert.equal(json.tasks, 3);
  assert.equal(json.successful_tasks, 2);
  assert.equal(json.failed_tasks, 1);
  assert.equal(json.usd_per_successful_task, 0.45);
  assert.equal(json.steps_per_task, 2);
  assert.equal(json.cache_hit_rate, 0);
});

test('gate: against a baseline, worse by more than the tolerance fails on each figure', async () => {
  const { code, out } = await gate([file('candidate.jsonl'), '--baseline', file('baseline.jsonl'), '--json']);
  assert.equal(code, 1);
  const json = JSON.parse(out);
  assert.equal(json.baseline.usd_per_successful_task, 0.21);
  assert.equal(json.baseline.cache_hit_rate, 0.5);
  // $0.45 against $0.21 (+114.3%): over $0.21 × 1.2; the cache hit rate 0% against 50%: under 50% × 0.8.
  assert.deepEqual(json.reasons, [
    "$ per successful task $0.4500 is +114.3% against the baseline's $0.2100 (tolerance 20%)",
    "cache hit rate 0.0% is −100.0% against the baseline's 50.0% (tolerance 20%)",
  ]);
  const within = await gate([file('baseline.jsonl'), '--baseline', file('baseline.jsonl')]);
  assert.equal(within.code, 0, within.out);
  const tolerant = await gate([file('candidate.jsonl'), '--baseline', file('baseline.jsonl'), '--tolerance', '1.2']);
  assert.equal(tolerant.code, 0, tolerant.out); // $0.45 ≤ $0.21 × 2.2, 0% ≥ 50% × (1 − 1.2)
});

test('gate: --min-tasks fails a recording with fewer tasks', async () => {
  const { code, out } = await gate([file('candidate.jsonl'), '--max-usd-per-task', '1', '--min-tasks', '30']);
  assert.equal(code, 1);
  assert.match(out, /- 3 tasks recorded, fewer than --min-tasks 30/);
});

test('gate: an unpriced call or a trace without its root makes the figure unknown, and the gate fails', async () => {
  const unpriced = await gate([file('unpriced.jsonl'), '--max-usd-per-task', '100', '--json']);
  assert.equal(unpriced.code, 1);
  const json = JSON.parse(unpriced.out);
  assert.equal(json.usd_per_successful_task, null);
  assert.equal(json.unpriced_calls, 1);
  assert.match(json.reasons[0], /^1 call in the tasks could not be priced \(unknown model or usage\): \$ per successful task is unknown$/);
  const noRoot = await gate([file('no-root.jsonl'), '--max-usd-per-task', '100']);
  assert.equal(noRoot.code, 1);
  assert.match(noRoot.out, /- 1 trace could not be rolled up whole \(its root span is missing, or the read limits cut it\): their tasks are unknown/);
  assert.match(noRoot.out, /- 1 LLM call \(\$0\.0105\) counted in no task: they are not in the figures above/);
});

test('gate: the summary is appended to $GITHUB_STEP_SUMMARY', async () => {
  const summary = file('step-summary.md');
  writeFileSync(summary, '# earlier step\n');
  await gate([file('candidate.jsonl'), '--max-usd-per-task', '0.5', '--json'], { GITHUB_STEP_SUMMARY: summary });
  const written = readFileSync(summary, 'utf8');
  assert.match(written, /^# earlier step\n## tokenledger cost gate: ✅ pass\n/);
});

test('gate: usage errors and unreadable input exit 2 with a message naming the file and line', async () => {
  const nothing = await gate([file('candidate.jsonl')]);
  assert.equal(nothing.code, 2);
  assert.match(nothing.err, /tokenledger gate: nothing to gate on: give --max-usd-per-task and\/or --baseline/);
  const flag = await gate([file('candidate.jsonl'), '--max-usd-per-task', 'cheap']);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /--max-usd-per-task must be a positive number, got "cheap"/);
  const missing = await gate([file('nope.jsonl'), '--max-usd-per-task', '1']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.jsonl: no such file/);
  const cut = await gate([file('cut.jsonl'), '--max-usd-per-task', '1']);
  assert.equal(cut.code, 2);
  assert.match(cut.err, /cut\.jsonl:2: not a JSON line .*; the recording is cut short or corrupt/);
});

test('gate: the tokenledger command exits with the verdict', () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['bin/tokenledger.cjs', 'gate', file('candidate.jsonl'), '--prices', prices, ...args], { cwd: root, encoding: 'utf8' });
  assert.equal(run(['--max-usd-per-task', '0.5']).status, 0);
  assert.equal(run(['--max-usd-per-task', '0.1']).status, 1);
  assert.equal(run(['--tolerance', '-1', '--max-usd-per-task', '0.5']).status, 2);
  const help = spawnSync(process.execPath, ['bin/tokenledger.cjs', 'gate', '--help'], { cwd: root, encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--max-usd-per-task positive number/);
});

test('gate: the same recording given twice is read once (its spans are found twice and skipped)', async () => {
  const { out } = await gate([file('candidate.jsonl'), file('candidate.jsonl'), '--max-usd-per-task', '1', '--json']);
  const json = JSON.parse(out);
  assert.equal(json.tasks, 3);
  assert.equal(json.usd_per_successful_task, 0.45);
});

test('gate: the same recording as OTLP/protobuf (one request, and length-prefixed records) gives the same verdict', async () => {
  const lines = readFileSync(file('candidate.jsonl'), 'utf8').trimEnd().split('\n');
  const requests = lines.map((line) => {
    const json = JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }> };
    for (const span of json.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))) {
      for (const key of ['traceId', 'spanId', 'parentSpanId']) if (span[key]) span[key] = Buffer.from(span[key] as string, 'hex').toString('base64');
    }
    return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(json)).finish());
  });
  const whole = ExportTraceServiceRequest.fromObject({
    resourceSpans: requests.flatMap(
      (bytes) => (ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(bytes)) as { resourceSpans: unknown[] }).resourceSpans,
    ),
  });
  writeFileSync(file('candidate.pb'), ExportTraceServiceRequest.encode(whole).finish());
  writeFileSync(
    file('candidate.records'),
    Buffer.concat(requests.map((bytes) => Buffer.concat([Buffer.from([0, 0, bytes.length >> 8, bytes.length & 255]), bytes]))),
  );
  for (const name of ['candidate.pb', 'candidate.records']) {
    const { out } = await gate([file(name), '--max-usd-per-task', '1', '--json']);
    const json = JSON.parse(out);
    assert.deepEqual([json.tasks, json.successful_tasks, json.usd_per_successful_task, json.steps_per_task], [3, 2, 0.45, 2], name);
  }
});
