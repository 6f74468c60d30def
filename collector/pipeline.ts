// Collector mode's data path, without HTTP or the network: decoded OTLP requests in, encoded OTLP requests for
// the upstream out. Each span is read as it arrives (enrich.ts: classified, its usage normalised); what is held
// until its trace is released (TraceStore) is the span's bytes, its class and usage and the few fields the ledger
// reads, not the decoded message (which, held for seconds, made most of the garbage collector's work). The bytes
// are those it came as, when a protobuf request's span is well formed (span-wire.ts), with what reading added
// appended; otherwise (JSON, repaired strings, hashed values) the span is encoded from its decoded message. When
// the trace is released it is replayed through the span ledger (trace-rollup.ts, the path the in-process processor
// takes): calls priced, duplicates marked, runs rolled up. What that adds to a span is appended to its bytes; a span
// that came with attributes of the kinds it adds is decoded and encoded again. Traces released together go upstream
// together, up to MAX_SPANS_PER_REQUEST spans a request, each resource and scope encoded once per request.
//
// Memory: the spans of one request are written into one buffer (otlp-bytes.ts), which lives until the last of them
// leaves; so its lease counts the buffer while any of its spans is held, plus SPAN_OVERHEAD_BYTES per held span for
// the objects beside the bytes. Every span handed back by the store leaves when its request is encoded, even when
// encoding fails, so no path keeps a lease. A span whose reading throws is held and forwarded as it came; a trace
// whose rollup throws is forwarded as it is; a span whose additions cannot be written goes without them; a request
// whose resource or scope cannot be encoded is refused when it arrives; a release that still cannot be encoded is
// made again trace by trace, and a trace that cannot be is dropped and counted (`onUnencodable`).
import type { Attributes } from '@opentelemetry/api';
import { adjustedCount } from '../base/sampling-threshold.ts';
import {
  ATTR_GEN_AI_USAGE_COST_AMOUNT,
  ATTR_TOKENLEDGER_CALL_DUPLICATE_OF,
  ATTR_TOKENLEDGER_COST_SOURCE,
  ATTR_TOKENLEDGER_RUN_ID,
} from '../conventions/attributes.ts';
import type { BackendConvention } from '../ledger/backend-attributes.ts';
import type { CallPricer, PricedCall } from '../ledger/pricing/call-pricer.ts';
import { genAiSource } from '../ledger/sources/genai.ts';
import type { SpanClass } from '../ledger/sources/registry.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';
import type { AttributionHasher } from '../metrics/attribution-hash.ts';
import { IdealStepsLearner } from '../runs/ideal-steps.ts';
import { hashAttributeValues } from './hashed-attributes.ts';
import { MemoryBudget, type Lease } from './memory-budget.ts';
import { checkEncodable, encodeRequest, hexId, replaceAttributes, SpanWriter, type EncodedSpan, type Origin } from './otlp-bytes.ts';
import { InstrumentationScope, Resource } from './otlp-schema.ts';
import { RateLimitedLog } from './rate-limited-log.ts';
import type { ForwardRequest } from './request-split.ts';
import { readSpan, unixNanos, withAttributes, type EnrichedSpan, type KeyValue as OtlpKeyValue, type OtlpSpan, type SpanScope } from './enrich.ts';
import { forgetWireBytes, wireBytes } from './span-wire.ts';
import { ROLLUP_ATTRIBUTES, TraceRollup, type TraceRollupHooks, type TraceSpan } from './trace-rollup.ts';
import type { ReleasedTrace, TraceStore } from './trace-store.ts';

export type OtlpRequest = {
  resourceSpans?: Array<{
    resource?: unknown;
    schemaUrl?: unknown;
    scopeSpans?: Array<{
      scope?: { name?: string; version?: string };
      schemaUrl?: unknown;
      spans?: Array<Record<string, unknown> & { attributes?: OtlpKeyValue[] }>;
    }>;
  }>;
};

/** The rollup's hooks, one told of every request made for the upstream (for `--record`), and of spans lost. */
export interface PipelineHooks extends TraceRollupHooks {
  onForward?(request: Uint8Array): void;
  /** Spans no request could be made of (their resource nests deeper than the encoder goes). */
  onUnencodable?(spans: number, detail: string): void;
}

