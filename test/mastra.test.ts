// Mastra 1.x (`@mastra/core`) with an AI SDK 7 provider model against the fake provider. Its agent loop calls the
// provider model directly, past every hook tokenledger uses, so its calls are not recorded: the request sensor
// sees them, and the run around them says it is incomplete rather than showing a cost of $0 as complete.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AiSdkInstrumentation } from '../instrumentation/ai-sdk/instrumentation.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { ProviderRequestSensor } from '../instrumentation/request-sensor/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { startHarness, waitForSpans, type Harness } from './harness.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness([new AiSdkInstrumentation(), new ProviderRequestSensor()], [new TokenledgerSpanProcessor()]);
});
after(() => harness.stop());

test('mastra: an agent run whose calls tokenledger cannot record says complete = false, uncovered_requests', async () => {
  const { Agent } = await import('@mastra/core/agent');
  const { createOpenAI } = await import('@ai-sdk/openai');
  const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${harness.provider.url}/v1` });
  const agent = new Agent({ id: 'support', name: 'support', instructions: 'Be brief.', model: openai.chat('gpt-5.5') as never });
  const result = await agentRun({ name: 'mastra-support' }, () => agent.generate('What is the capital of France?'));
  assert.equal(result.text, 'Paris is the capital of France.');
  assert.equal(harness.provider.requests.length, 1);
  const [run] = await waitForSpans(harness, 1);
  assert.equal(run!.name, 'invoke_agent mastra-support');
  assert.deepEqual(
    [run!.attributes['tokenledger.run.steps'], run!.attributes['tokenledger.run.complete'], run!.attributes['tokenledger.run.incomplete_reason'], run!.attributes['tokenledger.run.uncovered_requests']],
    [0, false, 'uncovered_requests', 1],
  );
});
