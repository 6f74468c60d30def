// The replay's memory of spans read after their trace was rolled up: a late span read twice counts once, and what it
// remembers of a late trace goes when the trace store forgets the trace. Prices (acme-large, USD per million tokens):
// input 10, output 50.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import { validatePriceOverrides } from '../../ledger/pricing/price-overrides.ts';
import { agentSpan, callSpan, otlpLine, TEST_PRICES, type SpanSpec } from '../../test/recording-builder.ts';
import type { CallRecord } from './recorded-span.ts';
import { Replay, type ReplayedTrace } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'tokenledger-replay-'));
const pricer = new CallPricer({ overrides: validatePriceOverrides(TEST_PRICES) });

/** A trace of one tool span, its own root. */
const lone = (trace: number): SpanSpec => ({
  trace,
  id: 1,
  name: 'execute_tool lookup',
  start: 0,
  end: 1,
  attributes: { 'gen_ai.operation.name': 'execute_tool' },
});

/** Replays a recording of these lines (one request each), a trace rolled up once one more span was read. */
async function replay(name: string, lines: SpanSpec[][]) {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map(otlpLine).join('\n')}\n`);
  const traces: ReplayedTrace[] = [];
  const lateCalls: CallRecord[] = [];
  const stats = await new Replay(
    { pricer, holdSpans: 1, maxSpans: 10_000 },
    { trace: (trace) => traces.push(trace), lateCall: (call) => lateCalls.push(call) },
  ).read([path]);
  return { stats, traces, lateCalls };
}

// Trace 1 (call 2 in an agent run) is rolled up once a span of another trace was read; its call 3 comes after.
// Call 2: 1,000 in, 100 out → 0.01 + 0.005 = $0.015. Call 3: 2,000 in, 200 out → 0.02 + 0.01 = $0.03.
const call2 = callSpan({ trace: 1, id: 2, start: 0, input: 1000, output: 100 });
const call3 = callSpan({ trace: 1, id: 3, start: 2, input: 2000, output: 200 });

test('replay: a late span read twice counts once, as a call in no run', async () => {
  const { stats, traces, lateCalls } = await replay('late-twice.jsonl', [[call2, agentSpan(1, 'support', 0, 1)], [lone(2)], [lone(3)], [call3], [call3]]);
  assert.equal(stats.spans, 5);
  assert.equal(stats.calls, 2);
  assert.equal(stats.lateSpans, 1);
  assert.equal(stats.duplicateSpans, 1);
  assert.deepEqual(
    traces[0]!.calls.map(({ call, runIds }) => [call.spanId, call.figures.cost?.total, runIds.length]),
    [['0000000000000002', 0.015, 1]],
  );
  assert.deepEqual(
    lateCalls.map((call) => [call.spanId, call.figures.cost?.total]),
    [['0000000000000003', 0.03]],
  );
});

test('replay: a late span is remembered as long as the trace store remembers its trace (100 000 traces rolled up after it)', async () => {
  const fillers = (from: number, lines: number) =>
    Array.from({ length: lines }, (_, line) => Array.from({ length: 1000 }, (_, i) => lone(from + line * 1000 + i)));
  const { stats, traces, lateCalls } = await replay('late-forgotten.jsonl', [
    [call2, agentSpan(1, 'support', 0, 1)],
    [lone(2)],
    [lone(3)],
    [call3],
    // 98 003 traces rolled up after trace 1: the store still takes call 3 for late, and it was read already.
    ...fillers(10, 99),
    [call3],
    // 101 003: the store has forgotten trace 1, and call 3 starts it anew (without its root: not whole).
    ...fillers(200_000, 3),
    [call3],
  ]);
  assert.equal(stats.lateSpans, 1);
  assert.equal(stats.duplicateSpans, 1);
  assert.equal(stats.calls, 3);
  assert.deepEqual(
    lateCalls.map((call) => [call.spanId, call.figures.cost?.total]),
    [['0000000000000003', 0.03]],
  );
  assert.deepEqual(
    traces
      .filter((trace) => trace.traceId === '00000000000000000000000000000001')
      .map((trace) => [trace.whole, trace.calls.map(({ call }) => [call.spanId, call.figures.cost?.total])]),
    [
      [true, [['0000000000000002', 0.015]]],
      [false, [['0000000000000003', 0.03]]],
    ],
  );
});