export interface PipelineOptions {
  /** The attribution keys each held span keeps, for the metrics' labels. */
  attributionKeys?: readonly string[];
  /** Other conventions each LLM span is also written in (`--backend-conventions`). */
  backendConventions?: readonly BackendConvention[];
  /** Attributes whose values are replaced by their hash on every span (`--baggage-hash-keys`). */
  hasher?: AttributionHasher;
  /** Also write the proposed `gen_ai.usage.cost.*` attributes on the calls it prices. */
  genaiCostAttributes?: boolean;
  /** Where failures to normalise, price or roll up are told (the server's, on its clock). */
  log?: RateLimitedLog;
}

/** Spans per forwarded request at most (the OpenTelemetry Collector's batch processor sends 8192 by default). */
export const MAX_SPANS_PER_REQUEST = 8192;

/** The heap a held span takes beside its bytes: the object, its ids, times and rollup attributes (bench/collector.bench.ts). */
export const SPAN_OVERHEAD_BYTES = 800;

/** One request's spans, encoded into one buffer: its lease shrinks as they leave and is given back with the last. */
class RequestBytes {
  private readonly lease: Lease;
  private spans: number;

  constructor(lease: Lease, spans: number) {
    this.lease = lease;
    this.spans = spans;
  }

  leave(): void {
    this.spans -= 1;
    if (this.spans <= 0) this.lease.release();
    else this.lease.shrink(SPAN_OVERHEAD_BYTES);
  }
}

/** A span as held: its encoded bytes, what the rollup reads, and attributes added after it was encoded. */
export class HeldSpan implements TraceSpan, EncodedSpan {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceId: string;
  readonly name: string;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly statusCode: number;
  /** Only the ROLLUP_ATTRIBUTES of the span: the rest is in its bytes. */
  readonly attributes: Attributes;
  readonly spanClass: SpanClass;
  readonly usage: UsageFigures | undefined;
  readonly pricedElsewhere: PricedCall | undefined;
  /** The spans it stands for, by the sampling threshold in its trace state (1 without one). */
  readonly weight: number;
  readonly origin: Origin;
  /** Its bytes and SPAN_OVERHEAD_BYTES, as counted when it arrived. */
  heldBytes = 0;
  /** The buffer its bytes came in, until the span leaves the pipeline. */
  private request: RequestBytes | undefined;
  /** The span's bytes are source[start, end): every span of a request is encoded into one buffer. */
  private source: Uint8Array = EMPTY;
  private start = 0;
  private end = 0;
  private added: Attributes | undefined;
  private removed: readonly string[] | undefined;
  /** Whether the span came with attributes of the kinds the rollup writes; if not, the rollup's are appended to its bytes. */
  private readonly mayCollide: boolean;

  /**
   * `kept`: the attributes held besides ROLLUP_ATTRIBUTES (the attribution keys the metrics are labelled with);
   * `mayCollide`: whether a key in the span's bytes is one the rollup (or, for bytes as they came, reading) may write.
   */
  constructor(
    span: Record<string, unknown>,
    traceId: string,
    enriched: EnrichedSpan,
    origin: Origin,
    kept: readonly string[],
    mayCollide: boolean,
    added: Attributes | undefined,
  ) {
    const { attributes } = enriched;
    this.spanId = hexId(span.spanId);
    this.parentSpanId = hexId(span.parentSpanId);
    this.traceId = traceId;
    this.name = String(span.name ?? '');
    this.startNanos = unixNanos(span.startTimeUnixNano);
    this.endNanos = unixNanos(span.endTimeUnixNano);
    this.statusCode = Number((span.status as { code?: number } | undefined)?.code ?? 0);
    this.spanClass = enriched.spanClass;
    this.usage = enriched.usage;
    this.pricedElsewhere = enriched.pricedElsewhere;
    this.weight = adjustedCount(span.traceState);
    this.attributes = {};
    // The span's keys (a handful) looked up among the rollup's, rather than each of the rollup's in its attributes.
    if (Array.isArray(span.attributes)) for (const { key } of span.attributes as OtlpKeyValue[]) this.keep(attributes, key);
    if (added) for (const key in added) this.keep(attributes, key);
    for (const key of kept) if (attributes[key] !== undefined) this.attributes[key] = attributes[key];
    this.origin = origin;
    this.mayCollide = mayCollide;
  }

