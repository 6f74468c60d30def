// A run is its whole subtree, whatever the clocks say: children recorded as ending after their run's root (another
// host's clock, work finished after the handler returned), whichever of them the trace lists first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { IdealStepsLearner } from '../runs/ideal-steps.ts';
import type { RunSummary } from '../runs/run-summary.ts';
import { heldSpan } from '../test/trace-spans.ts';
import { rollupTrace, type TraceSpan } from './trace-rollup.ts';

const MS = 1_000_000n;
const agent = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' };
const chat = () => ({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5' });

function rollUp(spans: TraceSpan[]): { summary: RunSummary; late: number } {
  const runs: RunSummary[] = [];
  let late = 0;
  rollupTrace(
    spans,
    { pricer: new CallPricer(), learner: new IdealStepsLearner(), hooks: { onRun: (summary) => runs.push(summary), onLate: () => (late += 1) } },
    true,
  );
  assert.equal(runs.length, 1);
  return { summary: runs[0]!, late };
}

for (const [what, afterRootNanos] of [
  ['1 µs', 1_000n],
  ['40 ms', 40n * MS],
  ['3 s', 3_000n * MS],
] as const) {
  for (const rootFirst of [true, false]) {
    test(`trace rollup: children ending ${what} after their root are in its run (root listed ${rootFirst ? 'first' : 'last'})`, () => {
      const root = heldSpan({ spanId: 'agent', startNanos: 1000n * MS, endNanos: 1020n * MS, attributes: { ...agent } });
      const calls = [
        heldSpan({ spanId: 'call-1', parentSpanId: 'agent', startNanos: 1001n * MS, endNanos: 1020n * MS + afterRootNanos, attributes: chat(), cost: 0.25 }),
        heldSpan({
          spanId: 'call-2',
          parentSpanId: 'agent',
          startNanos: 1002n * MS,
          endNanos: 1020n * MS + 2n * afterRootNanos,
          attributes: chat(),
          cost: 0.5,
        }),
      ];
      const { summary, late } = rollUp(rootFirst ? [root, ...calls] : [...calls, root]);
      assert.equal(summary.steps, 2);
      assert.equal(summary.cost.total, 0.75); // 0.25 + 0.5
      assert.equal(summary.complete, true);
      assert.equal(late, 0);
    });
  }
}

test("trace rollup: steps follow the calls' end times, so a retry reads as it happened", () => {
  const root = heldSpan({ spanId: 'agent', startNanos: 1000n * MS, endNanos: 1100n * MS, attributes: { ...agent } });
  const failed = heldSpan({
    spanId: 'call-1',
    parentSpanId: 'agent',
    startNanos: 1001n * MS,
    endNanos: 1010n * MS,
    attributes: chat(),
    cost: 0,
    statusCode: 2,
  });
  const retried = heldSpan({ spanId: 'call-2', parentSpanId: 'agent', startNanos: 1011n * MS, endNanos: 1200n * MS, attributes: chat(), cost: 0.5 });
  const { summary } = rollUp([retried, root, failed]);
  assert.equal(summary.steps, 2);
  assert.equal(summary.failedCalls, 1);
  assert.equal(summary.retries, 1);
});

test('trace rollup: marks and cost another process wrote follow this judgement, so only the counted span states a cost', () => {
  // The SDK's span came marked a duplicate of a span the same call had in its own process; here, where the whole
  // trace is seen, the SDK's span ends first and is counted; the gateway's span, priced in its process (with
  // OpenInference's cost names too), is the duplicate.
  const root = heldSpan({ spanId: 'agent', startNanos: 1000n * MS, endNanos: 1100n * MS, attributes: { ...agent } });
  const counted = heldSpan({
    spanId: 'sdk',
    parentSpanId: 'agent',
    startNanos: 1001n * MS,
    endNanos: 1009n * MS,
    attributes: {
      ...chat(),
      'gen_ai.response.id': 'msg_1',
      'tokenledger.call.duplicate_of': 'elsewhere',
      'tokenledger.call.duplicate_reason': 'nested_llm_span',
    },
    cost: 0.25,
  });
  const duplicate = heldSpan({
    spanId: 'gateway',
    parentSpanId: 'agent',
    startNanos: 1002n * MS,
    endNanos: 1010n * MS,
    attributes: {
      ...chat(),
      'gen_ai.response.id': 'msg_1',
      'tokenledger.cost.usd': 0.25,
      'llm.cost.total': 0.25,
      'langfuse.observation.cost_details': '{"total":0.25}',
    },
    cost: 0.25,
  });
  const { summary } = rollUp([root, duplicate, counted]);
  assert.deepEqual([summary.steps, summary.cost.total], [1, 0.25]);
  assert.deepEqual([counted.attributes['tokenledger.call.duplicate_of'], counted.attributes['tokenledger.call.duplicate_reason']], [undefined, undefined]);
  assert.equal(duplicate.attributes['tokenledger.call.duplicate_of'], 'sdk');
  assert.deepEqual(
    Object.keys(duplicate.attributes).filter((key) => /cost/.test(key)),
    [],
  );
});
