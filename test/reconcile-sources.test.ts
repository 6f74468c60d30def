// tokenledger reconcile's other doors: the live fetch (every page followed, raw pages saved beside the result, the
// admin key only from the environment) against a fake admin API on 127.0.0.1; a cloud's FOCUS CSV export (Bedrock
// rows among other services'); and `tokenledger export --focus`, whose columns are checked against FOCUS 1.2's
// mandatory set and which reconciles with the recording it came from.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { main } from '../cli/main.ts';
import { anthropicCostPage, anthropicUsagePage, nextDay, recordedUse, type RecordedUse } from './bill-builder.ts';
import { otlpSpan } from './recording-builder.ts';

/** The command's JSON output as a test reads it: checked field by field, not typed. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, asserted on field by field
type Json = any;

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokenledger-reconcile-sources-'));
const file = (name: string) => join(dir, name);
const SUPPORT = file('support.jsonl');
let support: RecordedUse[];
let admin: Server;
let adminUrl: string;
const requests: Array<{ path: string; key: string | undefined; version: string | undefined }> = [];

/**
 * A fake Anthropic Admin API: usage_report/messages in two pages (the second reached by `page=`), cost_report in
 * one; a wrong key is refused as the API refuses it.
 */
function serveAdmin(request: IncomingMessage): { status: number; body: unknown } {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const key = request.headers['x-api-key'] as string | undefined;
  requests.push({ path: `${url.pathname}${url.search}`, key, version: request.headers['anthropic-version'] as string | undefined });
  if (key !== 'sk-ant-admin-test') return { status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } };
  const day = support[0]!.day;
  if (url.pathname === '/v1/organizations/usage_report/messages') {
    if (url.searchParams.get('page') === 'page_2') {
      return {
        status: 200,
        body: {
          data: [{ starting_at: `${nextDay(day)}T00:00:00Z`, ending_at: `${nextDay(nextDay(day))}T00:00:00Z`, results: [] }],
          has_more: false,
          next_page: null,
        },
      };
    }
    return { status: 200, body: { ...anthropicUsagePage(support), has_more: true, next_page: 'page_2' } };
  }
  if (url.pathname === '/v1/organizations/cost_report') return { status: 200, body: anthropicCostPage(support) };
  return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'not found' } } };
}

before(async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['examples/support-agent/sample.ts', '--config', 'optimised', '--tasks', '2'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', TOKENLEDGER_RECORD: SUPPORT, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  assert.equal(result.code, 0, result.stderr);
  support = recordedUse(SUPPORT);
  admin = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, body } = serveAdmin(request);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
  adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => admin.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function tokenledger(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (text) => (out += text), err: (text) => (err += text), env });
  return { code, out, err };
}

