// tokenledger reconcile with a usage-only bill (OpenAI usage pages, no cost report): the billed dollars are the bill's
// tokens at tokenledger's rates, and tokens no rate prices are never $0. A model no price data knows (seen by
// telemetry without a cost, or not seen at all) and a tier with no rate of its own leave the row's billed dollars and
// difference absent with the reason, the totals lower bounds, and the command not reconciled (exit 1); the priced
// rows' numbers are unchanged. Recordings are written as OTLP/JSON lines; gpt-5.5 is priced by the bundled data
// (input $5, output $30 per million tokens).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.ts';
import { openaiUsagePage, type RecordedUse } from './bill-builder.ts';
import { EPOCH_MS, otlpLine, type SpanSpec } from './recording-builder.ts';

/** The command's JSON output as a test reads it: checked field by field, not typed. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, asserted on field by field
type Json = any;

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-reconcile-unpriced-'));
const file = (name: string) => join(dir, name);
const DAY = new Date(EPOCH_MS).toISOString().slice(0, 10);

after(() => rmSync(dir, { recursive: true, force: true }));

/** An OpenAI chat call as the instrumentation records it (plus the cost attributes it was recorded with, if any). */
function chat(trace: number, model: string, input: number, output: number, recorded: Record<string, string | number> = {}): SpanSpec {
  return {
    trace,
    id: 1,
    name: `chat ${model}`,
    start: trace * 10,
    end: trace * 10 + 1,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.response.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      'gen_ai.usage.cache_read.input_tokens': 0,
      ...recorded,
    },
  };
}

function recording(name: string, calls: SpanSpec[]): string {
  writeFileSync(file(name), `${calls.map((call) => otlpLine([call])).join('\n')}\n`);
  return file(name);
}

/** What the bill says a model used on the day: requests, uncached input and output tokens. */
function use(model: string, calls: number, input: number, output: number): RecordedUse {
  const zero = { uncached_input: 0, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 0 };
  return { provider: 'openai', model, day: DAY, calls, tokens: { ...zero, uncached_input: input, output }, usd: zero };
}

function bill(name: string, page: unknown): string {
  writeFileSync(file(name), JSON.stringify(page, null, 2));
  return file(name);
}

async function reconcile(args: string[]): Promise<{ code: number | undefined; out: string; json: Json }> {
  let out = '';
  let err = '';
  const code = await main(['reconcile', ...args], { out: (text) => (out += text), err: (text) => (err += text), env: {} });
  assert.equal(err, '');
  return { code, out, json: args.includes('--json') ? JSON.parse(out) : undefined };
}

/** The rows with tokens on either side, as [model, token type, telemetry tokens, telemetry $, billed tokens, billed $, difference]. */
const rowsOf = (provider: Json) =>
  provider.days
    .filter((row: Json) => row.telemetry.tokens > 0 || row.billed.tokens > 0)
    .map((row: Json) => [row.model, row.token_type, row.telemetry.tokens, row.telemetry.usd, row.billed.tokens, row.billed.usd, row.difference_usd]);

