// The zero-code entry end to end: an app with no telemetry code runs in a child process under
// `--require tokenledger/register` (CJS) or `--import tokenledger/register` (ESM) and exports over OTLP/HTTP
// to a receiver in this test. Needs the build (`npm test` runs it first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { fixtureJson } from './fake-provider.ts';
import { freePort } from './free-port.ts';
import { metricSum, type ReceivedSpan } from './otlp-receiver.ts';
import { appEnv as registeredAppEnv, runApp as runRegisteredApp, useAppEndpoints, type ChildResult } from './register-app.ts';

const endpoints = useAppEndpoints();
const harness = () => endpoints.provider;
const appEnv = (env: Record<string, string>) => registeredAppEnv(endpoints, env);

function runApp(args: string[], env: Record<string, string> = {}, onStdout?: (text: string, kill: () => void) => void): Promise<ChildResult> {
  return runRegisteredApp(endpoints, args, env, onStdout);
}

function byScope(spans: ReceivedSpan[]): Record<string, ReceivedSpan> {
  return Object.fromEntries(spans.map((span) => [span.scope, span]));
}

function assertThreeProviderSpans(spans: ReceivedSpan[]): void {
  assert.equal(spans.length, 3, `spans: ${spans.map((s) => `${s.scope}/${s.name}`).join(', ')}`);
  const scoped = byScope(spans);
  const openai = scoped['tokenledger-instrumentation-openai']!;
  const anthropic = scoped['tokenledger-instrumentation-anthropic']!;
  const gemini = scoped['tokenledger-instrumentation-google-genai']!;
  assert.equal(openai.name, 'chat gpt-5.5');
  assert.equal(openai.attributes['gen_ai.usage.input_tokens'], 2150);
  assert.equal(openai.attributes['tokenledger.usage.uncached.input_tokens'], 230);
  // gpt-5.5 on the flex tier: (230 × $5 + 1920 × $0.50 + 420 × $30) / 1e6 × 0.5
  assert.equal(openai.attributes['tokenledger.cost.usd'], 0.007355);
  assert.equal(anthropic.name, 'chat claude-sonnet-5-5');
  assert.equal(anthropic.attributes['gen_ai.usage.input_tokens'], 15050);
  assert.equal(anthropic.attributes['tokenledger.usage.cache_write.ttl_1h.input_tokens'], 2000);
  assert.equal(gemini.name, 'generate_content gemini-3.8-flash');
  assert.equal(gemini.attributes['gen_ai.usage.output_tokens'], 520);
  for (const span of spans) {
    assert.equal(span.resource['service.name'], 'register-e2e');
    assert.equal(span.resource['deployment.environment.name'], 'test');
  }
}

const expectedStdout = '{"openai":"chatcmpl-mock0001","anthropic":"msg_mock0001","gemini":"mockGeminiResp01"}\n';

test('register: a CJS app under --require exports one span per call over OTLP, flushed at exit', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assertThreeProviderSpans(endpoints.receiver.spans);
});

