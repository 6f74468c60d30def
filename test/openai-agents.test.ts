// The real OpenAI Agents SDK (`@openai/agents-core` with `@openai/agents-openai`) against the fake provider, with
// no code added: its agent and function spans become tokenledger's run and tool spans, and the model calls the
// openai patch records land inside them, so the run has its steps, tools and cost.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { OpenAIAgentsInstrumentation } from '../instrumentation/openai-agents/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

type AgentsCore = typeof import('@openai/agents-core');
let harness: Harness;
let agents: AgentsCore;
let model: unknown;

before(async () => {
  harness = await startHarness([new OpenAIInstrumentation(), new OpenAIAgentsInstrumentation()], [new TokenledgerSpanProcessor()]);
  agents = requireFromTest('@openai/agents-core') as AgentsCore;
  // The SDK's default processor exports to OpenAI's trace endpoint; the app drops it, tokenledger's stays.
  agents.setTraceProcessors([]);
  const { OpenAIChatCompletionsModel } = requireFromTest('@openai/agents-openai') as typeof import('@openai/agents-openai');
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  const client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  model = new OpenAIChatCompletionsModel(client as never, 'gpt-5.5');
});
after(() => harness.stop());
beforeEach(() => harness.reset());

function scriptToolThenAnswer(): void {
  let served = 0;
  harness.provider.respondWith('openai.chat', () => {
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-${served}`;
    if (served === 1) {
      completion.choices = [
        { index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] } },
      ];
    }
    return { json: completion };
  });
}

test('openai agents: an agent run with a tool is one invoke_agent run with its calls and its tool execution', async () => {
  scriptToolThenAnswer();
  const { z } = await import('zod');
  const weather = agents.tool({ name: 'weather', description: 'The weather in a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `${city}: 21°C` });
  const agent = new agents.Agent({ name: 'Weather agent', instructions: 'Answer about the weather.', model: model as never, tools: [weather] });
  const result = await agents.run(agent, 'Weather in Paris?');
  assert.equal(result.finalOutput, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 4);
  const run = spans.find((span) => span.name === 'invoke_agent Weather agent')!;
  const calls = spans.filter((span) => span.name === 'chat gpt-5.5');
  const tools = spans.filter((span) => span.name === 'execute_tool weather');
  assert.equal(calls.length, 2);
  assert.equal(tools.length, 1);
  for (const span of [...calls, ...tools]) {
    assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId, `${span.name} is inside the run`);
    assert.equal(span.spanContext().traceId, run.spanContext().traceId);
  }
  // Each call: the chat fixture on the flex tier, 0.007355 (see ai-sdk.test.ts); two calls 0.01471.
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd'], run.attributes['tokenledger.run.complete']],
    [2, 1, 0.01471, true],
  );
});
