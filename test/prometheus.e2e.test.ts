// The KPI queries of docs/runs.md and every query of the Grafana dashboard (dashboards/token-budget.json) against a real
// Prometheus server (Debian's `prometheus`, installed by .ci/run): tokenledger's metrics are exposed through
// @opentelemetry/exporter-prometheus on 127.0.0.1, Prometheus scrapes them every second, and each documented query must
// return the value worked out for a known workload, each dashboard query data.
//
// The workload runs twice, identically, with scrapes between: `increase()` over a window then sees every series
// grow by exactly one workload from a first sample of one workload, so its extrapolation is the same factor for
// every series and the ratios are exact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { freePort } from './free-port.ts';

const prometheusBinary = spawnSync('prometheus', ['--version']).status === 0 ? 'prometheus' : undefined;
// CI installs Prometheus (.ci/run); on a developer machine without it the test is skipped, never silently in CI.
const skip = prometheusBinary === undefined && !process.env.CI ? 'prometheus is not installed (apt-get install prometheus)' : false;

let exporterServer: Server;
let prometheus: ChildProcess | undefined;
let prometheusUrl = '';
let tracer: Tracer;
let processor: TokenledgerSpanProcessor;

/** Polls until `probe` has an answer; the guard turns a hang into a failure naming `what`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function query(expression: string): Promise<number | undefined> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: Array<{ value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
  const value = body.data.result[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

before(async () => {
  if (skip) return;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  processor = new TokenledgerSpanProcessor({ meterProvider, attribution: { baggageKeys: ['tenant.id'] } });
  const tracerProvider = new TracerProvider({ spanProcessors: [processor] });
  tracer = tracerProvider.getTracer('prometheus-e2e');
  exporterServer = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => exporterServer.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(exporterServer.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-prometheus-'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: tokenledger', `    static_configs: [{ targets: ['${target}'] }]`].join('\n'),
  );
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    prometheusBinary ?? 'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: 'ignore' },
  );
  await waitFor('Prometheus to be ready', async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
});

after(async () => {
  prometheus?.kill('SIGTERM');
  exporterServer?.close();
});

/** One LLM call span under `parent`, asked of the guardrails first: gpt-4.1 at $2 input, $0.50 cached, $8 output per MTok. */
function call(parent: ReturnType<Tracer['startSpan']>, input: number, output: number, cached = 0): void {
  const span = tracer.startSpan(
    'chat gpt-4.1',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4.1',
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'gen_ai.usage.cache_read.input_tokens': cached,
        'gen_ai.usage.cache_write.input_tokens': 0,
        'tokenledger.usage.uncached.input_tokens': input - cached,
      },
    },
    trace.setSpan(context.active(), parent),
  );
  processor.callGate!.beforeCall(span, { provider: 'openai', model: 'gpt-4.1', estimatedInputTokens: 1, maxOutputTokens: 1 });
  span.end();
}

type SpanOf = ReturnType<Tracer['startSpan']>;

function agent(
  name: string,
  parent: SpanOf | undefined,
  success: boolean,
  calls: Array<[number, number, number?]>,
  inside?: (span: SpanOf) => void,
  extra: Attributes = {},
) {
  const span = tracer.startSpan(
    `invoke_agent ${name}`,
    {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, 'tokenledger.run.ideal_steps': 2, ...extra },
    },
    parent ? trace.setSpan(context.active(), parent) : undefined,
  );
  for (const [input, output, cached] of calls) call(span, input, output, cached);
  inside?.(span);
  span.setAttribute('tokenledger.run.success', success);
  span.end();
}

/**
 * The workload: two tasks.
 * - an HTTP request around a successful `support` run of 2 calls: 1000 in + 100 out ($0.0028), then 2000 in of
 *   which 1000 cached + 200 out ($0.0041) → $0.0069; cache hit 1000/3000; efficiency 300/3300; inflation 2/2 = 1.
 *   The request span is not a second run.
 * - a failed `support` run of 1 call, with a successful `researcher` sub-agent of 2 inside it: 3 × (1000 in +
 *   100 out) = $0.0084 for the task (its subtree); cache hit 0; efficiency 300/3300; inflation 3/2 = 1.5. The
 *   sub-agent is a nested run: counting it as a task would make 3 tasks, 2 of them successful.
 * For the dashboard: the tasks are tenant acme's and globex's (`tenant.id` on the run span, which their calls
 * take); the first has a budget of 1 step in warn mode, so its second call is a breach; and a call outside every
 * run reports no output count, so it has no cost (an unpriced call, and no tokens in the token metrics).
 */
