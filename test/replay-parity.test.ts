// One rollup engine, offline too: random traces — requests around agents, nested agents, retries, refused and failed
// calls, failed tools, malformed usage, an unknown model, calls that end after their run's root, agents learning their ideal
// steps — go through the real SDK with tokenledger's span processor and TOKENLEDGER_RECORD's exporter. Replaying the
// recording (what `tokenledger report | whatif | gate` read) must give every run the attributes the processor wrote,
// from the recorded figures and from the recorded usage priced again. Spans take the SDK's own clock, and most end
// within the same millisecond, so their recorded end times are often out of order (start times are whole milliseconds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { Replay } from '../cli/recording/replay.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { runAttributes, type RunSummary } from '../runs/run-summary.ts';
import { RecordingSpanExporter } from '../setup/record-exporter.ts';
import { testMeterProvider } from './metric-reader.ts';
import { random } from './random-traces.ts';

const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'mystery-model-7'] as const;
const AGENTS = ['support', 'triage', 'research'] as const;

async function record(file: string, traces: number, seed: number): Promise<ReadableSpan[]> {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    // The exporters behind tokenledger's processor, as the register entry sets them up: a run's root waits for its calls.
    spanProcessors: [
      new TokenledgerSpanProcessor({
        meterProvider: testMeterProvider().meterProvider,
        spanProcessors: [
          new SimpleSpanProcessor({ exporter: memory }),
          new BatchSpanProcessor({ exporter: new RecordingSpanExporter(file), maxExportBatchSize: 64 }),
        ],
      }),
    ],
  });
  const tracer = provider.getTracer('replay-parity');
  const rng = random(seed);
  const within = <T>(span: Span, work: () => T): T => context.with(trace.setSpan(context.active(), span), work);
  const call = (failedBefore: boolean): Span => {
    const model = rng.pick(MODELS);
    const provider = model.startsWith('claude') || model.startsWith('mystery') ? 'anthropic' : 'openai';
    const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': provider, 'gen_ai.request.model': model };
    const kind = rng.int(14);
    const span = tracer.startSpan(`chat ${model}`, { attributes });
    if (kind === 0 && !failedBefore) {
      span.setAttribute('error.type', 'InternalServerError');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else if (kind === 1) {
      span.setAttribute('error.type', 'BudgetExceededError');
      span.setStatus({ code: SpanStatusCode.ERROR });
    } else {
      const input = 800 + rng.int(30_000);
      const cached = rng.int(2) === 0 ? 0 : rng.int(input);
      const output = 20 + rng.int(1500);
      span.setAttributes({
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'gen_ai.usage.cache_read.input_tokens': kind === 2 ? input + 5 : cached, // kind 2: malformed
        'gen_ai.usage.cache_write.input_tokens': provider === 'anthropic' && rng.int(3) === 0 ? rng.int(input - cached) : 0,
      });
    }
    return span;
  };
  const agent = async (name: string, depth: number): Promise<void> => {
    const attributes: Attributes = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name };
    if (rng.int(4) === 0) attributes['tokenledger.run.ideal_steps'] = 2 + rng.int(4);
    const run = tracer.startSpan(`invoke_agent ${name}`, { attributes });
    let late: Span | undefined;
    await within(run, async () => {
      let failed = false;
      for (let step = 0, steps = 1 + rng.int(6); step < steps; step += 1) {
        const span = call(failed);
        if (step === steps - 1 && rng.int(8) === 0)
          late = span; // ends after its run
        else {
          failed = (span as unknown as { status: { code: number } }).status.code === SpanStatusCode.ERROR;
          span.end();
        }
        if (rng.int(2) === 0) {
          const tool = tracer.startSpan('execute_tool lookup', { attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' } });
          if (rng.int(5) === 0) tool.setStatus({ code: SpanStatusCode.ERROR });
          tool.end();
        }
        if (depth < 2 && rng.int(6) === 0) await agent(rng.pick(AGENTS), depth + 1);
      }
    });
    if (rng.int(6) === 0) run.setStatus({ code: SpanStatusCode.ERROR });
    else if (rng.int(8) === 0) run.setAttribute('tokenledger.run.success', false);
    run.end();
    if (late) {
      // A call the agent did not wait for: it ends a few milliseconds after its run's root, and counts in its run.
      await new Promise((resolve) => setTimeout(resolve, 3));
      late.end();
    }
  };
  for (let i = 0; i < traces; i += 1) {
    if (rng.int(3) === 0) {
      const request = tracer.startSpan('POST /tickets', { root: true });
      await within(request, async () => {
        if (rng.int(4) === 0) call(false).end(); // beside the agent: in no run
        await agent(rng.pick(AGENTS), 0);
      });
      request.end();
    } else {
      await agent(rng.pick(AGENTS), 0);
    }
  }
  await provider.forceFlush();
  const finished = [...memory.getFinishedSpans()];
  await provider.shutdown();
  context.disable();
  return finished;
}

async function replay(file: string, reprice: boolean): Promise<Map<string, RunSummary>> {
  const runs = new Map<string, RunSummary>();
  await new Replay(
    { pricer: new CallPricer(), holdSpans: 50, maxSpans: 10_000, reprice },
    {
      trace: (t) =>
        t.runs.forEach((run) => {
          runs.set(run.id, run);
        }),
    },
  ).read([file]);
  return runs;
}

/** What the processor wrote on each run span: every tokenledger.run.* attribute, by run id. */
function processorRuns(spans: ReadableSpan[]): Map<string, Attributes> {
  const runs = new Map<string, Attributes>();
  for (const span of spans) {
    if (span.attributes['tokenledger.run.id'] !== span.spanContext().spanId) continue;
    runs.set(span.spanContext().spanId, Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith('tokenledger.run.'))));
  }
  return runs;
}

test('replay: a recording rolls up to the run attributes the processor wrote, recorded prices or priced again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-parity-'));
  try {
    const file = join(dir, 'runs.jsonl');
    const memory = await record(file, 60, 17);
    const expected = processorRuns(memory);
    assert.ok(expected.size >= 60, `runs: ${expected.size}`);
    const learned = [...expected.values()].filter((attributes) => attributes['tokenledger.run.ideal_steps.source'] === 'learned').length;
    assert.ok(learned > 0, 'some ideal steps were learned');
    for (const reprice of [false, true]) {
      const replayed = await replay(file, reprice);
      assert.deepEqual([...replayed.keys()].sort(), [...expected.keys()].sort());
      for (const [id, attributes] of expected) assert.deepEqual(runAttributes(replayed.get(id)!), attributes, `run ${id} (reprice: ${reprice})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
