// tokenledger reconcile: recordings made by the project's own apps (the support agent's sample, recorded with
// TOKENLEDGER_RECORD; the three-providers app under the register entry) beside bills in the providers' documented
// shapes. A bill that agrees reconciles exactly (exit 0, nothing unexplained); each planted difference is found with
// its reason and the exact dollars: requests telemetry never saw, a price the bill charges differently, 1-hour cache
// writes, batch; cents read as dollars is bad input (exit 2). --write-prices fed back makes a re-run agree.
// The register app needs the build (`npm test` runs it first).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli/main.ts';
import {
  anthropicAnalyticsCostPage,
  anthropicAnalyticsUsagePage,
  anthropicCostPage,
  anthropicUsagePage,
  openaiCostsPage,
  openaiUsagePage,
  recordedUse,
  withExtraCalls,
  type RecordedUse,
} from './bill-builder.ts';
import { FakeProvider } from './fake-provider.ts';

/** The command's JSON output as a test reads it: checked field by field, not typed. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, asserted on field by field
type Json = any;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokenledger-reconcile-'));
const file = (name: string) => join(dir, name);
const SUPPORT = file('support.jsonl');
const THREE = file('three-providers.jsonl');
let support: RecordedUse[];
let three: RecordedUse[];
let provider: FakeProvider;

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** The support agent's sample: 3 tasks against the scripted Claude, recorded. */
async function recordSupport(path: string, env: Record<string, string> = {}): Promise<void> {
  const result = await run(process.execPath, ['examples/support-agent/sample.ts', '--config', 'optimised', '--tasks', '3'], {
    TOKENLEDGER_RECORD: path,
    ...env,
  });
  assert.equal(result.code, 0, result.stderr);
}

before(async () => {
  provider = await new FakeProvider().start();
  await recordSupport(SUPPORT);
  const app = await run(process.execPath, ['--import', 'tokenledger/register', 'test/apps/three-providers.mjs'], {
    TOKENLEDGER_RECORD: THREE,
    FAKE_PROVIDER_URL: provider.url,
    TOKENLEDGER_PROVIDER_URLS: `${provider.url}/v1=openai`,
  });
  assert.equal(app.code, 0, app.stderr);
  support = recordedUse(SUPPORT);
  three = recordedUse(THREE);
});

