// The real OpenAI Agents SDK as its examples use it (the `@openai/agents` package, `setDefaultOpenAIClient`, a model
// given by name and resolved by the default provider, `run(agent, input)`) against the fake provider, with no code
// added: its agent and function spans become tokenledger's run and tool spans, with the SDK's tracing on or off, and
// the model calls the openai patch records land inside them, so the run has its steps, tools and cost.
// The zero-code entry and every setting the apps make are in openai-agents-register.e2e.test.ts.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { OpenAIAgentsInstrumentation } from '../instrumentation/openai-agents/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';
import { scriptOpenAI, TWO_TOOL_CALLS } from './scripted-agent.ts';

type Agents = typeof import('@openai/agents');
let harness: Harness;
let agents: Agents;
let client: OpenAIClient;
const instrumentation = new OpenAIAgentsInstrumentation();

before(async () => {
  harness = await startHarness([new OpenAIInstrumentation(), instrumentation], [new TokenledgerSpanProcessor()]);
  agents = requireFromTest('@openai/agents') as Agents;
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  agents.setDefaultOpenAIClient(client as never);
  // The default exporter would send traces to OpenAI: the app's own processor list replaces it.
  agents.setTraceProcessors([]);
});
after(async () => {
  agents.setTracingDisabled(false);
  await harness.stop();
});
beforeEach(() => harness.reset());

async function weatherAgent(execute?: (city: string) => Promise<string>) {
  const { z } = await import('zod');
  const weather = agents.tool({
    name: 'weather',
    description: 'The weather in a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => (execute ? execute(city) : `${city}: 21°C`),
  });
  return new agents.Agent({ name: 'Weather agent', instructions: 'Answer about the weather.', model: 'gpt-5-mini', tools: [weather] });
}

function runFigures(run: ReadableSpan) {
  const keys = ['tokenledger.run.steps', 'tokenledger.run.tool_calls', 'tokenledger.run.tool_errors', 'tokenledger.run.cost.usd', 'tokenledger.run.complete'];
  return Object.fromEntries(keys.map((key) => [key, run.attributes[key]]));
}

for (const disabled of [true, false]) {
  test(`openai agents, tracing ${disabled ? 'disabled' : 'on'}: the agent run is one invoke_agent run with its 3 calls and 2 tool executions`, async () => {
    agents.setTracingDisabled(disabled);
    scriptOpenAI(harness.provider, TWO_TOOL_CALLS);
    const result = await agents.run(await weatherAgent(), 'Weather in Paris and London?');
    assert.equal(result.finalOutput, 'Paris: 21°C, London: 17°C.');
    const spans = await waitForSpans(harness, 6);
    const run = spans.find((span) => span.name === 'invoke_agent Weather agent')!;
    const calls = spans.filter((span) => span.name === 'chat gpt-5-mini');
    const tools = spans.filter((span) => span.name === 'execute_tool weather');
    assert.equal(calls.length, 3);
    assert.equal(tools.length, 2);
    for (const span of [...calls, ...tools]) assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId, `${span.name} is inside the run`);
    // The arguments each tool was called with, hashed when the SDK ends its span: Paris and London differ.
    const hashes = tools.map((span) => span.attributes['tokenledger.tool.args_hash']);
    assert.equal(new Set(hashes).size, 2, String(hashes));
    // Each call: 400 uncached × $0.25 + 600 cached × $0.025 + 200 output × $2 per million = $0.000515.
    assert.deepEqual(runFigures(run), {
      'tokenledger.run.steps': 3,
      'tokenledger.run.tool_calls': 2,
      'tokenledger.run.tool_errors': 0,
      'tokenledger.run.cost.usd': 0.001545,
      'tokenledger.run.complete': true,
    });
    await assertOneCostPerCall(spans, { duplicates: 0, priced: 3, costUsd: 0.001545 });
  });
}

test('openai agents: a tool that throws is a failed execute_tool span; the SDK hands the error to the model and the run goes on', async () => {
  agents.setTracingDisabled(true);
  scriptOpenAI(harness.provider, TWO_TOOL_CALLS);
  const agent = await weatherAgent(async (city) => {
    if (city === 'London') throw new Error('no station');
    return `${city}: 21°C`;
  });
  const result = await agents.run(agent, 'Weather in Paris and London?');
  assert.equal(result.finalOutput, 'Paris: 21°C, London: 17°C.');
  const spans = await waitForSpans(harness, 6);
  const tools = spans.filter((span) => span.name === 'execute_tool weather');
  assert.deepEqual(
    tools.map((span) => [span.status.code, span.attributes['error.type']]),
    [
      [0, undefined],
      [2, '_OTHER'],
    ],
  );
  const run = spans.find((span) => span.name === 'invoke_agent Weather agent')!;
  assert.deepEqual(runFigures(run), {
    'tokenledger.run.steps': 3,
    'tokenledger.run.tool_calls': 2,
    'tokenledger.run.tool_errors': 1,
    'tokenledger.run.cost.usd': 0.001545,
    'tokenledger.run.complete': true,
  });
});

test('openai agents: an OpenAI call a tool makes is under its execute_tool span, and counts in the run', async () => {
  agents.setTracingDisabled(false);
  scriptOpenAI(harness.provider, [TWO_TOOL_CALLS[0]!, { text: 'Paris: 21°C.' }]);
  const agent = await weatherAgent(async (city) => {
    await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: `Weather station for ${city}?` }] });
    return `${city}: 21°C`;
  });
  await agents.run(agent, 'Weather in Paris?');
  const spans = await waitForSpans(harness, 5);
  const run = spans.find((span) => span.name === 'invoke_agent Weather agent')!;
  const tool = spans.find((span) => span.name === 'execute_tool weather')!;
  const calls = spans.filter((span) => span.name === 'chat gpt-5-mini');
  // In the order they ended: the agent's first call, the tool's own call, the agent's answer.
  assert.deepEqual(
    calls.map((span) => span.parentSpanContext?.spanId),
    [run.spanContext().spanId, tool.spanContext().spanId, run.spanContext().spanId],
  );
  assert.deepEqual(runFigures(run), {
    'tokenledger.run.steps': 3,
    'tokenledger.run.tool_calls': 1,
    'tokenledger.run.tool_errors': 0,
    'tokenledger.run.cost.usd': 0.001545,
    'tokenledger.run.complete': true,
  });
});

test('openai agents: with the instrumentation disabled the SDK runs as it does without it, and no run is made', async () => {
  agents.setTracingDisabled(true);
  scriptOpenAI(harness.provider, TWO_TOOL_CALLS);
  instrumentation.disable();
  try {
    const result = await agents.run(await weatherAgent(), 'Weather in Paris and London?');
    assert.equal(result.finalOutput, 'Paris: 21°C, London: 17°C.');
  } finally {
    instrumentation.enable();
  }
  const spans = await waitForSpans(harness, 3);
  assert.deepEqual(
    spans.map((span) => [span.name, span.parentSpanContext?.spanId]),
    [0, 1, 2].map(() => ['chat gpt-5-mini', undefined]),
  );
});