function workload(): void {
  const request = tracer.startSpan('GET /tickets');
  agent(
    'support',
    request,
    true,
    [
      [1000, 100],
      [2000, 200, 1000],
    ],
    undefined,
    { 'tenant.id': 'acme', 'tokenledger.run.budget.max_steps': 1 },
  );
  request.end();
  agent(
    'support',
    undefined,
    false,
    [[1000, 100]],
    (support) =>
      agent('researcher', support, true, [
        [1000, 100],
        [1000, 100],
      ]),
    { 'tenant.id': 'globex' },
  );
  tracer
    .startSpan('chat gpt-4.1', {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1', 'gen_ai.usage.input_tokens': 10 },
    })
    .end();
}

// In the order of docs/runs.md: $ per successful task, cache hit rate, token efficiency, step inflation.
const expected = [
  (0.0069 + 0.0084) / 1, // all spend over successful runs
  1000 / 6000, // cache-read tokens over all input tokens
  (300 / 3300 + 300 / 3300) / 2, // mean token efficiency per run
  (1 + 1.5) / 2, // mean step inflation per run
];

function documentedQueries(): string[] {
  const runs = readFileSync(new URL('../docs/runs.md', import.meta.url), 'utf8');
  const block = /## KPIs in PromQL[\s\S]*?```promql\n([\s\S]*?)```/.exec(runs)?.[1];
  assert.ok(block, 'docs/runs.md has a promql block under "## KPIs in PromQL"');
  return block.split('\n').filter((line) => line.trim() && !line.startsWith('#'));
}

test('prometheus: the documented KPI queries return the expected values for a known workload', { skip, timeout: 300_000 }, async () => {
  const queries = documentedQueries();
  assert.equal(queries.length, expected.length);
  workload();
  const runs = 'sum(tokenledger_runs_total)';
  const first = await waitFor('a scrape of the first workload', () => query(runs));
  workload();
  await waitFor('a scrape of the second workload', async () => ((await query(runs)) === 2 * first ? true : undefined));
  for (const [index, expression] of queries.entries()) {
    const value = await query(expression);
    assert.ok(value !== undefined && Math.abs(value - expected[index]!) < 1e-9, `${expression} = ${value}, expected ${expected[index]}`);
  }
});

/** Every panel query of the dashboard, with its variables set as Grafana would for "All" over a 1-hour window. */
function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(new URL('../dashboards/token-budget.json', import.meta.url), 'utf8')) as {
    panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
  };
  const set = (expr: string) => expr.replaceAll('$window', '1h').replaceAll('$agent', '.*').replaceAll('$tenant', '.*');
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: set(target.expr) })));
}

async function series(expression: string): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`);
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
  return body.data.result.map((item) => ({ metric: item.metric, value: Number(item.value[1]) }));
}

test('prometheus: every dashboard panel query returns data for the workload', { skip, timeout: 300_000 }, async () => {
  const queries = dashboardQueries();
  assert.equal(queries.length, 10, 'ten panels, one query each');
  for (const { panel, expr } of queries) {
    const result = await series(expr);
    assert.ok(result.length > 0, `${panel}: ${expr} returned no series`);
    for (const { value } of result) assert.ok(Number.isFinite(value), `${panel}: ${expr} returned ${value}`);
  }
  // The tenant label as the panel groups by it: the first task (acme) $0.0069, the second (globex) $0.0084, each
  // workload run twice (the panel's increase() extrapolates them, so the counters are checked).
  const tenants = await series('sum by (tenant_id) (tokenledger_cost_total)');
  const byTenant = Object.fromEntries(tenants.map(({ metric, value }) => [metric.tenant_id, Math.round(value * 1e9) / 1e9]));
  assert.deepEqual(byTenant, { acme: 0.0138, globex: 0.0168 });
  assert.deepEqual((await series(queries.find((q) => q.panel === 'Cost by tenant')!.expr)).map(({ metric }) => metric.tenant_id).sort(), ['acme', 'globex']);
  const breaches = await series(queries.find((q) => q.panel === 'Guardrail breaches')!.expr);
  assert.deepEqual(
    breaches.map(({ metric }) => [metric.tokenledger_guard_limit, metric.tokenledger_guard_mode]),
    [['max_steps', 'warn']],
  );
  const unpriced = await series(queries.find((q) => q.panel === 'Unpriced calls')!.expr);
  assert.deepEqual(
    unpriced.map(({ metric }) => [metric.gen_ai_request_model, metric.tokenledger_cost_unknown_reason]),
    [['gpt-4.1', 'usage_unknown']],
  );
});
