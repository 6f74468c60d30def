// One provider call, one counted span, whoever reports it. Two sources can describe one call: a framework's span
// and the vendor-SDK patch's inside it, two integrations of one framework, two instrumentations of one SDK. Of two
// nested spans of a call the innermost is counted (the one nearest the request: a provider SDK's own span states
// the most); otherwise the first to end. A span is a duplicate when
//   - it has the same `gen_ai.response.id` as a call counted in its trace that it overlaps in time
//     (`same_response_id`): two descriptions of one HTTP call are in flight together, while calls that merely
//     share an id (a server that repeats ids, a replayed response) follow one another. So a trace's response ids
//     are kept while spans of it are in flight, and let go with it: a span that starts later overlaps none of them.
//     (Kept across traces for a while, every call's id outlived many young-generation collections, and the garbage
//     collector copied it; per trace, a call's id dies young.) Or
//   - an LLM span inside it was counted, or is still in flight (it will be), or one around it was counted
//     (`nested_llm_span`): an LLM span that encloses another describes the same request (a framework's call span
//     around the SDK's), never a second one. So the innermost is counted whichever ends first, in process and in
//     collector mode alike. The search stops at agent and tool spans: a call made inside a tool (a sub-agent) is a
//     call of its own, even when the framework keeps its step's call span open around its tools.
// A duplicate is marked (`tokenledger.call.duplicate_of`, `.duplicate_reason`) and is neither priced, nor added to
// a run, nor recorded in the metrics. The same judge serves the span processor (fed as spans start and end) and
// collector mode (fed as a held trace is replayed), so both count the same calls.
//
// Bounds: the parent and start of each span in flight (at most `maxSpans`, oldest forgotten first; the span processor
// also forgets the root of a run it evicts), the traces of those spans with the response ids of their last
// `maxCounted` counted calls, and the last `maxCounted` counted spans (a call inside one ends soon after it); ids are
// forgotten a generation at a time (base/recent.ts), so up to twice as many are held.
import type { Attributes } from '@opentelemetry/api';
import { ATTR_TOKENLEDGER_CALL_DUPLICATE_OF, ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON, type TokenledgerCallDuplicateReason } from '../conventions/attributes.ts';
import { OldestFirstMap } from '../base/oldest-first.ts';
import { RecentMap, RecentSet } from '../base/recent.ts';

export interface Duplicate {
  /** The span id of the LLM span counted for this call. */
  of: string;
  reason: TokenledgerCallDuplicateReason;
}

/** The attributes that mark a duplicate (in process and in collector mode alike). */
export function duplicateAttributes(duplicate: Duplicate): Attributes {
  return { [ATTR_TOKENLEDGER_CALL_DUPLICATE_OF]: duplicate.of, [ATTR_TOKENLEDGER_CALL_DUPLICATE_REASON]: duplicate.reason };
}

export interface DuplicateLimits {
  maxSpans: number;
  maxCounted: number;
}

const DEFAULT_LIMITS: DuplicateLimits = { maxSpans: 100_000, maxCounted: 10_000 };
/** Ancestors looked at above a counted call (framework spans wrap a call a few levels up at most). */
const MAX_ANCESTORS = 16;

/** A trace with spans in flight: how many, and the response ids of its counted calls. */
interface TraceRecord {
  id: string;
  inFlight: number;
  /** Response id → the counted span and when it ended; made at the trace's first counted call with an id. */
  responses: RecentMap<string, { spanId: string; end: number }> | undefined;
}

/** What the judge keeps of a span in flight. */
interface InFlight {
  trace: TraceRecord;
  /** Its local parent (undefined for a root, or above an agent or tool span). */
  parent: string | undefined;
  /** When it started, on the judge's own clock (a count of starts and ends). */
  start: number;
  /** It said at its start that it is an LLM call: a provider request made inside it is covered. */
  call: boolean;
  /**
   * The LLM span below it that is the call: the first counted, or else one still in flight (the latest to start),
   * which will be counted in its stead.
   */
  below: string | undefined;
  /** `below` was counted, and stays; otherwise it is in flight, and let go of if it ends uncounted. */
  belowCounted: boolean;
}

export class DuplicateCalls {
  /** Each span in flight, oldest first (one entry per span: this is on every span's path). */
  private readonly inFlight = new OldestFirstMap<string, InFlight>();
  private moment = 0;
  /** The traces of the spans in flight. */
  private readonly traces = new Map<string, TraceRecord>();
  /** Counted LLM spans, remembered a while after they end (a call inside one may end after it). */
  private readonly counted: RecentSet<string>;
  private readonly limits: DuplicateLimits;

  constructor(limits: Partial<DuplicateLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.counted = new RecentSet(this.limits.maxCounted);
  }

