// The request sensor: a provider API request that no LLM span covers (a client tokenledger does not instrument)
// makes its run incomplete, with the reason; a request made inside an LLM span is covered. The requests
// themselves are untouched.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type OpenAIClient from 'openai';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { ProviderRequestSensor } from '../instrumentation/request-sensor/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

let harness: Harness;
let client: OpenAIClient;

before(async () => {
  harness = await startHarness([new OpenAIInstrumentation(), new AiSdkInstrumentation(), new ProviderRequestSensor()], [new TokenledgerSpanProcessor()]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const runOf = (name: string) => harness.spans().find((span) => span.name === `invoke_agent ${name}`)!;
const completeness = (name: string) => {
  const { attributes } = runOf(name);
  return [attributes['tokenledger.run.complete'], attributes['tokenledger.run.incomplete_reason'], attributes['tokenledger.run.uncovered_requests']];
};
const chatBody = JSON.stringify({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });

test('request sensor: a raw fetch to a provider API inside a run makes it incomplete, and reaches the server unchanged', async () => {
  let answer: unknown;
  await agentRun({ name: 'raw-fetch' }, async () => {
    const response = await fetch(`${harness.provider.url}/v1/chat/completions`, {
      method: 'POST',
      body: chatBody,
      headers: { 'content-type': 'application/json', 'x-app': 'mine' },
    });
    answer = await response.json();
  });
  assert.deepEqual(answer, fixtureJson('openai-chat.json'));
  assert.deepEqual(harness.provider.requests[0]!.body, JSON.parse(chatBody));
  assert.equal(harness.provider.requests[0]!.headers['x-app'], 'mine');
  assert.deepEqual(completeness('raw-fetch'), [false, 'uncovered_requests', 1]);
  assert.equal(runOf('raw-fetch').attributes['tokenledger.run.steps'], 0);
});

test('request sensor: an http.request to a provider API inside a run makes it incomplete', async () => {
  await agentRun({ name: 'raw-http' }, async () => {
    await new Promise<void>((resolve, reject) => {
      const url = new URL(`${harness.provider.url}/v1/messages`);
      const request = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } },
        (response) => {
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 8, messages: [] }));
    });
  });
  assert.deepEqual(completeness('raw-http'), [false, 'uncovered_requests', 1]);
});

test('request sensor: calls made through an instrumented SDK or the AI SDK are covered by their LLM spans', async () => {
  const ai = await import('ai');
  const openai = (await import('@ai-sdk/openai')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  await agentRun({ name: 'covered' }, async () => {
    await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
    await ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'hi' });
  });
  await waitForSpans(harness, 4);
  assert.deepEqual(completeness('covered'), [true, undefined, undefined]);
  assert.equal(runOf('covered').attributes['tokenledger.run.steps'], 2);
});

test('request sensor: an AI SDK 6 call with its telemetry switched off is seen, and its run does not claim to be complete', async () => {
  const ai = await import('ai6');
  const openai = (await import('ai-sdk-openai3')).createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  await agentRun({ name: 'ai-sdk-6' }, () => ai.generateText({ model: openai.chat('gpt-5.5'), prompt: 'hi', experimental_telemetry: { isEnabled: false } }));
  assert.deepEqual(completeness('ai-sdk-6'), [false, 'uncovered_requests', 1]);
});

test('request sensor: requests to other APIs are not provider calls', async () => {
  await agentRun({ name: 'other-api' }, async () => {
    await fetch(`${harness.provider.url}/api/messages`, { method: 'POST', body: '{}' }).then((response) => response.text());
  });
  assert.deepEqual(completeness('other-api'), [true, undefined, undefined]);
});
