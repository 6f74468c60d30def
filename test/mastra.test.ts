// Mastra 1.x (`@mastra/core` 1.71) against the fake provider, with no code added: its agent calls the AI SDK
// provider model directly (an AI SDK 7 or 6 provider through Mastra's adapters, or Mastra's model router for a
// `'provider/model'` id), and each provider call becomes one LLM span with the six token types read from the
// provider's raw usage; `Agent.generate` / `Agent.stream` is one run with its steps and tool executions.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { MastraInstrumentation } from '../instrumentation/mastra/instrumentation.ts';
import { ProviderRequestSensor } from '../instrumentation/request-sensor/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';
import { waitUntil } from './wait.ts';

let harness: Harness;
let Agent: typeof import('@mastra/core/agent').Agent;
let createTool: typeof import('@mastra/core/tools').createTool;
let z: typeof import('zod').z;
let openai: ReturnType<typeof import('@ai-sdk/openai').createOpenAI>;
let anthropic: ReturnType<typeof import('@ai-sdk/anthropic').createAnthropic>;

before(async () => {
  harness = await startHarness([new AiSdkInstrumentation(), new MastraInstrumentation(), new ProviderRequestSensor()], [new TokenledgerSpanProcessor()]);
  // Loaded after the instrumentations are enabled, as under `--require tokenledger/register`.
  ({ Agent } = requireFromTest('@mastra/core/agent') as typeof import('@mastra/core/agent'));
  ({ createTool } = requireFromTest('@mastra/core/tools') as typeof import('@mastra/core/tools'));
  ({ z } = requireFromTest('zod') as typeof import('zod'));
  openai = (requireFromTest('@ai-sdk/openai') as typeof import('@ai-sdk/openai')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  anthropic = (requireFromTest('@ai-sdk/anthropic') as typeof import('@ai-sdk/anthropic')).createAnthropic({
    apiKey: 'test-key',
    baseURL: `${harness.provider.url}/v1`,
  });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const llmSpans = (spans: ReadableSpan[]) => spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
const named = (spans: ReadableSpan[], prefix: string) => spans.filter((span) => span.name.startsWith(prefix));
const pick = (span: ReadableSpan, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, span.attributes[key]]));

const USAGE_KEYS = [
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'gen_ai.response.id',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'tokenledger.usage.uncached.input_tokens',
  'tokenledger.usage.cache_write.ttl_5m.input_tokens',
  'tokenledger.usage.cache_write.ttl_1h.input_tokens',
  'tokenledger.request.service_tier',
  'tokenledger.cost.usd',
] as const;
const RUN_KEYS = [
  'tokenledger.run.steps',
  'tokenledger.run.tool_calls',
  'tokenledger.run.cost.usd',
  'tokenledger.run.usage.input_tokens',
  'tokenledger.run.complete',
] as const;

// The chat fixture: 2150 input of which 1920 cache reads, 420 output of which 384 reasoning, served on the flex
// tier. gpt-5.5: $5 input, $0.50 cache read, $30 output per million; flex halves it:
// (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6 × 0.5 = (1150 + 960 + 12600) / 1e6 × 0.5 = 0.007355.
const chatCall = (id: string, provider = 'openai') => ({
  'gen_ai.provider.name': provider,
  'gen_ai.request.model': 'gpt-5.5',
  'gen_ai.response.id': id,
  'gen_ai.usage.input_tokens': 2150,
  'gen_ai.usage.output_tokens': 420,
  'gen_ai.usage.cache_read.input_tokens': 1920,
  'gen_ai.usage.cache_write.input_tokens': 0,
  'gen_ai.usage.reasoning.output_tokens': 384,
  'tokenledger.usage.uncached.input_tokens': 230,
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': undefined,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': undefined,
  'tokenledger.request.service_tier': 'flex',
  'tokenledger.cost.usd': 0.007355,
});

/** Chat completions asking for the weather tool on the first `toolSteps` requests, then answering. */
function weatherAgentResponses(toolSteps: number): void {
  let served = 0;
  harness.provider.respondWith('openai.chat', (body) => {
    if (body.stream === true) throw new Error('this responder serves non-streamed calls');
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-${served}`;
    if (served <= toolSteps) {
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

const weatherTool = () =>
  createTool({
    id: 'weather',
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }: { city: string }) => ({ city, celsius: 21 }),
  });

test('mastra Agent.generate with a tool over three steps: three exact LLM spans, two tool spans, one run', async () => {
  weatherAgentResponses(2);
  const agent = new Agent({
    id: 'weather',
    name: 'weather-agent',
    instructions: 'Be brief.',
    model: openai.chat('gpt-5.5') as never,
    tools: { weather: weatherTool() },
  });
  const result = await agent.generate('Weather in Paris?', { maxSteps: 5 });
  assert.equal(result.text, 'Paris is the capital of France.');
  assert.equal(harness.provider.requests.length, 3);
  const spans = await waitForSpans(harness, 6);
  const calls = llmSpans(spans);
  assert.deepEqual(
    calls.map((span) => pick(span, USAGE_KEYS)),
    [chatCall('chatcmpl-1'), chatCall('chatcmpl-2'), chatCall('chatcmpl-3')],
  );
  const tools = named(spans, 'execute_tool');
  assert.deepEqual(
    tools.map((span) => [span.name, span.attributes['gen_ai.tool.call.id']]),
    [
      ['execute_tool weather', 'call_1'],
      ['execute_tool weather', 'call_2'],
    ],
  );
  const runs = named(spans, 'invoke_agent');
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.name, 'invoke_agent weather-agent');
  for (const span of [...calls, ...tools]) assert.equal(span.parentSpanContext?.spanId, run.spanContext().spanId);
  assert.deepEqual(pick(run, RUN_KEYS), {
    'tokenledger.run.steps': 3,
    'tokenledger.run.tool_calls': 2,
    'tokenledger.run.cost.usd': 0.022065, // 3 × 0.007355
    'tokenledger.run.usage.input_tokens': 6450, // 3 × 2150
    'tokenledger.run.complete': true,
  });
  // The later calls resend the tool results: their share of the prompt is apportioned, the first call has none.
  assert.equal(calls[0]!.attributes['tokenledger.usage.tool_result.input_tokens'], 0);
  assert.ok((calls[2]!.attributes['tokenledger.usage.tool_result.input_tokens'] as number) > 0);
});

test('mastra Agent.stream on Anthropic: the 1-hour cache writes keep their TTL and price, the run ends with the stream', async () => {
  const agent = new Agent({ id: 'claude', name: 'claude-agent', instructions: 'Be brief.', model: anthropic('claude-sonnet-5-5') as never });
  const output = await agent.stream('What is the capital of France?');
  let text = '';
  for await (const delta of output.textStream) text += delta;
  assert.equal(text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 2);
  const [call] = llmSpans(spans);
  assert.equal(llmSpans(spans).length, 1);
  // 50 uncached + 12000 cache reads + 1000 5-minute and 2000 1-hour writes = 15050 input; 530 output of which 500
  // thinking. claude-sonnet-5: $2 input, $0.20 read, $2.50 5-minute and $4 1-hour write, $10 output per million:
  // 0.0001 + 0.0024 + 0.0025 + 0.008 + 0.0053 = 0.0183.
  assert.deepEqual(pick(call!, USAGE_KEYS), {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-sonnet-5-5',
    'gen_ai.response.id': 'msg_mock0002',
    'gen_ai.usage.input_tokens': 15050,
    'gen_ai.usage.output_tokens': 530,
    'gen_ai.usage.cache_read.input_tokens': 12000,
    'gen_ai.usage.cache_write.input_tokens': 3000,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'tokenledger.usage.uncached.input_tokens': 50,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
    'tokenledger.request.service_tier': 'standard',
    'tokenledger.cost.usd': 0.0183,
  });
  assert.equal(call!.attributes['gen_ai.request.stream'], true);
  const [run] = named(spans, 'invoke_agent');
  assert.equal(call!.parentSpanContext?.spanId, run!.spanContext().spanId);
  assert.deepEqual(pick(run!, ['tokenledger.run.steps', 'tokenledger.run.cost.usd', 'tokenledger.run.complete']), {
    'tokenledger.run.steps': 1,
    'tokenledger.run.cost.usd': 0.0183,
    'tokenledger.run.complete': true,
  });
});

test('mastra on an AI SDK 6 provider model and on its model router: each call exact', async () => {
  const openai3 = (requireFromTest('ai-sdk-openai3') as typeof import('@ai-sdk/openai')).createOpenAI({
    apiKey: 'test-key',
    baseURL: `${harness.provider.url}/v1`,
  });
  const v6 = new Agent({ id: 'v6', name: 'v6-agent', instructions: 'Be brief.', model: openai3.chat('gpt-5.5') as never });
  assert.equal((await v6.generate('hi')).text, 'Paris is the capital of France.');
  // A `provider/model` id goes through Mastra's model router (its own bundled OpenAI provider).
  const routed = new Agent({
    id: 'routed',
    name: 'routed-agent',
    instructions: 'Be brief.',
    model: { id: 'openai/gpt-5.5', url: `${harness.provider.url}/v1`, apiKey: 'test-key' },
  });
  assert.equal((await routed.generate('hi')).text, 'Paris is the capital of France.');
  assert.equal(harness.provider.requests.length, 2);
  const spans = await waitForSpans(harness, 4);
  assert.deepEqual(
    llmSpans(spans).map((span) => pick(span, USAGE_KEYS)),
    [chatCall('chatcmpl-mock0001'), chatCall('chatcmpl-mock0001')],
  );
  assert.deepEqual(
    named(spans, 'invoke_agent').map((span) => [span.name, span.attributes['tokenledger.run.cost.usd']]),
    [
      ['invoke_agent v6-agent', 0.007355],
      ['invoke_agent routed-agent', 0.007355],
    ],
  );
});

test("mastra tool calling the AI SDK's generateText: each provider call counted once, the inner run nested in the tool", async () => {
  const ai = requireFromTest('ai') as typeof import('ai');
  let served = 0;
  harness.provider.respondWith('openai.chat', () => {
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
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'summarise', arguments: '{"topic":"Paris"}' } }],
          },
        },
      ];
    }
    return { json: completion };
  });
  const summarise = createTool({
    id: 'summarise',
    description: 'Summarise a topic',
    inputSchema: z.object({ topic: z.string() }),
    execute: async ({ topic }: { topic: string }) => (await ai.generateText({ model: openai.chat('gpt-5.5') as never, prompt: `Summarise ${topic}` })).text,
  });
  const agent = new Agent({ id: 'outer', name: 'outer-agent', instructions: 'Be brief.', model: openai.chat('gpt-5.5') as never, tools: { summarise } });
  await agent.generate('Tell me about Paris', { maxSteps: 3 });
  assert.equal(harness.provider.requests.length, 3);
  const spans = await waitForSpans(harness, 6);
  const calls = llmSpans(spans);
  assert.deepEqual(calls.map((span) => [span.attributes['gen_ai.response.id'], span.attributes['tokenledger.call.duplicate_of']]).sort(), [
    ['chatcmpl-1', undefined],
    ['chatcmpl-2', undefined],
    ['chatcmpl-3', undefined],
  ]);
  const tool = named(spans, 'execute_tool summarise')[0]!;
  const inner = spans.find((span) => span.name === 'invoke_agent ai.generateText')!;
  assert.equal(inner.parentSpanContext?.spanId, tool.spanContext().spanId);
  const outer = spans.find((span) => span.name === 'invoke_agent outer-agent')!;
  // Three calls of the chat fixture, one of them inside the tool: 3 × 0.007355.
  assert.deepEqual(pick(outer, RUN_KEYS), {
    'tokenledger.run.steps': 3,
    'tokenledger.run.tool_calls': 1,
    'tokenledger.run.cost.usd': 0.022065,
    'tokenledger.run.usage.input_tokens': 6450,
    'tokenledger.run.complete': true,
  });
  await assertOneCostPerCall(spans, { duplicates: 0, priced: 3, costUsd: 0.022065 });
});

test("mastra inside the app's agentRun: the agent's run nests in it, and the outer run is complete", async () => {
  const agent = new Agent({ id: 'support', name: 'support', instructions: 'Be brief.', model: openai.chat('gpt-5.5') as never });
  const result = await agentRun({ name: 'mastra-support' }, () => agent.generate('What is the capital of France?'));
  assert.equal(result.text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 3);
  const outer = spans.find((span) => span.name === 'invoke_agent mastra-support')!;
  assert.equal(spans.find((span) => span.name === 'invoke_agent support')!.attributes['tokenledger.run.nested'], true);
  assert.deepEqual(
    [
      outer.attributes['tokenledger.run.steps'],
      outer.attributes['tokenledger.run.cost.usd'],
      outer.attributes['tokenledger.run.complete'],
      outer.attributes['tokenledger.run.uncovered_requests'],
    ],
    [1, 0.007355, true, undefined],
  );
});

test('mastra: a stream cut before its usage ends the call with stream_incomplete, no cost, the run incomplete', async () => {
  harness.provider.enqueue('anthropic.messages', { sse: sseBlocks(fixtureText('anthropic-messages.sse')), dropAfter: 3 });
  const agent = new Agent({ id: 'cut', name: 'cut-agent', instructions: 'Be brief.', model: anthropic('claude-sonnet-5-5') as never });
  const output = await agent.stream('hi', { modelSettings: { maxRetries: 0 } });
  for await (const _ of output.fullStream);
  const spans = await waitForSpans(harness, 2);
  const [call] = llmSpans(spans);
  assert.equal(call!.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
  assert.equal(call!.attributes['tokenledger.cost.usd'], undefined);
  assert.equal(named(spans, 'invoke_agent')[0]!.attributes['tokenledger.run.complete'], false);
});

test("mastra with its own OpenTelemetry bridge on: each provider call and each tool counted once, the bridge's run total a duplicate", async () => {
  weatherAgentResponses(2);
  const { Mastra } = requireFromTest('@mastra/core') as typeof import('@mastra/core');
  const { Observability } = requireFromTest('@mastra/observability') as typeof import('@mastra/observability');
  const { OtelBridge } = requireFromTest('@mastra/otel-bridge') as typeof import('@mastra/otel-bridge');
  const agent = new Agent({
    id: 'weather',
    name: 'weather-agent',
    instructions: 'Be brief.',
    model: openai.chat('gpt-5.5') as never,
    tools: { weather: weatherTool() },
  });
  const mastra = new Mastra({
    agents: { weather: agent },
    logger: false,
    observability: new Observability({ configs: { default: { serviceName: 'mastra-test', bridge: new OtelBridge() } } }),
  });
  try {
    await mastra.getAgent('weather').generate('Weather in Paris?', { maxSteps: 5 });
    const isRun = (span: ReadableSpan) => span.name === 'invoke_agent weather-agent' && span.instrumentationScope.name === 'tokenledger-instrumentation-mastra';
    await waitUntil('the run span', () => harness.spans().some(isRun));
    const spans = harness.spans();
    const byScope = (scope: string) => llmSpans(spans).filter((span) => span.instrumentationScope.name === scope);
    // tokenledger's three call spans are counted, exact as without the bridge.
    assert.deepEqual(
      byScope('tokenledger-instrumentation-mastra').map((span) => pick(span, USAGE_KEYS)),
      [chatCall('chatcmpl-1'), chatCall('chatcmpl-2'), chatCall('chatcmpl-3')],
    );
    // The bridge's one `chat` span per run carries the run's totals (6450 input) and the last call's response id:
    // marked a duplicate of that call, so neither the run nor a backend summing unmarked spans counts it.
    const [aggregate] = byScope('@mastra/otel-bridge');
    const last = byScope('tokenledger-instrumentation-mastra')[2]!;
    assert.deepEqual(pick(aggregate!, ['gen_ai.usage.input_tokens', 'tokenledger.call.duplicate_of', 'tokenledger.call.duplicate_reason']), {
      'gen_ai.usage.input_tokens': 6450,
      'tokenledger.call.duplicate_of': last.spanContext().spanId,
      'tokenledger.call.duplicate_reason': 'same_response_id',
    });
    // The bridge's tool spans are the tools: tokenledger makes none beside them.
    assert.deepEqual(
      named(spans, 'execute_tool').map((span) => span.instrumentationScope.name),
      ['@mastra/otel-bridge', '@mastra/otel-bridge'],
    );
    assert.deepEqual(pick(spans.find(isRun)!, RUN_KEYS), {
      'tokenledger.run.steps': 3,
      'tokenledger.run.tool_calls': 2,
      'tokenledger.run.cost.usd': 0.022065,
      'tokenledger.run.usage.input_tokens': 6450,
      'tokenledger.run.complete': true,
    });
    await assertOneCostPerCall(spans, { duplicates: 1, priced: 3, costUsd: 0.022065 });
  } finally {
    await mastra.shutdown();
  }
});
