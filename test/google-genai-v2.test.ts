// `@google/genai` 2.x, the previous major (installed as the `genai2` alias): the same Models internals hold.
// The alias loads under another name, so the module definition's patch is applied to it by hand.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GoogleGenAIInstrumentation } from '../instrumentation/google-genai/instrumentation.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new GoogleGenAIInstrumentation();
let harness: Harness;
let gemini: { models: { generateContent(p: unknown): Promise<unknown>; generateContentStream(p: unknown): Promise<AsyncIterable<unknown>> } };

before(async () => {
  harness = await startHarness([instrumentation]);
  const moduleExports = requireFromTest('genai2');
  const version = (JSON.parse(readFileSync(new URL('../node_modules/genai2/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  assert.match(version, /^2\./);
  instrumentation.getModuleDefinitions()[0]!.patch!(moduleExports, version);
  gemini = new moduleExports.GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: harness.provider.url } });
});
after(() => harness.stop());

test('@google/genai 2: generateContent and generateContentStream record the same usage as on 3', async () => {
  await gemini.models.generateContent(fixtureJson('gemini-generate.request.json'));
  const stream = await gemini.models.generateContentStream(fixtureJson('gemini-generate.request.json'));
  for await (const _ of stream);
  const spans = await waitForSpans(harness, 2);
  assert.deepEqual(
    spans.map((span) => [
      span.attributes['gen_ai.usage.input_tokens'],
      span.attributes['gen_ai.usage.output_tokens'],
      span.attributes['gen_ai.request.stream'],
    ]),
    [
      [5320, 520, false],
      [5320, 520, true],
    ],
  );
});
