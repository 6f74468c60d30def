// Collector mode's data path, without HTTP or the network: decoded OTLP requests in, encoded OTLP requests for
// the upstream out. Each span is read as it arrives (enrich.ts: classified, its usage normalised) and encoded there
// and then: what is held until its trace is released (TraceStore) is the span's bytes, its class and usage and the
// few fields the ledger reads, not the decoded message (which, held for seconds, made most of the garbage
// collector's work). When the trace is released it is replayed through the span ledger (trace-rollup.ts, the path
// the in-process processor takes): calls priced, duplicates marked, runs rolled up. What that adds to a span is
// appended to its bytes; a span that came with attributes of the kinds it adds is decoded and encoded again. Traces released together go
// upstream together, up to MAX_SPANS_PER_REQUEST spans a request, each resource and scope encoded once per request.
//
// Memory: the spans of one request are encoded into one buffer, which lives until the last of them is released;
// so the budget is charged the buffer while any of its spans is held, plus SPAN_OVERHEAD_BYTES per held span for
// the objects beside the bytes. A span whose reading throws is held and forwarded as it came.
import type { Attributes } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { ATTR_GEN_AI_USAGE_COST_AMOUNT, ATTR_TOKENLEDGER_CALL_DUPLICATE_OF, ATTR_TOKENLEDGER_COST_SOURCE, ATTR_TOKENLEDGER_RUN_ID } from '../conventions/attributes.ts';
import { genAiSource } from '../ledger/sources/genai.ts';
import type { BackendConvention } from '../ledger/backend-attributes.ts';
import type { PricedCall } from '../ledger/pricing/call-pricer.ts';
import type { SpanClass } from '../ledger/sources/registry.ts';
import type { UsageFigures } from '../ledger/usage-figures.ts';
import type { CallPricer } from '../ledger/pricing/call-pricer.ts';
import type { AttributionHasher } from '../metrics/attribution-hash.ts';
import { IdealStepsLearner } from '../runs/ideal-steps.ts';
import { hashAttributeValues } from './hashed-attributes.ts';
import { MemoryBudget } from './memory-budget.ts';
import { RateLimitedLog } from './rate-limited-log.ts';
import type { ForwardRequest } from './request-split.ts';
import { enrichSpan, toAnyValue, unixNanos, withAttributes, type EnrichedSpan, type KeyValue as OtlpKeyValue, type OtlpSpan, type SpanScope } from './enrich.ts';
import { adjustedCount } from '../base/sampling-threshold.ts';
import { ExportTraceServiceRequest, InstrumentationScope, KeyValue, Resource, ResourceSpans, ScopeSpans, Span } from './otlp-schema.ts';
import { ROLLUP_ATTRIBUTES, rollupTrace, type TraceRollupHooks, type TraceRollupOptions, type TraceSpan } from './trace-rollup.ts';
import type { ReleasedTrace, TraceStore } from './trace-store.ts';

/** The resource and scope a span came with, shared by all spans of one scopeSpans. */
export interface Origin {
  resource: unknown;
  resourceSchemaUrl: unknown;
  scope: unknown;
  scopeSchemaUrl: unknown;
}

export type OtlpRequest = {
  resourceSpans?: Array<{
    resource?: unknown;
    schemaUrl?: unknown;
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; schemaUrl?: unknown; spans?: Array<Record<string, unknown> & { attributes?: OtlpKeyValue[] }> }>;
  }>;
};

/** The rollup's hooks, and one told of every request made for the upstream (for `--record`). */
export interface PipelineHooks extends TraceRollupHooks {
  onForward?(request: Uint8Array): void;
}

/** Spans per forwarded request at most (the OpenTelemetry Collector's batch processor sends 8192 by default). */
export const MAX_SPANS_PER_REQUEST = 8192;

/** The heap a held span takes beside its bytes: the object, its ids, times and rollup attributes (bench/collector.bench.ts). */
export const SPAN_OVERHEAD_BYTES = 800;

/** One request's spans, encoded into one buffer, which is freed when the last of them is released. */
class SharedBytes {
  readonly size: number;
  spans: number;

  constructor(size: number, spans: number) {
    this.size = size;
    this.spans = spans;
  }
}

