// LangGraph and LangChain with LangChain's async context off, as in an app that imports only
// `@langchain/langgraph/prebuilt` and `@langchain/core` (nothing in this process loads LangGraph's main entry or
// `@langchain/core/context`): the model invocations carry the run they belong to in their callbacks, which is
// enough for their provider calls to land in the run. The real packages against the fake provider.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { LangChainInstrumentation } from '../instrumentation/langchain/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { scriptAnthropic, scriptOpenAI, TWO_TOOL_CALLS } from './scripted-agent.ts';

let harness: Harness;
const LANGCHAIN_ALS = Symbol.for('ls:tracing_async_local_storage');

before(async () => {
  harness = await startHarness([new OpenAIInstrumentation(), new AnthropicInstrumentation(), new LangChainInstrumentation()], [new TokenledgerSpanProcessor()]);
});
after(() => harness.stop());
beforeEach(() => harness.reset());

async function weatherTool() {
  const { tool } = requireFromTest('@langchain/core/tools') as typeof import('@langchain/core/tools');
  const { z } = await import('zod');
  return tool(async ({ city }: { city: string }) => `${city}: ${city === 'Paris' ? 21 : 17}°C`, {
    name: 'weather',
    description: 'The weather in a city',
    schema: z.object({ city: z.string() }),
  });
}

function chatOpenAI(options: Record<string, unknown> = {}) {
  const { ChatOpenAI } = requireFromTest('@langchain/openai') as typeof import('@langchain/openai');
  // The client keeps OpenAI's own URL (so the calls are priced as OpenAI's) and reaches the fake through its fetch.
  return new ChatOpenAI({ model: 'gpt-5-mini', apiKey: 'test-key', configuration: { fetch: harness.provider.fetch }, maxRetries: 0, ...options });
}

function runFigures(run: ReadableSpan) {
  const keys = ['tokenledger.run.steps', 'tokenledger.run.tool_calls', 'tokenledger.run.cost.usd', 'tokenledger.run.complete'];
  return keys.map((key) => run.attributes[key]);
}

test("langgraph prebuilt, no name, ChatAnthropic: the graph invocation is one run of its 3 calls and 2 tools, and LangChain's async context stays off", async () => {
  scriptAnthropic(harness.provider, TWO_TOOL_CALLS, 'claude-sonnet-4-5-20250929');
  const { ChatAnthropic } = requireFromTest('@langchain/anthropic') as typeof import('@langchain/anthropic');
  const { createReactAgent } = requireFromTest('@langchain/langgraph/prebuilt') as typeof import('@langchain/langgraph/prebuilt');
  const llm = new ChatAnthropic({ model: 'claude-sonnet-4-5', apiKey: 'test-key', anthropicApiUrl: harness.provider.url, maxRetries: 0 });
  const agent = createReactAgent({ llm, tools: [await weatherTool()] });
  const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Paris and London?' }] });
  assert.equal(result.messages.at(-1)!.text, 'Paris: 21°C, London: 17°C.');
  assert.equal((globalThis as Record<symbol, unknown>)[LANGCHAIN_ALS], undefined, "tokenledger did not turn LangChain's async context on");
  const spans = await waitForSpans(harness, 6);
  const run = spans.find((span) => span.name === 'invoke_agent LangGraph')!;
  const inside = spans.filter((span) => span !== run);
  assert.deepEqual(inside.map((span) => span.name).sort(), [
    'chat claude-sonnet-4-5',
    'chat claude-sonnet-4-5',
    'chat claude-sonnet-4-5',
    'execute_tool weather',
    'execute_tool weather',
  ]);
  for (const span of inside) assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId, `${span.name} is inside the run`);
  // Each call: 400 uncached × $3 + 600 read × $0.30 + 200 output × $15 per million = $0.00438.
  assert.deepEqual(runFigures(run), [3, 2, 0.01314, true]);
});

test('langgraph prebuilt, ChatAnthropic streaming its answers, ChatOpenAI: each is one run of its 3 calls and 2 tools', async () => {
  const { ChatAnthropic } = requireFromTest('@langchain/anthropic') as typeof import('@langchain/anthropic');
  const { createReactAgent } = requireFromTest('@langchain/langgraph/prebuilt') as typeof import('@langchain/langgraph/prebuilt');
  const streaming = new ChatAnthropic({
    model: 'claude-sonnet-4-5',
    apiKey: 'test-key',
    anthropicApiUrl: harness.provider.url,
    maxRetries: 0,
    streaming: true,
  });
  for (const [llm, cost] of [
    [streaming, 0.01314],
    [chatOpenAI(), 0.001545],
  ] as const) {
    harness.reset();
    scriptAnthropic(harness.provider, TWO_TOOL_CALLS, 'claude-sonnet-4-5-20250929');
    scriptOpenAI(harness.provider, TWO_TOOL_CALLS);
    const agent = createReactAgent({ llm, tools: [await weatherTool()] });
    const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Paris and London?' }] });
    assert.equal(result.messages.at(-1)!.text, 'Paris: 21°C, London: 17°C.');
    assert.equal(harness.provider.requests.filter((request) => request.body.stream === true).length, llm === streaming ? 3 : 0);
    const spans = await waitForSpans(harness, 6);
    const run = spans.find((span) => span.name === 'invoke_agent LangGraph')!;
    for (const span of spans.filter((span) => span !== run))
      assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId, `${span.name} is inside the run`);
    // Per call: $0.00438 on Claude (above), $0.000515 on gpt-5-mini (400 × 0.25 + 600 × 0.025 + 200 × 2 per million).
    assert.deepEqual(runFigures(run), [3, 2, cost, true]);
  }
});

test("langchain: a model's stream() inside a runnable runs in that run, read to its end or left after the first chunk", async () => {
  const { RunnableLambda } = requireFromTest('@langchain/core/runnables') as typeof import('@langchain/core/runnables');
  const llm = chatOpenAI();
  const read = (whole: boolean) =>
    RunnableLambda.from(async (question: string, config) => {
      let text = '';
      for await (const chunk of await llm.stream(question, config)) {
        text += chunk.text;
        if (!whole) break;
      }
      return text;
    }).withConfig({ runName: whole ? 'whole-answer' : 'first-chunk' });
  for (const whole of [true, false]) {
    harness.reset();
    scriptOpenAI(harness.provider, [{ text: 'Paris: 21°C.' }]);
    assert.equal(await read(whole).invoke('Weather in Paris?'), 'Paris: 21°C.');
    const spans = await waitForSpans(harness, 2);
    const run = spans.find((span) => span.name === `invoke_agent ${whole ? 'whole-answer' : 'first-chunk'}`)!;
    const call = spans.find((span) => span.name === 'chat gpt-5-mini')!;
    assert.equal(call.parentSpanContext?.spanId, run.spanContext().spanId);
    // Left after its first chunk, the stream never delivered its usage: the call has none, and its run is incomplete.
    if (whole) assert.deepEqual(runFigures(run), [1, 0, 0.000515, true]);
    else assert.deepEqual([call.attributes['tokenledger.usage.unknown_reason'], ...runFigures(run)], ['stream_incomplete', 1, 0, 0, false]);
  }
});