  private keep(attributes: Attributes, key: string): void {
    if (!ROLLUP_KEYS.has(key)) return;
    const value = attributes[key];
    if (value !== undefined) this.attributes[key] = value;
  }

  setBytes(source: Uint8Array, start: number, end: number, request: RequestBytes): void {
    this.source = source;
    this.start = start;
    this.end = end;
    this.request = request;
    this.heldBytes = end - start + SPAN_OVERHEAD_BYTES;
  }

  setAttributes(attributes: Attributes): void {
    Object.assign(this.attributes, attributes);
    this.added = this.added ? Object.assign(this.added, attributes) : { ...attributes };
  }

  removeAttributes(keys: readonly string[]): void {
    for (const key of keys) delete this.attributes[key];
    this.removed = keys;
  }

  /**
   * The span's bytes; when an added attribute may replace one it came with, or one was removed, they are decoded
   * and encoded again with them here. Throws if that cannot be written (a value nested deeper than the encoder
   * goes); `asItCame` then forwards it.
   */
  bytes(): Uint8Array {
    if (this.removed || (this.added && this.mayCollide)) {
      this.source = replaceAttributes(this.source.subarray(this.start, this.end), this.added ?? {}, this.removed);
      this.start = 0;
      this.end = this.source.length;
      this.added = undefined;
      this.removed = undefined;
    }
    return this.source.subarray(this.start, this.end);
  }

  /** The attributes added since it arrived, none of which it came with: written after its bytes. */
  appended(): Attributes | undefined {
    return this.added;
  }

  /** Forgets what was to be added or removed: the span is forwarded as its bytes are. */
  asItCame(): void {
    this.added = undefined;
    this.removed = undefined;
  }

  /** The span leaves the pipeline (once): its share of its request's lease is given back. */
  leave(): void {
    const request = this.request;
    this.request = undefined;
    request?.leave();
  }
}

export class CollectorPipeline {
  readonly store: TraceStore<HeldSpan>;
  private readonly hooks: PipelineHooks;
  private readonly budget: MemoryBudget;
  private readonly attributionKeys: readonly string[];
  private readonly backendConventions: readonly BackendConvention[];
  private readonly hasher: AttributionHasher | undefined;
  private readonly log: RateLimitedLog;
  private readonly genaiCostAttributes: boolean;
  private readonly collides: (key: string) => boolean;
  /** Replays each released trace, with ledgers made once. */
  private readonly rollup: TraceRollup;

  constructor(pricer: CallPricer, store: TraceStore<HeldSpan>, hooks: PipelineHooks = {}, budget = new MemoryBudget(Infinity), options: PipelineOptions = {}) {
    this.store = store;
    this.hooks = hooks;
    this.budget = budget;
    this.attributionKeys = options.attributionKeys ?? [];
    this.backendConventions = options.backendConventions ?? [];
    this.hasher = options.hasher?.keys.size ? options.hasher : undefined;
    this.log = options.log ?? new RateLimitedLog();
    this.genaiCostAttributes = options.genaiCostAttributes ?? false;
    this.collides = writtenAtRollup(this.backendConventions.length > 0 ? BACKEND_WRITES : ROLLUP_WRITES);
    // Its learner learns ideal steps per agent across traces, as the in-process processor does across runs.
    this.rollup = new TraceRollup({
      pricer,
      learner: new IdealStepsLearner(),
      genaiCostAttributes: this.genaiCostAttributes,
      backendConventions: this.backendConventions,
    });
  }

  /** Takes a decoded request; returns what must be forwarded now (late spans, traces evicted to make room). */
  accept(request: OtlpRequest): ForwardRequest[] {
    const { late, evicted } = this.store.add(this.heldSpans(request));
    // A late span's trace was rolled up already: it joins no run, but its call is still priced and counts.
    if (late.length > 0) this.rollUp(late, false);
    return this.encode([late, ...this.rolledUp(evicted)]);
  }

