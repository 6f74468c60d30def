// The invariant of issue 23, on random traces (test/random-traces.ts: requests around agents, nested agents,
// retries, refused and failed calls, malformed usage, calls that outlive their run's root, two spans of one call
// from two sources (a framework's around the SDK's, ending after or before it; a gateway's beside it with the same
// response id), calls to an unknown model or with no usage), in process (the real SDK, the exporters and a
// TOKENLEDGER_RECORD recording behind tokenledger's processor, a ManualClock) and in collector mode (a real
// CollectorServer; one service's clock ahead of the root's by 0, 1 µs, 40 ms or 3 s, the root sent first or last):
//
//   Σ tokenledger.cost.usd over all spans  =  Σ over the counted calls (the spans that state a cost or why they have
//   none; no duplicate does)  =  Σ of the `tokenledger.cost` counter's series  =  Σ of the top-level runs'
//   tokenledger.run.cost.usd + Σ over the counted calls in no run  =  Σ of the calls' cost the cost lab replays from
//   the recording (in process).
//
// Unknown is never zero: a call that cannot be priced states `tokenledger.cost.unknown_reason` and no cost, so it
// adds nothing to any sum above; a run holding one states the cost of its priced calls (a lower bound, with
// `complete = false`) and counts it in `tokenledger.run.unpriced_calls`. The unpriced calls are counted apart, and
// the same way: spans with an unknown reason = Σ of the `tokenledger.calls.unpriced` counter = Σ of the top-level
// runs' unpriced calls + the unpriced calls in no run = the replayed calls without a cost. Every run, nested or
// not, states exactly the cost and the unpriced calls of the counted calls in its subtree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { ManualClock } from '../base/manual-clock.ts';
import { Replay } from '../cli/recording/replay.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { RecordingSpanExporter } from '../setup/record-exporter.ts';
import { billOf, roundUsd } from './one-cost-per-call.ts';
import { collectorMode, EPOCH_MS, generateTrace, inProcess, random, type ModelSpan, type Observed, type Rng } from './random-traces.ts';

const SKEWS = [0n, 1_000n, 40_000_000n, 3_000_000_000n] as const;

/** What one mode's spans and metrics add up to. */
interface Totals {
  bill: number;
  unpriced: number;
  counted: number;
  duplicates: number;
  runs: number;
  nestedRuns: number;
  runsWithUnpriced: number;
  outsideRuns: number;
}

/** Two sums of rounded amounts agree to within the rounding of each (1e-10 USD a span). */
function assertSameUsd(actual: number, expected: number, terms: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= (terms + 1) * 1e-10, `${what}: ${actual} ≠ ${expected}`);
}

function metricSum(metric: MetricData | undefined): number {
  return (metric?.dataPoints ?? []).reduce((sum, point) => sum + (point.value as number), 0);
}

/** Checks the invariant on one mode's spans and metrics; returns what they add up to. */
function checkInvariant(traces: ModelSpan[][], observed: Observed, where: string): Totals {
  const spans = traces.flat();
  const attributesOf = (span: ModelSpan): Attributes => observed.attributes.get(span.id) ?? assert.fail(`${where}: ${span.name} ${span.id} was not exported`);
  const named = spans.map((span) => ({ name: `${span.name} ${span.id}`, attributes: attributesOf(span) }));
  const { duplicates, costUsd: bill, priced } = billOf(named, where);
  const cost = (span: ModelSpan) => attributesOf(span)['tokenledger.cost.usd'] as number | undefined;
  const unknown = (span: ModelSpan) => attributesOf(span)['tokenledger.cost.unknown_reason'] !== undefined;
  const counted = spans.filter((span) => cost(span) !== undefined || unknown(span));
  // The counted calls are the LLM calls that were sent (not refused) and that no other span of the call counts.
  const sent = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat' && span.attributes['error.type'] !== 'BudgetExceededError');
  assert.deepEqual(
    counted.map((span) => span.id),
    sent.filter((span) => attributesOf(span)['tokenledger.call.duplicate_of'] === undefined).map((span) => span.id),
    `${where}: counted calls`,
  );
  const unpriced = counted.filter(unknown).length;
  assert.equal(priced + unpriced, counted.length);

  const isRun = (span: ModelSpan) => attributesOf(span)['tokenledger.run.steps'] !== undefined;
  const runsAbove = (span: ModelSpan): ModelSpan[] => {
    const above: ModelSpan[] = [];
    for (let parent = span.parent; parent !== undefined; parent = parent.parent) if (isRun(parent)) above.push(parent);
    return above;
  };
  // Every run states the cost and the unpriced calls of the counted calls in its subtree.
  const runCost = new Map<ModelSpan, number[]>();
  const runUnpriced = new Map<ModelSpan, number>();
  const runs = spans.filter(isRun);
  for (const run of runs) {
    runCost.set(run, []);
    runUnpriced.set(run, 0);
  }
  let outside = 0;
  let outsideUnpriced = 0;
  for (const call of counted) {
    const above = runsAbove(call);
    for (const run of above) {
      if (unknown(call)) runUnpriced.set(run, runUnpriced.get(run)! + 1);
      else runCost.get(run)!.push(cost(call)!);
    }
    if (above.length > 0) continue;
    if (unknown(call)) outsideUnpriced += 1;
    else outside += cost(call)!;
  }
  let topLevel = 0;
  let topLevelUnpriced = 0;
  for (const run of runs) {
    const attributes = attributesOf(run);
    const calls = runCost.get(run)!;
    const stated = attributes['tokenledger.run.cost.usd'];
    assert.equal(typeof stated, 'number', `${where}: ${run.name} ${run.id} states its cost`);
    assertSameUsd(stated as number, roundUsd(calls.reduce((sum, amount) => sum + amount, 0)), calls.length, `${where}: ${run.name} ${run.id} cost`);
    assert.equal(attributes['tokenledger.run.unpriced_calls'], runUnpriced.get(run), `${where}: ${run.name} ${run.id} unpriced calls`);
    if (runUnpriced.get(run)! > 0) assert.equal(attributes['tokenledger.run.complete'], false, `${where}: ${run.name} ${run.id} is not complete`);
    const nested = runsAbove(run).length > 0;
    assert.equal(attributes['tokenledger.run.nested'], nested, `${where}: ${run.name} ${run.id} nested`);
    if (nested) continue;
    topLevel += stated as number;
    topLevelUnpriced += runUnpriced.get(run)!;
  }
  assertSameUsd(topLevel + outside, bill, priced, `${where}: top-level runs + calls in no run`);
  assert.equal(topLevelUnpriced + outsideUnpriced, unpriced, `${where}: unpriced calls in top-level runs + in no run`);
  // The metrics count the same calls.
  assertSameUsd(metricSum(observed.metrics.get('tokenledger.cost')), bill, priced, `${where}: the tokenledger.cost counter`);
  assert.equal(metricSum(observed.metrics.get('tokenledger.calls.unpriced')), unpriced, `${where}: the tokenledger.calls.unpriced counter`);
  return {
    bill,
    unpriced,
    counted: counted.length,
    duplicates,
    runs: runs.length,
    nestedRuns: runs.filter((run) => runsAbove(run).length > 0).length,
    runsWithUnpriced: runs.filter((run) => runUnpriced.get(run)! > 0).length,
    outsideRuns: counted.length - counted.filter((call) => runsAbove(call).length > 0).length,
  };
}