test('register: an ESM app under --import exports one span per call over OTLP, flushed at exit', async () => {
  const result = await runApp(['--import', 'tokenledger/register', 'test/apps/three-providers.mjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assertThreeProviderSpans(endpoints.receiver.spans);
});

for (const [flag, app] of [
  ['--require', 'test/apps/three-providers.cjs'],
  ['--import', 'test/apps/three-providers.mjs'],
] as const) {
  test(`register: under ${flag} the app's environment is exactly the one it was started with (Anthropic SDK spans off without ANTHROPIC_OPEN_TELEMETRY)`, async () => {
    const env = { REPORT_ENV: '1' };
    const result = await runApp([flag, 'tokenledger/register', app], env);
    assert.equal(result.code, 0, result.stderr);
    const [ids, keys] = result.stdout.trimEnd().split('\n');
    assert.equal(`${ids}\n`, expectedStdout);
    assert.equal(keys, Object.keys(appEnv(env)).sort().join(','));
    // Still one Anthropic span, tokenledger's: the SDK's own spans were turned off for this client.
    assertThreeProviderSpans(endpoints.receiver.spans);
  });
}

test('register: under --import the loader hook wraps only the instrumented packages', async () => {
  const result = await runApp(['--import', 'tokenledger/register', 'test/apps/loader-scope.mjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'helper: unwrapped\n', "the app's own module is not wrapped");
  assert.deepEqual(
    endpoints.receiver.spans.map((span) => span.scope),
    ['tokenledger-instrumentation-openai'],
    'openai is still patched',
  );
});

test('register: SIGTERM flushes telemetry and the process still ends by the signal', async () => {
  const result = await runApp(
    ['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'],
    { WAIT_FOR_SIGTERM: '1', OTEL_BSP_SCHEDULE_DELAY: '60000' },
    (stdout, kill) => {
      if (stdout.includes('ready')) kill();
    },
  );
  assert.equal(result.signal, 'SIGTERM');
  assertThreeProviderSpans(endpoints.receiver.spans);
});

test('register: OTEL_METRICS_EXPORTER=console prints tokenledger metrics at exit', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'], {
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'console',
  });
  assert.equal(result.code, 0, result.stderr);
  for (const name of [
    'gen_ai.client.inference.usage.input_tokens',
    'gen_ai.client.inference.operation.input_tokens',
    'gen_ai.client.operation.duration',
    'tokenledger.tokens',
    'tokenledger.cost',
  ]) {
    assert.ok(result.stdout.includes(`name: '${name}'`), `${name} in the console output`);
  }
});

test('register: OTEL_METRICS_EXPORTER=prometheus serves tokenledger metrics for scraping', async () => {
  const port = await freePort();
  let scraped = '';
  const result = await runApp(
    ['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'],
    {
      WAIT_FOR_SIGTERM: '1',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    },
    (stdout, kill) => {
      if (!stdout.includes('ready') || scraped) return;
      scraped = 'pending';
      fetch(`http://127.0.0.1:${port}/metrics`)
        .then((response) => response.text())
        .then((text) => (scraped = text))
        .catch((error: Error) => (scraped = `scrape failed: ${error.message}`))
        .finally(kill);
    },
  );
  assert.equal(result.signal, 'SIGTERM');
  assert.match(scraped, /tokenledger_tokens_total\{/);
  assert.match(scraped, /tokenledger_cost_total\{/);
  assert.match(scraped, /gen_ai_client_inference_operation_input_tokens_bucket\{/);
  assert.match(scraped, /gen_ai_client_inference_usage_input_tokens_total\{[^}]*gen_ai_token_modality="unknown"/);
});

/** The app's metrics and exported calls under a sampler: 10 requests of 4 gpt-5.5 calls each. */
async function sampledApp(env: Record<string, string>) {
  endpoints.receiver.spans.length = 0;
  endpoints.receiver.metrics.clear();
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/sampled-calls.cjs'], { OTEL_METRICS_EXPORTER: 'otlp', ...env });
  assert.equal(result.code, 0, result.stderr);
  const runCost = endpoints.receiver.metrics.get('tokenledger.run.cost')?.[0]?.value as { sum: number; count: number } | undefined;
  const genai = [...endpoints.receiver.metrics.keys()].filter((name) => name.startsWith('gen_ai.client.inference.usage.')).sort();
  return {
    exportedCalls: endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').length,
    cost: metricSum(endpoints.receiver, 'tokenledger.cost'),
    usage: Object.fromEntries(genai.map((name) => [name, metricSum(endpoints.receiver, name)])),
    runs: metricSum(endpoints.receiver, 'tokenledger.runs'),
    runCostCount: runCost?.count,
    runCostSum: runCost?.sum,
  };
}

test("register: a stream drained after its handler's span ended is in the handler's run, and the root is exported whole", async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/drained-later.cjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'Paris is the capital of France.\n');
  const spans = endpoints.receiver.spans;
  const root = spans.find((span) => span.name === 'POST /answer')!;
  const calls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  assert.equal(calls.length, 2);
  const callCost = calls.reduce((sum, span) => sum + (span.attributes['tokenledger.cost.usd'] as number), 0);
  assert.equal(root.attributes['tokenledger.run.steps'], 2);
  assert.ok(
    Math.abs((root.attributes['tokenledger.run.cost.usd'] as number) - callCost) < 1e-9,
    `${root.attributes['tokenledger.run.cost.usd']} ≠ ${callCost}`,
  );
  assert.equal(root.attributes['tokenledger.run.complete'], true);
});

test("register: TOKENLEDGER_RUN_WAIT_MS=0 writes the run at its root's end, saying the stream's call was still open", async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/drained-later.cjs'], { TOKENLEDGER_RUN_WAIT_MS: '0' });
  assert.equal(result.code, 0, result.stderr);
  const root = endpoints.receiver.spans.find((span) => span.name === 'POST /answer')!;
  assert.equal(root.attributes['tokenledger.run.steps'], 1);
  assert.equal(root.attributes['tokenledger.run.complete'], false);
  assert.equal(root.attributes['tokenledger.run.incomplete_reason'], 'calls_open_at_end');
});

test('register: under OTEL_TRACES_SAMPLER the cost, token and run metrics count every call; only exports follow the sampler', async () => {
  const all = await sampledApp({});
  assert.equal(all.exportedCalls, 40);
  // 40 × the flex-tier gpt-5.5 call of the fixture: 40 × $0.007355
  assert.ok(Math.abs(all.cost - 0.2942) < 1e-12, String(all.cost));
  assert.equal(all.usage['gen_ai.client.inference.usage.input_tokens'], 40 * 2150);
  assert.deepEqual([all.runs, all.runCostCount], [10, 10]);
  const samplers: Record<string, string>[] = [
    { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    { OTEL_TRACES_SAMPLER: 'always_off' },
  ];
  for (const env of samplers) {
    const sampled = await sampledApp(env);
    const name = env.OTEL_TRACES_SAMPLER!;
    // Which 10 trace ids the ratio keeps is random: all 40 calls exported would take 10 kept in 10 (p = 1e-10).
    assert.ok(
      name === 'always_off' ? sampled.exportedCalls === 0 : sampled.exportedCalls % 4 === 0 && sampled.exportedCalls < 40,
      `${name}: ${sampled.exportedCalls} calls exported`,
    );
    assert.ok(Math.abs(sampled.cost - all.cost) < 1e-12, `${name}: cost ${sampled.cost}`);
    assert.deepEqual(sampled.usage, all.usage, `${name}: GenAI usage counters`);
    assert.deepEqual([sampled.runs, sampled.runCostCount], [10, 10], `${name}: runs`);
    assert.ok(Math.abs(sampled.runCostSum! - all.runCostSum!) < 1e-12, `${name}: run cost sum`);
  }
});

test('register: OTEL_SDK_DISABLED=true leaves the app alone and exports nothing', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'], { OTEL_SDK_DISABLED: 'true' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assert.equal(endpoints.receiver.spans.length, 0);
});

test('register: TOKENLEDGER_ANTHROPIC_SDK_SPANS=keep keeps the SDK span as the one Anthropic span', async () => {
  const result = await runApp(['--import', 'tokenledger/register', 'test/apps/three-providers.mjs'], { TOKENLEDGER_ANTHROPIC_SDK_SPANS: 'keep' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(endpoints.receiver.spans.length, 3);
  const anthropic = endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.provider.name'] === 'anthropic');
  assert.equal(anthropic.length, 1);
  assert.equal(anthropic[0]!.scope, 'com.anthropic.sdk.typescript');
  assert.equal(anthropic[0]!.attributes['tokenledger.usage.uncached.input_tokens'], 50);
});

test('register: TOKENLEDGER_RUN_MAX_STEPS gives a plain root span a budget that enforce mode holds', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/env-budget.cjs'], {
    TOKENLEDGER_RUN_MAX_STEPS: '2',
    TOKENLEDGER_GUARD_MODE: 'enforce',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'sent,sent,BudgetExceededError:max_steps\n');
  const root = endpoints.receiver.spans.find((span) => span.name === 'handle ticket');
  assert.equal(root?.attributes['tokenledger.run.steps'], 2);
  assert.equal(root?.attributes['tokenledger.run.budget.max_steps'], 2);
  assert.equal(root?.attributes['tokenledger.run.budget.exceeded'], 'max_steps');
});

test('register: an invalid price file is reported and the app runs without telemetry', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'], { TOKENLEDGER_PRICES: '/nonexistent/prices.yaml' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assert.match(result.stderr, /^tokenledger: not started: price overrides \/nonexistent\/prices.yaml: cannot read the file \([^\n]*\)\n$/);
  assert.equal(endpoints.receiver.spans.length, 0);
});

