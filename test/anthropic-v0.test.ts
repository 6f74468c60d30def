// `@anthropic-ai/sdk` 0.x (installed as the `anthropic0115`, `anthropic0120`, `anthropic0122` and `anthropic0137`
// aliases): the releases LangChain.js's `@langchain/anthropic` pins, and the last before 1.0. The aliases load
// under other names, so the module definition's file patches are applied to each by hand, as the hook would; LangChain's
// own `ChatAnthropic`, whose nested 0.122 the hook patches as it loads, is tested end to end.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnthropicInstrumentation, SUPPORTED_ANTHROPIC_VERSIONS } from '../instrumentation/anthropic/instrumentation.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new AnthropicInstrumentation();
let harness: Harness;
const ALIASES = ['anthropic0115', 'anthropic0120', 'anthropic0122', 'anthropic0137'] as const;
type Client = {
  messages: { create(body: unknown): Promise<unknown>; stream(body: unknown): { finalMessage(): Promise<{ usage: { output_tokens: number } }> } };
};
const clients = new Map<string, Client>();

/** `version` within a declared `>=a.b.c <x.y.z` range (the only form the instrumentation declares). */
function declared(version: string, range: string): boolean {
  const parts = (text: string) => text.split('.').map(Number).concat(0, 0).slice(0, 3);
  const compare = (a: number[], b: number[]) => a.reduce((order, value, i) => order || Math.sign(value - b[i]!), 0);
  const [, low, high] = /^>=(\S+) <(\S+)$/.exec(range)!;
  return compare(parts(version), parts(low!)) >= 0 && compare(parts(version), parts(high!)) < 0;
}

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor()]);
  for (const alias of ALIASES) {
    const version = (JSON.parse(readFileSync(new URL(`../node_modules/${alias}/package.json`, import.meta.url), 'utf8')) as { version: string }).version;
    assert.ok(
      SUPPORTED_ANTHROPIC_VERSIONS.some((range) => declared(version, range)),
      `${version} is declared`,
    );
    const moduleExports = requireFromTest(alias);
    for (const file of instrumentation.getModuleDefinitions()[0]!.files) {
      // By file path: the package's `exports` map hides internal files from a bare specifier.
      const path = fileURLToPath(new URL(`../node_modules/${file.name.replace('@anthropic-ai/sdk/', `${alias}/`)}`, import.meta.url));
      if (path.endsWith('.js') && existsSync(path)) file.patch(requireFromTest(path), version);
    }
    clients.set(alias, new moduleExports.default({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0, openTelemetry: false }));
  }
});
after(() => harness.stop());
beforeEach(() => harness.reset());

const KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'tokenledger.usage.uncached.input_tokens',
  'tokenledger.usage.cache_write.ttl_5m.input_tokens',
  'tokenledger.usage.cache_write.ttl_1h.input_tokens',
  'tokenledger.cost.usd',
];
// The fixture: 50 uncached + 12000 read + 1000 5-minute + 2000 1-hour writes = 15050 input; 530 output, 500
// thinking. claude-sonnet-5 rates: 0.0001 + 0.0024 + 0.0025 + 0.008 + 0.0053 = 0.0183 (anthropic.test.ts).
const EXPECTED = [15050, 12000, 500, 50, 1000, 2000, 0.0183];

for (const alias of ALIASES) {
  test(`@anthropic-ai/sdk 0.${alias.slice('anthropic0'.length)}: create, stream and the stream helper are one exact span each`, async () => {
    const client = clients.get(alias)!;
    const request = fixtureJson('anthropic-messages.request.json');
    await client.messages.create(request);
    const stream = (await client.messages.create({ ...request, stream: true })) as AsyncIterable<unknown>;
    for await (const _ of stream);
    const final = await client.messages.stream(request).finalMessage();
    assert.equal(final.usage.output_tokens, 530);
    const spans = await waitForSpans(harness, 3);
    assert.equal(spans.length, 3);
    for (const span of spans) {
      assert.equal(span.instrumentationScope.name, 'tokenledger-instrumentation-anthropic');
      assert.deepEqual(
        KEYS.map((key) => span.attributes[key]),
        EXPECTED,
        span.name,
      );
    }
  });
}

test('LangChain.js ChatAnthropic (its own @anthropic-ai/sdk 0.122): each call is one exact span, inside the run', async () => {
  const { ChatAnthropic } = requireFromTest('@langchain/anthropic') as typeof import('@langchain/anthropic');
  const model = new ChatAnthropic({ model: 'claude-sonnet-5-5', apiKey: 'test-key', anthropicApiUrl: harness.provider.url, maxRetries: 0 });
  await agentRun({ name: 'langchain-support' }, async () => {
    await model.invoke('What is the capital of France?');
    await model.invoke('And of Italy?');
  });
  const spans = await waitForSpans(harness, 3);
  const calls = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
  assert.equal(calls.length, 2);
  for (const span of calls)
    assert.deepEqual(
      KEYS.map((key) => span.attributes[key]),
      EXPECTED,
    );
  const run = spans.find((span) => span.name === 'invoke_agent langchain-support')!;
  assert.deepEqual([run.attributes['tokenledger.run.steps'], run.attributes['tokenledger.run.cost.usd']], [2, 0.0366]);
});
