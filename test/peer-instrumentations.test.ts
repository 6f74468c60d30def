// tokenledger's processor beside OpenInference's and OpenLIT's own instrumentations of a provider SDK (an app that
// kept its Phoenix or OpenLIT setup): every call makes two LLM spans, one inside the other. One is counted (the first
// to end in process; the inner one in collector mode); the other is marked a duplicate and states no cost, so the
// spans add up to the bill, in process and in collector mode.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type AnthropicClient from '@anthropic-ai/sdk';
import type OpenAIClient from 'openai';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';
import { assertOneCostPerCall } from './one-cost-per-call.ts';
import { openInferenceInstrumentation, openlitInstrumentation, patch } from './peer-instrumentations.ts';

let harness: Harness;
/** openai 7, which tokenledger's instrumentation patches as it loads, then OpenInference's around it. */
let client: OpenAIClient;
/**
 * openai 6 (loaded under its alias, which tokenledger's hook does not patch): OpenLIT's instrumentation, then
 * OpenInference's around it. OpenLIT unwraps whatever wrapped `create` before it, so it cannot sit beside tokenledger's.
 */
let peersOnly: OpenAIClient;
/** The Anthropic SDK with its own spans (`sdkSpans: 'keep'`), OpenInference's around them. */
let anthropic: AnthropicClient;

before(async () => {
  harness = await startHarness([new OpenAIInstrumentation(), new AnthropicInstrumentation({ sdkSpans: 'keep' })], [new TokenledgerSpanProcessor()]);
  const openai = requireFromTest('openai');
  openInferenceInstrumentation('openai', harness.tracerProvider, openai);
  client = new openai.default({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  const openai6 = requireFromTest('openai6');
  patch(openlitInstrumentation('openai'), harness.tracerProvider, openai6, requireFromTest('openai6/version').VERSION);
  openInferenceInstrumentation('openai', harness.tracerProvider, openai6);
  peersOnly = new openai6.default({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  const anthropicSdk = requireFromTest('@anthropic-ai/sdk');
  openInferenceInstrumentation('anthropic', harness.tracerProvider, anthropicSdk);
  anthropic = new anthropicSdk.default({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const chatRequest = () => fixtureJson('openai-chat.request.json') as unknown as OpenAIClient.ChatCompletionCreateParamsNonStreaming;
const messagesRequest = () => fixtureJson('anthropic-messages.request.json') as unknown as AnthropicClient.MessageCreateParamsNonStreaming;

/** Two calls; each span's instrumentation scope, duplicate reason and cost, in the order they ended. */
async function twoCalls(call: () => Promise<unknown>) {
  await call();
  await call();
  const spans = await waitForSpans(harness, 4);
  return {
    spans,
    byScope: spans.map((span) => [
      span.instrumentationScope.name,
      span.attributes['tokenledger.call.duplicate_reason'],
      span.attributes['tokenledger.cost.usd'],
    ]),
  };
}

/** The chat fixture on the flex tier, 0.007355 a call (ai-sdk.test.ts), counted on `scope`'s span, OpenInference's around it marked. */
const countedOn = (scope: string) => [
  [scope, undefined, 0.007355],
  ['@arizeai/openinference-instrumentation-openai', 'nested_llm_span', undefined],
  [scope, undefined, 0.007355],
  ['@arizeai/openinference-instrumentation-openai', 'nested_llm_span', undefined],
];

test("openinference beside tokenledger: each call counted once, on tokenledger's span; openinference's around it states no cost", async () => {
  const { spans, byScope } = await twoCalls(() => client.chat.completions.create(chatRequest()));
  assert.deepEqual(byScope, countedOn('tokenledger-instrumentation-openai'));
  await assertOneCostPerCall(spans, { duplicates: 2, priced: 2, costUsd: 0.01471 });
});

test("openlit and openinference with tokenledger's processor only: each call counted once, on the inner span", async () => {
  const { spans, byScope } = await twoCalls(() => peersOnly.chat.completions.create(chatRequest()));
  assert.deepEqual(byScope, countedOn('@openlit/instrumentation-openai'));
  await assertOneCostPerCall(spans, { duplicates: 2, priced: 2, costUsd: 0.01471 });
});

test("openinference around the anthropic sdk's own spans: each call counted once, on the inner span, whichever ends first", async () => {
  const { spans, byScope } = await twoCalls(() => anthropic.messages.create(messagesRequest()));
  // OpenInference's span ends before the SDK's own inside it, while the SDK's is still in flight: of two nested spans
  // of a call the innermost is counted, the SDK's, whose figures have the TTL split (1000 5-minute, 2000 1-hour
  // writes): 0.0183 a call. OpenInference's (no TTL split, 0.0153 had it been priced) is marked and states no cost.
  // Collector mode counts the same spans.
  assert.deepEqual(byScope, [
    ['@arizeai/openinference-instrumentation-anthropic', 'nested_llm_span', undefined],
    ['com.anthropic.sdk.typescript', undefined, 0.0183],
    ['@arizeai/openinference-instrumentation-anthropic', 'nested_llm_span', undefined],
    ['com.anthropic.sdk.typescript', undefined, 0.0183],
  ]);
  await assertOneCostPerCall(spans, { duplicates: 2, priced: 2, costUsd: 0.0366 });
});
