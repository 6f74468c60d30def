// The real Vercel AI SDK 6 (installed as `ai6`, with `@ai-sdk/openai` 3 and `@ai-sdk/anthropic` 3 as
// `ai-sdk-openai3` / `ai-sdk-anthropic3`) against the fake provider, with the AI SDK's own telemetry on
// (`experimental_telemetry: { isEnabled: true }`): its per-call `ai.*.doGenerate` / `doStream` spans are the LLM
// calls, read in the `ai_sdk` convention; `ai.generateText` / `ai.streamText` are the runs and never a call;
// `ai.toolCall` spans are its tools. (AI SDK 6 offers no per-call hook to integrations, so without its telemetry
// tokenledger sees no call; see docs/limits.md.)
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson, fixtureText, sseBlocks } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';

let harness: Harness;
let ai: typeof import('ai6');
let openai: ReturnType<typeof import('ai-sdk-openai3').createOpenAI>;
let anthropic: ReturnType<typeof import('ai-sdk-anthropic3').createAnthropic>;
let z: typeof import('zod').z;
const telemetry = { isEnabled: true, recordInputs: false, recordOutputs: false };

before(async () => {
  // tokenledger's AI SDK integration is registered as under the register entry: AI SDK 6 must ignore it.
  harness = await startHarness([new AiSdkInstrumentation()], [new TokenledgerSpanProcessor()]);
  ai = await import('ai6');
  z = (await import('zod')).z;
  openai = (await import('ai-sdk-openai3')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  anthropic = (await import('ai-sdk-anthropic3')).createAnthropic({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const calls = (spans: ReadableSpan[]) => spans.filter((span) => span.attributes['tokenledger.usage.source_convention'] === 'ai_sdk');
const pick = (span: ReadableSpan, keys: string[]) => Object.fromEntries(keys.map((key) => [key, span.attributes[key]]));
const KEYS = [
  'gen_ai.provider.name',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'tokenledger.usage.uncached.input_tokens',
  'tokenledger.usage.cache_write.ttl_5m.input_tokens',
  'tokenledger.usage.cache_write.ttl_1h.input_tokens',
  'tokenledger.cost.usd',
];

test('ai sdk 6 with its telemetry: three doGenerate calls and two ai.toolCall tools form the ai.generateText run', async () => {
  let served = 0;
  harness.provider.respondWith('openai.chat', () => {
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
  const weather = ai.tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }: { city: string }) => ({ city, celsius: 21 }),
  });
  const result = await ai.generateText({
    model: openai.chat('gpt-5.5'),
    prompt: 'Weather in Paris?',
    tools: { weather },
    stopWhen: ai.stepCountIs(5),
    experimental_telemetry: { ...telemetry, functionId: 'weather-v6' },
  });
  assert.equal(result.steps.length, 3);
  const spans = await waitForSpans(harness, 6);
  // The chat fixture, read from ai.usage.*: 2150 input of which 1920 cache reads, 384 reasoning; flex tier from
  // the response body is not in the AI SDK 6 span, so the call is priced at the standard rate:
  // (230 × 5 + 1920 × 0.5 + 420 × 30) / 1e6 = 0.01471.
  assert.deepEqual(
    calls(spans).map((span) => pick(span, KEYS)),
    Array.from({ length: 3 }, () => ({
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 2150,
      'gen_ai.usage.cache_read.input_tokens': 1920,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 384,
      'tokenledger.usage.uncached.input_tokens': 230,
      // Nothing written to the cache: the TTL split is left off.
      'tokenledger.usage.cache_write.ttl_5m.input_tokens': undefined,
      'tokenledger.usage.cache_write.ttl_1h.input_tokens': undefined,
      'tokenledger.cost.usd': 0.01471,
    })),
  );
  const run = spans.find((span) => span.name === 'ai.generateText')!;
  assert.equal(run.attributes['tokenledger.cost.usd'], undefined, 'the aggregate is no call');
  assert.deepEqual(pick(run, ['tokenledger.run.steps', 'tokenledger.run.tool_calls', 'tokenledger.run.cost.usd', 'tokenledger.run.complete']), {
    'tokenledger.run.steps': 3,
    'tokenledger.run.tool_calls': 2,
    'tokenledger.run.cost.usd': 0.04413, // 3 × 0.01471
    'tokenledger.run.complete': true,
  });
  assert.equal(spans.filter((span) => span.name.startsWith('invoke_agent')).length, 0, "tokenledger's AI SDK 7 integration ignores AI SDK 6");
  // The AI SDK's doGenerate spans are the calls' only spans: no duplicate, and the spans add up to the run.
  await assertOneCostPerCall(spans, { duplicates: 0, priced: 3, costUsd: 0.04413 });
});

test('ai sdk 6 streamText on Anthropic with its telemetry: the TTL split comes from the provider metadata', async () => {
  // @ai-sdk/anthropic 3 rejects `citations: null`, which the stream fixture does not send. The provider metadata
  // is an output attribute of the AI SDK's span: recorded unless the app sets `recordOutputs: false` (then every
  // write is read as a 5-minute write, the rule for a write total without its split).
  harness.provider.enqueue('anthropic.messages', { sse: sseBlocks(fixtureText('anthropic-messages.sse')) });
  const result = ai.streamText({ model: anthropic('claude-sonnet-5-5'), prompt: 'hi', experimental_telemetry: { isEnabled: true } });
  for await (const _ of result.textStream);
  const spans = await waitForSpans(harness, 2);
  const [call] = calls(spans);
  // 50 uncached + 12000 read + 1000 5-minute + 2000 1-hour writes, 530 output (500 thinking): 0.0183 (ai-sdk.test.ts).
  assert.deepEqual(pick(call!, KEYS), {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.usage.input_tokens': 15050,
    'gen_ai.usage.cache_read.input_tokens': 12000,
    'gen_ai.usage.cache_write.input_tokens': 3000,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'tokenledger.usage.uncached.input_tokens': 50,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
    'tokenledger.cost.usd': 0.0183,
  });
  assert.equal(spans.find((span) => span.name === 'ai.streamText')!.attributes['tokenledger.run.cost.usd'], 0.0183);
  await assertOneCostPerCall(spans, { duplicates: 0, priced: 1, costUsd: 0.0183 });
});

test('ai sdk 6 with no telemetry option: generateText and streamText ask for its own spans, without content or headers', async () => {
  // The alias loads under another name: the module definition's patch is applied by hand, as the hook would.
  const instrumentation = new AiSdkInstrumentation();
  const patched = instrumentation.patchV6(requireFromTest('ai6')) as typeof import('ai6');
  const options = { model: openai.chat('gpt-5.5'), prompt: 'What is the capital of France?', headers: { authorization: 'Bearer secret-in-a-header' } };
  const result = await patched.generateText(options);
  assert.equal(result.text, 'Paris is the capital of France.');
  assert.equal((options as Record<string, unknown>).experimental_telemetry, undefined, "the app's options are not changed");
  harness.provider.enqueue('anthropic.messages', { sse: sseBlocks(fixtureText('anthropic-messages.sse')) });
  const stream = patched.streamText({ model: anthropic('claude-sonnet-5-5'), prompt: 'hi' });
  for await (const _ of stream.textStream);
  const spans = await waitForSpans(harness, 4);
  const [chat, streamed] = calls(spans);
  // The chat fixture: the tier comes from the response body, which the AI SDK 6 span does not carry: standard rate.
  assert.deepEqual([chat!.attributes['gen_ai.usage.input_tokens'], chat!.attributes['tokenledger.cost.usd']], [2150, 0.01471]);
  // Anthropic: the TTL split from the (reduced) provider metadata, so the 1-hour writes keep their price: 0.0183.
  assert.deepEqual(pick(streamed!, KEYS), {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.usage.input_tokens': 15050,
    'gen_ai.usage.cache_read.input_tokens': 12000,
    'gen_ai.usage.cache_write.input_tokens': 3000,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'tokenledger.usage.uncached.input_tokens': 50,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
    'tokenledger.cost.usd': 0.0183,
  });
  assert.equal(spans.find((span) => span.name === 'ai.generateText')!.attributes['tokenledger.run.steps'], 1);
  for (const span of spans) {
    const keys = Object.keys(span.attributes);
    assert.ok(!keys.includes('ai.request.headers.authorization'), `${span.name}: no request header but the user agent`);
    assert.ok(
      !keys.some((key) => key.startsWith('ai.prompt') || ['ai.response.text', 'ai.response.reasoning', 'ai.response.toolCalls'].includes(key)),
      `${span.name}: no content`,
    );
  }
  const metadata = JSON.parse(String(streamed!.attributes['ai.response.providerMetadata'])) as { anthropic: Record<string, unknown> };
  assert.deepEqual(Object.keys(metadata), ['anthropic']);
  assert.deepEqual(Object.keys(metadata.anthropic), ['usage', 'cacheCreationInputTokens'], 'the metadata is reduced to usage and tier');
  // An app that decided (here: off) keeps its decision: no span.
  harness.reset();
  await patched.generateText({ ...options, experimental_telemetry: { isEnabled: false } });
  assert.equal(harness.spans().length, 0);
  instrumentation.disable();
});

test('ai sdk 6 ToolLoopAgent with no telemetry setting: its calls and tool are recorded in its run', async () => {
  const instrumentation = new AiSdkInstrumentation();
  const patched = instrumentation.patchV6(requireFromTest('ai6')) as typeof import('ai6');
  let served = 0;
  harness.provider.respondWith('openai.chat', () => {
    served += 1;
    const completion = fixtureJson('openai-chat.json');
    completion.id = `chatcmpl-agent-${served}`;
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
  const weather = patched.tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }: { city: string }) => ({ city, celsius: 21 }),
  });
  const settings = { model: openai.chat('gpt-5.5'), tools: { weather } };
  const agent = new patched.ToolLoopAgent(settings);
  const result = await agent.generate({ prompt: 'Weather in Paris?' });
  assert.equal(result.text, 'Paris is the capital of France.');
  assert.equal((settings as Record<string, unknown>).experimental_telemetry, undefined, "the app's settings are not changed");
  // Two calls, the tool and the run.
  const spans = await waitForSpans(harness, 4);
  assert.deepEqual(
    calls(spans).map((span) => span.attributes['tokenledger.cost.usd']),
    [0.01471, 0.01471],
  );
  const run = spans.find((span) => span.name === 'ai.generateText')!;
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd']],
    [2, 1, 0.02942],
  );
  instrumentation.disable();
});