test('reconcile --fetch anthropic: every page followed with the key from the environment, the pages saved, the bill agrees', async () => {
  const day = support[0]!.day;
  const saveTo = file('fetched');
  const env = { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin-test', ANTHROPIC_ADMIN_BASE_URL: adminUrl };
  const { code, out, err } = await tokenledger(['reconcile', SUPPORT, '--fetch', 'anthropic', '--from', day, '--to', day, '--save-to', saveTo, '--json'], env);
  assert.equal(code, 0, err);
  assert.match(
    err,
    new RegExp(
      `fetched 2 usage pages and 1 cost page into ${saveTo}/ \\(give ${saveTo}/anthropic-usage\\.json and ${saveTo}/anthropic-costs\\.json to reconcile again offline\\)`,
    ),
  );
  const json = JSON.parse(out);
  assert.equal(json.providers[0].difference_usd, 0);
  assert.deepEqual(json.providers[0].reasons, []);
  assert.deepEqual(
    requests.map((request) => request.path),
    [
      `/v1/organizations/usage_report/messages?starting_at=${day}T00%3A00%3A00Z&ending_at=${nextDay(day)}T00%3A00%3A00Z&bucket_width=1d&group_by%5B%5D=model&group_by%5B%5D=service_tier&group_by%5B%5D=context_window&group_by%5B%5D=inference_geo&limit=31`,
      `/v1/organizations/usage_report/messages?starting_at=${day}T00%3A00%3A00Z&ending_at=${nextDay(day)}T00%3A00%3A00Z&bucket_width=1d&group_by%5B%5D=model&group_by%5B%5D=service_tier&group_by%5B%5D=context_window&group_by%5B%5D=inference_geo&limit=31&page=page_2`,
      `/v1/organizations/cost_report?starting_at=${day}T00%3A00%3A00Z&ending_at=${nextDay(day)}T00%3A00%3A00Z&bucket_width=1d&group_by%5B%5D=description&limit=31`,
    ],
  );
  assert.ok(requests.every((request) => request.key === 'sk-ant-admin-test' && request.version === '2023-06-01'));
  const saved = JSON.parse(readFileSync(join(saveTo, 'anthropic-usage.json'), 'utf8'));
  assert.equal(saved.length, 2);
  assert.equal(saved[0].next_page, 'page_2');
  // Offline, from the saved pages: the same answer.
  const offline = await tokenledger([
    'reconcile',
    SUPPORT,
    '--anthropic-usage',
    join(saveTo, 'anthropic-usage.json'),
    '--anthropic-costs',
    join(saveTo, 'anthropic-costs.json'),
    '--json',
  ]);
  assert.equal(offline.code, 0);
  assert.deepEqual(JSON.parse(offline.out).providers, json.providers);
});

test('reconcile --fetch: without the key in the environment, or with a wrong one, exit 2 saying why', async () => {
  const day = support[0]!.day;
  const missing = await tokenledger(['reconcile', SUPPORT, '--fetch', 'anthropic', '--from', day, '--to', day, '--save-to', file('none')], {
    ANTHROPIC_ADMIN_BASE_URL: adminUrl,
  });
  assert.equal(missing.code, 2);
  assert.match(
    missing.err,
    /--fetch anthropic needs the admin key in ANTHROPIC_ADMIN_KEY \(set it in the environment; a key is never taken from the command line\)/,
  );
  const wrong = await tokenledger(['reconcile', SUPPORT, '--fetch', 'anthropic', '--from', day, '--to', day, '--save-to', file('wrong')], {
    ANTHROPIC_ADMIN_KEY: 'sk-ant-admin-nope',
    ANTHROPIC_ADMIN_BASE_URL: adminUrl,
  });
  assert.equal(wrong.code, 2);
  assert.equal(wrong.err, `tokenledger reconcile: ${adminUrl}/v1/organizations/usage_report/messages: HTTP 401: invalid x-api-key\n`);
  assert.ok(!wrong.err.includes('sk-ant-admin-nope'));
  const backwards = await tokenledger(['reconcile', SUPPORT, '--fetch', 'openai', '--from', day, '--to', '2020-01-01'], {});
  assert.equal(backwards.code, 2);
  assert.match(backwards.err, /--to 2020-01-01 is before --from/);
});

test("reconcile --focus: a cloud bill in FOCUS (Bedrock rows among other services') agrees with the recorded Bedrock calls", async () => {
  const recording = file('bedrock.jsonl');
  const call = (trace: number) =>
    otlpSpan({
      trace,
      id: 2,
      name: 'chat us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      start: trace * 10,
      end: trace * 10 + 1,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'aws.bedrock',
        'gen_ai.request.model': 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 0,
        'gen_ai.usage.cache_write.input_tokens': 0,
      },
    });
  writeFileSync(
    recording,
    `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'x' }, spans: [call(1), call(2)] }] }] })}\n`,
  );
  const focus = join(root, 'test/fixtures/reconcile/focus-bedrock.csv');
  const { code, out, err } = await tokenledger(['reconcile', recording, '--focus', focus, '--json']);
  assert.equal(code, 0, err);
  const [bedrock] = JSON.parse(out).providers;
  assert.equal(bedrock.provider, 'aws.bedrock');
  // us.anthropic.claude-sonnet-4-5: 20,000 input × $3.30 + 2,000 output (2 × "1K Tokens") × $16.50 per million.
  assert.deepEqual([bedrock.telemetry.usd, bedrock.billed.usd, bedrock.difference_usd], [0.099, 0.099, 0]);
  assert.deepEqual(
    bedrock.days.map((row: Json) => [row.token_type, row.billed.tokens, row.billed.usd]),
    [
      ['output', 2000, 0.033],
      ['uncached_input', 20000, 0.066],
    ],
  );
});

