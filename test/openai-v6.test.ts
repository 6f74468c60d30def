// `openai` 6.x, the previous major (installed as the `openai6` alias): the same patch points hold. The alias
// loads under another name, so the module definition's patch is applied to it by hand, as the hook would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { fixtureJson } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new OpenAIInstrumentation();
let harness: Harness;
let client: {
  chat: { completions: { create(body: unknown): Promise<AsyncIterable<unknown> & { id?: string }> } };
  responses: { create(body: unknown): Promise<{ id: string }> };
};

before(async () => {
  harness = await startHarness([instrumentation]);
  const moduleExports = requireFromTest('openai6');
  const version = (await import('openai6/version')).VERSION as string;
  assert.match(version, /^6\./);
  const [definition] = instrumentation.getModuleDefinitions();
  definition!.patch!(moduleExports, version);
  client = new moduleExports.default({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());

test('openai 6: chat, chat streams and responses record the same usage as on 7', async () => {
  await client.chat.completions.create(fixtureJson('openai-chat.request.json'));
  const stream = await client.chat.completions.create({ ...fixtureJson('openai-chat.request.json'), stream: true });
  let chunks = 0;
  for await (const _ of stream) chunks += 1;
  assert.equal(chunks, 4, 'the usage chunk tokenledger asked for is hidden');
  await client.responses.create(fixtureJson('openai-responses.request.json'));
  const spans = await waitForSpans(harness, 3);
  assert.deepEqual(
    spans.map((span) => [span.attributes['gen_ai.usage.input_tokens'], span.attributes['tokenledger.usage.uncached.input_tokens']]),
    [
      [2150, 230],
      [2150, 230],
      [3200, 128],
    ],
  );
  assert.equal(onlySpan(spans.filter((span) => span.attributes['openai.api.type'] === 'responses')).attributes['gen_ai.usage.reasoning.output_tokens'], 768);
});
