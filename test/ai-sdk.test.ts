// The real Vercel AI SDK 7 (`ai`, `@ai-sdk/openai`, `@ai-sdk/anthropic`) against the fake provider, with no
// telemetry option set: tokenledger's AI SDK integration makes one LLM span per provider HTTP call with the six
// token types read from the provider's raw usage, one run per generateText / streamText and one tool span per
// tool execution.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { BudgetExceededError } from '../instrumentation/common/guard-errors.ts';
import { ProviderRequestSensor } from '../instrumentation/request-sensor/instrumentation.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new AiSdkInstrumentation();
let harness: Harness;
let ai: typeof import('ai');
let openai: ReturnType<typeof import('@ai-sdk/openai').createOpenAI>;
let anthropic: ReturnType<typeof import('@ai-sdk/anthropic').createAnthropic>;
let z: typeof import('zod').z;

before(async () => {
  const processor = new TokenledgerSpanProcessor();
  enableGuardrails(processor);
  harness = await startHarness([instrumentation, new ProviderRequestSensor()], [processor]);
  ai = await import('ai');
  z = (await import('zod')).z;
  openai = (await import('@ai-sdk/openai')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  anthropic = (await import('@ai-sdk/anthropic')).createAnthropic({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const llmSpans = (spans: ReadableSpan[]) => spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
const named = (spans: ReadableSpan[], prefix: string) => spans.filter((span) => span.name.startsWith(prefix));

function pick(span: ReadableSpan, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, span.attributes[key]]));
}

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

// The chat fixture: 2150 input of which 1920 cache reads, 420 output of which 384 reasoning, served on the flex
// tier. gpt-5.5: $5 input, $0.50 cache read, $30 output per million; flex halves it:
// (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6 × 0.5 = (1150 + 960 + 12600) / 1e6 × 0.5 = 0.007355.
const chatCall = (id: string) => ({
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-5.5',
  'gen_ai.response.id': id,
  'gen_ai.usage.input_tokens': 2150,
  'gen_ai.usage.output_tokens': 420,
  'gen_ai.usage.cache_read.input_tokens': 1920,
  'gen_ai.usage.cache_write.input_tokens': 0,
  'gen_ai.usage.reasoning.output_tokens': 384,
  'tokenledger.usage.uncached.input_tokens': 230,
  // Nothing written to the cache: the TTL split is left off.
  'tokenledger.usage.cache_write.ttl_5m.input_tokens': undefined,
  'tokenledger.usage.cache_write.ttl_1h.input_tokens': undefined,
  'tokenledger.request.service_tier': 'flex',
  'tokenledger.cost.usd': 0.007355,
});

// The Anthropic fixture: 50 uncached + 12000 cache reads + 1000 5-minute and 2000 1-hour writes = 15050 input;
// 530 output of which 500 thinking. claude-sonnet-5: $2 input, $0.20 read, $2.50 5-minute and $4 1-hour write,
// $10 output per million: 0.0001 + 0.0024 + 0.0025 + 0.008 + 0.0053 = 0.0183.
const anthropicCall = {
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-sonnet-5-5',
  'gen_ai.response.id': 'msg_mock0001',
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
};

/** A chat completion asking for the weather tool on the first `toolSteps` requests, then answering. */
function weatherAgentResponses(toolSteps: number): void {
  let served = 0;
  harness.provider.respondWith('openai.chat', (body) => {
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-${served}`;
    if (body.stream === true) throw new Error('this responder serves non-streamed calls');
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

test('ai sdk 7 generateText: one LLM span with the six token types and its cost, inside one run', async () => {
  const result = await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'What is the capital of France?' });
  assert.equal(result.text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 2);
  const [call] = llmSpans(spans);
  assert.equal(llmSpans(spans).length, 1);
  assert.equal(call!.name, 'chat gpt-5.5');
  assert.deepEqual(pick(call!, USAGE_KEYS), chatCall('chatcmpl-mock0001'));
  assert.equal(call!.attributes['server.address'], '127.0.0.1');
  const [run] = named(spans, 'invoke_agent');
  assert.equal(run!.name, 'invoke_agent ai.generateText');
  assert.equal(call!.parentSpanContext?.spanId, run!.spanContext().spanId);
  assert.equal(run!.attributes['tokenledger.run.steps'], 1);
  assert.equal(run!.attributes['tokenledger.run.cost.usd'], 0.007355);
});

test('ai sdk 7 generateText with tools: three calls and two tool executions form one run', async () => {
  weatherAgentResponses(2);
  const weather = ai.tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
  const result = await ai.generateText({
    model: openai.chat('gpt-5.5'),
    prompt: 'Weather in Paris?',
    tools: { weather },
    stopWhen: ai.isStepCount(5),
    telemetry: { functionId: 'weather-agent' },
  });
  assert.equal(result.steps.length, 3);
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
  const [run] = named(spans, 'invoke_agent');
  assert.equal(run!.attributes['gen_ai.agent.name'], 'weather-agent');
  for (const span of [...calls, ...tools]) assert.equal(span.parentSpanContext?.spanId, run!.spanContext().spanId);
  assert.deepEqual(
    pick(run!, [
      'tokenledger.run.steps',
      'tokenledger.run.tool_calls',
      'tokenledger.run.cost.usd',
      'tokenledger.run.usage.input_tokens',
      'tokenledger.run.complete',
    ]),
    {
      'tokenledger.run.steps': 3,
      'tokenledger.run.tool_calls': 2,
      'tokenledger.run.cost.usd': 0.022065, // 3 × 0.007355
      'tokenledger.run.usage.input_tokens': 6450, // 3 × 2150
      'tokenledger.run.complete': true,
    },
  );
  // The later calls resend the tool results: their share of the prompt is apportioned, the first call has none.
  assert.equal(calls[0]!.attributes['tokenledger.usage.tool_result.input_tokens'], 0);
  assert.ok(
    (calls[2]!.attributes['tokenledger.usage.tool_result.input_tokens'] as number) >
      (calls[1]!.attributes['tokenledger.usage.tool_result.input_tokens'] as number),
  );
});

test('ai sdk 7 streamText on Anthropic: the 1-hour cache writes keep their TTL and price', async () => {
  const result = ai.streamText({ model: anthropic('claude-sonnet-5-5'), prompt: 'What is the capital of France?' });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  assert.equal(text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 2);
  const [call] = llmSpans(spans);
  assert.equal(llmSpans(spans).length, 1);
  assert.deepEqual(pick(call!, USAGE_KEYS), { ...anthropicCall, 'gen_ai.response.id': 'msg_mock0002' });
  assert.equal(named(spans, 'invoke_agent')[0]!.attributes['tokenledger.run.cost.usd'], 0.0183);
});

test('ai sdk 7 generateText on Anthropic inside agentRun: the call is priced with its TTL split, the run is nested', async () => {
  const message = fixtureJson('anthropic-messages.json');
  // @ai-sdk/anthropic 4 accepts `citations: null`; the fixture is the API's own shape.
  harness.provider.enqueue('anthropic.messages', { json: message });
  await agentRun({ name: 'support' }, () => ai.generateText({ model: anthropic('claude-sonnet-5-5'), prompt: 'hi' }));
  const spans = await waitForSpans(harness, 3);
  assert.deepEqual(pick(llmSpans(spans)[0]!, USAGE_KEYS), anthropicCall);
  const outer = spans.find((span) => span.name === 'invoke_agent support')!;
  const inner = spans.find((span) => span.name === 'invoke_agent ai.generateText')!;
  assert.equal(inner.attributes['tokenledger.run.nested'], true);
  assert.equal(outer.attributes['tokenledger.run.steps'], 1);
  assert.equal(outer.attributes['tokenledger.run.cost.usd'], 0.0183);
});

test('ai sdk 7: a retried call is a failed span, and the run counts the retry', async () => {
  harness.provider.enqueue('openai.chat', { status: 500, json: { error: { message: 'overloaded', type: 'server_error' } } });
  await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'hi', maxRetries: 1 });
  const spans = await waitForSpans(harness, 3);
  const calls = llmSpans(spans);
  assert.equal(calls.length, 2);
  assert.equal(calls[0]!.status.code, 2 /* ERROR */);
  assert.equal(calls[0]!.attributes['tokenledger.usage.unknown_reason'], 'usage_missing');
  assert.equal(calls[1]!.attributes['tokenledger.cost.usd'], 0.007355);
  const run = named(spans, 'invoke_agent')[0]!;
  assert.deepEqual(pick(run, ['tokenledger.run.steps', 'tokenledger.run.failed_calls', 'tokenledger.run.retries']), {
    'tokenledger.run.steps': 2,
    'tokenledger.run.failed_calls': 1,
    'tokenledger.run.retries': 1,
  });
});

test('ai sdk 7: malformed usage gets the reason attribute and no cost, never a wrong figure', async () => {
  const completion = fixtureJson('openai-chat.json');
  completion.usage = { prompt_tokens: 100, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 400 } };
  harness.provider.enqueue('openai.chat', { json: completion });
  await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'hi' });
  const [call] = llmSpans(await waitForSpans(harness, 2));
  assert.equal(call!.attributes['tokenledger.usage.unknown_reason'], 'usage_malformed');
  assert.equal(call!.attributes['gen_ai.usage.cache_read.input_tokens'], undefined, 'cache reads above all input are not reported');
  assert.equal(call!.attributes['tokenledger.cost.usd'], undefined);
  assert.equal(named(harness.spans(), 'invoke_agent')[0]!.attributes['tokenledger.run.complete'], false);
});

test('ai sdk 7 streamText: a stream cut before its usage ends the call with stream_incomplete', async () => {
  const blocks = sseBlocks(fixtureText('anthropic-messages.sse'));
  harness.provider.enqueue('anthropic.messages', { sse: blocks, dropAfter: 3 });
  const result = ai.streamText({ model: anthropic('claude-sonnet-5-5'), prompt: 'hi', maxRetries: 0, onError: () => {} });
  await assert.rejects(async () => {
    for await (const _ of result.textStream);
  });
  const spans = await waitForSpans(harness, 2);
  const [call] = llmSpans(spans);
  assert.equal(call!.attributes['tokenledger.usage.unknown_reason'], 'stream_incomplete');
  assert.equal(call!.attributes['tokenledger.cost.usd'], undefined);
  assert.equal(named(spans, 'invoke_agent')[0]!.attributes['tokenledger.run.complete'], false);
});

test("ai sdk 7 with guardrails: a call over the run's step budget is not sent, and the app gets BudgetExceededError", async () => {
  const error = await agentRun({ name: 'budgeted', budget: { maxSteps: 1 }, guardMode: 'enforce' }, async () => {
    await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'hi' });
    await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'again' });
  }).catch((caught: unknown) => caught);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.limit, 'max_steps');
  assert.equal(harness.provider.requests.length, 1);
  const run = (await waitForSpans(harness, 5)).find((span) => span.name === 'invoke_agent budgeted')!;
  assert.deepEqual([run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.budget.exceeded']], [1, 'max_steps']);
});

test('ai sdk 7 streamText with a tool: two streamed calls and the tool execution form one run', async () => {
  const usage = (fixtureJson('openai-chat.json') as { usage: unknown }).usage;
  const chunk = (body: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-tool', object: 'chat.completion.chunk', created: 1764300000, model: 'gpt-5.5-2026-04-01', ...body })}\n\n`;
  let served = 0;
  harness.provider.respondWith('openai.chat', () => {
    served += 1;
    if (served > 1) return { sse: sseBlocks(fixtureText('openai-chat.sse')) };
    return {
      sse: [
        chunk({
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
              },
              finish_reason: null,
            },
          ],
        }),
        chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }),
        chunk({ choices: [], usage }),
        'data: [DONE]\n\n',
      ],
    };
  });
  const weather = ai.tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
  const result = ai.streamText({ model: openai.chat('gpt-5.5'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: ai.isStepCount(3) });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  assert.equal(text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 4);
  const calls = llmSpans(spans);
  assert.deepEqual(
    calls.map((span) => [span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.cost.usd']]),
    [
      [2150, 0.01471],
      [2150, 0.01471],
    ],
  );
  const [run] = named(spans, 'invoke_agent');
  assert.equal(named(spans, 'execute_tool weather').length, 1);
  // The chat fixture's usage at the standard rate (the stream fixture is served on the default tier; a streamed
  // OpenAI call's tier does not reach the integration anyway): (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6 = 0.01471.
  assert.deepEqual(
    [run!.attributes['tokenledger.run.steps'], run!.attributes['tokenledger.run.tool_calls'], run!.attributes['tokenledger.run.cost.usd']],
    [2, 1, 0.02942],
  );
});

test('ai sdk 7 ToolLoopAgent: an agent built on generateText is one run with its calls and tool', async () => {
  weatherAgentResponses(1);
  const weather = ai.tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
  const agent = new ai.ToolLoopAgent({ model: openai.chat('gpt-5.5'), tools: { weather }, telemetry: { functionId: 'weather-agent' } });
  const result = await agent.generate({ prompt: 'Weather in Paris?' });
  assert.equal(result.text, 'Paris is the capital of France.');
  const spans = await waitForSpans(harness, 4);
  const [run] = named(spans, 'invoke_agent');
  assert.equal(named(spans, 'invoke_agent').length, 1);
  // Two calls of the chat fixture on the flex tier, 2 × 0.007355.
  assert.deepEqual(
    [
      run!.attributes['gen_ai.agent.name'],
      run!.attributes['tokenledger.run.steps'],
      run!.attributes['tokenledger.run.tool_calls'],
      run!.attributes['tokenledger.run.cost.usd'],
    ],
    ['weather-agent', 2, 1, 0.01471],
  );
});

test('ai sdk 7 generateObject and streamObject: one exact LLM span per provider call, and a run around them stays complete', async () => {
  const json = fixtureJson('openai-chat.json');
  (json.choices as Array<{ message: { content: string } }>)[0]!.message.content = '{"city":"Paris"}';
  harness.provider.enqueue('openai.chat', { json });
  const schema = z.object({ city: z.string() });
  const generated = await agentRun({ name: 'extractor' }, () => ai.generateObject({ model: openai.chat('gpt-5.5'), schema, prompt: 'Which city?' }));
  assert.deepEqual(generated.object, { city: 'Paris' });
  const usage = (fixtureJson('openai-chat.json') as { usage: unknown }).usage;
  const chunk = (body: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-object', object: 'chat.completion.chunk', created: 1764300000, model: 'gpt-5.5-2026-04-01', ...body })}\n\n`;
  harness.provider.enqueue('openai.chat', {
    sse: [
      chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '{"city":' }, finish_reason: null }] }),
      chunk({ choices: [{ index: 0, delta: { content: '"Paris"}' }, finish_reason: 'stop' }] }),
      chunk({ choices: [], usage }),
      'data: [DONE]\n\n',
    ],
  });
  const streamed = ai.streamObject({ model: openai.chat('gpt-5.5'), schema, prompt: 'Which city?' });
  for await (const _ of streamed.partialObjectStream);
  assert.deepEqual(await streamed.object, { city: 'Paris' });
  assert.equal(harness.provider.requests.length, 2);
  const spans = await waitForSpans(harness, 3);
  const calls = llmSpans(spans);
  // The call span is not active while the request is sent (no per-call hook): the request it covers is not counted
  // as one no LLM span covered.
  const run = spans.find((span) => span.name === 'invoke_agent extractor')!;
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.complete'], run.attributes['tokenledger.run.uncovered_requests']],
    [1, true, undefined],
  );
  // The generated call is served on the flex tier (0.007355, above); the streamed one's tier does not reach the
  // integration, so it is priced at the standard rate: (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6 = 0.01471.
  assert.deepEqual(
    calls.map((span) => pick(span, USAGE_KEYS)),
    [chatCall('chatcmpl-mock0001'), { ...chatCall('chatcmpl-object'), 'tokenledger.request.service_tier': undefined, 'tokenledger.cost.usd': 0.01471 }],
  );
});

