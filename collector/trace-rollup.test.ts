// The replay's end order: OpenTelemetry JS records a span's start in whole milliseconds and its end as start plus a
// precise duration, so a call that ended just before its run can carry a later end time than the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { IdealStepsLearner } from '../runs/ideal-steps.ts';
import type { RunSummary } from '../runs/run-summary.ts';
import { rollupTrace, type TraceSpan } from './trace-rollup.ts';

const MS = 1_000_000n;

function span(spanId: string, parentSpanId: string, startMs: bigint, endNanos: bigint, attributes: Attributes, cost?: number): TraceSpan {
  return {
    spanId,
    parentSpanId,
    traceId: 't1',
    name: spanId,
    startNanos: startMs * MS,
    endNanos,
    statusCode: 0,
    attributes,
    figures: cost === undefined ? undefined : { model: 'm', failed: false, refused: false, cost: { total: cost } },
    setAttributes() {},
  };
}

function rollUp(lastCallEndNanos: bigint): { summary: RunSummary; late: number } {
  const runs: RunSummary[] = [];
  let late = 0;
  const agent = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support' };
  const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic' };
  rollupTrace(
    [
      span('call-1', 'agent', 1001n, 1010n * MS, chat, 0.25),
      span('call-2', 'agent', 1011n, lastCallEndNanos, chat, 0.5),
      // The run's start was truncated less than its last call's: its recorded end is 0.3 ms before the call's.
      span('agent', '', 1000n, 1020n * MS, agent),
    ],
    new IdealStepsLearner(),
    { onRun: (summary) => runs.push(summary), onLate: () => (late += 1) },
    true,
  );
  return { summary: runs[0]!, late };
}

test('trace rollup: a call recorded as ending under a millisecond after its run ended with it', () => {
  const { summary, late } = rollUp(1020n * MS + 300_000n);
  assert.equal(summary.steps, 2);
  assert.equal(summary.cost.total, 0.75); // 0.25 + 0.5
  assert.equal(late, 0);
});

test('trace rollup: a call that ends a millisecond or more after its run is late', () => {
  const { summary, late } = rollUp(1021n * MS);
  assert.equal(summary.steps, 1);
  assert.equal(summary.cost.total, 0.25);
  assert.equal(late, 1);
});