/** A span as held: its encoded bytes, what the rollup reads, and attributes added after it was encoded. */
export class HeldSpan implements TraceSpan {
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
  readonly weight: number;
  readonly origin: Origin;
  /** Its bytes and SPAN_OVERHEAD_BYTES, as counted when it arrived. */
  heldBytes = 0;
  /** The buffer its bytes came in, until it is released. */
  shared: SharedBytes | undefined;
  /** The span's bytes are source[start, end): every span of a request is encoded into one buffer. */
  private source: Uint8Array = EMPTY;
  private start = 0;
  private end = 0;
  private added: Attributes | undefined;
  private removed: readonly string[] | undefined;
  /** Whether the span came with attributes of the kinds the rollup writes; if not, the rollup's are appended to its bytes. */
  private readonly mayCollide: boolean;

  /** `kept`: the attributes held besides ROLLUP_ATTRIBUTES (the attribution keys the metrics are labelled with). */
  /** `collides`: whether a key the span came with is one the rollup may write. */
  constructor(span: Record<string, unknown>, traceId: string, enriched: EnrichedSpan, origin: Origin, kept: readonly string[], collides: (key: string) => boolean) {
    const { attributes } = enriched;
    this.spanId = hex(span.spanId);
    this.parentSpanId = hex(span.parentSpanId);
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
    for (const key of ROLLUP_ATTRIBUTES) if (attributes[key] !== undefined) this.attributes[key] = attributes[key];
    for (const key of kept) if (attributes[key] !== undefined) this.attributes[key] = attributes[key];
    this.origin = origin;
    this.mayCollide = Object.keys(attributes).some(collides);
  }

  setBytes(source: Uint8Array, start: number, end: number, shared: SharedBytes): void {
    this.source = source;
    this.start = start;
    this.end = end;
    this.shared = shared;
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
   * The span's bytes, with the attributes added since it arrived. A protobuf message takes more entries of a
   * repeated field appended after its end, so new keys are appended; a key the span already had is replaced
   * by decoding and encoding it again, since OTLP keys must be unique.
   */
  encoded(): Uint8Array {
    if (this.added || this.removed) {
      const held = this.source.subarray(this.start, this.end);
      this.source = this.mayCollide || this.removed ? reencoded(held, this.added ?? {}, this.removed) : appended(held, this.added!);
      this.start = 0;
      this.end = this.source.length;
      this.added = undefined;
      this.removed = undefined;
    }
    return this.source.subarray(this.start, this.end);
  }
}

/** A span's bytes with new attributes appended as further entries of its repeated `attributes` field. */
function appended(span: Uint8Array, added: Attributes): Uint8Array {
  const writer = protobuf.Writer.create();
  for (const [key, value] of Object.entries(added)) {
    if (value !== undefined) KeyValue.encode({ key, value: toAnyValue(value) } as never, writer.uint32(SPAN_ATTRIBUTES).fork()).ldelim();
  }
  return Buffer.concat([span, writer.finish()]);
}

/** A span's bytes decoded, given the attributes (replacing keys it had, taking `removed` off), and encoded again. */
function reencoded(span: Uint8Array, added: Attributes, removed: readonly string[] | undefined): Uint8Array {
  const message = Span.decode(span) as unknown as { attributes?: OtlpKeyValue[] };
  let attributes = message.attributes ?? [];
  if (removed) {
    const gone = new Set(removed);
    attributes = attributes.filter((kv) => !gone.has(kv.key));
  }
  message.attributes = withAttributes(attributes, added);
  return Span.encode(message as never).finish();
}

export class CollectorPipeline {
  private readonly pricer: CallPricer;
  readonly store: TraceStore<HeldSpan>;
  private readonly hooks: PipelineHooks;
  /** Learns ideal steps per agent across traces, as the in-process processor does across runs. */
  private readonly learner = new IdealStepsLearner();
  private readonly budget: MemoryBudget;

  /** The attribution keys each held span keeps, for the metrics' labels. */
  private readonly attributionKeys: readonly string[];
  /** Other conventions each LLM span is also written in (`--backend-conventions`). */
  private readonly backendConventions: readonly BackendConvention[];
  /** Attributes whose values are replaced by their hash on every span (`--baggage-hash-keys`). */
  private readonly hasher: AttributionHasher | undefined;
  /** Also write the proposed `gen_ai.usage.cost.*` attributes (`--genai-cost-attributes`). */
  private readonly genaiCostAttributes: boolean;
  private readonly collides: (key: string) => boolean;

