// Guardrails with the real openai SDK against the fake provider: budgets in both modes (streamed, parallel and
// nested calls), the runaway-loop breaker, token caps and memoised tools. gpt-4.1 prices: $2 input, $8 output
// per MTok. A call's estimate is its prompt (characters / 4) at the input rate plus its max_tokens at the
// output rate; every queued response bills 1000 input + 100 output tokens = $0.0028.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import type OpenAIClient from 'openai';
import { agentRun } from '../instrumentation/agent/run.ts';
import { LruMemoStore } from '../instrumentation/agent/memo-store.ts';
import { tool } from '../instrumentation/agent/tool.ts';
import { registerCallGate, currentCallGate } from '../instrumentation/common/call-gate.ts';
import { BudgetExceededError, RunawayLoopError } from '../instrumentation/common/guard-errors.ts';
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

before(async () => {
  const meters = testMeterProvider();
  reader = meters.reader;
  const processor = new TokenledgerSpanProcessor({
    meterProvider: meters.meterProvider,
    guardrails: { agents: { capped: { maxOutputTokensCap: 200 }, budgeted: { budget: { maxSteps: 1 }, mode: 'enforce' } } },
  });
  enableGuardrails(processor);
  harness = await startHarness([instrumentation], [processor]);
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  answerGpt41(harness.provider, { prompt: 1000, completion: 100 });
});

// 'user' + 'step' = 8 characters → 2 tokens; with max_tokens 1000 the estimate is (2 × 2 + 1000 × 8) / 1e6.
const ESTIMATE = 0.008004;
const ask = (maxTokens = 1000) =>
  client.chat.completions.create({ model: 'gpt-4.1', max_completion_tokens: maxTokens, messages: [{ role: 'user', content: 'step' }] });

function runSpan(name: string) {
  const span = harness.spans().find((s) => s.name === `invoke_agent ${name}`);
  assert.ok(span, `no run span ${name}`);
  return span;
}

async function breaches(limit: string, mode: string): Promise<number | undefined> {
  const metric = (await reader.metricsByName()).get('tokenledger.guard.breaches');
  return metric?.dataPoints.find((p) => p.attributes['tokenledger.guard.limit'] === limit && p.attributes['tokenledger.guard.mode'] === mode)?.value as
    | number
    | undefined;
}

test('budget max_usd, enforce: the call that would break it is not sent and the app gets BudgetExceededError', async () => {
  let caught: unknown;
  const answer = await agentRun({ name: 'usd-enforce', budget: { maxUsd: 0.01 }, guardMode: 'enforce' }, async (run) => {
    const first = await ask();
    try {
      await ask(); // spent 0.0028 + estimate 0.008004 > 0.01
      return 'second';
    } catch (error) {
      caught = error;
      assert.equal(run.id, (error as BudgetExceededError).runId);
      return first.choices[0]!.message.content; // the best answer so far
    }
  });
  assert.equal(answer, 'Paris is the capital of France.');
  assert.ok(caught instanceof BudgetExceededError);
  assert.equal(caught.name, 'BudgetExceededError');
  assert.equal(caught.limit, 'max_usd');
  assert.equal(caught.max, 0.01);
  assert.ok(Math.abs(caught.spent - 0.0028) < 1e-12);
  assert.ok(Math.abs(caught.estimate - ESTIMATE) < 1e-12);
  assert.equal(harness.provider.requests.length, 1, 'the second call never reached the provider');
  const run = runSpan('usd-enforce');
  assert.equal(run.attributes['tokenledger.run.budget.exceeded'], 'max_usd');
  assert.equal(run.attributes['tokenledger.run.budget.breaches'], 1);
  assert.equal(run.attributes['tokenledger.run.budget.max_usd'], 0.01);
  assert.equal(run.attributes['tokenledger.run.budget.mode'], 'enforce');
  assert.equal(run.attributes['tokenledger.run.cost.usd'], 0.0028);
  assert.deepEqual(
    run.events.map((event) => event.name),
    ['tokenledger.budget.exceeded'],
  );
  const stopped = harness.spans().filter((span) => span.name === 'chat gpt-4.1' && span.attributes['error.type'] === 'BudgetExceededError');
  assert.equal(stopped.length, 1, 'the stopped call has a span that says why');
  assert.equal(await breaches('max_usd', 'enforce'), 1);
});

