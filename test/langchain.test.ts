// The real LangChain.js and LangGraph (`@langchain/core`, `@langchain/langgraph`, `@langchain/anthropic` on its own
// `@anthropic-ai/sdk` 0.122) against the fake provider, with no code added: a ReAct agent's graph invocation is
// one run, its tool execution a tool, and the model calls the Anthropic patch records land inside the run.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { LangChainInstrumentation } from '../instrumentation/langchain/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness([new AnthropicInstrumentation(), new LangChainInstrumentation()], [new TokenledgerSpanProcessor()]);
});
after(() => harness.stop());
beforeEach(() => harness.reset());

/** Claude asks for the weather tool once, then answers (the Anthropic fixture's usage on both). */
function scriptToolThenAnswer(): void {
  let served = 0;
  harness.provider.respondWith('anthropic.messages', () => {
    served += 1;
    const message = fixtureJson('anthropic-messages.json');
    message.id = `msg_${served}`;
    if (served === 1) {
      message.content = [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } }];
      message.stop_reason = 'tool_use';
    }
    return { json: message };
  });
}

test('langgraph ReAct agent: the graph invocation is one run with its two calls and its tool', async () => {
  scriptToolThenAnswer();
  // An app building on LangGraph loads its main entry, which turns LangChain's async context on.
  requireFromTest('@langchain/langgraph');
  const { ChatAnthropic } = requireFromTest('@langchain/anthropic') as typeof import('@langchain/anthropic');
  const { tool } = requireFromTest('@langchain/core/tools') as typeof import('@langchain/core/tools');
  const { createReactAgent } = requireFromTest('@langchain/langgraph/prebuilt') as typeof import('@langchain/langgraph/prebuilt');
  const { z } = await import('zod');
  const weather = tool(async ({ city }: { city: string }) => `${city}: 21°C`, {
    name: 'weather',
    description: 'The weather in a city',
    schema: z.object({ city: z.string() }),
  });
  const model = new ChatAnthropic({ model: 'claude-sonnet-5-5', apiKey: 'test-key', anthropicApiUrl: harness.provider.url, maxRetries: 0 });
  const agent = createReactAgent({ llm: model, tools: [weather], name: 'weather_agent' });
  const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Paris?' }] });
  assert.equal(result.messages.at(-1)!.text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 4);
  const runs = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
  assert.equal(runs.length, 1, spans.map((span) => span.name).join(', '));
  const [run] = runs;
  const calls = spans.filter((span) => span.name === 'chat claude-sonnet-5-5');
  const tools = spans.filter((span) => span.name === 'execute_tool weather');
  assert.equal(calls.length, 2);
  assert.equal(tools.length, 1);
  assert.equal(tools[0]!.attributes['gen_ai.tool.call.id'], 'toolu_1');
  for (const span of [...calls, ...tools]) assert.equal(span.spanContext().traceId, run!.spanContext().traceId, `${span.name} is in the run's trace`);
  // Each call: the Anthropic fixture, 0.0183 (anthropic.test.ts); two calls 0.0366.
  assert.deepEqual(
    [
      run!.attributes['tokenledger.run.steps'],
      run!.attributes['tokenledger.run.tool_calls'],
      run!.attributes['tokenledger.run.cost.usd'],
      run!.attributes['tokenledger.run.complete'],
    ],
    [2, 1, 0.0366, true],
  );
  await assertOneCostPerCall(spans, { duplicates: 0, priced: 2, costUsd: 0.0366 });
});