  /**
   * A span started; `boundary`: an agent or tool span, which no search for the same call crosses; `call`: it says
   * at its start that it is an LLM call.
   */
  start(spanId: string, traceId: string, parentSpanId: string | undefined, boundary: boolean, call = false): void {
    if (this.inFlight.size >= this.limits.maxSpans) this.end(this.inFlight.oldest()!);
    let trace = this.traces.get(traceId);
    if (trace === undefined) this.traces.set(traceId, (trace = { id: traceId, inFlight: 0, responses: undefined }));
    trace.inFlight += 1;
    const parent = boundary ? undefined : parentSpanId;
    this.inFlight.set(spanId, { trace, parent, start: ++this.moment, call, below: undefined, belowCounted: false });
    if (call) this.markAbove(parent, spanId, 'started');
  }

  /** Spans in flight the judge holds (for tests and benchmarks). */
  get spansInFlight(): number {
    return this.inFlight.size;
  }

  /** Traces with spans in flight, whose response ids the judge holds (for tests). */
  get tracesInFlight(): number {
    return this.traces.size;
  }

  /** Whether the span in flight is an LLM call or inside one (not across an agent or tool span). */
  insideCall(spanId: string): boolean {
    let span: string | undefined = spanId;
    for (let depth = 0; span !== undefined && depth <= MAX_ANCESTORS; depth += 1) {
      const entry = this.inFlight.get(span);
      if (entry?.call) return true;
      span = entry?.parent;
    }
    return false;
  }

  /**
   * Judges an LLM span as it ends: a duplicate of a call already counted, or undefined when it is the call's
   * counted span (then remembered as such). Call once per LLM span, in the order the spans end. `times`: when the
   * span started and ended, for a caller that replays spans (collector mode starts a whole trace before it ends
   * any); without them, the order of this judge's own `start` and `judge` calls says what overlapped.
   */
  judge(spanId: string, traceId: string, responseId: string | undefined, times?: { start: number; end: number }): Duplicate | undefined {
    const entry = this.inFlight.get(spanId);
    const start = times?.start ?? entry?.start ?? 0;
    const end = times?.end ?? ++this.moment;
    const duplicate = this.duplicateOf(spanId, entry, traceId, responseId, start);
    if (duplicate === undefined) this.remember(spanId, entry, traceId, responseId, end);
    return duplicate;
  }

  /** Forgets the counted spans remembered after their end (the spans in flight are kept). */
  forgetCounted(): void {
    this.counted.clear();
  }

  /** A span ended (any span, after `judge` for an LLM span): what was kept for it in flight is let go. */
  end(spanId: string): void {
    const entry = this.inFlight.get(spanId);
    if (entry === undefined) return;
    this.inFlight.delete(spanId);
    const { trace } = entry;
    trace.inFlight -= 1;
    if (trace.inFlight === 0) this.traces.delete(trace.id);
    // A counted call's ancestors were marked when it was counted, for good: only an uncounted one is let go of.
    if (entry.call && !this.counted.has(spanId)) this.markAbove(entry.parent, spanId, 'ended');
  }

  /**
   * Tells the ancestors of an LLM span (those not already below a counted one) that it `started` or was `counted`,
   * or that it `ended` uncounted: then those that took it for their call while it was in flight no longer do.
   */
  private markAbove(parent: string | undefined, spanId: string, change: 'started' | 'counted' | 'ended'): void {
    let ancestor = parent;
    for (let depth = 0; ancestor !== undefined && depth < MAX_ANCESTORS; depth += 1) {
      const above = this.inFlight.get(ancestor);
      if (above === undefined) return;
      // One below a counted call keeps it.
      if (!above.belowCounted) {
        if (change !== 'ended') {
          above.below = spanId;
          above.belowCounted = change === 'counted';
        } else if (above.below === spanId) {
          above.below = undefined;
        }
      }
      ancestor = above.parent;
    }
  }

  private duplicateOf(spanId: string, entry: InFlight | undefined, traceId: string, responseId: string | undefined, start: number): Duplicate | undefined {
    const same = responseId === undefined ? undefined : (entry?.trace ?? this.traces.get(traceId))?.responses?.get(responseId);
    if (same !== undefined && same.spanId !== spanId && start < same.end) return { of: same.spanId, reason: 'same_response_id' };
    if (entry?.below !== undefined) return { of: entry.below, reason: 'nested_llm_span' };
    let ancestor = entry?.parent;
    for (let depth = 0; ancestor !== undefined && depth < MAX_ANCESTORS; depth += 1) {
      if (this.counted.has(ancestor)) return { of: ancestor, reason: 'nested_llm_span' };
      ancestor = this.inFlight.get(ancestor)?.parent;
    }
    return undefined;
  }

  private remember(spanId: string, entry: InFlight | undefined, traceId: string, responseId: string | undefined, end: number): void {
    this.counted.add(spanId);
    this.markAbove(entry?.parent, spanId, 'counted');
    if (responseId === undefined) return;
    // No span of the trace in flight: none that could overlap this one is left to end.
    const trace = entry?.trace ?? this.traces.get(traceId);
    if (trace === undefined) return;
    (trace.responses ??= new RecentMap(this.limits.maxCounted)).set(responseId, { spanId, end });
  }
}