  constructor(
    pricer: CallPricer,
    store: TraceStore<HeldSpan>,
    hooks: PipelineHooks = {},
    budget = new MemoryBudget(Infinity),
    options: { attributionKeys?: readonly string[]; backendConventions?: readonly BackendConvention[]; hasher?: AttributionHasher; genaiCostAttributes?: boolean } = {},
  ) {
    this.pricer = pricer;
    this.store = store;
    this.hooks = hooks;
    this.budget = budget;
    this.attributionKeys = options.attributionKeys ?? [];
    this.backendConventions = options.backendConventions ?? [];
    this.hasher = options.hasher?.keys.size ? options.hasher : undefined;
    this.genaiCostAttributes = options.genaiCostAttributes ?? false;
    this.collides = writtenAtRollup(this.backendConventions.length > 0 ? BACKEND_WRITES : ROLLUP_WRITES);
  }

  /** Takes a decoded request; returns what must be forwarded now (late spans, traces evicted to make room). */
  accept(request: OtlpRequest, now: number): ForwardRequest[] {
    const { late, evicted } = this.store.add(this.heldSpans(request), now);
    // A late span's trace was rolled up already: it joins no run, but its call is still priced and counts.
    if (late.length > 0) rollupTrace(late, this.rollupOptions(), false);
    return this.encode([late, ...this.rolledUp(evicted)]);
  }

  /** The traces ready at `now`, rolled up and encoded. */
  take(now: number): ForwardRequest[] {
    return this.encode(this.rolledUp(this.store.take(now)));
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
      rollupTrace(trace.spans, this.rollupOptions(), trace.rootSeen && trace.reason !== 'evicted');
      return trace.spans;
    });
  }

  private rollupOptions(): TraceRollupOptions {
    return { pricer: this.pricer, learner: this.learner, hooks: this.hooks, genaiCostAttributes: this.genaiCostAttributes, backendConventions: this.backendConventions };
  }

  /** Prices each span and encodes it, remembering its resource and scope. */
  private heldSpans(request: OtlpRequest): HeldSpan[] {
    const spans: HeldSpan[] = [];
    const writer = protobuf.Writer.create();
    const ends: number[] = [];
    // One string per trace, not per span: held spans are few objects, for the garbage collector's sake.
    const traceIds = new Map<string, string>();
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        const origin: Origin = {
          resource: resourceSpans.resource,
          resourceSchemaUrl: resourceSpans.schemaUrl,
          scope: scopeSpans.scope,
          scopeSchemaUrl: scopeSpans.schemaUrl,
        };
        const scopeName = scopeSpans.scope?.name ?? '';
        for (const span of scopeSpans.spans ?? []) {
          const traceId = hex(span.traceId);
          let shared = traceIds.get(traceId);
          if (shared === undefined) traceIds.set(traceId, (shared = traceId));
          // Before anything reads the span: the id must reach neither the rollup, the metrics nor the upstream.
          if (this.hasher) hashAttributeValues(span.attributes, this.hasher);
          const enriched = this.enriched(span as OtlpSpan, { name: scopeName, version: scopeSpans.scope?.version });
          spans.push(new HeldSpan(span, shared, enriched, origin, this.attributionKeys, this.collides));
          Span.encode(span as never, writer);
          ends.push(writer.len);
        }
      }
    }
    const encoded = writer.finish();
    const shared = new SharedBytes(encoded.length, spans.length);
    this.budget.charge('held', encoded.length + spans.length * SPAN_OVERHEAD_BYTES);
    let start = 0;
    spans.forEach((span, i) => {
      span.setBytes(encoded, start, ends[i]!, shared);
      start = ends[i]!;
    });
    return spans;
  }

  /** The span normalised and priced; if that throws, as it came (tokenledger's failure must not lose the span). */
  private enriched(span: OtlpSpan, scope: SpanScope): EnrichedSpan {
    try {
      return enrichSpan(span, scope);
    } catch (error) {
      log.warn('enrich', () => `could not normalise a span; forwarded as it came: ${(error as Error).message}`);
      return { attributes: {}, spanClass: UNREAD_SPAN, usage: undefined, pricedElsewhere: undefined };
    }
  }

  /** Groups of spans (a trace's stay together) as requests of at most MAX_SPANS_PER_REQUEST spans; releases them. */
  private encode(groups: HeldSpan[][]): ForwardRequest[] {
    const out: ForwardRequest[] = [];
    let batch: HeldSpan[] = [];
    const send = () => {
      out.push({ body: encodeRequest(batch), spans: batch.length });
      for (const span of batch) this.release(span);
      batch = [];
    };
    for (const group of groups) {
      if (batch.length > 0 && batch.length + group.length > MAX_SPANS_PER_REQUEST) send();
      for (const span of group) batch.push(span);
    }
    if (batch.length > 0) send();
    if (this.hooks.onForward) for (const request of out) this.hooks.onForward(request.body);
    return out;
  }

  /** A span leaves the pipeline: its overhead is released, and its request's buffer with its last span. */
  private release(span: HeldSpan): void {
    const shared = span.shared;
    if (!shared) return;
    span.shared = undefined;
    this.budget.release('held', SPAN_OVERHEAD_BYTES);
    shared.spans -= 1;
    if (shared.spans === 0) this.budget.release('held', shared.size);
  }
}

