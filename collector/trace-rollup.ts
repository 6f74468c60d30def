// Rolls up the runs of one released trace by replaying it through the run tree (runs/run-tree.ts), the engine the
// in-process processor feeds as spans start and end: every span starts, parents before children, then every span
// ends in the order it ended. So the runs, their totals, retries, late spans and learned ideal steps are the ones
// the processor would have found had it seen the whole trace. Linear in the spans whatever the nesting depth.
// The same judge of duplicates as in process (ledger/duplicate-calls.ts) decides which LLM spans count, with the
// spans' own start and end times, since the replay starts every span before it ends any.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
} from '../conventions/attributes.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import { DuplicateCalls, duplicateAttributes, type Duplicate } from '../ledger/duplicate-calls.ts';
import { responseIdOf } from '../ledger/source-conventions.ts';
import { AI_FUNCTION_ID, AI_OPERATION_ID, OI_KIND } from '../ledger/foreign-names.ts';
import type { IdealStepsLearner } from '../runs/ideal-steps.ts';
import type { RunState } from '../runs/run-state.ts';
import { isToolExecution, runStartedBy } from '../runs/run-spans.ts';
import { runAttributes, type RunSummary } from '../runs/run-summary.ts';
import { DEFAULT_RUN_LIMITS, RunTree, type RunTreeHooks } from '../runs/run-tree.ts';

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  traceId: string;
  name: string;
  startNanos: bigint;
  endNanos: bigint;
  statusCode: number;
  /** At least the ROLLUP_ATTRIBUTES the span has, and its attribution keys (a holder may keep only those). */
  attributes: Attributes;
  /** The call's figures when the span is an LLM call (worked out as it arrived), else undefined. */
  figures: CallFigures | undefined;
  /** Adds attributes to the span as it will be forwarded. */
  setAttributes(attributes: Attributes): void;
}

/** The attributes the rollup and the metrics of its hooks read, besides an LLM call's figures. */
export const ROLLUP_ATTRIBUTES: readonly string[] = [
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_ERROR_TYPE,
  OI_KIND,
  AI_OPERATION_ID,
  AI_FUNCTION_ID,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
];

export interface TraceRollupHooks extends RunTreeHooks {
  /** Every LLM call of the trace (refused ones excepted), with the agent of its innermost run and the run, if any. */
  onCall?(span: TraceSpan, figures: CallFigures, agentName: string | undefined, run?: RunState): void;
  /** Every run rolled up and reported, with its state (whose `attribution` is its span's attributes). */
  onRun?(summary: RunSummary, run: RunState): void;
}

/** A run tree that lives while one trace is replayed: no limits but the depth one, no timer. */
const REPLAY_LIMITS = { ...DEFAULT_RUN_LIMITS, maxRuns: Infinity, maxSpans: Infinity };

/**
 * Rolls the trace's runs up onto their spans; returns how many runs it found. `whole`: the trace's root arrived
 * and it was not evicted. A trace that is not whole has its runs only marked `tokenledger.run.complete = false`,
 * since figures from part of a run would read as the whole; its calls still count in the call metrics.
 */
export function rollupTrace(spans: readonly TraceSpan[], learner: IdealStepsLearner, hooks: TraceRollupHooks, whole: boolean): number {
  const tree = new RunTree(REPLAY_LIMITS, hooks, { learner, sweep: false });
  const duplicates = new DuplicateCalls({ maxSpans: Infinity, maxCounted: Infinity });
  const { order, isRoot, parentOf } = startOrder(spans);
  let runs = 0;
  for (const span of order) {
    const root = isRoot.has(span);
    const run = runStartedBy(span.attributes, span.name, root);
    if (run !== undefined) runs += 1;
    duplicates.start(span.spanId, root ? undefined : span.parentSpanId, run?.explicit === true || isToolExecution(span.attributes));
    if (!whole) {
      if (run?.explicit) span.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: span.spanId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
      continue;
    }
    const started = tree.start(span.spanId, span.traceId, root ? undefined : span.parentSpanId, run);
    if (started) started.attribution = span.attributes;
  }
  for (const span of endOrder(order, parentOf)) {
    const failed = span.statusCode === SpanStatusCode.ERROR;
    const call = counted(span, duplicates);
    if (!whole) {
      if (call && !call.refused) hooks.onCall?.(span, call, undefined);
      continue;
    }
    const isTool = isToolExecution(span.attributes);
    const ended = tree.end(span.spanId, { call, toolFailed: isTool ? failed : undefined, attributes: span.attributes, failed });
    if (call && !call.refused) hooks.onCall?.(span, call, ended.run?.agentName, ended.run);
    if (ended.rolledUp) {
      span.setAttributes(runAttributes(ended.rolledUp.summary));
      hooks.onRun?.(ended.rolledUp.summary, ended.rolledUp.state);
    } else if (ended.lostRunId !== undefined) {
      span.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: ended.lostRunId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
    }
  }
  return runs;
}

