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
import { AnthropicInstrumentation, RecordingSpanExporter, TokenledgerSpanProcessor, agentRun } from '../../index.ts';
import { main as tokenledger } from '../../cli/main.ts';
import { FakeProvider } from '../../test/fake-provider.ts';
import { printComparison, runFigures, type RunFigures } from './report.ts';
import { scriptedClaude } from './scripted-claude.ts';
import { SYSTEM_PROMPT, TOOLS, TOOL_DEFINITIONS, type ToolName } from './tools.ts';

interface AgentConfig {
  name: string;
  cachePrefix: boolean;
  compactHistory: boolean;
  maxTokens: number;
}

const CONFIGS: AgentConfig[] = [
  { name: 'naive', cachePrefix: false, compactHistory: false, maxTokens: 4096 },
  { name: 'optimised', cachePrefix: true, compactHistory: true, maxTokens: 400 },
];
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

/** Keeps the last two tool results whole and replaces older ones by a one-line note. */
function compact(messages: AnthropicClient.MessageParam[]): AnthropicClient.MessageParam[] {
  const toolTurns = messages.flatMap((m, i) => (Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result') ? [i] : []));
  const old = new Set(toolTurns.slice(0, -2));
  return messages.map((message, i) => {
    if (!old.has(i) || !Array.isArray(message.content)) return message;
    const content = message.content.map((block) =>
      block.type === 'tool_result' ? { ...block, content: `[compacted: ${String(block.content).length} characters, already used]` } : block,
    );
    return { ...message, content } as AnthropicClient.MessageParam;
  });
}

async function solveTicket(config: AgentConfig, ticket: string): Promise<void> {
  await agentRun({ name: `support-${config.name}`, idealSteps: 5 }, async (run) => {
    const messages: AnthropicClient.MessageParam[] = [{ role: 'user', content: `Ticket ${ticket}: the customer says they were charged twice.` }];
    const system = config.cachePrefix ? [{ type: 'text' as const, text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' as const } }] : SYSTEM_PROMPT;
    for (let step = 0; step < 10; step += 1) {
      const response = await client.messages.create({
        model: 'claude-sonnet-5',
        max_tokens: config.maxTokens,
        system,
        tools: TOOL_DEFINITIONS,
        messages: config.compactHistory ? compact(messages) : messages,
      });
      messages.push({ role: 'assistant', content: response.content });
      const toolUse = response.content.find((block) => block.type === 'tool_use');
      if (!toolUse || toolUse.type !== 'tool_use') return;
      const result = await TOOLS[toolUse.name as ToolName](ticket);
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: result }] });
    }
    run.fail('no answer within 10 steps');
  });
}

const results = new Map<string, RunFigures[]>();
for (const config of CONFIGS) {
  exporter.reset();
  for (const ticket of TICKETS) await solveTicket(config, ticket);
  results.set(config.name, runFigures(exporter.getFinishedSpans()));
}
printComparison(results);

await provider.stop();
await tracerProvider.shutdown();

// The recording, rolled up again by `tokenledger report`: the same figures, step by step, with the levers.
const report = join(OUT, 'report.html');
const code = await tokenledger(['report', RECORDING, '--out', report, '--title', 'Support agent: naive vs optimised'], {
  out: () => undefined,
  err: (text) => process.stderr.write(text),
  env: process.env,
});
if (code !== 0) process.exitCode = code ?? 1;
console.log(`\nReport (tokenledger report): ${relative(process.cwd(), report)}`);