  /** The traces ready now (by the store's clock), rolled up and encoded. */
  take(): ForwardRequest[] {
    return this.encode(this.rolledUp(this.store.take()));
  }

  /** Every trace held, rolled up and encoded (at shutdown). */
  flush(): ForwardRequest[] {
    return this.encode(this.rolledUp(this.store.flush()));
  }

  /** The oldest traces, at least `bytes` of them, forwarded early (un-rolled, marked incomplete) to make room. */
  evict(bytes: number): ForwardRequest[] {
    return this.encode(this.rolledUp(this.store.evictBytes(bytes)));
  }

  /** Released traces with their runs rolled up; an evicted trace, or one whose root never came, is not whole. */
  private rolledUp(traces: ReleasedTrace<HeldSpan>[]): HeldSpan[][] {
    return traces.map((trace) => {
      this.rollUp(trace.spans, trace.rootSeen && trace.reason !== 'evicted');
      return trace.spans;
    });
  }

  /** Replays spans through the span ledger; a failure leaves them as they are, to be forwarded. */
  private rollUp(spans: HeldSpan[], whole: boolean): void {
    try {
      this.rollup.rollUp(spans, this.hooks, whole);
    } catch (error) {
      this.log.warn('rollup', () => `could not roll up a trace; forwarded as it is: ${(error as Error).message}`);
    }
  }

  /**
   * Reads each span and writes its bytes (as it came, with what reading added appended, or encoded), remembering its
   * resource and scope; one lease counts the request's spans.
   */
  private heldSpans(request: OtlpRequest): HeldSpan[] {
    const spans: HeldSpan[] = [];
    const writer = new SpanWriter();
    // One string per trace, not per span: held spans are few objects, for the garbage collector's sake.
    const traceIds = new Map<string, string>();
    for (const resourceSpans of request.resourceSpans ?? []) {
      checkEncodable(Resource, resourceSpans.resource);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        const origin: Origin = {
          resource: resourceSpans.resource,
          resourceSchemaUrl: resourceSpans.schemaUrl,
          scope: scopeSpans.scope,
          scopeSchemaUrl: scopeSpans.schemaUrl,
        };
        checkEncodable(InstrumentationScope, scopeSpans.scope);
        const scope: SpanScope = { name: scopeSpans.scope?.name ?? '', version: scopeSpans.scope?.version };
        for (const span of scopeSpans.spans ?? []) {
          const traceId = hexId(span.traceId);
          let shared = traceIds.get(traceId);
          if (shared === undefined) traceIds.set(traceId, (shared = traceId));
          // Before anything reads the span: the id must reach neither the rollup, the metrics nor the upstream.
          if (this.hasher && hashAttributeValues(span.attributes, this.hasher)) forgetWireBytes(span);
          const { enriched, added } = this.read(span as OtlpSpan, scope);
          // Appending is right only for keys the span does not have (OTLP keys are unique): else it is encoded again.
          let wire = wireBytes(span);
          if (wire !== undefined && added !== undefined && anyKey(span.attributes, (key) => Object.hasOwn(added, key))) wire = undefined;
          // The keys in its bytes, either way: those it came with and those reading added.
          const mayCollide = anyKey(span.attributes, this.collides) || (added !== undefined && Object.keys(added).some(this.collides));
          if (wire === undefined && added) span.attributes = withAttributes(span.attributes ?? [], added);
          spans.push(new HeldSpan(span, shared, enriched, origin, this.attributionKeys, mayCollide, added));
          if (wire === undefined) writer.add(span);
          else writer.addAsItCame(wire, added);
        }
      }
    }
    const { bytes, ends } = writer.finish();
    const held = new RequestBytes(this.budget.charge('held', bytes.length + spans.length * SPAN_OVERHEAD_BYTES), spans.length);
    let start = 0;
    spans.forEach((span, i) => {
      span.setBytes(bytes, start, ends[i]!, held);
      start = ends[i]!;
    });
    return spans;
  }

  /** The span read; if that throws, as it came (tokenledger's failure must not lose the span). */
  private read(span: OtlpSpan, scope: SpanScope): { enriched: EnrichedSpan; added: Attributes | undefined } {
    try {
      return readSpan(span, scope);
    } catch (error) {
      this.log.warn('enrich', () => `could not normalise a span; forwarded as it came: ${(error as Error).message}`);
      return { enriched: { attributes: {}, spanClass: UNREAD_SPAN, usage: undefined, pricedElsewhere: undefined }, added: undefined };
    }
  }

  /**
   * Groups of spans (a trace's stay together) as requests of at most MAX_SPANS_PER_REQUEST spans. Every span
   * leaves the pipeline here, its lease given back, whether or not its request could be encoded. A span whose added
   * attributes cannot be written goes as its bytes are; a request that cannot be encoded is made again trace by trace,
   * and only a trace that still cannot be is dropped, and counted.
   */
  private encode(groups: HeldSpan[][]): ForwardRequest[] {
    const out: ForwardRequest[] = [];
    let batch: HeldSpan[][] = [];
    let spans = 0;
    const send = () => {
      for (const group of batch) for (const span of group) this.written(span);
      const whole = encoded(batch.flat());
      if (!(whole instanceof Error)) out.push(whole);
      else {
        for (const group of batch) {
          const one = batch.length > 1 ? encoded(group) : whole;
          if (one instanceof Error) this.unencodable(group.length, one);
          else out.push(one);
        }
      }
      for (const group of batch) for (const span of group) span.leave();
      batch = [];
      spans = 0;
    };
    for (const group of groups) {
      if (spans > 0 && spans + group.length > MAX_SPANS_PER_REQUEST) send();
      batch.push(group);
      spans += group.length;
    }
    if (spans > 0) send();
    if (this.hooks.onForward) for (const request of out) this.hooks.onForward(request.body);
    return out;
  }

  private unencodable(spans: number, error: Error): void {
    const detail = `could not encode them for the upstream: ${error.message}`;
    if (this.hooks.onUnencodable) this.hooks.onUnencodable(spans, detail);
    else this.log.warn('encode', () => `dropped ${spans} spans: ${detail}`);
  }

  /** The span's bytes with what replaces attributes it came with (once; encodeRequest then reads them); if that throws, it goes as it is. */
  private written(span: HeldSpan): void {
    try {
      span.bytes();
    } catch (error) {
      span.asItCame();
      // Its removals go too: a duplicate's stale cost stays on it, which the warning says.
      this.log.warn(
        'encode',
        () => `could not add tokenledger's attributes to a span; forwarded without them (and with any stale cost it came with): ${(error as Error).message}`,
      );
    }
  }
}