test('budget max_usd, warn: every call proceeds and each breach is recorded', async () => {
  await agentRun({ name: 'usd-warn', budget: { maxUsd: 0.01 }, guardMode: 'warn' }, async () => {
    for (let i = 0; i < 3; i += 1) await ask();
  });
  assert.equal(harness.provider.requests.length, 3);
  const run = runSpan('usd-warn');
  assert.equal(run.attributes['tokenledger.run.budget.exceeded'], 'max_usd');
  assert.equal(run.attributes['tokenledger.run.budget.breaches'], 2); // before the 2nd and the 3rd call
  assert.equal(run.attributes['tokenledger.run.cost.usd'], 0.0084);
  assert.equal(run.events.length, 2);
  assert.equal(await breaches('max_usd', 'warn'), 2);
});

test('budget max_steps, enforce: the third call of a two-step budget is refused, streamed calls too', async () => {
  const error = await agentRun({ name: 'steps', budget: { maxSteps: 2 }, guardMode: 'enforce' }, async () => {
    await ask();
    const stream = await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'step' }] });
    for await (const _ of stream);
    await client.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'step' }] });
  }).catch((e: unknown) => e);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.limit, 'max_steps');
  assert.equal(harness.provider.requests.length, 2);
  assert.equal(runSpan('steps').attributes['tokenledger.run.success'], false);
});

test('budget per agent name from the configuration applies to every run of that agent', async () => {
  const error = await agentRun({ name: 'budgeted' }, async () => {
    await ask();
    await ask();
  }).catch((e: unknown) => e);
  assert.ok(error instanceof BudgetExceededError);
  assert.equal(error.limit, 'max_steps');
  assert.equal(runSpan('budgeted').attributes['tokenledger.run.budget.max_steps'], 1);
  assert.equal(harness.provider.requests.length, 1);
});

test('budget, parallel calls: two calls that only one fits cannot both slip past', async () => {
  const results = await agentRun({ name: 'parallel', budget: { maxUsd: 0.012 }, guardMode: 'enforce' }, () => Promise.allSettled([ask(), ask()]));
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.ok(rejected.reason instanceof BudgetExceededError);
  assert.ok(Math.abs(rejected.reason.spent - ESTIMATE) < 1e-12, 'the first call is counted by its reservation');
  assert.equal(harness.provider.requests.length, 1);
});

test('budget, nested runs: a sub-agent spends from its parent budget', async () => {
  let inner: unknown;
  const parent = await agentRun({ name: 'parent', budget: { maxSteps: 2 }, guardMode: 'enforce' }, async (run) => {
    inner = await agentRun({ name: 'child' }, async () => {
      for (let i = 0; i < 3; i += 1) await ask();
    }).catch((e: unknown) => e);
    return run.id;
  });
  assert.ok(inner instanceof BudgetExceededError);
  assert.equal(inner.runId, parent, 'the parent budget stopped the child');
  assert.equal(harness.provider.requests.length, 2);
});

test('loop breaker: a recursively failing tool loops to the bound in warn mode and is stopped in enforce mode', async () => {
  const flaky = tool('flaky', async (attempt: number) => {
    throw new Error(`upstream down (attempt ${attempt})`);
  });
  const loop = async () => {
    // The agent keeps asking the model and retrying the tool; only the test's bound stops it.
    for (let attempt = 0; attempt < 30; attempt += 1) {
      await ask(100);
      await flaky(attempt).catch(() => undefined);
    }
  };
  await agentRun({ name: 'loop-warn', guardMode: 'warn' }, loop);
  assert.equal(harness.provider.requests.length, 30);
  const warned = runSpan('loop-warn');
  assert.equal(warned.attributes['tokenledger.run.budget.exceeded'], 'consecutive_failures');

  harness.reset();
  answerGpt41(harness.provider, { prompt: 1000, completion: 100 });
  const error = await agentRun({ name: 'loop-enforce', guardMode: 'enforce' }, loop).catch((e: unknown) => e);
  assert.ok(error instanceof RunawayLoopError);
  assert.equal(error.limit, 'consecutive_failures');
  assert.equal(error.observed, 5);
  assert.equal(harness.provider.requests.length, 5, 'stopped before the 6th model call');
  const stopped = runSpan('loop-enforce');
  assert.equal(stopped.attributes['tokenledger.run.cost.usd'], 0.014); // the spend so far: 5 × $0.0028
  assert.equal(stopped.attributes['tokenledger.run.tool_errors'], 5);
});

test('loop breaker: the same tool with the same canonical arguments more than 3 times is stopped', async () => {
  const lookup = tool('lookup', async (query: string) => `result for ${query}`);
  const error = await agentRun({ name: 'repeat', guardMode: 'enforce' }, async () => {
    await lookup('{"id": 7, "fields": ["a"]}');
    await lookup('{"fields":["a"],"id":7.0}');
    await lookup('{ "id" : 7, "fields" : [ "a" ] }');
    await lookup('{"id":7,"fields":["a"]}');
  }).catch((e: unknown) => e);
  assert.ok(error instanceof RunawayLoopError);
  assert.equal(error.limit, 'repeated_tool_call');
  assert.equal(error.observed, 4);
});

