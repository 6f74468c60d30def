// The OpenAI Agents SDK as its users write apps (test/apps/openai-agents-umbrella.cjs / .mjs: the `@openai/agents`
// package, `model: 'gpt-5-mini'` resolved by the default provider, a tool, `run(agent, input)`), under
// `tokenledger/register` with no code change: the SDK's tracing off (`setTracingDisabled(true)` or
// OPENAI_AGENTS_DISABLE_TRACING=1), on with its default exporter, or on with the app's own processors; the client set
// by `setDefaultOpenAIClient` or OPENAI_BASE_URL; the Responses API or Chat Completions; streamed or not; alone or
// inside tokenledger's agentRun(). Each time the agent's 3 calls and 2 tool calls are one run with exact figures.
// Needs the build (`npm test` runs it first).
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceivedSpan } from './otlp-receiver.ts';
import { runApp, useAppEndpoints } from './register-app.ts';
import { scriptOpenAI, TWO_TOOL_CALLS } from './scripted-agent.ts';

const endpoints = useAppEndpoints();
beforeEach(() => scriptOpenAI(endpoints.provider, TWO_TOOL_CALLS));

interface Scenario {
  app: 'cjs' | 'mjs';
  client: 'setDefaultOpenAIClient' | 'OPENAI_BASE_URL';
  api: 'responses' | 'chat_completions';
  stream: boolean;
  tracing: 'setTracingDisabled' | 'OPENAI_AGENTS_DISABLE_TRACING' | 'default exporter' | 'own processors';
  inAgentRun?: boolean;
}

// Every value of every setting, in the combinations apps use. An app configured by the environment alone
// (OPENAI_BASE_URL, OPENAI_API_KEY) would have the default exporter send its traces to OpenAI: those apps here
// turn tracing off or replace the exporter, so nothing leaves this machine.
const scenarios: Scenario[] = [
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'responses', stream: false, tracing: 'setTracingDisabled' },
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'chat_completions', stream: true, tracing: 'setTracingDisabled' },
  { app: 'cjs', client: 'OPENAI_BASE_URL', api: 'responses', stream: true, tracing: 'OPENAI_AGENTS_DISABLE_TRACING' },
  { app: 'cjs', client: 'OPENAI_BASE_URL', api: 'chat_completions', stream: false, tracing: 'OPENAI_AGENTS_DISABLE_TRACING' },
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'responses', stream: false, tracing: 'default exporter' },
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'chat_completions', stream: true, tracing: 'default exporter' },
  { app: 'cjs', client: 'OPENAI_BASE_URL', api: 'responses', stream: true, tracing: 'own processors' },
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'chat_completions', stream: false, tracing: 'own processors' },
  { app: 'cjs', client: 'setDefaultOpenAIClient', api: 'responses', stream: false, tracing: 'setTracingDisabled', inAgentRun: true },
  { app: 'cjs', client: 'OPENAI_BASE_URL', api: 'chat_completions', stream: true, tracing: 'OPENAI_AGENTS_DISABLE_TRACING', inAgentRun: true },
  { app: 'mjs', client: 'setDefaultOpenAIClient', api: 'responses', stream: true, tracing: 'setTracingDisabled' },
  { app: 'mjs', client: 'OPENAI_BASE_URL', api: 'chat_completions', stream: false, tracing: 'own processors' },
  { app: 'mjs', client: 'setDefaultOpenAIClient', api: 'chat_completions', stream: false, tracing: 'default exporter' },
  { app: 'mjs', client: 'OPENAI_BASE_URL', api: 'responses', stream: false, tracing: 'OPENAI_AGENTS_DISABLE_TRACING', inAgentRun: true },
];

function appSettings(scenario: Scenario): Record<string, string> {
  const env: Record<string, string> = {};
  if (scenario.client === 'setDefaultOpenAIClient') env.AGENTS_CLIENT = 'default-client';
  else Object.assign(env, { OPENAI_BASE_URL: `${endpoints.provider.url}/v1`, OPENAI_API_KEY: 'test-key' });
  if (scenario.api === 'chat_completions') env.AGENTS_API = 'chat_completions';
  if (scenario.stream) env.AGENTS_STREAM = '1';
  if (scenario.tracing === 'setTracingDisabled') env.AGENTS_TRACING = 'disabled';
  if (scenario.tracing === 'OPENAI_AGENTS_DISABLE_TRACING') env.OPENAI_AGENTS_DISABLE_TRACING = '1';
  if (scenario.tracing === 'own processors') env.AGENTS_TRACING = 'own';
  if (scenario.inAgentRun) env.AGENTS_IN_RUN = '1';
  return env;
}

