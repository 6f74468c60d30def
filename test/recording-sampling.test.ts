// A recording says how many spans it holds and whether it was sampled: the sampler in force (start record), what
// the sampler kept out of the file (end record), and per call the probability its tracestate carries (`ot=th:…`).
// `tokenledger gate` refuses a sampled recording (exit 2) unless told --allow-sampled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler, TracerProvider, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { main } from '../cli/main.ts';
import { samplingProbability } from '../base/sampling-threshold.ts';
import { describeSampler, recordingSpanProcessor } from '../setup/record-exporter.ts';
import { seededIds } from './openai-app.ts';
import { agentSpan, callSpan, otlpSpan, TEST_PRICES, writeRecording } from './recording-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-sampling-'));
const prices = join(dir, 'prices.json');
writeFileSync(prices, JSON.stringify(TEST_PRICES));

/**
 * What tokenledger's setup does with the user's sampler: a span it would drop is recorded (so tokenledger's processor
 * sees it) but not sampled (so no exporter gets it).
 */
class RecordWhatIsDropped implements Sampler {
  private readonly inner: Sampler;
  constructor(inner: Sampler) {
    this.inner = inner;
  }
  shouldSample(context: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const result = this.inner.shouldSample(context, traceId, name, kind, attributes, links);
    return result.decision === SamplingDecision.NOT_RECORD ? { ...result, decision: SamplingDecision.RECORD } : result;
  }
  toString(): string {
    return this.inner.toString();
  }
}

async function recordTasks(file: string, sampler: Sampler, tasks: number): Promise<void> {
  const provider = new TracerProvider({
    sampler: new RecordWhatIsDropped(sampler),
    // Ids that do not depend on chance, so the ratio sampler's decisions are the same every run.
    idGenerator: seededIds(11),
    spanProcessors: [recordingSpanProcessor(file, { sampler })],
  });
  const tracer = provider.getTracer('test');
  for (let i = 0; i < tasks; i += 1) {
    tracer.startActiveSpan('invoke_agent support', { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' } }, (agent) => {
      const call = tracer.startSpan('chat acme-large', {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'acme',
          'gen_ai.request.model': 'acme-large',
          'gen_ai.usage.input_tokens': 10_000,
          'gen_ai.usage.output_tokens': 1000,
          'tokenledger.cost.usd': 0.15,
        },
      });
      call.end();
      agent.end();
    });
  }
  await provider.shutdown();
}

type Line = { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }>; tokenledgerRecording?: Record<string, unknown> };
const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
const spanCount = (lines: Line[]) => lines.reduce((sum, line) => sum + line.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).length, 0);

async function gate(args: string[]): Promise<{ code: number | undefined; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['gate', ...args, '--prices', prices], { out: (text) => (out += text), err: (text) => (err += text), env: {} });
  return { code, out, err };
}

test('recording: the start record states the sampler, the end record counts what was recorded and what the sampler left out', async () => {
  const file = join(dir, 'ratio.jsonl');
  await recordTasks(file, new TraceIdRatioBasedSampler(0.1), 40);
  const lines = linesOf(file);
  const start = lines[0]!.tokenledgerRecording!;
  assert.equal(start.kind, 'start');
  assert.deepEqual(start.sampler, { description: 'TraceIdRatioBased{0.1}', source: 'sdk', probability: 0.1 });
  assert.ok(lines[0]!.resourceSpans.length > 0, 'the start record rides on the first spans');
  const end = lines.at(-1)!.tokenledgerRecording as {
    kind: string;
    spans: { recorded: number; unsampled: number };
    calls: { recorded: number; unsampled: number };
    unsampledCalls: unknown[];
  };
  assert.equal(end.kind, 'end');
  assert.deepEqual(lines.at(-1)!.resourceSpans, []);
  // Every span is either in the file or counted as left out; each task is an agent span and one call.
  const recorded = spanCount(lines);
  assert.equal(end.spans.recorded, recorded);
  assert.equal(end.spans.recorded + end.spans.unsampled, 80);
  assert.equal(end.calls.recorded + end.calls.unsampled, 40);
  assert.ok(end.calls.unsampled > 20, `a 10% sampler leaves most calls out (${end.calls.unsampled} of 40)`);
  const day = new Date().toISOString().slice(0, 10);
  assert.deepEqual(end.unsampledCalls, [{ provider: 'acme', model: 'acme-large', day, calls: end.calls.unsampled, usd: 0.15 * end.calls.unsampled }]);
});

