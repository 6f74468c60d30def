// A three-step weather agent (plan → tool → observe → answer) on the real `openai` SDK, against a local fake
// provider: no API key, no network. OpenTelemetry is wired in code here (the path for apps that build their
// own SDK); `node --import tokenledger/register app.mjs` does the same with no code.
//
// Run: npm run example
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation, TokenledgerSpanProcessor } from '../../index.ts';
import { FakeProvider } from '../../test/fake-provider.ts';
import { printRunReport } from './report.ts';
import { scriptedChatModel } from './scripted-model.ts';
import { SYSTEM_PROMPT, TOOLS, runTool } from './tools.ts';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const tracerProvider = new TracerProvider({
  spanProcessors: [new TokenledgerSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
trace.setGlobalTracerProvider(tracerProvider);
const instrumentation = new OpenAIInstrumentation();
instrumentation.setTracerProvider(tracerProvider);
instrumentation.enable();

// Loaded after the instrumentation is enabled, as under `--require tokenledger/register`.
const OpenAI = createRequire(import.meta.url)('openai').default as typeof OpenAIClient;

const provider = await new FakeProvider().start();
provider.respondWith('openai.chat', scriptedChatModel);
// The SDK keeps its real base URL (api.openai.com); `provider.fetch` delivers its requests to the local fake.
const client = new OpenAI({ apiKey: 'no-key-needed', maxRetries: 0, fetch: provider.fetch });

const messages: OpenAIClient.ChatCompletionMessageParam[] = [
  { role: 'system', content: SYSTEM_PROMPT },
  { role: 'user', content: 'What is the weather in Paris, today and the next days?' },
];
for (let step = 1; step <= 10; step += 1) {
  const completion = await client.chat.completions.create({ model: 'gpt-5.5', messages, tools: TOOLS });
  const reply = completion.choices[0]!.message;
  messages.push(reply);
  if (!reply.tool_calls?.length) {
    console.log(`Answer: ${reply.content}\n`);
    break;
  }
  for (const call of reply.tool_calls) {
    if (call.type !== 'function') continue;
    messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call.function.name) });
  }
}

printRunReport(exporter.getFinishedSpans());
await provider.stop();
await tracerProvider.shutdown();