function listed(spans: ReceivedSpan[]): string {
  return spans.map((span) => `${span.name} (trace ${span.traceId}, parent ${span.parentSpanId || 'none'})`).join('\n');
}

// Each call: 1 000 prompt tokens (600 cached), 200 output (64 reasoning) on gpt-5-mini ($0.25 / $0.025 cached /
// $2 output per million): 400 × 0.25 + 600 × 0.025 + 200 × 2 = $515 per million calls, $0.000515.
const RUN_FIGURES = {
  'tokenledger.run.steps': 3,
  'tokenledger.run.tool_calls': 2,
  'tokenledger.run.usage.input_tokens': 3000,
  'tokenledger.run.usage.uncached.input_tokens': 1200,
  'tokenledger.run.usage.cache_read.input_tokens': 1800,
  'tokenledger.run.usage.output_tokens': 600,
  'tokenledger.run.usage.reasoning.output_tokens': 192,
  'tokenledger.run.cost.usd': 0.001545,
  'tokenledger.run.complete': true,
};

function runFigures(span: ReceivedSpan): Record<string, unknown> {
  return Object.fromEntries(Object.keys(RUN_FIGURES).map((key) => [key, span.attributes[key]]));
}

for (const scenario of scenarios) {
  const settings = [
    scenario.client,
    scenario.api,
    scenario.stream ? 'streamed' : 'not streamed',
    `tracing: ${scenario.tracing}`,
    ...(scenario.inAgentRun ? ['inside agentRun()'] : []),
  ];
  test(`openai agents (${scenario.app}, ${settings.join(', ')}): one run of 3 exact calls and 2 tools`, async () => {
    const flag = scenario.app === 'cjs' ? '--require' : '--import';
    const result = await runApp(endpoints, [flag, 'tokenledger/register', `test/apps/openai-agents-umbrella.${scenario.app}`], appSettings(scenario));
    assert.equal(result.code, 0, result.stderr);
    const ownSpans = scenario.api === 'responses' ? { response: 3 } : { generation: 3 };
    const seen = scenario.tracing === 'own processors' ? { seen: { task: 1, agent: 1, turn: 3, function: 2, ...ownSpans } } : {};
    assert.deepEqual(JSON.parse(result.stdout), { output: 'Paris: 21°C, London: 17°C.', ...seen }, 'the app ran as without tokenledger');
    const spans = endpoints.receiver.spans;
    assert.equal(endpoints.provider.requests.length, 3);
    assert.ok(endpoints.provider.requests.every((request) => request.route === (scenario.api === 'responses' ? 'openai.responses' : 'openai.chat')));

    const calls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    assert.deepEqual(
      calls.map((span) => [span.name, span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.cost.usd']]),
      [0, 1, 2].map(() => ['chat gpt-5-mini', 1000, 0.000515]),
    );
    const tools = spans.filter((span) => span.name === 'execute_tool weather');
    assert.equal(tools.length, 2, listed(spans));
    const agent = spans.filter((span) => span.name === 'invoke_agent Weather agent');
    assert.equal(agent.length, 1, listed(spans));
    for (const span of [...calls, ...tools]) assert.equal(span.parentSpanId, agent[0]!.spanId, `${span.name} is inside the agent's run\n${listed(spans)}`);
    assert.ok(
      spans.every((span) => span.traceId === agent[0]!.traceId),
      `one trace\n${listed(spans)}`,
    );

    const runs = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    const task = runs.find((span) => span.attributes['tokenledger.run.nested'] === false)!;
    assert.equal(task.name, scenario.inAgentRun ? 'invoke_agent weather-task' : 'invoke_agent Weather agent');
    assert.equal(runs.length, scenario.inAgentRun ? 2 : 1, listed(spans));
    // The task, and the agent's run nested in it when there is one, have exactly their calls' figures.
    for (const run of runs) assert.deepEqual(runFigures(run), RUN_FIGURES, run.name);
  });
}