test('reconcile, usage-only bill: tokens of models no price data knows have no billed dollars, with the reason; the totals are lower bounds (exit 1)', async () => {
  // gpt-5.5: 2 calls, priced. gpt-house-2: 1 call telemetry could not price (no price data for it). gpt-house-3: on
  // the bill only.
  const runs = recording('models.jsonl', [chat(1, 'gpt-5.5', 1000, 200), chat(2, 'gpt-5.5', 1000, 200), chat(3, 'gpt-house-2', 1000, 100)]);
  const usage = bill('models-usage.json', openaiUsagePage([use('gpt-5.5', 2, 2000, 400), use('gpt-house-2', 3, 3000, 300), use('gpt-house-3', 1, 500, 50)]));
  const { code, json } = await reconcile([runs, '--openai-usage', usage, '--json']);
  assert.equal(code, 1, 'a bill that cannot be priced is not reconciled');
  assert.equal(json.within_tolerance, false);
  const [openai] = json.providers;
  assert.deepEqual(rowsOf(openai), [
    // 2,000 × $5 and 400 × $30 per million: the priced model's numbers, both sides.
    ['gpt-5.5', 'output', 400, 0.012, 400, 0.012, 0],
    ['gpt-5.5', 'uncached_input', 2000, 0.01, 2000, 0.01, 0],
    ['gpt-house-2', 'output', 100, 0, 300, null, null],
    ['gpt-house-2', 'uncached_input', 1000, 0, 3000, null, null],
    ['gpt-house-3', 'output', 0, 0, 50, null, null],
    ['gpt-house-3', 'uncached_input', 0, 0, 500, null, null],
  ]);
  const unknown = openai.days.filter((row: Json) => row.billed.usd === null);
  assert.deepEqual(
    unknown.map((row: Json) => [row.billed.usd_unknown_reason, row.unexplained_usd, row.reasons]),
    [
      ['no price for gpt-house-2 output tokens at the standard tier', null, []],
      ['no price for gpt-house-2 uncached input tokens at the standard tier', null, []],
      ['no price for gpt-house-3 output tokens at the standard tier', null, []],
      ['no price for gpt-house-3 uncached input tokens at the standard tier', null, []],
    ],
  );
  const house2 = openai.days.find((row: Json) => row.model === 'gpt-house-2' && row.token_type === 'output');
  assert.equal(house2.telemetry.usd_lower_bound, true, "telemetry's call without a cost");
  assert.deepEqual(openai.telemetry, { requests: 3, usd: 0.022, usd_lower_bound: true });
  assert.deepEqual(openai.billed, { requests: 6, usd: 0.022, usd_lower_bound: true });
  assert.equal(openai.difference_usd, null);
  assert.deepEqual(openai.unattributed, { requests: 3, usd: 0, usd_lower_bound: true });
  assert.deepEqual(openai.reasons, []);
  assert.equal(openai.unexplained_usd, 0, 'over the rows priced');
  assert.deepEqual(openai.day_totals, [
    {
      day: DAY,
      telemetry_usd: 0.022,
      telemetry_usd_lower_bound: true,
      billed_usd: 0.022,
      billed_usd_lower_bound: true,
      difference_usd: null,
      within_tolerance: false,
    },
  ]);

  const text = await reconcile([runs, '--openai-usage', usage]);
  assert.equal(text.code, 1);
  assert.match(text.out, /\n {2}telemetry ≥ \$0\.0220 \(3 requests\) {3}billed ≥ \$0\.0220 \(6 requests\) {3}difference unknown\n/);
  assert.match(
    text.out,
    /\n {2}not priced: 4 rows of billed tokens tokenledger has no price for \(billed \$ unknown, marked \?\): the billed total is a lower bound\n {2}unattributed: 3 requests, ≥ \$0\.00\n/,
  );
  assert.match(text.out, new RegExp(`\\n {2}days: ${DAY} billed ≥ \\$0\\.0220 ✗ \\(not fully priced\\)\\n`));
  assert.match(text.out, /\n {2}\S+ {2}gpt-5\.5 {6}output +400 +\$0\.0120 +400 +\$0\.0120\* +—\n/);
  assert.match(
    text.out,
    /\n {2}\S+ {2}gpt-house-3 {2}uncached input +0 +\$0\.00 +500 +\? +\? {2}no price for gpt-house-3 uncached input tokens at the standard tier\n/,
  );
  assert.match(
    text.out,
    /\nSome provider-days have billed tokens tokenledger has no price for: what they cost is unknown, so they are not reconciled; --prices can give the prices \(exit 1\)\.\n$/,
  );
});