after(async () => {
  await provider.stop();
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, body: unknown) => {
  writeFileSync(file(name), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return file(name);
};

async function reconcile(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | undefined; out: string; err: string; json: Json }> {
  let out = '';
  let err = '';
  const code = await main(['reconcile', ...args], { out: (text) => (out += text), err: (text) => (err += text), env });
  let json: Json;
  if (args.includes('--json') && code !== 2) json = JSON.parse(out);
  return { code, out, err, json };
}

const usdOf = (use: RecordedUse) => use.usd.uncached_input + use.usd.cache_read + use.usd.cache_write_5m + use.usd.cache_write_1h + use.usd.output;
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
const openaiOnly = (uses: RecordedUse[]) => uses.filter((use) => use.provider === 'openai');

test('reconcile: the support agent against its Anthropic usage and cost report (cents) agrees exactly', async () => {
  assert.equal(support.length, 1);
  assert.equal(support[0]!.calls, 15);
  const usage = write('anthropic-usage.json', anthropicUsagePage(support));
  const costs = write('anthropic-costs.json', anthropicCostPage(support));
  const { code, json, out } = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json']);
  assert.equal(code, 0, out);
  assert.equal(json.schema, 'tokenledger.reconcile/1');
  assert.equal(json.recording.sampled, 'no');
  const [anthropic] = json.providers;
  assert.equal(anthropic.provider, 'anthropic');
  close(anthropic.telemetry.usd, usdOf(support[0]!), 'telemetry');
  close(anthropic.billed.usd, usdOf(support[0]!), 'billed');
  assert.equal(anthropic.difference_usd, 0);
  assert.equal(anthropic.telemetry.requests, 15);
  assert.equal(anthropic.billed.requests, null, 'the legacy usage report has no request count');
  assert.deepEqual(anthropic.reasons, []);
  assert.equal(anthropic.unexplained_usd, 0);
  assert.deepEqual(
    anthropic.days.map((row: Json) => row.token_type),
    ['cache_read', 'cache_write_1h', 'cache_write_5m', 'output', 'uncached_input'],
  );
  for (const row of anthropic.days) assert.equal(row.billed.tokens, row.telemetry.tokens, row.token_type);
});

test('reconcile: the same usage from the analytics endpoints (requests counted, fractional cents) agrees exactly', async () => {
  const usage = write('analytics-usage.json', anthropicAnalyticsUsagePage(support));
  const costs = write('analytics-cost.json', anthropicAnalyticsCostPage(support));
  const { code, json } = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json']);
  assert.equal(code, 0);
  assert.equal(json.providers[0].billed.requests, 15);
  assert.equal(json.providers[0].difference_usd, 0);
  assert.deepEqual(json.providers[0].reasons, []);
});

test('reconcile: the three-providers app against its OpenAI usage and costs agrees; providers without a bill are not compared', async () => {
  const usage = write('openai-usage.json', openaiUsagePage(openaiOnly(three), { serviceTier: 'flex' }));
  const costs = write('openai-costs.json', openaiCostsPage(openaiOnly(three)));
  const { code, json } = await reconcile([THREE, '--openai-usage', usage, '--openai-costs', costs, '--json']);
  assert.equal(code, 0);
  const [openai] = json.providers;
  assert.equal(openai.provider, 'openai');
  // gpt-5.5 on the flex tier: (230 × $5 + 1920 × $0.50 + 420 × $30) / 1e6 × 0.5 = $0.007355
  assert.equal(openai.telemetry.usd, 0.007355);
  assert.equal(openai.billed.usd, 0.007355);
  assert.deepEqual([openai.telemetry.requests, openai.billed.requests], [1, 1]);
  assert.deepEqual(openai.reasons, []);
  assert.deepEqual(json.not_compared.map((entry: Json) => entry.provider).sort(), ['anthropic', 'gcp.gemini']);
});

test('reconcile: 5 requests telemetry never saw are unattributed requests, with their exact dollars (exit 1)', async () => {
  const [gpt] = openaiOnly(three);
  const billed = withExtraCalls(gpt!, 5);
  const usage = write('openai-usage-extra.json', openaiUsagePage([billed], { serviceTier: 'flex' }));
  const costs = write('openai-costs-extra.json', openaiCostsPage([billed]));
  const { code, json } = await reconcile([THREE, '--openai-usage', usage, '--openai-costs', costs, '--json']);
  assert.equal(code, 1);
  const [openai] = json.providers;
  assert.deepEqual(openai.unattributed, { requests: 5, usd: 0.036775, usd_lower_bound: false }); // 5 × $0.007355
  assert.deepEqual(
    openai.reasons.map((reason: Json) => [reason.code, reason.usd]),
    [['unattributed_requests', 0.036775]],
  );
  assert.equal(openai.unexplained_usd, 0);
  assert.equal(openai.day_totals[0].within_tolerance, false);
  const text = await reconcile([THREE, '--openai-usage', usage, '--openai-costs', costs]);
  assert.match(text.out, /unattributed: 5 requests, \+\$0\.0368/);
  assert.match(
    text.out,
    /5 requests the bill counts and telemetry did not see; another app on the same key, project or workspace, or calls telemetry never ended/,
  );
});

test("reconcile: a recording whose sampler left calls out says so as the unattributed requests' explanation", async () => {
  const [gpt] = openaiOnly(three);
  const sampled = file('three-sampled.jsonl');
  writeFileSync(sampled, readFileSync(THREE));
  const end = {
    kind: 'end',
    version: 1,
    session: 'sampled-session',
    at: new Date().toISOString(),
    sampler: { description: 'parentbased_traceidratio 0.2', source: 'environment', probability: 0.2 },
    spans: { recorded: 3, unsampled: 12 },
    calls: { recorded: 3, unsampled: 5 },
    unsampledCalls: [{ provider: 'openai', model: gpt!.model, day: gpt!.day, calls: 5, usd: 0.036775 }],
  };
  appendFileSync(sampled, `${JSON.stringify({ resourceSpans: [], tokenledgerRecording: end })}\n`);
  const billed = withExtraCalls(gpt!, 5);
  const usage = write('openai-usage-sampled.json', openaiUsagePage([billed], { serviceTier: 'flex' }));
  const costs = write('openai-costs-sampled.json', openaiCostsPage([billed]));
  const { code, json } = await reconcile([sampled, '--openai-usage', usage, '--openai-costs', costs, '--json']);
  assert.equal(code, 1);
  assert.equal(json.recording.sampled, 'yes');
  const reason = json.providers[0].days.flatMap((row: Json) => row.reasons).find((candidate: Json) => candidate.code === 'unattributed_requests');
  assert.equal(reason.detail, "5 requests the bill counts and telemetry did not see; the recording's sampler left 5 of them out (end record)");
});

test('reconcile: a price the bill charges differently is price drift with both rates; --write-prices fed back makes a re-run agree', async () => {
  // claude-sonnet-5 output is $10 per million in the price data; the bill charges $11.
  const use = support[0]!;
  const usage = write('drift-usage.json', anthropicUsagePage(support));
  const costs = write('drift-costs.json', anthropicCostPage(support, { usd: (u, type) => (type === 'output' ? u.tokens.output * 11e-6 : u.usd[type]) }));
  const prices = file('reconciled-prices.json');
  const { code, json } = await reconcile([
    SUPPORT,
    '--anthropic-usage',
    usage,
    '--anthropic-costs',
    costs,
    '--json',
    '--tolerance',
    '0.5',
    '--write-prices',
    prices,
  ]);
  assert.equal(code, 1);
  const [anthropic] = json.providers;
  const output = anthropic.days.find((row: Json) => row.token_type === 'output');
  assert.deepEqual(
    output.reasons.map((reason: Json) => [reason.code, reason.telemetry_usd_per_mtok, reason.billed_usd_per_mtok]),
    [['price_drift', 10, 11]],
  );
  close(output.reasons[0].usd, use.tokens.output * 1e-6, 'drift');
  assert.equal(anthropic.unexplained_usd, 0);

  const written = JSON.parse(readFileSync(prices, 'utf8'));
  const model = written.providers[0].models[0];
  assert.equal(written.providers[0].id, 'anthropic');
  assert.equal(model.id, 'claude-sonnet-5');
  assert.equal(model.prices.output_mtok, 11);
  assert.equal(model.prices.input_mtok, 2, 'rates the bill agrees with are kept');
  assert.deepEqual(
    written.sources.map((source: Json) => [source.price, source.usd_per_mtok, source.was_usd_per_mtok]),
    [['output_mtok', 11, 10]],
  );
  assert.match(written.sources[0].from, /drift-costs\.json: [\d,]+ tokens on \d{4}-\d{2}-\d{2} billed at 11 USD per million/);

  const repriced = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json', '--prices', prices, '--reprice']);
  assert.equal(repriced.code, 0, JSON.stringify(repriced.json.providers[0].reasons));
  assert.equal(repriced.json.providers[0].difference_usd, 0);

  // As TOKENLEDGER_PRICES for the app: recorded again, the recording prices what the bill charges.
  const again = file('support-repriced.jsonl');
  await recordSupport(again, { TOKENLEDGER_PRICES: prices });
  const agreed = await reconcile([again, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json']);
  assert.equal(agreed.code, 0, JSON.stringify(agreed.json.providers[0].reasons));
  assert.deepEqual(agreed.json.providers[0].reasons, []);
});

test('reconcile: cache writes the bill counts at the 1-hour TTL that telemetry counted at 5 minutes', async () => {
  const use = support[0]!;
  const moved = use.tokens.cache_write_5m;
  assert.ok(moved > 0, 'the support agent writes its prompt prefix to the cache');
  const usage = write('ttl-usage.json', anthropicUsagePage(support, { moveTo1h: moved }));
  // claude-sonnet-5: 5-minute writes $2.50, 1-hour writes $4 per million.
  const costs = write(
    'ttl-costs.json',
    anthropicCostPage(support, { usd: (u, type) => (type === 'cache_write_5m' ? 0 : type === 'cache_write_1h' ? moved * 4e-6 : u.usd[type]) }),
  );
  const bill = JSON.parse(readFileSync(costs, 'utf8'));
  // The 1-hour line exists only when it has tokens in the recording: add it as the bill has it.
  bill.data[0].results.push({
    amount: String(moved * 0.0004),
    currency: 'USD',
    cost_type: 'tokens',
    token_type: 'cache_creation.ephemeral_1h_input_tokens',
    description: 'x',
    model: use.model,
    service_tier: 'standard',
    context_window: '0-200k',
    inference_geo: null,
    workspace_id: null,
  });
  bill.data[0].results = bill.data[0].results.filter(
    (result: Json) => !(result.token_type === 'cache_creation.ephemeral_1h_input_tokens' && result.amount === '0'),
  );
  write('ttl-costs.json', bill);
  const { code, json } = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json']);
  assert.equal(code, 1);
  const [anthropic] = json.providers;
  assert.deepEqual(
    anthropic.reasons.map((reason: Json) => reason.code),
    ['cache_write_ttl'],
  );
  close(anthropic.reasons[0].usd, moved * 1.5e-6, 'the TTL difference: (4 − 2.5) per million');
  close(anthropic.difference_usd, moved * 1.5e-6, 'difference');
  assert.equal(anthropic.unexplained_usd, 0);
});

test('reconcile: calls the bill charges at the batch rate that telemetry priced at the standard rate', async () => {
  const use = support[0]!;
  const usage = write('batch-usage.json', anthropicUsagePage(support, { serviceTier: 'batch' }));
  const costs = write('batch-costs.json', anthropicCostPage(support, { serviceTier: 'batch', usd: (u, type) => u.usd[type] / 2 }));
  const { code, json } = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs, '--json']);
  assert.equal(code, 1);
  const [anthropic] = json.providers;
  assert.deepEqual(
    anthropic.reasons.map((reason: Json) => reason.code),
    ['batch'],
  );
  close(anthropic.reasons[0].usd, -usdOf(use) / 2, 'half the spend');
  assert.equal(anthropic.unexplained_usd, 0);
});

test('reconcile: Anthropic cents read as dollars cannot pass — a cost report 100× off its usage is bad input (exit 2)', async () => {
  const usage = write('cents-usage.json', anthropicUsagePage(support));
  // A tool that "fixed" the unit before saving: the amounts are dollars written as decimal strings.
  const dollars = write('cents-as-dollars.json', anthropicCostPage(support, { amount: (usd) => usd.toFixed(12) }));
  const wrong = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', dollars]);
  assert.equal(wrong.code, 2);
  assert.match(
    wrong.err,
    /cents-as-dollars\.json: mixed units: the anthropic costs come to 0\.0100× what its usage costs at list prices — about 1\/100, as when amounts in cents are read as dollars/,
  );
  const numbers = write('cents-as-numbers.json', anthropicCostPage(support, { amount: (usd) => usd * 100 }));
  const unquoted = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', numbers]);
  assert.equal(unquoted.code, 2);
  assert.match(
    unquoted.err,
    /cents-as-numbers\.json \(page 1\), row 1, result 1: amount must be a decimal string in cents, as Anthropic's API writes it \(e\.g\. "123\.45" for \$1\.2345\), got [0-9.e-]+/,
  );
});

test('reconcile: a file that is not what its flag says, overlapping pages and mixed bucket widths exit 2 naming the file', async () => {
  const usage = write('openai-usage-ok.json', openaiUsagePage(openaiOnly(three), { serviceTier: 'flex' }));
  const swapped = await reconcile([THREE, '--openai-costs', usage]);
  assert.equal(swapped.code, 2);
  assert.match(
    swapped.err,
    /openai-usage-ok\.json \(page 1\), bucket 1: holds organization\.usage\.completions\.result results: this is not a GET \/v1\/organization\/costs page \(give it to --openai-usage\)/,
  );
  const twice = await reconcile([THREE, '--openai-usage', usage, usage]);
  assert.equal(twice.code, 2);
  assert.match(
    twice.err,
    /openai-usage-ok\.json \(page 1\), bucket 1: overlapping pages: the OpenAI usage bucket from \d{4}-\d{2}-\d{2}T00:00:00Z for model=gpt-5\.5.* is also in .*openai-usage-ok\.json \(page 1\), bucket 1; give each page once/,
  );
  const hourly = openaiUsagePage(openaiOnly(three));
  hourly.data[0]!.end_time = hourly.data[0]!.start_time + 3600;
  hourly.data[0]!.start_time += 86_400 * 3;
  hourly.data[0]!.end_time += 86_400 * 3;
  const mixed = await reconcile([THREE, '--openai-usage', usage, write('openai-usage-hourly.json', hourly)]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.err, /openai-usage-hourly\.json \(page 1\), bucket 1: mixed units: OpenAI usage buckets of 1h here and of 1d in .*openai-usage-ok\.json/);
  const notJson = await reconcile([THREE, '--anthropic-usage', write('notes.txt', 'hello')]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.err, /notes\.txt: not JSON .*; --anthropic-usage takes a saved response page/);
  const anthropicAsOpenai = await reconcile([THREE, '--openai-usage', write('anthropic-as-openai.json', anthropicUsagePage(support))]);
  assert.equal(anthropicAsOpenai.code, 2);
  assert.match(
    anthropicAsOpenai.err,
    /anthropic-as-openai\.json \(page 1\): not what --openai-usage reads: a GET \/v1\/organization\/usage\/completions page has "object": "page"/,
  );
  const nothing = await reconcile([THREE]);
  assert.equal(nothing.code, 2);
  assert.match(
    nothing.err,
    /no bill given: name its files \(--openai-usage, --openai-costs, --anthropic-usage, --anthropic-costs, --focus\) or --fetch openai\|anthropic/,
  );
});

test('reconcile: the text table shows each provider, its reasons and every day × model × token type', async () => {
  const usage = write('text-usage.json', anthropicUsagePage(support));
  const costs = write('text-costs.json', anthropicCostPage(support));
  const { code, out } = await reconcile([SUPPORT, '--anthropic-usage', usage, '--anthropic-costs', costs]);
  assert.equal(code, 0);
  assert.match(
    out,
    /^tokenledger reconcile: .*support\.jsonl against anthropic-usage .*; anthropic-costs .*\nRecording: 30 spans \(15 LLM calls\) in 1 file; not sampled \(parentbased_always_on\)\.\n/,
  );
  assert.match(
    out,
    /\nanthropic {2}\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2} {2}\(bill: usage \+ costs\)\n {2}telemetry \$0\.\d{4} \(15 requests\) {3}billed \$0\.\d{4} \(requests not in the bill\) {3}difference \$0\.00 \(\+0\.0%\)\n/,
  );
  assert.match(
    out,
    /\n {2}days: \d{4}-\d{2}-\d{2} \$0\.00 ✓\n {2}day +model +token type +telemetry tokens +telemetry \$ +billed tokens +billed \$ +difference +why\n {2}\d{4}-\d{2}-\d{2} {2}claude-sonnet-5 {2}cache read +35,490 +\$0\.007098 +35,490 +\$0\.007098 +—\n/,
  );
  assert.match(out, /\nEvery provider-day is within 2% of the bill\.\n$/);
});

test('report: with the bill files, the report has a section that puts the recording beside the bill', async () => {
  const usage = write('report-usage.json', anthropicUsagePage(support));
  const costs = write('report-costs.json', anthropicCostPage(support, { usd: (u, type) => (type === 'output' ? u.tokens.output * 11e-6 : u.usd[type]) }));
  const out = file('report.html');
  const { code, err } = await main(['report', SUPPORT, '--out', out, '--anthropic-usage', usage, '--anthropic-costs', costs], {
    out: () => {},
    err: (text) => void text,
    env: {},
  }).then((code) => ({ code, err: '' }));
  assert.equal(code, 0, err);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<section class="reconcile"><h2>Against the bill<\/h2>/);
  assert.match(
    html,
    /<h3 data-provider="anthropic" data-telemetry-usd="[\d.]+" data-billed-usd="[\d.]+" data-unexplained-usd="0">anthropic: recorded \$0\.\d{4}, billed \$0\.\d{4} \(\+\$0\.\d+\)<\/h3>/,
  );
  assert.match(html, /<li data-reason="price_drift" data-usd="0\.006">/); // 6,000 output tokens × $1 per million more
  assert.match(html, /<p class="muted recording-facts">30 spans \(15 LLM calls\) in 1 file; not sampled \(parentbased_always_on\)<\/p>/);
});
