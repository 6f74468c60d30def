import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OpenAIInstrumentation as Contrib } from '@opentelemetry/instrumentation-openai';
import { createRequire } from 'node:module';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { fixtureJson } from '../test/fake-provider.ts';
import { jsonFetch } from './canned-fetch.ts';
const require = createRequire(import.meta.url);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tp = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: { export: (_s, d) => d({ code: 0 }), shutdown: async () => {} } })] });
trace.setGlobalTracerProvider(tp);
const mod = require('openai6');
const version = (await import('openai6/version')).VERSION;
const mode = process.argv[2];
if (mode !== 'off') {
  const inst = mode === 'ours' ? new OpenAIInstrumentation() : new Contrib();
  inst.setTracerProvider(tp); inst.setMeterProvider(metrics.getMeterProvider()); inst.enable(); inst.disable(); inst.enable();
  inst.getModuleDefinitions()[0]!.patch!(mod, version);
}
const c = new mod.default({ apiKey: 'k', baseURL: 'http://b.invalid/v1', maxRetries: 0, fetch: jsonFetch(fixtureJson('openai-chat.json')) });
const body = fixtureJson('openai-chat.request.json');
const n = Number(process.argv[3] ?? 300);
for (let i = 0; i < n; i++) await c.chat.completions.create(body);