test('report, usage-only bill not fully priced: the HTML bill section marks both lower bounds', async () => {
  const runs = recording('report-models.jsonl', [chat(1, 'gpt-5.5', 1000, 200), chat(2, 'gpt-5.5', 1000, 200), chat(3, 'gpt-house-2', 1000, 100)]);
  const usage = bill('report-usage.json', openaiUsagePage([use('gpt-5.5', 2, 2000, 400), use('gpt-house-2', 3, 3000, 300)]));
  const html = join(dir, 'report.html');
  const code = await main(['report', runs, '--openai-usage', usage, '--out', html], { out: () => {}, err: () => {}, env: {} });
  assert.equal(code, 0);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /openai: recorded ≥ \$0\.0220, billed ≥ \$0\.0220 \(difference unknown: not fully priced\)<\/h3>/);
  // The row of the call telemetry could not price: recorded ≥ $0.00, billed ?.
  assert.match(
    page,
    /<td>gpt-house-2<\/td><td>output<\/td><td class="num">100<\/td><td class="num">≥ \$0\.00<\/td><td class="num">300<\/td><td class="num">\?<\/td>/,
  );
});

test('reconcile, a model charged without token types: its unpriced usage is inside the charge, so the day total is exact', async () => {
  // gpt-house-2 has no price data; the costs page charges it $0.05 as one line without a token type.
  const runs = recording('untyped.jsonl', [chat(1, 'gpt-5.5', 1000, 200), chat(2, 'gpt-house-2', 1000, 100)]);
  const usage = bill('untyped-usage.json', openaiUsagePage([use('gpt-5.5', 1, 1000, 200), use('gpt-house-2', 1, 1000, 100)]));
  const start = Date.parse(`${DAY}T00:00:00Z`) / 1000;
  const costs = bill('untyped-costs.json', {
    object: 'page',
    data: [
      {
        object: 'bucket',
        start_time: start,
        end_time: start + 86_400,
        results: [{ object: 'organization.costs.result', amount: { value: 0.05, currency: 'usd' }, line_item: 'gpt-house-2', project_id: 'proj_support' }],
      },
    ],
    has_more: false,
    next_page: null,
  });
  const { json } = await reconcile([runs, '--openai-usage', usage, '--openai-costs', costs, '--json']);
  const [openai] = json.providers;
  // 1,000 × $5 + 200 × $30 per million = $0.011 for gpt-5.5, and the $0.05 charge.
  assert.deepEqual(openai.billed, { requests: 2, usd: 0.061, usd_lower_bound: false });
  assert.equal(openai.day_totals[0].billed_usd_lower_bound, false);
  assert.equal(openai.day_totals[0].billed_usd, 0.061);
  assert.equal(typeof openai.difference_usd, 'number');
});

