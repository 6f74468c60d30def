// A support-ticket agent with five tools, run against a local fake Claude in two configurations, and the
// before/after table tokenledger's rollup gives for them. No API key, no network.
//
//   naive      — no prompt caching, the full history every step, the default max_tokens
//   optimised  — the stable prefix (tools + system prompt) cached, old tool results compacted, a per-step cap
//
// Every span is also recorded to out/recording.jsonl (as TOKENLEDGER_RECORD does), and `tokenledger report` writes
// the naive-vs-optimised report from it: out/report.html.
//
// Run: npm run example (or `node examples/support-agent/agent.ts <dir>` to write the recording and report there)
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type AnthropicClient from '@anthropic-ai/sdk';
import { AnthropicInstrumentation, RecordingSpanExporter, TokenledgerSpanProcessor } from '../../index.ts';
import { main as tokenledger } from '../../cli/main.ts';
import { FakeProvider } from '../../test/fake-provider.ts';
import { printComparison, runFigures, type RunFigures } from './report.ts';
import { scriptedClaude } from './scripted-claude.ts';
import { CONFIGS, solveTicket } from './support-agent.ts';

const TICKETS = ['T-1042', 'T-1043', 'T-1044'];

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
// Every span is also recorded (as TOKENLEDGER_RECORD would), for the report written at the end.
const OUT = process.argv[2] ? resolve(process.argv[2]) : new URL('out', import.meta.url).pathname;
const RECORDING = join(OUT, 'recording.jsonl');
mkdirSync(OUT, { recursive: true });
rmSync(RECORDING, { force: true });
const recording = new BatchSpanProcessor({ exporter: new RecordingSpanExporter(RECORDING) });
const tracerProvider = new TracerProvider({
  spanProcessors: [new TokenledgerSpanProcessor(), new SimpleSpanProcessor({ exporter }), recording],
});
trace.setGlobalTracerProvider(tracerProvider);
const instrumentation = new AnthropicInstrumentation();
instrumentation.setTracerProvider(tracerProvider);
instrumentation.enable();
const Anthropic = createRequire(import.meta.url)('@anthropic-ai/sdk').default as typeof AnthropicClient;

const provider = await new FakeProvider().start();
provider.respondWith('anthropic.messages', scriptedClaude);
const client = new Anthropic({ apiKey: 'no-key-needed', baseURL: provider.url, maxRetries: 0, openTelemetry: false });

const results = new Map<string, RunFigures[]>();
for (const config of CONFIGS) {
  exporter.reset();
  for (const ticket of TICKETS) await solveTicket(client, config, ticket);
  results.set(config.name, runFigures(exporter.getFinishedSpans()));
}
printComparison(results);

await provider.stop();
await tracerProvider.shutdown();

// The recording, rolled up again by `tokenledger report`: the same figures, step by step, with the levers.
const report = join(OUT, 'report.html');
const code = await tokenledger(
  ['report', relative(process.cwd(), RECORDING), '--out', report, '--title', 'Support agent: naive vs optimised', '--max-usd-per-task', '0.05'],
  {
    out: () => undefined,
    err: (text) => process.stderr.write(text),
    env: process.env,
  },
);
if (code !== 0) process.exitCode = code ?? 1;
console.log(`\nReport (tokenledger report): ${relative(process.cwd(), report)}`);