test('register: an invalid TOKENLEDGER_* value is reported and the app runs without telemetry', async () => {
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'], { TOKENLEDGER_OPENAI_STREAM_USAGE: 'sometimes' });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assert.equal(result.stderr, 'tokenledger: not started: TOKENLEDGER_OPENAI_STREAM_USAGE must be one of inject, off, got "sometimes"\n');
  assert.equal(endpoints.receiver.spans.length, 0);
});

/** The fake provider answers the weather agent: a tool call on the first two requests, then the answer. */
function scriptWeatherAgent(): void {
  let served = 0;
  endpoints.provider.reset();
  endpoints.provider.respondWith('openai.chat', () => {
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-${served}`;
    if (served <= 2) {
      completion.choices = [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: `call_${served}`, type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ];
    }
    return { json: completion };
  });
}

for (const [flag, app] of [
  ['--require', 'test/apps/ai-sdk-weather.cjs'],
  ['--import', 'test/apps/ai-sdk-weather.mjs'],
] as const) {
  test(`register: an AI SDK 7 agent under ${flag} is one run of three priced calls and two tools, with no code change`, async () => {
    scriptWeatherAgent();
    const result = await runApp([flag, 'tokenledger/register', app]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '{"steps":3,"text":"Paris is the capital of France."}\n');
    const calls = endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    // Each call: the chat fixture on the flex tier, 0.007355 (see ai-sdk.test.ts).
    assert.deepEqual(
      calls.map((span) => [span.scope, span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.cost.usd']]),
      [
        ['tokenledger-instrumentation-ai-sdk', 2150, 0.007355],
        ['tokenledger-instrumentation-ai-sdk', 2150, 0.007355],
        ['tokenledger-instrumentation-ai-sdk', 2150, 0.007355],
      ],
    );
    const run = endpoints.receiver.spans.find((span) => span.name === 'invoke_agent ai.generateText')!;
    assert.deepEqual(
      [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd']],
      [3, 2, 0.022065],
    );
    assert.ok(
      endpoints.receiver.spans.every((span) => span.traceId === run.traceId),
      'one trace',
    );
  });
}

test('register: a Mastra agent under --import is one run of three priced calls and two tools, with no code change', async () => {
  scriptWeatherAgent();
  const result = await runApp(['--import', 'tokenledger/register', 'test/apps/mastra-weather.mjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '{"steps":3,"text":"Paris is the capital of France."}\n');
  const calls = endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  // Each call: the chat fixture on the flex tier, 0.007355 (see mastra.test.ts).
  assert.deepEqual(
    calls.map((span) => [span.scope, span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.cost.usd']]),
    [
      ['tokenledger-instrumentation-mastra', 2150, 0.007355],
      ['tokenledger-instrumentation-mastra', 2150, 0.007355],
      ['tokenledger-instrumentation-mastra', 2150, 0.007355],
    ],
  );
  const run = endpoints.receiver.spans.find((span) => span.name === 'invoke_agent weather-agent')!;
  assert.deepEqual(
    [
      run.attributes['tokenledger.run.steps'],
      run.attributes['tokenledger.run.tool_calls'],
      run.attributes['tokenledger.run.cost.usd'],
      run.attributes['tokenledger.run.complete'],
    ],
    [3, 2, 0.022065, true],
  );
  assert.ok(
    endpoints.receiver.spans.every((span) => span.traceId === run.traceId),
    'one trace',
  );
});

for (const [flag, app] of [
  ['--require', 'test/apps/langgraph-weather.cjs'],
  ['--import', 'test/apps/langgraph-weather.mjs'],
] as const) {
  test(`register: a LangGraph agent on ChatAnthropic under ${flag} is one run of two exact calls and a tool, with no code change`, async () => {
    let served = 0;
    endpoints.provider.reset();
    endpoints.provider.respondWith('anthropic.messages', () => {
      served += 1;
      const message = fixtureJson('anthropic-messages.json');
      message.id = `msg_${served}`;
      if (served === 1) {
        message.content = [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }];
        message.stop_reason = 'tool_use';
      }
      return { json: message };
    });
    const result = await runApp([flag, 'tokenledger/register', app]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '{"messages":4,"text":"Paris is the capital of France."}\n');
    const calls = endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    // Each call: the Anthropic fixture, with its 1-hour cache writes, 0.0183 (anthropic.test.ts).
    assert.deepEqual(
      calls.map((span) => [span.scope, span.attributes['tokenledger.usage.cache_write.ttl_1h.input_tokens'], span.attributes['tokenledger.cost.usd']]),
      [
        ['tokenledger-instrumentation-anthropic', 2000, 0.0183],
        ['tokenledger-instrumentation-anthropic', 2000, 0.0183],
      ],
    );
    const run = endpoints.receiver.spans.find((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent')!;
    assert.deepEqual(
      [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd']],
      [2, 1, 0.0366],
    );
    assert.ok(
      endpoints.receiver.spans.every((span) => span.traceId === run.traceId),
      'one trace',
    );
  });
}

test('register: an OpenAI Agents SDK agent under --import is one run of two priced calls and a tool, with no code change', async () => {
  let served = 0;
  endpoints.provider.reset();
  endpoints.provider.respondWith('openai.chat', () => {
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-${served}`;
    if (served === 1) {
      completion.choices = [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ];
    }
    return { json: completion };
  });
  const result = await runApp(['--import', 'tokenledger/register', 'test/apps/openai-agents-weather.mjs']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '{"output":"Paris is the capital of France."}\n');
  const calls = endpoints.receiver.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  // Each call: the chat fixture on the flex tier, 0.007355 (see ai-sdk.test.ts).
  assert.deepEqual(
    calls.map((span) => [span.scope, span.attributes['tokenledger.cost.usd']]),
    [
      ['tokenledger-instrumentation-openai', 0.007355],
      ['tokenledger-instrumentation-openai', 0.007355],
    ],
  );
  const run = endpoints.receiver.spans.find((span) => span.name === 'invoke_agent Weather agent')!;
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd']],
    [2, 1, 0.01471],
  );
  assert.ok(
    endpoints.receiver.spans.every((span) => span.traceId === run.traceId),
    'one trace',
  );
});