test('gate: a sampled recording exits 2 with a clear message; --allow-sampled judges it and says it is sampled', async () => {
  const file = join(dir, 'ratio.jsonl');
  const refused = await gate([file, '--max-usd-per-task', '1']);
  assert.equal(refused.code, 2);
  assert.match(
    refused.err,
    /^tokenledger gate: the recording is sampled, so its figures describe a sample of the tasks, not all of them: \d+ spans \(\d+ LLM calls\) in 1 file; SAMPLED: TraceIdRatioBased\{0\.1\}; \d+ LLM calls and \d+ spans left out by the sampler\.\nRecord without a sampler \(OTEL_TRACES_SAMPLER=always_on\), or give --allow-sampled to judge it anyway\.\n$/,
  );
  const allowed = await gate([file, '--max-usd-per-task', '1', '--allow-sampled', '--json']);
  assert.equal(allowed.code, 0, allowed.out);
  const json = JSON.parse(allowed.out);
  assert.equal(json.recording.sampled, 'yes');
  assert.equal(json.recording.samplers[0].probability, 0.1);
  assert.equal(json.recording.spans + JSON.parse(JSON.stringify(linesOf(file).at(-1)!.tokenledgerRecording)).spans.unsampled, 80);
});

test('gate: a recording with an always-on sampler says it is not sampled and how many spans it holds', async () => {
  const file = join(dir, 'always.jsonl');
  await recordTasks(file, new TraceIdRatioBasedSampler(1), 3);
  const { code, out } = await gate([file, '--max-usd-per-task', '1']);
  assert.equal(code, 0, out);
  assert.match(out, /\nRecording: 6 spans \(3 LLM calls\) in 1 file; not sampled \(TraceIdRatioBased\{1\}\)\.\n$/);
});

test('gate: calls whose tracestate carries ot=th make the recording sampled; an old recording reads as before, sampling unknown', async () => {
  const sampled = join(dir, 'threshold.jsonl');
  const spans = [callSpan({ trace: 1, id: 2, start: 0, input: 1000, output: 10 }), agentSpan(1, 'support', 0, 2)];
  const withState = spans.map((spec) => ({ ...otlpSpan(spec), traceState: 'ot=th:e6666666666666;rv:1234567890abcd' }));
  writeFileSync(
    sampled,
    `${JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'x' }, spans: withState }] }] })}\n`,
  );
  const refused = await gate([sampled, '--max-usd-per-task', '1']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /SAMPLED: 1 call carry a sampling probability down to 0\.100 \(they stand for 10\)/);

  const old = join(dir, 'old.jsonl');
  writeRecording(old, spans);
  const passed = await gate([old, '--max-usd-per-task', '1']);
  assert.equal(passed.code, 0, passed.err);
  assert.match(passed.out, /Recording: 2 spans \(1 LLM call\) in 1 file; whether it was sampled is unknown \(no tokenledger start record/);
});

test('recording: the sampler from OTEL_TRACES_SAMPLER, and the probability an ot=th threshold says', () => {
  assert.deepEqual(describeSampler(undefined, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }), {
    description: 'parentbased_traceidratio 0.25',
    source: 'environment',
    probability: 0.25,
  });
  assert.equal(describeSampler(undefined, {}).probability, 1);
  assert.equal(describeSampler(undefined, { OTEL_TRACES_SAMPLER: 'always_off' }).probability, 0);
  assert.equal(describeSampler(undefined, { OTEL_TRACES_SAMPLER: 'jaeger_remote' }).probability, undefined);
  // OpenTelemetry's examples: th:0 keeps everything, th:8 half, th:e666… a tenth, th:fd70a4 about 1%.
  assert.equal(samplingProbability('ot=th:0'), 1);
  assert.equal(samplingProbability('ot=th:8'), 0.5);
  assert.ok(Math.abs(samplingProbability('vendor=x,ot=rv:abc;th:e6666666666666')! - 0.1) < 1e-15);
  assert.ok(Math.abs(samplingProbability('ot=th:fd70a4')! - 0.01) < 1e-6);
  assert.equal(samplingProbability('ot=th:xyz'), undefined);
  assert.equal(samplingProbability('other=th:8'), undefined);
});
