// The AI SDK 7 with its own OpenTelemetry switched on as well (@ai-sdk/otel: `OpenTelemetry`, or the legacy `ai.*`
// spans of `LegacyOpenTelemetry`): each provider call is still counted once. tokenledger's call span (exact
// figures) is counted; the AI SDK's span of the same call is marked a duplicate; the AI SDK's run and tool spans
// form the run, and its aggregate span's totals are never a call.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';

const instrumentation = new AiSdkInstrumentation();
let harness: Harness;
let ai: typeof import('ai');
let otel: typeof import('@ai-sdk/otel');
let openai: ReturnType<typeof import('@ai-sdk/openai').createOpenAI>;
let z: typeof import('zod').z;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  ai = await import('ai');
  otel = await import('@ai-sdk/otel');
  z = (await import('zod')).z;
  openai = (await import('@ai-sdk/openai')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

/** Registers the AI SDK's own integration for one test, after tokenledger's (as an app does at its start). */
async function withAiSdkTelemetry(integration: object, work: () => Promise<void>): Promise<void> {
  ai.registerTelemetry(integration as Parameters<typeof ai.registerTelemetry>[0]);
  try {
    await work();
  } finally {
    const list = (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS!;
    list.splice(list.indexOf(integration), 1);
  }
}

async function weatherAgent(): Promise<void> {
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
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
  await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: ai.isStepCount(5) });
}

/** LLM call spans (the processor prices every one) that are not marked duplicates. */
const counted = (spans: ReadableSpan[]) =>
  spans.filter((span) => span.attributes['tokenledger.cost.usd'] !== undefined && span.attributes['tokenledger.call.duplicate_of'] === undefined);
const duplicates = (spans: ReadableSpan[]) => spans.filter((span) => span.attributes['tokenledger.call.duplicate_of'] !== undefined);

// Per call (the chat fixture on the flex tier): 0.007355 (see ai-sdk.test.ts); three calls 0.022065.
test('ai sdk 7 + @ai-sdk/otel: one counted span per call, the otel call span marked, its invoke_agent the run', async () => {
  await withAiSdkTelemetry(new otel.OpenTelemetry(), weatherAgent);
  const spans = await waitForSpans(harness, 12);
  assert.equal(harness.provider.requests.length, 3);
  const calls = counted(spans);
  assert.deepEqual(
    calls.map((span) => [
      span.instrumentationScope.name,
      span.attributes['gen_ai.response.id'],
      span.attributes['gen_ai.usage.reasoning.output_tokens'],
      span.attributes['tokenledger.cost.usd'],
    ]),
    [
      ['tokenledger-instrumentation-ai-sdk', 'chatcmpl-1', 384, 0.007355],
      ['tokenledger-instrumentation-ai-sdk', 'chatcmpl-2', 384, 0.007355],
      ['tokenledger-instrumentation-ai-sdk', 'chatcmpl-3', 384, 0.007355],
    ],
  );
  const marked = duplicates(spans);
  assert.equal(marked.length, 3);
  for (const [index, span] of marked.entries()) {
    assert.equal(span.name, 'chat gpt-5.5');
    assert.notEqual(span.instrumentationScope.name, 'tokenledger-instrumentation-ai-sdk');
    assert.equal(span.attributes['tokenledger.call.duplicate_of'], calls[index]!.spanContext().spanId);
    // tokenledger's span is inside it (nested_llm_span too); the response id is the first rule that tells.
    assert.equal(span.attributes['tokenledger.call.duplicate_reason'], 'same_response_id');
  }
  const runs = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent');
  assert.equal(runs.length, 1, "tokenledger makes no run span of its own beside the AI SDK's");
  assert.deepEqual(
    [runs[0]!.attributes['tokenledger.run.steps'], runs[0]!.attributes['tokenledger.run.tool_calls'], runs[0]!.attributes['tokenledger.run.cost.usd']],
    [3, 2, 0.022065],
  );
  assert.equal(runs[0]!.attributes['gen_ai.usage.input_tokens'], 6450, 'the run totals the AI SDK writes stay as they are');
  assert.equal(spans.filter((span) => span.name.startsWith('execute_tool')).length, 2);
  await assertOneCostPerCall(spans, { duplicates: 3, priced: 3, costUsd: 0.022065 });
});

test('ai sdk 7 + legacy ai.* spans: the doGenerate spans are marked, ai.generateText is the run and ai.toolCall its tools', async () => {
  await withAiSdkTelemetry(new otel.LegacyOpenTelemetry(), weatherAgent);
  const spans = await waitForSpans(harness, 9);
  const calls = counted(spans);
  assert.deepEqual(
    calls.map((span) => [span.instrumentationScope.name, span.attributes['tokenledger.cost.usd']]),
    [
      ['tokenledger-instrumentation-ai-sdk', 0.007355],
      ['tokenledger-instrumentation-ai-sdk', 0.007355],
      ['tokenledger-instrumentation-ai-sdk', 0.007355],
    ],
  );
  const marked = duplicates(spans);
  assert.deepEqual(
    marked.map((span) => span.name),
    ['ai.generateText.doGenerate', 'ai.generateText.doGenerate', 'ai.generateText.doGenerate'],
  );
  assert.deepEqual(
    marked.map((span) => span.attributes['tokenledger.usage.source_convention']),
    ['ai_sdk', 'ai_sdk', 'ai_sdk'],
  );
  const run = spans.find((span) => span.name === 'ai.generateText')!;
  assert.equal(run.attributes['tokenledger.usage.input_tokens'], undefined, 'the aggregate is no call');
  assert.deepEqual(
    [run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.tool_calls'], run.attributes['tokenledger.run.cost.usd']],
    [3, 2, 0.022065],
  );
  assert.equal(spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'invoke_agent').length, 0);
  await assertOneCostPerCall(spans, { duplicates: 3, priced: 3, costUsd: 0.022065 });
});