test('token caps: an agent configured with a cap gets it where the app sent no limit or a higher one', async () => {
  await agentRun({ name: 'capped' }, async () => {
    await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'no limit' }] });
    await ask(100);
    await ask(4096);
  });
  assert.deepEqual(
    harness.provider.requests.map((r) => r.body.max_completion_tokens),
    [200, 100, 200],
  );
  const calls = harness.spans().filter((span) => span.name === 'chat gpt-4.1');
  assert.deepEqual(
    calls.map((span) => span.attributes['tokenledger.request.max_tokens_cap']),
    [200, undefined, 200],
  );
  assert.deepEqual(
    calls.map((span) => span.attributes['gen_ai.request.max_tokens']),
    [200, 100, 200],
  );
});

test('token caps: off by default, the request is left alone', async () => {
  await agentRun({ name: 'uncapped' }, async () => {
    await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'no limit' }] });
  });
  assert.equal(harness.provider.requests[0]!.body.max_completion_tokens, undefined);
});

test('memoised tools: same canonical arguments hit the cache within the TTL, and hits and misses are recorded', async () => {
  let now = 0;
  let runs = 0;
  const search = tool(
    'kb_search',
    async (query: string) => {
      runs += 1;
      return { articles: [`about ${JSON.parse(query).topic}`] };
    },
    { memoize: { pure: true, ttlMs: 60_000, store: new LruMemoStore(10, () => now) } },
  );
  const first = await search('{"topic": "refunds", "limit": 5}');
  const second = await search('{"limit":5.0,"topic":"refunds"}');
  assert.deepEqual(second, first);
  assert.equal(runs, 1);
  now = 61_000;
  await search('{"topic": "refunds", "limit": 5}');
  assert.equal(runs, 2, 'an expired result is not reused');
  const spans = harness.spans().filter((span) => span.name === 'execute_tool kb_search');
  assert.deepEqual(
    spans.map((span) => span.attributes['tokenledger.tool.cache.hit']),
    [false, true, false],
  );
  assert.equal(new Set(spans.map((span) => span.attributes['tokenledger.tool.args_hash'])).size, 1);
});

test('memoised tools: only pure tools, and a positive TTL', () => {
  assert.throws(() => tool('send_email', async () => 'sent', { memoize: { pure: false as true, ttlMs: 1000 } }), /memoize needs `pure: true`/);
  assert.throws(() => tool('kb', async () => 'x', { memoize: { pure: true, ttlMs: 0 } }), /memoize.ttlMs must be a positive number, got 0/);
});

test('budgets: zero, negative and NaN are rejected when configured, not at the first call', async () => {
  await assert.rejects(
    agentRun({ name: 'bad', budget: { maxUsd: 0 } }, async () => 1),
    /agentRun budget.maxUsd must be a positive number, got 0/,
  );
  assert.throws(
    () => new TokenledgerSpanProcessor({ guardrails: { defaults: { maxSteps: -1 } } }),
    /guardrails.defaults.maxSteps must be a positive integer, got -1/,
  );
  assert.throws(() => new TokenledgerSpanProcessor({ guardrails: { defaults: { maxUsd: Number.NaN } } }), /maxUsd must be a positive number, got NaN/);
  assert.equal(harness.provider.requests.length, 0);
});

test('guardrail code that fails never blocks a call', async () => {
  const gate = currentCallGate();
  registerCallGate({
    beforeCall: () => {
      throw new Error('guard bug');
    },
    beforeTool: () => {
      throw new Error('guard bug');
    },
  });
  try {
    const completion = await ask();
    assert.equal(completion.id, 'chatcmpl-mock0001');
    assert.equal(await tool('t', () => 'ok')(), 'ok');
  } finally {
    registerCallGate(gate);
  }
});

test('loop breaker: a run span declaring ideal steps of 0 has no ideal, as in its rollup, and trips nothing', async () => {
  const root = trace.getTracer('app').startSpan('handle ticket', {
    attributes: { 'tokenledger.run.ideal_steps': 0, 'tokenledger.run.budget.mode': 'enforce' },
  });
  const completion = await context.with(trace.setSpan(context.active(), root), () => ask());
  root.end();
  assert.equal(completion.id, 'chatcmpl-mock0001');
  const span = harness.spans().find((s) => s.name === 'handle ticket')!;
  assert.equal(span.attributes['tokenledger.run.steps'], 1);
  assert.equal(span.attributes['tokenledger.run.ideal_steps'], 0);
  assert.equal(span.attributes['tokenledger.run.step_inflation'], undefined);
  assert.equal(span.attributes['tokenledger.run.budget.exceeded'], undefined);
});