/** The cost lab's totals from a recording: what `tokenledger report` sums. */
async function replayed(file: string): Promise<{ bill: number; priced: number; unpriced: number }> {
  const totals = { bill: 0, priced: 0, unpriced: 0 };
  const add = (cost: number | undefined) => {
    if (cost === undefined) totals.unpriced += 1;
    else {
      totals.bill += cost;
      totals.priced += 1;
    }
  };
  await new Replay(
    { pricer: new CallPricer(), holdSpans: 50, maxSpans: 100_000 },
    {
      trace: (trace) =>
        trace.calls.forEach(({ call }) => {
          add(call.figures.cost?.total);
        }),
      lateCall: (call) => add(call.figures.cost?.total),
    },
  ).read([file]);
  return totals;
}

for (const seed of [11, 12, 13]) {
  test(`cost invariant (seed ${seed}): spans, counted calls, the cost counter, runs and the recording add up to one bill, in process and in collector mode`, {
    timeout: 60_000,
  }, async () => {
    const rng = random(seed);
    const traces = Array.from({ length: 40 }, (_, index) => generateTrace(rng, index, { duplicates: true, outerCallEndsFirst: true, unpriced: true }));
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-invariant-'));
    try {
      const file = join(dir, 'runs.jsonl');
      const recording = new BatchSpanProcessor({ exporter: new RecordingSpanExporter(file), maxExportBatchSize: 64 });
      const ours = checkInvariant(traces, await inProcess(traces, { spanProcessors: [recording], clock: new ManualClock(EPOCH_MS) }), 'in process');
      const lab = await replayed(file);
      assertSameUsd(lab.bill, ours.bill, lab.priced, 'the recording replayed');
      assert.deepEqual([lab.priced + lab.unpriced, lab.unpriced], [ours.counted, ours.unpriced], 'the recording replayed: calls, unpriced calls');

      // The same spans sent as they were made, then with one host's clock ahead: the invariant holds either way.
      const rootAt = (r: Rng): 'first' | 'last' => (r.int(2) === 0 ? 'first' : 'last');
      const collected = checkInvariant(traces, await collectorMode(traces, random(seed + 100), { rootAt }), 'collector mode');
      const skewed = checkInvariant(
        traces,
        await collectorMode(traces, random(seed + 200), { skew: (r) => r.pick(SKEWS), rootAt }),
        'collector mode, skewed clocks',
      );
      // Unskewed, collector mode counts the calls the processor counted. With skew, the two spans of a call that
      // share a response id but come from two hosts may no longer overlap in time, and both are counted (the model's
      // spans last a few ms; the judge needs the spans of a call to be in flight together).
      assert.deepEqual(collected, ours, 'collector mode finds what the processor found');
      assert.ok(skewed.counted >= ours.counted && skewed.runs === ours.runs, JSON.stringify({ skewed, ours }));
      // The traces exercise what they are meant to.
      const { duplicates, unpriced, nestedRuns, runsWithUnpriced, outsideRuns } = ours;
      assert.ok(duplicates > 0 && unpriced > 0 && nestedRuns > 0 && runsWithUnpriced > 0 && outsideRuns > 0, JSON.stringify(ours));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