test('register: with OTEL_LOG_LEVEL unset, each problem is one line on stderr, however often it happens', async () => {
  const closedPort = await freePort();
  for (let i = 0; i < 3; i += 1) harness().enqueue('openai.chat', { json: { ...fixtureJson('openai-chat.json'), model: 'acme-unknown-1' } });
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/diagnostics.cjs'], {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`,
    OTEL_EXPORTER_OTLP_TIMEOUT: '200',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_TRACES_EXPORTER: 'consle,otlp',
    TOKENLEDGER_RUN_MAX_USDD: '1',
    TOKENLEDGER_RUN_MAX_STEPS: '1',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'done\n');
  const lines = result.stderr.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((line) => line.replace(/:\d+$/, ':PORT')).sort(),
    [
      'tokenledger: TOKENLEDGER_RUN_MAX_USDD is not a setting, ignored; did you mean TOKENLEDGER_RUN_MAX_USD?',
      'tokenledger: unknown OTEL_TRACES_EXPORTER value "consle", ignored; known: otlp, console, none',
      // Three unpriced calls, two breaches (steps 2 and 3 over a budget of 1), two signals failing to export: one line each.
      'tokenledger: no price for openai model "acme-unknown-1"; its calls have no cost figure (add it with TOKENLEDGER_PRICES)',
      'tokenledger: guardrail max_steps breached by a run of agent "handle ticket" (warn mode: recorded, not stopped)',
      'tokenledger: telemetry not flushed at exit: connect ECONNREFUSED 127.0.0.1:PORT',
    ].sort(),
    result.stderr,
  );
});

