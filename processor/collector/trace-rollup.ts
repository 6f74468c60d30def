// Rolls up the runs of one whole trace, as collector mode holds it: the same run rules, figures and KPIs as the
// in-process processor (RunState, summarizeRun), applied to spans that arrived from anywhere, in any order.
// Pure but for the spans' attributes, which it sets on the run spans.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_TOKENLEDGER_RUN_COMPLETE,
  ATTR_TOKENLEDGER_RUN_ID,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
} from '../../conventions/attributes.ts';
import { OI_KIND } from '../foreign-names.ts';
import type { CallFigures } from '../runs/call-figures.ts';
import { RunState } from '../runs/run-state.ts';
import { runOutcome, runStartedBy } from '../runs/run-spans.ts';
import { runAttributes, summarizeRun, type RunSummary } from '../runs/run-summary.ts';

export interface TraceSpan {
  spanId: string;
  parentSpanId: string;
  traceId: string;
  name: string;
  startNanos: number;
  endNanos: number;
  statusCode: number;
  /** At least the ROLLUP_ATTRIBUTES the span has (a holder may keep only those). */
  attributes: Attributes;
  /** The call's figures when the span is an LLM call (worked out as it arrived), else undefined. */
  figures: CallFigures | undefined;
  /** Adds attributes to the span as it will be forwarded. */
  setAttributes(attributes: Attributes): void;
}

/** The attributes rollupTrace and the metrics of its hooks read, besides an LLM call's figures. */
export const ROLLUP_ATTRIBUTES: readonly string[] = [
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_ERROR_TYPE,
  OI_KIND,
  ATTR_TOKENLEDGER_RUN_SUCCESS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
];

export interface TraceRollupHooks {
  /** Every LLM call of the trace, with the agent of its innermost run (undefined outside any run). */
  onCall?(span: TraceSpan, figures: CallFigures, agentName: string | undefined): void;
  /** Every run rolled up. */
  onRun?(summary: RunSummary, agentName: string): void;
}

export interface TraceRollupOptions extends TraceRollupHooks {
  /**
   * The trace was released early (evicted, or its root never came): its runs are not rolled up, only marked
   * `tokenledger.run.complete = false`, since figures from part of a run would read as the whole.
   */
  incomplete?: boolean;
}

/** Rolls the trace's runs up onto their spans; returns how many runs it found. */
export function rollupTrace(spans: readonly TraceSpan[], options: TraceRollupOptions = {}): number {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const runs = new Map<string, RunState>();
  for (const span of spans) {
    const isRoot = !span.parentSpanId || !byId.has(span.parentSpanId);
    const run = runStartedBy(span.attributes, span.name, isRoot);
    if (run === undefined) continue;
    const state = new RunState(span.spanId, span.traceId, run.name, span.startNanos / 1e6);
    state.explicit = run.explicit;
    runs.set(span.spanId, state);
  }
  if (runs.size === 0 || options.incomplete) {
    for (const span of spans) {
      if (span.figures) options.onCall?.(span, span.figures, undefined);
    }
  }
  if (runs.size === 0) return 0;
  if (options.incomplete) {
    for (const [spanId, state] of runs) {
      if (state.explicit) byId.get(spanId)!.setAttributes({ [ATTR_TOKENLEDGER_RUN_ID]: spanId, [ATTR_TOKENLEDGER_RUN_COMPLETE]: false });
    }
    return runs.size;
  }

  const chains = new Map<string, RunState[]>();
  const chainOf = (span: TraceSpan, depth = 0): RunState[] => {
    const known = chains.get(span.spanId);
    if (known) return known;
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    const parentChain = parent && depth < 256 ? chainOf(parent, depth + 1) : [];
    const own = runs.get(span.spanId);
    const chain = own ? [...parentChain, own] : parentChain;
    chains.set(span.spanId, chain);
    return chain;
  };

  // Calls in the order they started, so step order and retries read as they happened.
  for (const span of [...spans].sort((a, b) => a.startNanos - b.startNanos)) {
    const { figures } = span;
    if (figures) {
      const chain = chainOf(span);
      for (const state of chain) state.addCall(figures);
      options.onCall?.(span, figures, chain.at(-1)?.agentName);
    } else if (span.attributes[ATTR_GEN_AI_OPERATION_NAME] === 'execute_tool') {
      for (const state of chainOf(span)) state.addTool(span.statusCode === SpanStatusCode.ERROR);
    }
  }

  for (const [spanId, state] of runs) {
    if (!state.reportable) continue;
    const span = byId.get(spanId)!;
    const summary = summarizeRun(state, runOutcome(span.attributes, span.statusCode === SpanStatusCode.ERROR));
    span.setAttributes(runAttributes(summary));
    options.onRun?.(summary, state.agentName);
  }
  return runs.size;
}
