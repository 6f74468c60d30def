// The rollup of one trace is linear in its spans whatever the nesting depth: a chain of N nested agent spans,
// with an LLM call at the bottom or with one at every level, replayed through the span ledger as collector mode does
// (collector/trace-rollup.ts). Time and heap per span should stay flat as N doubles; runs nested deeper than
// maxRunDepth (64) are not runs of their own, so a call is added to at most 64 runs.
import type { Attributes } from '@opentelemetry/api';
import { rollupTrace, type TraceRollupOptions, type TraceSpan } from '../collector/trace-rollup.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import { heldSpan } from '../test/trace-spans.ts';
import { IdealStepsLearner } from '../runs/ideal-steps.ts';
import { DEFAULT_RUN_LIMITS, RunTree } from '../runs/run-tree.ts';
import { median, printTable } from './report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const gc = (globalThis as { gc?: () => void }).gc;

function span(id: number, parent: number | undefined, name: string, attributes: Attributes, cost: number | undefined, depth: number, total: number): TraceSpan {
  return heldSpan({
    spanId: id.toString(16).padStart(16, '0'),
    parentSpanId: parent === undefined ? '' : parent.toString(16).padStart(16, '0'),
    traceId: 'f'.repeat(32),
    name,
    startNanos: BigInt(depth),
    endNanos: BigInt(4 * total - depth),
    attributes,
    cost,
  });
}

const options = (): TraceRollupOptions => ({ pricer: new CallPricer(), learner: new IdealStepsLearner(), hooks: {} });

/** A chain of `depth` agent spans; an LLM call under the innermost one, or under every one. */
function chain(depth: number, callEveryLevel: boolean): TraceSpan[] {
  const spans: TraceSpan[] = [];
  const agent = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'level' };
  const llm = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1' };
  let next = depth;
  for (let level = 0; level < depth; level += 1) {
    spans.push(span(level, level === 0 ? undefined : level - 1, 'invoke_agent level', { ...agent }, undefined, level, depth));
    if (callEveryLevel || level === depth - 1) spans.push(span((next += 1), level, 'chat gpt-4.1', { ...llm }, 0.0028, level + 1, depth));
  }
  return spans;
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

// Warm the code up first, so the first depth measured is not the one that pays for compiling it.
for (let i = 0; i < 3; i += 1) rollupTrace(chain(7_000, true), options(), true);

const rows: string[][] = [];
for (const callEveryLevel of [false, true]) {
  for (const depth of [3_500, 7_000, 14_000, 28_000]) {
    const samples: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const spans = chain(depth, callEveryLevel);
      const start = process.cpuUsage();
      rollupTrace(spans, options(), true);
      const used = process.cpuUsage(start);
      samples.push((used.user + used.system) / spans.length);
    }
    const perSpan = median(samples);
    const spanCount = depth * (callEveryLevel ? 2 : 1);
    rows.push([
      callEveryLevel ? 'a call at every level' : 'one call at the bottom',
      depth.toLocaleString('en-US'),
      perSpan.toFixed(2),
      ((perSpan * spanCount) / 1000).toFixed(1),
    ]);
  }
}
printTable(`rollup of one chain of nested agent spans (${ROUNDS} rounds, medians)`, ['trace', 'depth', 'µs/span', 'ms/trace'], rows);

// The heap the run tree holds for a chain of 28 000 nested agent spans, all started and none ended (its fullest).
{
  const ids = Array.from({ length: 28_000 }, (_, i) => i.toString(16).padStart(16, '0'));
  const before = heapMb();
  const tree = new RunTree({ ...DEFAULT_RUN_LIMITS, maxRuns: Infinity, maxSpans: Infinity }, {}, { sweep: false });
  ids.forEach((id, i) => {
    tree.start(id, 'trace', i ? ids[i - 1] : undefined, { name: 'level', explicit: true });
  });
  const held = heapMb() - before;
  console.log(
    `run tree for 28,000 nested agent spans: ${held.toFixed(1)} MB held (${((held * 1024 * 1024) / ids.length).toFixed(0)} bytes a span; ${tree.activeRuns} runs, the deepest ${ids.length - tree.activeRuns} not runs of their own)`,
  );
}
if (!gc) console.log('(run with --expose-gc for exact heap figures; npm run bench does)');