test('register: an invalid option given in code is one line with one prefix', async () => {
  const script = "require('tokenledger').startTokenledger({ guardMode: 'sometimes' }); console.log('app ran');";
  const result = await runApp(['-e', script]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'app ran\n');
  assert.equal(result.stderr, 'tokenledger: not started: guardrails.mode must be "enforce" or "warn", got sometimes\n');
});

/** A TCP endpoint that accepts connections and never answers: an OTLP collector behind a black hole. */
async function blackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Runs the three-provider app and measures how long the process lives after the app's last output line. */
async function exitDelay(env: Record<string, string>): Promise<{ result: ChildResult; afterLastLineMs: number }> {
  let lastLineAt = 0;
  const result = await runApp(['--require', 'tokenledger/register', 'test/apps/three-providers.cjs'], env, () => (lastLineAt = performance.now()));
  return { result, afterLastLineMs: performance.now() - lastLineAt };
}

// The exit waits for the flush at most TOKENLEDGER_SHUTDOWN_TIMEOUT_MS. Without the bound, the OTLP exporters hold
// the process for their own timeout (then 7.6–10 s, at the default 10 s): given a minute here, a missing bound shows
// as a minute, so the margin for process teardown on a loaded machine can be wide and the test still fails.
const EXPORTER_TIMEOUT = { OTEL_EXPORTER_OTLP_TIMEOUT: '60000' };
const EXIT_MARGIN_MS = 15_000;

