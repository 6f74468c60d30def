// What the span ledger is told of a span and what it says back, free of any OpenTelemetry SDK type: each caller
// (the span processor, collector mode, the cost lab) is an adapter that makes these views of its own spans.
import type { Attributes } from '@opentelemetry/api';
import type { CallFigures } from '../ledger/call-figures.ts';
import type { PricedCall } from '../ledger/pricing/call-pricer.ts';
import type { SpanClass } from '../ledger/sources/registry.ts';
import type { SpanKind } from '../ledger/sources/source.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';
import type { RunState } from '../runs/run-state.ts';
import type { RunSummary } from '../runs/run-summary.ts';

export interface SpanStartView {
  spanId: string;
  traceId: string;
  /** Its parent as the ledger sees spans (a local parent in process, the parent in the held trace in collector mode); undefined for a root. */
  parentSpanId: string | undefined;
  /** What it is, classified once from the attributes it started with (ledger/sources/registry.ts). */
  spanClass: SpanClass;
  /** Its attributes (in process, the live object: attribution keys set later are read when its run's metrics are). */
  attributes: Attributes;
  /** The caller's own handle of the span, passed to the run observer (the guardrails' events go on it). */
  handle?: unknown;
}

export interface SpanEndView {
  spanId: string;
  traceId: string;
  spanClass: SpanClass;
  /** What it turned out to be at its end, when it said nothing at its start (a tool span named so only later). */
  kindAtEnd?: SpanKind;
  /** Its attributes at its end, with what reading its usage added. */
  attributes: Attributes;
  /** The call's usage figures when it is an LLM call (ledger/call-usage.ts); undefined for a span that is none. */
  usage: UsageFigures | undefined;
  /** It ended with an error status. */
  failed: boolean;
  /** When it started, in ms since the epoch: the date its price is looked up for. */
  startMs: number;
  durationSeconds: number;
  /** Provider API requests the request sensor noted while it was active (only read for a span that is no call). */
  providerRequests?: number;
  /** Its start and end on one clock, for a caller that replays spans (the duplicate judge's overlap test). */
  times?: { start: number; end: number };
  /** The cost it already states, priced where it was made (collector mode); it is then not priced again. */
  pricedElsewhere?: PricedCall;
  /** The number of calls it stands for (1 / its sampling probability), when it was sampled and says so. Default 1. */
  weight?: number;
}

export interface SpanEnded {
  /** Attributes to add to the span: cost, duplicate marks, other backends' conventions. */
  attributes: Attributes;
  /** The span is a run's root and the run was rolled up as it ended: its run attributes go on it too. */
  run?: RolledUpRun;
  /**
   * Attribute keys to take off the span: the cost a duplicate came with from another process, or the duplicate marks
   * of a span another process judged a duplicate and this ledger counts.
   */
  removed?: readonly string[];
  /** The call's figures, when it is an LLM call counted here (not a duplicate). */
  call?: CallFigures;
  /** The span is a run's root whose rollup waits for spans still open under it (it comes by `onRunReleased`). */
  waiting: boolean;
}

/** A run rolled up: its summary (run-summary.ts writes its attributes) and what the run observer adds (its budget). */
export interface RolledUpRun {
  summary: RunSummary;
  guard: Attributes | undefined;
}

/** Where the ledger's figures go: the metrics (metrics/metrics.ts), or the cost lab's collection of runs and calls. */
export interface LedgerSink {
  /** One counted LLM call (refused ones excepted), with the agent and the innermost run it was in. */
  recordCall(
    attributes: Attributes,
    figures: CallFigures,
    durationSeconds: number,
    agentName: string | undefined,
    run: RunState | undefined,
    weight: number,
  ): void;
  /** One run rolled up and reported. */
  recordRun(summary: RunSummary, run: RunState, weight: number): void;
  evicted(reason: string): void;
  spanEvicted(): void;
  late(): void;
}

/**
 * What watches runs as they go (the guardrails, in process): its state per run lives and dies with the run, and it is
 * told of every span that ends, so a reservation is released whatever ended the call.
 */
export interface RunObserver {
  runStarted(run: RunState, attributes: Attributes, handle: unknown): void;
  /** A span ended (any span): its figures when it is a counted call, whether it is a tool and failed, its innermost run. */
  spanEnded(spanId: string, call: CallFigures | undefined, toolFailed: boolean | undefined, attributes: Attributes, innermost: RunState | undefined): void;
  /** Attributes for a run's root at its rollup (its budget and breaches). */
  runAttributes(run: RunState): Attributes | undefined;
  /** The run closed (rolled up or evicted): what was kept for it goes. */
  runClosed(run: RunState): void;
}
