// Attribution with the real openai SDK against the fake provider: the baggage keys the app names are copied onto
// LLM call, tool and run spans (a user id hashed), label the cost, token and run metrics (capped per key, the excess
// counted), and key the per-tenant budgets. gpt-4.1: $2 input, $8 output per MTok; every response bills 1000 input +
// 100 output tokens = 1000 × 2e-6 + 100 × 8e-6 = $0.0028.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import type OpenAIClient from 'openai';
import { ManualClock } from '../base/manual-clock.ts';
import { agentRun } from '../instrumentation/agent/run.ts';
import { tool } from '../instrumentation/agent/tool.ts';
import { BudgetExceededError } from '../instrumentation/common/guard-errors.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { answerGpt41 } from './openai-app.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';
import { testMeterProvider, type TestMetricReader } from './metric-reader.ts';

const instrumentation = new OpenAIInstrumentation();
let harness: Harness;
let client: OpenAIClient;
let reader: TestMetricReader;
const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));

before(async () => {
  const meters = testMeterProvider();
  reader = meters.reader;
  const processor = new TokenledgerSpanProcessor({
    meterProvider: meters.meterProvider,
    attribution: { baggageKeys: ['tenant.id', 'user.id', 'feature'], hashKeys: ['user.id'], hashSalt: 's3cret', maxValuesPerKey: 2 },
    guardrails: { tenants: { key: 'tenant.id', budgets: { acme: { maxSteps: 3 } }, mode: 'enforce' } },
    clock,
  });
  enableGuardrails(processor);
  harness = await startHarness([instrumentation], [processor]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => {
  answerGpt41(harness.provider, { prompt: 1000, completion: 100 });
});

const ask = () => client.chat.completions.create({ model: 'gpt-4.1', max_completion_tokens: 100, messages: [{ role: 'user', content: 'step' }] });
const lookup = tool('lookup', async (id: string) => `record ${id}`);

function withBaggage<T>(entries: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const baggage = propagation.createBaggage(Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { value }])));
  return context.with(propagation.setBaggage(context.active(), baggage), work);
}

/** The first 16 hex digits of HMAC-SHA256 keyed with the salt, worked out here apart from the code under test. */
const hashed = (id: string) => createHmac('sha256', 's3cret').update(id).digest('hex').slice(0, 16);

async function sumBy(metric: string, key: string): Promise<Record<string, number>> {
  const data = (await reader.metricsByName()).get(metric);
  const sums: Record<string, number> = {};
  for (const point of data?.dataPoints ?? []) {
    const label = String(point.attributes[key] ?? '(none)');
    const value = typeof point.value === 'number' ? point.value : (point.value as { sum: number }).sum;
    sums[label] = Math.round(((sums[label] ?? 0) + value) * 1e10) / 1e10;
  }
  return sums;
}

test('attribution: baggage entries land on LLM call, tool and run spans, the user id hashed; other spans get none', async () => {
  await withBaggage({ 'tenant.id': 'acme', 'user.id': 'u-1', feature: 'search' }, () =>
    agentRun({ name: 'support' }, async () => {
      await ask();
      await lookup('42');
      trace.getTracer('app').startSpan('db query').end();
      await ask();
    }),
  );
  const expected = { 'tenant.id': 'acme', 'user.id': hashed('u-1'), feature: 'search' };
  const spans = harness.spans();
  const pick = (name: string) => {
    const attributes = spans.filter((span) => span.name === name).map((span) => span.attributes);
    assert.ok(attributes.length > 0, `no span ${name}`);
    return attributes.map((a) => ({ 'tenant.id': a['tenant.id'], 'user.id': a['user.id'], feature: a.feature }));
  };
  assert.deepEqual(pick('chat gpt-4.1'), [expected, expected]);
  assert.deepEqual(pick('execute_tool lookup'), [expected]);
  assert.deepEqual(pick('invoke_agent support'), [expected]);
  assert.deepEqual(pick('db query'), [{ 'tenant.id': undefined, 'user.id': undefined, feature: undefined }]);
  assert.equal(hashed('u-1').length, 16);
  assert.notEqual(hashed('u-1'), 'u-1');
});

test('attribution: cost, tokens and runs are labelled by key; a third tenant past the cap of 2 is _overflow, counted', async () => {
  await withBaggage({ 'tenant.id': 'globex', 'user.id': 'u-2', feature: 'search' }, () => agentRun({ name: 'support' }, () => ask()));
  await withBaggage({ 'tenant.id': 'initech', feature: 'billing' }, () => agentRun({ name: 'support' }, () => ask()));
  // acme: 2 calls (previous test) = $0.0056; globex: 1 call = $0.0028; initech is the third tenant → _overflow.
  assert.deepEqual(await sumBy('tokenledger.cost', 'tenant.id'), { acme: 0.0056, globex: 0.0028, _overflow: 0.0028 });
  // Tokens: 1100 a call. feature: search for acme's 2 and globex's 1; billing for initech's (2 values, under the cap).
  assert.deepEqual(await sumBy('tokenledger.tokens', 'feature'), { search: 3300, billing: 1100 });
  // user.id: the two hashed ids; initech's call had none, so no label.
  assert.deepEqual(await sumBy('tokenledger.tokens', 'user.id'), { [hashed('u-1')]: 2200, [hashed('u-2')]: 1100, '(none)': 1100 });
  assert.deepEqual(await sumBy('tokenledger.runs', 'tenant.id'), { acme: 1, globex: 1, _overflow: 1 });
  assert.deepEqual(await sumBy('tokenledger.run.cost', 'tenant.id'), { acme: 0.0056, globex: 0.0028, _overflow: 0.0028 });
  // initech's call and its run: two records whose tenant was replaced.
  assert.deepEqual(await sumBy('tokenledger.attribution.overflow', 'tokenledger.attribution.key'), { 'tenant.id': 2 });
});

test('tenant budget: acme may make 3 calls a day across its runs; the 4th is stopped, then a new day starts at 0', async () => {
  // acme made 2 calls in the first test, in another run: this run's first call is its 3rd, the second would be its 4th.
  let caught: unknown;
  await withBaggage({ 'tenant.id': 'acme' }, () =>
    agentRun({ name: 'support' }, async () => {
      await ask();
      try {
        await ask();
      } catch (error) {
        caught = error;
      }
    }),
  );
  assert.ok(caught instanceof BudgetExceededError, `expected a BudgetExceededError, got ${String(caught)}`);
  assert.equal(caught.limit, 'tenant_max_steps');
  assert.equal(caught.tenant, 'acme');
  assert.equal(caught.spent, 3);
  assert.equal(caught.max, 3);
  assert.match(caught.message, /^tenant acme: tenant_max_steps budget of 3 would be exceeded/);
  const run = harness
    .spans()
    .filter((span) => span.name === 'invoke_agent support')
    .at(-1)!;
  assert.equal(run.attributes['tokenledger.run.budget.exceeded'], 'tenant_max_steps');
  const event = run.events.find((e) => e.name === 'tokenledger.budget.exceeded');
  assert.equal(event?.attributes?.['tenant.id'], 'acme');
  // globex has no budget of its own and there is no default: never limited.
  await withBaggage({ 'tenant.id': 'globex' }, () =>
    agentRun({ name: 'support' }, async () => {
      for (let i = 0; i < 4; i += 1) await ask();
    }),
  );
  clock.advance(86_400_000); // the next UTC day
  await withBaggage({ 'tenant.id': 'acme' }, () => agentRun({ name: 'support' }, () => ask()));
});