test("register: with the OTLP endpoint down, the process exits within the shutdown timeout, with the app's exit code", async () => {
  const { result, afterLastLineMs } = await exitDelay({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
    OTEL_METRICS_EXPORTER: 'otlp',
    TOKENLEDGER_SHUTDOWN_TIMEOUT_MS: '1000',
    EXIT_CODE: '3',
    ...EXPORTER_TIMEOUT,
  });
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, expectedStdout);
  assert.ok(afterLastLineMs < 1000 + EXIT_MARGIN_MS, `exited ${afterLastLineMs.toFixed(0)} ms after the app's last line`);
});

test('register: with the OTLP endpoint black-holed, the process exits within the default shutdown timeout (3 s)', async () => {
  const hole = await blackHole();
  try {
    const { result, afterLastLineMs } = await exitDelay({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.url, OTEL_METRICS_EXPORTER: 'otlp', ...EXPORTER_TIMEOUT });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, expectedStdout);
    assert.ok(afterLastLineMs >= 2900, `the flush was given its time (${afterLastLineMs.toFixed(0)} ms)`);
    assert.ok(afterLastLineMs < 3000 + EXIT_MARGIN_MS, `exited ${afterLastLineMs.toFixed(0)} ms after the app's last line`);
    assert.match(result.stderr, /tokenledger: telemetry not flushed within 3000 ms at exit; ending \(TOKENLEDGER_SHUTDOWN_TIMEOUT_MS\)\n/);
  } finally {
    await hole.close();
  }
});

test('register: console spans and the default OTLP metrics to a black hole: the process exits within the shutdown timeout', async () => {
  const hole = await blackHole();
  try {
    const { result, afterLastLineMs } = await exitDelay({
      OTEL_EXPORTER_OTLP_ENDPOINT: hole.url,
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: '',
      TOKENLEDGER_SHUTDOWN_TIMEOUT_MS: '1000',
      ...EXPORTER_TIMEOUT,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stdout.includes(expectedStdout));
    assert.ok(afterLastLineMs < 1000 + EXIT_MARGIN_MS, `exited ${afterLastLineMs.toFixed(0)} ms after the app's last line`);
  } finally {
    await hole.close();
  }
});

test('register: with the endpoint up, the process exits as soon as telemetry is flushed', async () => {
  // A minute's bound: waiting for it instead of the flush would show as a minute.
  const { result, afterLastLineMs } = await exitDelay({ TOKENLEDGER_SHUTDOWN_TIMEOUT_MS: '60000' });
  assert.equal(result.code, 0, result.stderr);
  assertThreeProviderSpans(endpoints.receiver.spans);
  assert.ok(afterLastLineMs < EXIT_MARGIN_MS, `exited ${afterLastLineMs.toFixed(0)} ms after the app's last line`);
});