/** The spans as one request for the upstream, or why they cannot be. */
function encoded(spans: HeldSpan[]): ForwardRequest | Error {
  try {
    return { body: encodeRequest(spans), spans: spans.length };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const EMPTY = new Uint8Array(0);
const ROLLUP_KEYS: ReadonlySet<string> = new Set(ROLLUP_ATTRIBUTES);
/** A span that could not be read: forwarded as it came, counted as nothing. */
const UNREAD_SPAN: SpanClass = { kind: 'other', source: genAiSource, runName: '' };
/** Prefixes of the attributes the rollup writes: cost, duplicate marks, run rollup; and other backends' conventions. */
const ROLLUP_WRITES = [ATTR_TOKENLEDGER_COST_SOURCE, ATTR_TOKENLEDGER_CALL_DUPLICATE_OF, ATTR_TOKENLEDGER_RUN_ID, ATTR_GEN_AI_USAGE_COST_AMOUNT].map((name) =>
  name.slice(0, name.lastIndexOf('.') + 1),
);
const BACKEND_WRITES = [...ROLLUP_WRITES, 'llm.', 'openinference.', 'langfuse.'];

/** Whether an attribute a span came with may be one the rollup writes again (then it is re-encoded, not appended to). */
function writtenAtRollup(prefixes: readonly string[]): (key: string) => boolean {
  return (key) => {
    for (const prefix of prefixes) if (key.startsWith(prefix)) return true;
    return false;
  };
}

/** Whether a key of the span's key-values is one `test` picks. */
function anyKey(keyValues: unknown, test: (key: string) => boolean): boolean {
  if (!Array.isArray(keyValues)) return false;
  for (const keyValue of keyValues as OtlpKeyValue[]) if (test(keyValue.key)) return true;
  return false;
}
