// Reads recordings and rolls their runs up with the code collector mode runs: each span is read at the edge by
// collector/enrich.ts (classified, its usage normalised), held by trace in the collector's TraceStore, and each
// trace, once whole, is replayed through the span ledger the processor feeds (collector/trace-rollup.ts): a call
// that already carries tokenledger's cost keeps it, one that does not is priced with the bundled price data and the
// overrides given. What comes out per trace is its runs' summaries and its calls, each with the runs it
// counts in — nothing is summed here.
//
// The clock is the count of spans read: a trace is rolled up once its root span has been read and `holdSpans`
// further spans have been read without one of its own (spans of a trace may lie apart in a file: each process's
// batches are appended as they are exported). A trace whose root never comes is rolled up un-whole (its runs are
// unknown; its calls still count) once `maxSpans` spans have been read since its first, or at the end. At most
// `maxSpans` spans are held: past it the oldest trace goes early, as un-whole. Memory is bounded by `maxSpans`,
// whatever the size of the files.
import type { Attributes } from '@opentelemetry/api';
import { readAttributes, readSpanAttributes, unixNanos, type OtlpSpan, type SpanScope } from '../../collector/enrich.ts';
import { TraceRollup, type TraceSpan } from '../../collector/trace-rollup.ts';
import { TraceStore, type ReleasedTrace } from '../../collector/trace-store.ts';
import {
  ATTR_TOKENLEDGER_COST_UNKNOWN_REASON,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS,
  ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE,
  TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUE_LEARNED,
} from '../../conventions/attributes.ts';
import type { CallFigures } from '../../ledger/call-figures.ts';
import { COST_ATTRIBUTES } from '../../ledger/cost-attributes.ts';
import type { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import type { SpanClass } from '../../ledger/sources/registry.ts';
import { IdealStepsLearner } from '../../runs/ideal-steps.ts';
import type { RunState } from '../../runs/run-state.ts';
import type { RunSummary } from '../../runs/run-summary.ts';
import { RECORDING_METADATA_KEY } from '../../setup/record-file.ts';
import { RecordedSpan, type CallRecord } from './recorded-span.ts';
import { RecordingError } from './recording-error.ts';
import { readRecording, type RecordedRequest } from './recording-reader.ts';

export interface ReplayOptions {
  pricer: CallPricer;
  /** Spans read after a trace's root (and its last span) before it is rolled up. */
  holdSpans: number;
  /** Spans held at most. */
  maxSpans: number;
  /** Price every call again, ignoring the cost it was recorded with. */
  reprice?: boolean;
}

export interface ReplayedCall {
  call: CallRecord;
  /** The reported runs it counts in, innermost first (empty: in no run). */
  runIds: string[];
  /** The agent of its innermost run. */
  agentName?: string;
}

export interface ReplayedTrace {
  traceId: string;
  /** Its root was read and it was not cut short by the limits: only then are its runs known. */
  whole: boolean;
  /** Its runs, in the order they were rolled up (nested runs before the run they are in). */
  runs: RunSummary[];
  /** Its LLM calls (refused ones excepted), in the order they ended. */
  calls: ReplayedCall[];
}

export interface ReplaySink {
  trace(trace: ReplayedTrace): void;
  /** An LLM call whose trace was rolled up before it was read: it counts in no run. */
  lateCall?(call: CallRecord): void;
  /** A recording's metadata record (setup/record-file.ts), as read, with where it is. */
  recordingMetadata?(metadata: unknown, where: string): void;
}

export interface ReplayStats {
  files: number;
  requests: number;
  spans: number;
  calls: number;
  traces: number;
  /** Traces with LLM calls or runs that could not be rolled up whole (root missing, or evicted). */
  unwholeTraces: number;
  /** Spans read after their trace was rolled up. */
  lateSpans: number;
  /** Spans read twice (the same span id in one trace). */
  duplicateSpans: number;
  /** The first and last span start, in ms (NaN before any). */
  firstStartMs: number;
  lastEndMs: number;
}

/** Prices that tell the call was not priced because of what the pricer knew then: a price override may fix it. */
const REPRICED_REASONS = new Set(['unknown_model', 'pricing_error']);

export class Replay {
  readonly stats: ReplayStats = {
    files: 0,
    requests: 0,
    spans: 0,
    calls: 0,
    traces: 0,
    unwholeTraces: 0,
    lateSpans: 0,
    duplicateSpans: 0,
    firstStartMs: Number.NaN,
    lastEndMs: Number.NaN,
  };
  private readonly options: ReplayOptions;
  private readonly sink: ReplaySink;
  private readonly store: TraceStore<RecordedSpan>;
  /** Rolls each trace up with ledgers made once for the whole read; the ideal steps learned carry over from trace to trace. */
  private readonly rollup: TraceRollup;
  /**
   * Of each held trace: its span ids (to find a span read twice) and the last end time of each stream. A trace's
   * entry goes when it is rolled up; one made again by a late span stays while the store remembers the trace as
   * released (so a late span read twice counts once), and goes when the store forgets it.
   */
  private readonly held = new Map<string, HeldTrace>();
  /** The trace of the span read last, while it is held. */
  private lastTraceId: string | undefined;
  private lastHeld: HeldTrace | undefined;
  private clock = 0;
  private nextTake = 0;
  private readonly spanClasses = new SharedSpanClasses();

  constructor(options: ReplayOptions, sink: ReplaySink) {
    this.options = options;
    this.sink = sink;
    this.rollup = new TraceRollup({ pricer: options.pricer, learner: new IdealStepsLearner() });
    this.store = new TraceStore<RecordedSpan>(
      {
        quietMs: options.holdSpans,
        maxAgeMs: options.maxSpans,
        maxTraces: options.maxSpans,
        maxSpans: options.maxSpans,
      },
      // The replay's time is the count of spans read.
      { now: () => this.clock },
      (traceId) => this.forget(traceId),
    );
  }

  /** Reads the files one after another; throws a RecordingError naming the file and line of bad input. */
  async read(paths: readonly string[]): Promise<ReplayStats> {
    for (const path of paths) {
      this.stats.files += 1;
      for await (const { request, where } of readRecording(path)) this.add(request, where);
    }
    for (const trace of this.store.flush()) this.rollUp(trace);
    return this.stats;
  }

  private add(request: RecordedRequest, where: string): void {
    this.stats.requests += 1;
    const metadata = (request as Record<string, unknown>)[RECORDING_METADATA_KEY];
    if (metadata !== undefined) this.sink.recordingMetadata?.(metadata, where);
    const spans = this.spansOf(request, where);
    this.clock += spans.length;
    const { late, evicted } = this.store.add(spans);
    if (late.length > 0) this.lateSpans(late);
    for (const trace of evicted) this.rollUp(trace);
    // Looking for ready traces walks every held one: do it each time an eighth of the hold has been read.
    if (this.clock >= this.nextTake) {
      this.nextTake = this.clock + Math.max(1, Math.floor(this.options.holdSpans / 8));
      for (const trace of this.store.take()) this.rollUp(trace);
    }
  }

  private spansOf(request: RecordedRequest, where: string): RecordedSpan[] {
    const spans: RecordedSpan[] = [];
    const list = (value: unknown, what: () => string): unknown[] => {
      if (value === undefined || value === null) return [];
      if (!Array.isArray(value)) throw new RecordingError(where, `${what()} must be a list`);
      return value;
    };
    const resourceSpansList = list(request.resourceSpans, () => 'resourceSpans');
    for (let r = 0; r < resourceSpansList.length; r += 1) {
      const resourceSpans = resourceSpansList[r] as { resource?: { attributes?: unknown }; scopeSpans?: unknown } | undefined;
      const resource = JSON.stringify(resourceSpans?.resource?.attributes ?? []);
      const scopeSpansList = list(resourceSpans?.scopeSpans, () => `resourceSpans[${r}].scopeSpans`);
      for (let s = 0; s < scopeSpansList.length; s += 1) {
        const scopeSpans = scopeSpansList[s] as { scope?: { name?: unknown; version?: unknown }; spans?: unknown } | undefined;
        const scope = scopeSpans?.scope;
        // The scope's version too: what a span's usage means can depend on the version of the SDK that made it.
        const spanScope: SpanScope = {
          name: typeof scope?.name === 'string' ? scope.name : '',
          version: typeof scope?.version === 'string' ? scope.version : undefined,
        };
        const stream = `${resource}\u0000${spanScope.name}`;
        const raws = list(scopeSpans?.spans, () => `resourceSpans[${r}].scopeSpans[${s}].spans`);
        for (let i = 0; i < raws.length; i += 1) {
          const span = this.readSpan(raws[i], spanScope, stream, where, r, s, i);
          // The span as parsed is let go once read: a request holds hundreds, and the garbage collector would
          // otherwise copy the ones already read whenever it runs before the request is done.
          raws[i] = undefined;
          if (span) spans.push(span);
        }
      }
    }
    return spans;
  }

  /**
   * `stream`: the process (resource) and instrumentation scope the span came from. A process's exporter writes
   * the spans of one scope in the order they ended, and its clock puts each span's start on a whole millisecond;
   * so a span's end is read as later than that of the span before it in its trace and stream (by a nanosecond when
   * its recorded end is not). `r`, `s`, `i`: where the span is in its request, for a message when it is wrong.
   */
  private readSpan(raw: unknown, scope: SpanScope, stream: string, where: string, r: number, s: number, i: number): RecordedSpan | undefined {
    if (typeof raw !== 'object' || raw === null) throw new RecordingError(where, `${spanPath(r, s, i)} must be an object`);
    const span = raw as Record<string, unknown> & OtlpSpan;
    const traceId = spanIdHex(span.traceId, 16);
    const spanId = spanIdHex(span.spanId, 8);
    const parentSpanId = isEmptyId(span.parentSpanId) ? '' : spanIdHex(span.parentSpanId, 8);
    const name = typeof span.name === 'string' ? span.name : '';
    if (traceId === undefined) throw new RecordingError(where, `${spanPath(r, s, i)} (${JSON.stringify(name)}) has no valid traceId (16 bytes, in hex)`);
    if (spanId === undefined) throw new RecordingError(where, `${spanPath(r, s, i)} (${JSON.stringify(name)}) has no valid spanId (8 bytes, in hex)`);
    if (parentSpanId === undefined)
      throw new RecordingError(where, `${spanPath(r, s, i)} (${JSON.stringify(name)}) has a parentSpanId that is not 8 bytes in hex`);
    if (span.attributes !== undefined && !Array.isArray(span.attributes)) throw new RecordingError(where, `${spanPath(r, s, i)}.attributes must be a list`);
    // The spans of a trace mostly come one after another: the trace of the span before is looked up once.
    let held = traceId === this.lastTraceId ? this.lastHeld : this.held.get(traceId);
    if (held?.has(spanId)) {
      this.stats.duplicateSpans += 1;
      return undefined;
    }
    const statusCode = statusCodeOf(span.status);
    const attributes = readAttributes(span.attributes ?? []);
    this.dropStaleCost(attributes);
    dropLearnedIdealSteps(attributes);
    const { enriched } = readSpanAttributes(attributes, scope, name);
    enriched.spanClass = this.spanClasses.shared(enriched.spanClass);
    const times = { startNanos: unixNanos(span.startTimeUnixNano), endNanos: unixNanos(span.endTimeUnixNano) };
    if (held) times.endNanos = held.add(spanId, stream, times.endNanos);
    else this.held.set(traceId, (held = new HeldTrace(traceId, spanId, stream, times.endNanos)));
    this.lastTraceId = traceId;
    this.lastHeld = held;
    const traceState = typeof span.traceState === 'string' ? span.traceState : undefined;
    // Held spans of a trace share its id, and siblings their parent's, rather than each keeping its own copy.
    const ids = { traceId: held.traceId, spanId: held.own(spanId), parentSpanId: held.parent(parentSpanId) };
    const recorded = new RecordedSpan(ids, name, times, statusCode, enriched, where, traceState);
    // A span whose parent is in another process is the root of what this process recorded (the processor's local
    // root): the store counts it as the trace's root; the rollup links it to its parent if that is read too.
    if (parentIsRemote(span.flags)) recorded.holdAsRoot();
    this.stats.spans += 1;
    if (recorded.call) this.stats.calls += 1;
    if (times.startNanos > 0n) {
      const startMs = Number(times.startNanos / 1_000_000n);
      if (!(this.stats.firstStartMs <= startMs)) this.stats.firstStartMs = startMs;
    }
    if (times.endNanos > 0n) {
      const endMs = Number(times.endNanos / 1_000_000n);
      if (!(this.stats.lastEndMs >= endMs)) this.stats.lastEndMs = endMs;
    }
    return recorded;
  }

  /**
   * Takes off the cost a span was recorded with when it is to be priced again: always with `reprice`, else only when
   * it was recorded unpriced for want of a price (an override may have one now).
   */
  private dropStaleCost(attributes: Attributes): void {
    const reason = attributes[ATTR_TOKENLEDGER_COST_UNKNOWN_REASON];
    if (!this.options.reprice && !(typeof reason === 'string' && REPRICED_REASONS.has(reason))) return;
    for (const key of COST_ATTRIBUTES) delete attributes[key];
  }

  /** Spans read after their trace was rolled up: their calls are priced and counted, in no run. */
  private lateSpans(late: RecordedSpan[]): void {
    this.stats.lateSpans += late.length;
    for (const span of late) span.release();
    const hooks = {
      onCall: (span: TraceSpan, figures: CallFigures) => {
        const recorded = span as RecordedSpan;
        recorded.counted(figures);
        if (recorded.call) this.sink.lateCall?.(recorded.call);
      },
    };
    this.rollup.rollUp(late, hooks, false);
  }

  private rollUp(released: ReleasedTrace<RecordedSpan>): void {
    this.held.delete(released.traceId);
    if (released.traceId === this.lastTraceId) this.lastTraceId = undefined;
    for (const span of released.spans) span.release();
    this.stats.traces += 1;
    const whole = released.rootSeen && released.reason !== 'evicted';
    const runs: RunSummary[] = [];
    const ended: Array<{ call: CallRecord; openRuns: string[]; agentName: string | undefined }> = [];
    this.rollup.rollUp(
      released.spans,
      {
        // Told right after the call was added: the runs still open then are the ones it counted in (a call that
        // ends after its run is late there, as in process).
        onCall: (span, figures, agentName, run) => {
          const recorded = span as RecordedSpan;
          recorded.counted(figures);
          if (recorded.call) ended.push({ call: recorded.call, openRuns: openRunIds(run), agentName });
        },
        onRun: (summary) => runs.push(summary),
      },
      whole,
    );
    if (!whole && (ended.length > 0 || released.spans.some((span) => span.call))) this.stats.unwholeTraces += 1;
    const reported = new Set(runs.map((run) => run.id));
    const calls = ended.map(({ call, openRuns, agentName }): ReplayedCall => ({ call, runIds: openRuns.filter((id) => reported.has(id)), agentName }));
    this.sink.trace({ traceId: released.traceId, whole, runs, calls });
  }

  /** A trace the store no longer remembers as released: its late spans' entry goes (a span of it starts it anew). */
  private forget(traceId: string): void {
    this.held.delete(traceId);
    if (traceId === this.lastTraceId) this.lastTraceId = undefined;
  }
}

/** Span ids a held trace lists before it puts them in a set. */
const SPAN_IDS_LISTED = 32;
/** Span names whose classes are shared; past it a span keeps the class it was given. */
const MAX_SHARED_CLASS_NAMES = 1000;

/** One SpanClass object for the spans of a class, rather than the one classifySpan makes for each span held. */
class SharedSpanClasses {
  private readonly byRunName = new Map<string, SpanClass[]>();

  shared(spanClass: SpanClass): SpanClass {
    const same = this.byRunName.get(spanClass.runName);
    if (same === undefined) {
      if (this.byRunName.size < MAX_SHARED_CLASS_NAMES) this.byRunName.set(spanClass.runName, [spanClass]);
      return spanClass;
    }
    for (const known of same) if (known.kind === spanClass.kind && known.source === spanClass.source) return known;
    same.push(spanClass);
    return spanClass;
  }
}

/**
 * Of a held trace: its id, its span ids (to find a span read twice) and the last end time of each stream. A list of
 * ids only once it has a second span, and a map only once a second stream: many traces are one span, and most come
 * from one process.
 */
class HeldTrace {
  readonly traceId: string;
  private readonly firstId: string;
  /** Span ids: a list while short (a set holds far more per entry), a set past SPAN_IDS_LISTED. */
  private ids: string[] | Set<string> | undefined;
  /** The parent id read last: the spans of a run share one. */
  private parentId = '';
  private readonly stream: string;
  private lastEnd: bigint;
  private otherStreams: Map<string, bigint> | undefined;

  constructor(traceId: string, spanId: string, stream: string, endNanos: bigint) {
    this.traceId = traceId;
    this.firstId = spanId;
    this.stream = stream;
    this.lastEnd = endNanos;
  }

  has(spanId: string): boolean {
    const ids = this.ids;
    if (ids === undefined) return spanId === this.firstId;
    return Array.isArray(ids) ? ids.includes(spanId) : ids.has(spanId);
  }

  /** A parent id as held: one string for the spans that share it (the steps of a run). */
  parent(id: string): string {
    if (id !== this.parentId) this.parentId = id;
    return this.parentId;
  }

  /** A span id as held: the parent id read last when it is that one (a run's span, read after its steps). */
  own(id: string): string {
    return id === this.parentId ? this.parentId : id;
  }

  /** Adds a span; its end as read (a nanosecond after the last of its stream when it is not later). */
  add(spanId: string, stream: string, endNanos: bigint): bigint {
    const ids = (this.ids ??= [this.firstId]);
    if (!Array.isArray(ids)) ids.add(spanId);
    else if (ids.length < SPAN_IDS_LISTED) ids.push(spanId);
    else this.ids = new Set(ids).add(spanId);
    const before = stream === this.stream ? this.lastEnd : this.otherStreams?.get(stream);
    const end = before !== undefined && endNanos <= before ? before + 1n : endNanos;
    if (stream === this.stream) this.lastEnd = end;
    else (this.otherStreams ??= new Map()).set(stream, end);
    return end;
  }
}

function spanPath(r: number, s: number, i: number): string {
  return `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
}

/** No id: absent, empty in JSON, or empty bytes (protobufjs gives an absent bytes field an empty array by default). */
function isEmptyId(value: unknown): boolean {
  return value === undefined || value === null || value === '' || ((value instanceof Uint8Array || Array.isArray(value)) && value.length === 0);
}

/** A trace or span id as hex: OTLP/JSON writes hex, protobuf decodes to bytes, canonical protobuf JSON has base64. */
function spanIdHex(value: unknown, bytes: number): string | undefined {
  if (value instanceof Uint8Array) {
    return value.length === bytes ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (value.length === 2 * bytes) {
    const hex = lowerHex(value);
    if (hex !== undefined) return hex;
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return undefined;
}

/** The string as lowercase hex digits (itself when it is already: recorded ids are), or undefined when it is not hex. */
function lowerHex(value: string): string | undefined {
  let upper = false;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66)) continue;
    if (code >= 0x41 && code <= 0x46) upper = true;
    else return undefined;
  }
  return upper ? value.toLowerCase() : value;
}

/**
 * A run span's recorded `tokenledger.run.*` attributes are what a rollup wrote, not what the app declared, and the
 * replay rolls the run up again. Declared outcome and ideal steps read back as they were; ideal steps the recording
 * process had learned are dropped, so the replay learns them as that process did (and says they were learned).
 */
function dropLearnedIdealSteps(attributes: Attributes): void {
  if (attributes[ATTR_TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE] === TOKENLEDGER_RUN_IDEAL_STEPS_SOURCE_VALUE_LEARNED)
    delete attributes[ATTR_TOKENLEDGER_RUN_IDEAL_STEPS];
}

/** The runs from `run` outwards that are still open. */
function openRunIds(run: RunState | undefined): string[] {
  const ids: string[] = [];
  for (let state = run; state !== undefined; state = state.parent) if (!state.closed) ids.push(state.id);
  return ids;
}

/** OTLP span flags: bit 8 says whether bit 9 (the parent is remote) is known. */
function parentIsRemote(flags: unknown): boolean {
  return typeof flags === 'number' && (flags & 0x300) === 0x300;
}

/** A status code as a number: OTLP/JSON writes 2, canonical protobuf JSON may write STATUS_CODE_ERROR. */
function statusCodeOf(status: unknown): number {
  const code = (status as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'number') return code;
  if (code === 'STATUS_CODE_ERROR') return 2;
  if (code === 'STATUS_CODE_OK') return 1;
  return 0;
}
