// Guardrails in action against a local fake provider: a run with a $0.01 budget in enforce mode that returns its
// best answer when the budget stops it, and a tool that keeps failing, stopped by the runaway-loop breaker.
//
// Run: npm run example:guardrails
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';
import type OpenAIClient from 'openai';
import { BudgetExceededError, OpenAIInstrumentation, RunawayLoopError, TokenledgerSpanProcessor, agentRun, enableGuardrails, tool } from '../../index.ts';
import { FakeProvider, fixtureJson } from '../../test/fake-provider.ts';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const processor = new TokenledgerSpanProcessor({ guardrails: { mode: 'enforce' } });
enableGuardrails(processor);
const tracerProvider = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(tracerProvider);
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(tracerProvider);
instrumentation.enable();
const OpenAI = createRequire(import.meta.url)('openai').default as typeof OpenAIClient;

const provider = await new FakeProvider().start();
provider.respondWith('openai.chat', () => ({
  json: { ...fixtureJson('openai-chat.json'), model: 'gpt-4.1', service_tier: 'default', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
}));
// The SDK keeps its real base URL (api.openai.com); `provider.fetch` delivers its requests to the local fake.
const client = new OpenAI({ apiKey: 'no-key-needed', maxRetries: 0, fetch: provider.fetch });
const ask = (content: string) => client.chat.completions.create({ model: 'gpt-4.1', max_completion_tokens: 1000, messages: [{ role: 'user', content }] });

// 1. A budget: catch BudgetExceededError and return the best answer so far.
const answer = await agentRun({ name: 'researcher', budget: { maxUsd: 0.01 } }, async () => {
  let best = 'no answer yet';
  try {
    for (let step = 1; step <= 10; step += 1) {
      const reply = await ask(`research step ${step}`);
      best = `${reply.choices[0]!.message.content} (after ${step} steps)`;
    }
  } catch (error) {
    if (!(error instanceof BudgetExceededError)) throw error;
    console.log(`budget stop: ${error.limit} ${error.max} USD, spent ${error.spent.toFixed(4)}, next call ~${error.estimate.toFixed(4)}`);
  }
  return best;
});
console.log(`answer: ${answer}`);

// 2. A tool that keeps failing: the loop breaker stops the run after 5 failures in a row.
const flaky = tool('flaky_api', async (attempt: number) => {
  throw new Error(`upstream down (attempt ${attempt})`);
});
const stopped = await agentRun({ name: 'retrier' }, async () => {
  for (let attempt = 1; attempt <= 1000; attempt += 1) {
    await ask('try again');
    await flaky(attempt).catch(() => undefined);
  }
}).catch((error: unknown) => error);
if (stopped instanceof RunawayLoopError) console.log(`loop stop: ${stopped.limit} after ${stopped.observed} failures in a row`);

for (const span of exporter.getFinishedSpans().filter((s) => s.name.startsWith('invoke_agent'))) {
  const a = span.attributes;
  console.log(`${span.name}: ${a['tokenledger.run.steps']} steps, $${a['tokenledger.run.cost.usd']}, stopped by ${a['tokenledger.run.budget.exceeded']}`);
}
await provider.stop();
await tracerProvider.shutdown();