/** The span's call figures unless another span of the trace already counts its provider call (then it is marked). */
function counted(span: TraceSpan, duplicates: DuplicateCalls): CallFigures | undefined {
  let duplicate: Duplicate | undefined;
  if (span.figures !== undefined) {
    const times = { start: Number(span.startNanos), end: Number(span.endNanos) };
    duplicate = duplicates.judge(span.spanId, span.traceId, responseIdOf(span.attributes), times);
  }
  duplicates.end(span.spanId);
  if (duplicate === undefined) return span.figures;
  span.setAttributes(duplicateAttributes(duplicate));
  return undefined;
}

/**
 * Every span once, parents before children (siblings in start order), iteratively so depth costs no stack. A span
 * whose parent is not in the trace is a root; so is one in a parent cycle, which no root reaches.
 */
function startOrder(spans: readonly TraceSpan[]): { order: TraceSpan[]; isRoot: Set<TraceSpan>; parentOf: Map<TraceSpan, TraceSpan> } {
  const byId = new Map<string, TraceSpan>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  const children = new Map<TraceSpan, TraceSpan[]>();
  const parentOf = new Map<TraceSpan, TraceSpan>();
  const roots: TraceSpan[] = [];
  for (const span of spans) {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (parent === undefined || parent === span) roots.push(span);
    else {
      parentOf.set(span, parent);
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(span);
    }
  }
  const byStart = (a: TraceSpan, b: TraceSpan) => (a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0);
  const order: TraceSpan[] = [];
  const visited = new Set<TraceSpan>();
  const isRoot = new Set<TraceSpan>();
  const visit = (root: TraceSpan) => {
    isRoot.add(root);
    const stack = [root];
    while (stack.length > 0) {
      const span = stack.pop()!;
      if (visited.has(span)) continue;
      visited.add(span);
      order.push(span);
      const below = children.get(span);
      if (below) for (const child of [...below].sort(byStart).reverse()) stack.push(child);
    }
  };
  for (const root of [...roots].sort(byStart)) visit(root);
  for (const span of spans) if (!visited.has(span)) {
    parentOf.delete(span); // in a parent cycle: a root
    visit(span);
  }
  return { order, isRoot, parentOf };
}

/**
 * Recorded end times can be up to a millisecond ahead of each other: the OpenTelemetry JS SDK takes a span's start
 * from Date.now() (whole milliseconds) and its end as that start plus a precise duration, so a call that ended just
 * before its run may carry the later end time. A span recorded as ending less than this after its parent is taken to
 * have ended with it (and so, by the rule below, before it); one that ends a millisecond or more after it is late.
 */
const CLOCK_SLACK_NANOS = 1_000_000n;

/** The spans in the order they ended; at the same instant a span deeper in the start order ends first. */
function endOrder(order: readonly TraceSpan[], parentOf: ReadonlyMap<TraceSpan, TraceSpan>): TraceSpan[] {
  const position = new Map<TraceSpan, number>();
  const end = new Map<TraceSpan, bigint>();
  // Parents come before their children in the start order, so a parent's end is settled before its children's.
  order.forEach((span, index) => {
    position.set(span, index);
    const parent = parentOf.get(span);
    const parentEnd = parent === undefined ? undefined : end.get(parent);
    const ahead = parentEnd === undefined ? 0n : span.endNanos - parentEnd;
    end.set(span, ahead > 0n && ahead < CLOCK_SLACK_NANOS ? parentEnd! : span.endNanos);
  });
  return [...order].sort((a, b) => {
    const endA = end.get(a)!;
    const endB = end.get(b)!;
    if (endA !== endB) return endA < endB ? -1 : 1;
    return position.get(b)! - position.get(a)!;
  });
}