test('ai sdk 6 with no telemetry option: generateObject, streamObject, embed and embedMany each record one exact span per provider call', async () => {
  const instrumentation = new AiSdkInstrumentation();
  const patched = instrumentation.patchV6(requireFromTest('ai6')) as typeof import('ai6');
  const json = fixtureJson('openai-chat.json');
  (json.choices as Array<{ message: { content: string } }>)[0]!.message.content = '{"city":"Paris"}';
  harness.provider.enqueue('openai.chat', { json });
  const schema = z.object({ city: z.string() });
  assert.deepEqual((await patched.generateObject({ model: openai.chat('gpt-5.5'), schema, prompt: 'Which city?' })).object, { city: 'Paris' });
  harness.provider.enqueue('anthropic.messages', { sse: sseBlocks(fixtureText('anthropic-messages.sse')) });
  const streamed = patched.streamObject({ model: anthropic('claude-sonnet-5-5'), output: 'no-schema', prompt: 'Which city?' });
  for await (const _ of streamed.partialObjectStream);
  const embedder = openai.embedding('text-embedding-3-small');
  await patched.embed({ model: embedder, value: 'hello' });
  const two = [0, 1].map((index) => ({ object: 'embedding', index, embedding: [0.25, -0.5, 0.125] }));
  harness.provider.enqueue('openai.embeddings', {
    json: { object: 'list', data: two, model: 'text-embedding-3-small', usage: { prompt_tokens: 12, total_tokens: 12 } },
  });
  await patched.embedMany({ model: embedder, values: ['a', 'b'] });
  assert.equal(harness.provider.requests.length, 4);
  const spans = await waitForSpans(harness, 8);
  const recorded = calls(spans);
  assert.deepEqual(
    recorded.map((span) => span.attributes['ai.operationId']),
    ['ai.generateObject.doGenerate', 'ai.streamObject.doStream', 'ai.embed.doEmbed', 'ai.embedMany.doEmbed'],
  );
  // generateObject: AI SDK 6's span has only the input and output totals, not the 1920 cache reads or 384
  // reasoning tokens of the chat fixture: those are unknown, so is the cost (never a price that ignores the cache).
  assert.deepEqual(
    pick(recorded[0]!, [
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.reasoning.output_tokens',
      'tokenledger.cost.usd',
      'tokenledger.cost.unknown_reason',
    ]),
    {
      'gen_ai.usage.input_tokens': 2150,
      'gen_ai.usage.output_tokens': 420,
      'gen_ai.usage.cache_read.input_tokens': undefined,
      'gen_ai.usage.reasoning.output_tokens': undefined,
      'tokenledger.cost.usd': undefined,
      'tokenledger.cost.unknown_reason': 'usage_unknown',
    },
  );
  // streamObject on Anthropic: the TTL split from the provider metadata, 0.0183 (as streamText above).
  assert.deepEqual(pick(recorded[1]!, KEYS), {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.usage.input_tokens': 15050,
    'gen_ai.usage.cache_read.input_tokens': 12000,
    'gen_ai.usage.cache_write.input_tokens': 3000,
    'gen_ai.usage.reasoning.output_tokens': 500,
    'tokenledger.usage.uncached.input_tokens': 50,
    'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
    'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
    'tokenledger.cost.usd': 0.0183,
  });
  // Embeddings: 8 and 12 input tokens, text-embedding-3-small at $0.02 per million: 1.6e-7 and 2.4e-7.
  assert.deepEqual(
    recorded
      .slice(2)
      .map((span) => [
        span.attributes['gen_ai.operation.name'],
        span.attributes['gen_ai.provider.name'],
        span.attributes['gen_ai.request.model'],
        span.attributes['gen_ai.usage.input_tokens'],
        span.attributes['gen_ai.usage.output_tokens'],
        span.attributes['tokenledger.cost.usd'],
      ]),
    [
      ['embeddings', 'openai', 'text-embedding-3-small', 8, 0, 1.6e-7],
      ['embeddings', 'openai', 'text-embedding-3-small', 12, 0, 2.4e-7],
    ],
  );
  // The aggregates (`ai.generateObject`, `ai.embed`, …) are no calls, and the vectors are not recorded.
  assert.equal(
    spans.filter((span) => span.attributes['gen_ai.usage.input_tokens'] !== undefined && span.attributes['tokenledger.usage.source_convention'] !== undefined)
      .length,
    4,
  );
  assert.ok(spans.every((span) => span.attributes['ai.embedding'] === undefined && span.attributes['ai.embeddings'] === undefined));
  instrumentation.disable();
});