test('reconcile, usage-only bill: batch tokens of a model with no batch rate are not priced at the standard rate; --prices gives the rate', async () => {
  // gpt-house-1 was priced by the app's own price file (input $2, output $8 per million): the recording has its
  // costs, the bundled data has no price for it. The bill says one of the two calls ran on the batch API.
  const recorded = {
    'tokenledger.cost.usd': 0.0028,
    'tokenledger.cost.uncached_input.usd': 0.002,
    'tokenledger.cost.output.usd': 0.0008,
    'tokenledger.cost.source': 'override',
  };
  const runs = recording('tier.jsonl', [chat(1, 'gpt-house-1', 1000, 100, recorded), chat(2, 'gpt-house-1', 1000, 100, recorded)]);
  const page = openaiUsagePage([use('gpt-house-1', 1, 1000, 100)]);
  page.data[0]!.results.push(openaiUsagePage([use('gpt-house-1', 1, 1000, 100)], { batch: true }).data[0]!.results[0]!);
  const usage = bill('tier-usage.json', page);

  const { code, json } = await reconcile([runs, '--openai-usage', usage, '--json']);
  assert.equal(code, 1);
  const [openai] = json.providers;
  assert.deepEqual(rowsOf(openai), [
    ['gpt-house-1', 'output', 200, 0.0016, 200, null, null],
    ['gpt-house-1', 'uncached_input', 2000, 0.004, 2000, null, null],
  ]);
  assert.deepEqual(
    openai.days.filter((row: Json) => row.billed.usd === null).map((row: Json) => row.billed.usd_unknown_reason),
    ['no price for gpt-house-1 output tokens at the batch tier', 'no price for gpt-house-1 uncached input tokens at the batch tier'],
  );
  assert.deepEqual(openai.telemetry, { requests: 2, usd: 0.0056, usd_lower_bound: false });
  assert.deepEqual(openai.billed, { requests: 2, usd: 0, usd_lower_bound: true });
  assert.equal(openai.difference_usd, null);
  assert.equal(openai.day_totals[0].within_tolerance, false);

  // With the price: batch is half the standard rate (the batch APIs' rule), so the bill is 1,000 × $2 + 1,000 × $1
  // and 100 × $8 + 100 × $4 per million = $0.0042, and the $0.0014 below telemetry is the batch discount.
  const prices = file('house-prices.json');
  writeFileSync(
    prices,
    JSON.stringify({
      version: 'house-1',
      providers: [{ id: 'openai', models: [{ id: 'gpt-house-1', match: { equals: 'gpt-house-1' }, prices: { input_mtok: 2, output_mtok: 8 } }] }],
    }),
  );
  const priced = await reconcile([runs, '--openai-usage', usage, '--prices', prices, '--json']);
  assert.equal(priced.code, 1, 'the batch discount is a difference over the tolerance');
  const [again] = priced.json.providers;
  assert.deepEqual(rowsOf(again), [
    ['gpt-house-1', 'output', 200, 0.0016, 200, 0.0012, -0.0004],
    ['gpt-house-1', 'uncached_input', 2000, 0.004, 2000, 0.003, -0.001],
  ]);
  assert.deepEqual(again.billed, { requests: 2, usd: 0.0042, usd_lower_bound: false });
  assert.equal(again.difference_usd, -0.0014);
  assert.deepEqual(
    again.reasons.map((reason: Json) => [reason.code, reason.usd]),
    [['batch', -0.0014]],
  );
  assert.equal(again.unexplained_usd, 0);
});

test('reconcile, usage-only bill: tokens of a call telemetry counted without a cost are priced at the rate of the calls it priced, and explained', async () => {
  // The third gpt-5.5 call has its usage and no cost (a reasoning subset priced at its own rate was not reported).
  const runs = recording('partly.jsonl', [
    chat(1, 'gpt-5.5', 1000, 200),
    chat(2, 'gpt-5.5', 1000, 200),
    chat(3, 'gpt-5.5', 1000, 200, { 'tokenledger.cost.unknown_reason': 'usage_unknown' }),
  ]);
  const usage = bill('partly-usage.json', openaiUsagePage([use('gpt-5.5', 3, 3000, 600)]));
  const { code, json } = await reconcile([runs, '--openai-usage', usage, '--json']);
  assert.equal(code, 1);
  const [openai] = json.providers;
  // Billed: 3,000 × $5 and 600 × $30 per million, not telemetry's $0.022 spread over all 3,600 tokens.
  assert.deepEqual(rowsOf(openai), [
    ['gpt-5.5', 'output', 600, 0.012, 600, 0.018, 0.006],
    ['gpt-5.5', 'uncached_input', 3000, 0.01, 3000, 0.015, 0.005],
  ]);
  assert.deepEqual(openai.telemetry, { requests: 3, usd: 0.022, usd_lower_bound: true });
  assert.deepEqual(openai.billed, { requests: 3, usd: 0.033, usd_lower_bound: false });
  assert.deepEqual(
    openai.reasons.map((reason: Json) => [reason.code, reason.usd, reason.tokens]),
    [['unpriced_calls', 0.011, 1200]],
  );
  assert.equal(openai.unexplained_usd, 0);
});