const log = new RateLimitedLog();

/** Spans in a decoded request. */
const EMPTY = new Uint8Array(0);
const tag = (type: protobuf.Type, field: string) => (type.fields[field]!.id << 3) | 2;
const REQUEST_RESOURCE_SPANS = tag(ExportTraceServiceRequest, 'resourceSpans');
const RESOURCE = tag(ResourceSpans, 'resource');
const SCOPE_SPANS = tag(ResourceSpans, 'scopeSpans');
const RESOURCE_SCHEMA_URL = tag(ResourceSpans, 'schemaUrl');
const SCOPE = tag(ScopeSpans, 'scope');
const SPANS = tag(ScopeSpans, 'spans');
const SCOPE_SCHEMA_URL = tag(ScopeSpans, 'schemaUrl');
const SPAN_ATTRIBUTES = tag(Span, 'attributes');
/** A span that could not be read: forwarded as it came, counted as nothing. */
const UNREAD_SPAN: SpanClass = { kind: 'other', source: genAiSource, runName: '' };
/** Prefixes of the attributes the rollup writes: cost, duplicate marks, run rollup; and other backends' conventions. */
const ROLLUP_WRITES = [ATTR_TOKENLEDGER_COST_SOURCE, ATTR_TOKENLEDGER_CALL_DUPLICATE_OF, ATTR_TOKENLEDGER_RUN_ID, ATTR_GEN_AI_USAGE_COST_AMOUNT].map((name) => name.slice(0, name.lastIndexOf('.') + 1));
const BACKEND_WRITES = [...ROLLUP_WRITES, 'llm.', 'openinference.', 'langfuse.'];

/** Whether an attribute a span came with may be one the rollup writes again (then it is re-encoded, not appended to). */
function writtenAtRollup(prefixes: readonly string[]): (key: string) => boolean {
  return (key) => prefixes.some((prefix) => key.startsWith(prefix));
}

/** One ExportTraceServiceRequest: spans re-grouped under their resources and scopes, the spans' bytes as held. */
function encodeRequest(spans: HeldSpan[]): Uint8Array {
  const byResource = new Map<unknown, Map<unknown, HeldSpan[]>>();
  for (const span of spans) {
    const { resource, scope } = span.origin;
    let scopes = byResource.get(resource);
    if (!scopes) byResource.set(resource, (scopes = new Map()));
    let held = scopes.get(scope);
    if (!held) scopes.set(scope, (held = []));
    held.push(span);
  }
  const writer = protobuf.Writer.create();
  for (const [resource, scopes] of byResource) {
    writer.uint32(REQUEST_RESOURCE_SPANS).fork();
    if (resource) Resource.encode(resource as never, writer.uint32(RESOURCE).fork()).ldelim();
    let resourceSchemaUrl: unknown;
    for (const [scope, held] of scopes) {
      writer.uint32(SCOPE_SPANS).fork();
      if (scope) InstrumentationScope.encode(scope as never, writer.uint32(SCOPE).fork()).ldelim();
      for (const span of held) writer.uint32(SPANS).bytes(span.encoded());
      const { scopeSchemaUrl } = held[0]!.origin;
      if (typeof scopeSchemaUrl === 'string' && scopeSchemaUrl) writer.uint32(SCOPE_SCHEMA_URL).string(scopeSchemaUrl);
      resourceSchemaUrl = held[0]!.origin.resourceSchemaUrl;
      writer.ldelim();
    }
    if (typeof resourceSchemaUrl === 'string' && resourceSchemaUrl) writer.uint32(RESOURCE_SCHEMA_URL).string(resourceSchemaUrl);
    writer.ldelim();
  }
  return writer.finish();
}

function hex(bytes: unknown): string {
  if (Buffer.isBuffer(bytes)) return bytes.toString('hex');
  if (bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64').toString('hex');
  return '';
}