test('ai sdk 7 embed and embedMany: one embeddings span per provider call, priced, inside the run', async () => {
  const embedder = openai.embedding('text-embedding-3-small');
  const two = [0, 1].map((index) => ({ object: 'embedding', index, embedding: [0.25, -0.5, 0.125] }));
  harness.provider.enqueue('openai.embeddings', {
    json: { object: 'list', data: two, model: 'text-embedding-3-small', usage: { prompt_tokens: 12, total_tokens: 12 } },
  });
  await agentRun({ name: 'indexer' }, async () => {
    await ai.embedMany({ model: embedder, values: ['a', 'b'] });
    await ai.embed({ model: embedder, value: 'hello' });
  });
  assert.equal(harness.provider.requests.length, 2);
  const spans = await waitForSpans(harness, 3);
  const embeddings = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'embeddings');
  // embedMany's response: 12 input tokens, embed's (the fake's default): 8. text-embedding-3-small: $0.02 per
  // million: 12 × 0.02 / 1e6 = 2.4e-7 and 8 × 0.02 / 1e6 = 1.6e-7.
  assert.deepEqual(
    embeddings.map((span) => [
      span.name,
      span.attributes['gen_ai.provider.name'],
      span.attributes['gen_ai.usage.input_tokens'],
      span.attributes['gen_ai.usage.output_tokens'],
      span.attributes['tokenledger.cost.usd'],
    ]),
    [
      ['embeddings text-embedding-3-small', 'openai', 12, 0, 2.4e-7],
      ['embeddings text-embedding-3-small', 'openai', 8, 0, 1.6e-7],
    ],
  );
  const run = spans.find((span) => span.name === 'invoke_agent indexer')!;
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.cost.usd'], run.attributes['tokenledger.run.complete']],
    [2, 4e-7, true],
  );
});