/** FOCUS 1.2's mandatory columns: every specification/columns/*.md of FOCUS_Spec v1.2 whose feature level is Mandatory. */
const FOCUS_1_2_MANDATORY = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ServiceCategory',
  'ServiceName',
];
/** SkuPriceDetails keys FOCUS defines (1.2's table and the AI appendix's); any other must start with x_. */
const FOCUS_PRICE_DETAIL_KEYS = new Set([
  'CoreCount',
  'DiskMaxIops',
  'DiskSpace',
  'DiskType',
  'GpuCount',
  'InstanceType',
  'InstanceSeries',
  'MemorySize',
  'NetworkMaxIops',
  'NetworkMaxThroughput',
  'OperatingSystem',
  'Redundancy',
  'StorageClass',
  'ModelDeveloper',
  'ModelFamily',
  'ModelId',
  'ModelVersion',
  'TokenDirection',
  'TokenCacheAction',
]);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

test('export --focus: FOCUS 1.2 rows with every mandatory column, BilledCost empty, one SKU per token type; they reconcile with the recording', async () => {
  const out = file('focus.csv');
  const exported = await tokenledger(['export', SUPPORT, '--focus', out]);
  assert.equal(exported.code, 0, exported.err);
  assert.match(exported.out, /^tokenledger export: 4 FOCUS rows from 10 LLM calls → .*focus\.csv\n$/);
  const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
  const columns = Object.keys(rows[0]!);
  for (const column of FOCUS_1_2_MANDATORY) assert.ok(columns.includes(column), `FOCUS 1.2 mandatory column ${column}`);
  for (const column of columns) assert.ok(/^[A-Z][A-Za-z]+$/.test(column) || column.startsWith('x_'), `${column}: a FOCUS column or an x_ custom one`);
  let spend = 0;
  for (const row of rows) {
    assert.equal(row.BilledCost, '', 'an estimate is not what was billed');
    assert.equal(row.ChargeCategory, 'Usage');
    assert.equal(row.ServiceCategory, 'AI and Machine Learning');
    assert.equal(row.ServiceProviderName, 'Anthropic');
    assert.equal(row.BillingCurrency, 'USD');
    for (const column of ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd']) assert.match(row[column]!, DATE_TIME, column);
    for (const column of ['EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity', 'ListUnitPrice'])
      assert.match(row[column]!, DECIMAL, `${column} ${row[column]}`);
    assert.equal(row.ConsumedUnit, 'Tokens');
    assert.equal(row.PricingUnit, '1000000 Tokens');
    assert.equal(Number(row.PricingQuantity), Number(row.ConsumedQuantity) / 1e6);
    const details = JSON.parse(row.SkuPriceDetails!) as Record<string, unknown>;
    for (const key of Object.keys(details)) assert.ok(FOCUS_PRICE_DETAIL_KEYS.has(key) || key.startsWith('x_'), `SkuPriceDetails key ${key}`);
    assert.equal(details.ModelId, 'claude-sonnet-5');
    spend += Number(row.EffectiveCost);
  }
  assert.deepEqual(
    rows.map((row) => row.SkuMeter),
    ['Cache Read Input Tokens', 'Cache Write Input Tokens (5 minutes)', 'Output Tokens', 'Input Tokens'],
  );
  const recorded = support[0]!;
  assert.ok(Math.abs(spend - Object.values(recorded.usd).reduce((a, b) => a + b, 0)) < 1e-9);
  // Read back as a cloud bill, the export is the recording's own spend.
  const back = await tokenledger(['reconcile', SUPPORT, '--focus', out, '--json']);
  assert.equal(back.code, 0);
  assert.equal(JSON.parse(back.out).providers[0].difference_usd, 0);
  assert.ok(existsSync(out));
});
