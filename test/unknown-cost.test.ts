// Dollar budgets over calls that cannot be priced (a model no price data knows, a local server): 40 calls under
// `max $0.10, enforce` where no call has a price. By default (`unknownCost: 'allow'`) they run, the run records how
// many calls its budget could not count and what the guardrail did, and one diag line says so; with `'stop'` the
// guardrail fails closed: the first call it cannot price is not sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, diag, DiagLogLevel, trace, type DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type OpenAIClient from 'openai';
import { agentRun } from '../instrumentation/agent/run.ts';
import { BudgetExceededError } from '../instrumentation/common/guard-errors.ts';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { enableGuardrails } from '../processor/guardrails/enable.ts';
import type { UnknownCost } from '../processor/guardrails/guard-options.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { FakeProvider, fixtureJson } from './fake-provider.ts';
import { requireFromTest } from './harness.ts';
import { testMeterProvider } from './metric-reader.ts';

const instrumentation = new OpenAIInstrumentation();
const provider = new FakeProvider();
let client: OpenAIClient;
const warnings: string[] = [];
const logger: DiagLogger = {
  error: () => {},
  warn: (message: string) => warnings.push(message),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};

before(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  diag.setLogger(logger, DiagLogLevel.WARN);
  await provider.start();
  instrumentation.enable();
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  client = new OpenAI({ apiKey: 'test-key', fetch: provider.fetch, maxRetries: 0 });
  provider.respondWith('openai.chat', () => {
    const body = fixtureJson('openai-chat.json');
    body.model = 'mystery-model-7';
    delete body.service_tier;
    body.usage = { prompt_tokens: 1000, completion_tokens: 100 };
    return { json: body };
  });
});
after(async () => {
  instrumentation.disable();
  await provider.stop();
  diag.disable();
  trace.disable();
  context.disable();
});

async function fortyCalls(unknownCost: UnknownCost | undefined) {
  provider.requests.length = 0;
  warnings.length = 0;
  const exporter = new InMemorySpanExporter();
  const processor = new TokenledgerSpanProcessor({
    meterProvider: testMeterProvider().meterProvider,
    guardrails: unknownCost ? { unknownCost } : undefined,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const disable = enableGuardrails(processor);
  const tracerProvider = new TracerProvider({ spanProcessors: [processor] });
  // agentRun() starts its span on the global tracer provider, the instrumentation on its own.
  trace.disable();
  trace.setGlobalTracerProvider(tracerProvider);
  instrumentation.setTracerProvider(tracerProvider);
  const outcomes: string[] = [];
  await agentRun({ name: 'local-model', budget: { maxUsd: 0.1 }, guardMode: 'enforce' }, async () => {
    for (let call = 0; call < 40; call += 1) {
      try {
        await client.chat.completions.create({ model: 'mystery-model-7', messages: [{ role: 'user', content: 'step' }] });
        outcomes.push('sent');
      } catch (error) {
        outcomes.push(error instanceof BudgetExceededError ? `stopped: ${error.limit}` : `error: ${(error as Error).message}`);
        break;
      }
    }
  });
  disable();
  const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_agent local-model')!;
  await tracerProvider.shutdown();
  return { outcomes, run, sent: provider.requests.length, warnings: warnings.filter((line) => line.includes('cannot price')) };
}

test('unknown cost, allow (the default): the calls run, the run says its budget could not count them, one warning', async () => {
  const { outcomes, run, sent, warnings: said } = await fortyCalls(undefined);
  assert.equal(sent, 40);
  assert.deepEqual(new Set(outcomes), new Set(['sent']));
  assert.equal(run.attributes['tokenledger.run.budget.unpriced_calls'], 40);
  assert.equal(run.attributes['tokenledger.run.budget.unknown_cost'], 'allow');
  assert.equal(run.attributes['tokenledger.run.unpriced_calls'], 40);
  assert.equal(run.attributes['tokenledger.run.complete'], false);
  assert.equal(run.attributes['tokenledger.run.incomplete_reason'], 'unpriced_calls');
  assert.equal(run.attributes['tokenledger.run.budget.exceeded'], undefined);
  assert.equal(said.length, 1, said.join('\n'));
  assert.match(said[0]!, /agent "local-model" has a dollar budget but a call it cannot price/);
});

test('unknown cost, stop: the first call the guardrail cannot price is not sent, and the run says why', async () => {
  const { outcomes, run, sent } = await fortyCalls('stop');
  assert.equal(sent, 0);
  assert.deepEqual(outcomes, ['stopped: unknown_cost']);
  assert.equal(run.attributes['tokenledger.run.budget.exceeded'], 'unknown_cost');
  assert.equal(run.attributes['tokenledger.run.budget.unknown_cost'], 'stop');
  assert.equal(run.attributes['tokenledger.run.budget.unpriced_calls'], 1);
  assert.deepEqual(
    run.events.map((event) => event.name),
    ['tokenledger.budget.exceeded'],
  );
});

test('unknown cost: an invalid choice is refused when configured', () => {
  assert.throws(
    () => new TokenledgerSpanProcessor({ guardrails: { unknownCost: 'maybe' as UnknownCost } }),
    /guardrails.unknownCost must be "allow" or "stop", got maybe/,
  );
});
