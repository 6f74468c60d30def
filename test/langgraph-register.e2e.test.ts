// LangGraph as its users write apps (test/apps/langgraph-prebuilt.cjs / .mjs: `createReactAgent` from
// `@langchain/langgraph/prebuilt` alone — the app never loads LangGraph's main entry, so LangChain's async context is
// off — called without `name`, on ChatOpenAI or ChatAnthropic, invoked or streamed), under `tokenledger/register`
// with no code change: the agent's 3 calls and 2 tool calls are one run with exact figures. Needs the build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceivedSpan } from './otlp-receiver.ts';
import { runApp, useAppEndpoints } from './register-app.ts';
import { scriptAnthropic, scriptOpenAI, TWO_TOOL_CALLS } from './scripted-agent.ts';

const endpoints = useAppEndpoints();

function listed(spans: ReceivedSpan[]): string {
  return spans.map((span) => `${span.name} (trace ${span.traceId}, parent ${span.parentSpanId || 'none'})`).join('\n');
}

// Per call. gpt-5-mini ($0.25 / $0.025 cached / $2 output per million): 1 000 prompt tokens of which 600 cached,
// 200 output: 400 × 0.25 + 600 × 0.025 + 200 × 2 = $0.000515. claude-sonnet-4-5 ($3 / $0.30 cache read / $15 output):
// 400 uncached, 600 read, 200 output: 400 × 3 + 600 × 0.3 + 200 × 15 = $0.00438.
const MODELS = {
  openai: { span: 'chat gpt-5-mini', route: 'openai.chat', input: 1000, cost: 0.000515, callIds: ['call_1', 'call_2'] },
  anthropic: { span: 'chat claude-sonnet-4-5', route: 'anthropic.messages', input: 1000, cost: 0.00438, callIds: ['toolu_1', 'toolu_2'] },
} as const;

const scenarios = [
  { app: 'cjs', model: 'openai', stream: false },
  { app: 'cjs', model: 'anthropic', stream: false },
  { app: 'cjs', model: 'openai', stream: true },
  { app: 'cjs', model: 'anthropic', stream: true },
  { app: 'mjs', model: 'openai', stream: true },
  { app: 'mjs', model: 'anthropic', stream: false },
] as const;

for (const { app, model, stream } of scenarios) {
  test(`langgraph createReactAgent from the prebuilt entry, no name (${app}, ${model}, ${stream ? 'streamed' : 'invoked'}): one run of 3 exact calls and 2 tools`, async () => {
    if (model === 'openai') scriptOpenAI(endpoints.provider, TWO_TOOL_CALLS);
    else scriptAnthropic(endpoints.provider, TWO_TOOL_CALLS, 'claude-sonnet-4-5-20250929');
    const flag = app === 'cjs' ? '--require' : '--import';
    const settings = { LANGGRAPH_MODEL: model, ...(stream ? { LANGGRAPH_STREAM: '1' } : {}) };
    const result = await runApp(endpoints, [flag, 'tokenledger/register', `test/apps/langgraph-prebuilt.${app}`], settings);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '{"text":"Paris: 21°C, London: 17°C."}\n');
    assert.equal(result.stderr, '');
    const expected = MODELS[model];
    assert.deepEqual(
      endpoints.provider.requests.map((request) => [request.route, request.body.stream === true]),
      [0, 1, 2].map(() => [expected.route, stream]),
    );

    const spans = endpoints.receiver.spans;
    const runs = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
    assert.deepEqual(
      runs.map((span) => span.name),
      ['invoke_agent LangGraph'],
      listed(spans),
    );
    const [run] = runs;
    const calls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    assert.deepEqual(
      calls.map((span) => [span.name, span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.cost.usd']]),
      [0, 1, 2].map(() => [expected.span, expected.input, expected.cost]),
    );
    const tools = spans.filter((span) => span.name === 'execute_tool weather');
    assert.deepEqual(
      tools.map((span) => span.attributes['gen_ai.tool.call.id']),
      expected.callIds,
    );
    for (const span of [...calls, ...tools]) assert.equal(span.parentSpanId, run!.spanId, `${span.name} is inside the run\n${listed(spans)}`);
    assert.ok(
      spans.every((span) => span.traceId === run!.traceId),
      `one trace\n${listed(spans)}`,
    );
    const figures = [
      'tokenledger.run.steps',
      'tokenledger.run.tool_calls',
      'tokenledger.run.usage.input_tokens',
      'tokenledger.run.usage.cache_read.input_tokens',
      'tokenledger.run.usage.output_tokens',
      'tokenledger.run.cost.usd',
      'tokenledger.run.complete',
    ];
    assert.deepEqual(
      figures.map((key) => run!.attributes[key]),
      [3, 2, 3000, 1800, 600, Number((3 * expected.cost).toFixed(6)), true],
    );
  });
}
