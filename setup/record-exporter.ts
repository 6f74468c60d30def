// TOKENLEDGER_RECORD: every finished span is appended to a file as OTLP/JSON lines, so runs can be looked at,
// re-priced and gated on without a backend (`tokenledger report | whatif | gate | reconcile`). The spans are
// serialised exactly as the OTLP/JSON exporter serialises them (the same serializer, batched by the same
// BatchSpanProcessor), so recording costs no more CPU per span than exporting OTLP/JSON would; only the destination
// differs.
//
// A recording also says what it is (record-file.ts has the format): each recording process writes a start record
// (the sampler in force) with its first spans, and an end record (the spans and LLM calls it recorded, and those the
// sampler kept out of the file) when it shuts down. Exporters see sampled spans only; tokenledger's processor sees
// every span the SDK records, so `recordingSpanProcessor` counts the spans that end unsampled (record-only) as they
// pass, and the end record tells the cost lab exactly what the file lacks.
import { randomBytes } from 'node:crypto';
import { TraceFlags, type Attributes, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Sampler, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_RESPONSE_MODEL, ATTR_TOKENLEDGER_COST_USD } from '../conventions/attributes.ts';
import { isLlmCall } from '../ledger/sources/source.ts';
import { usd } from '../ledger/pricing/call-pricer.ts';
import { packageRequire } from '../package-require.cjs';
import { stringFromEnv } from './env.ts';
import { RecordFile, recordingMetadataLine, withRecordingMetadata, type RecordedSampler, type UnsampledCalls } from './record-file.ts';
import { batchProcessor } from './trace-exporters.ts';

/** Options of `RecordingSpanExporter`: what the recording says about the spans a sampler kept out of it. */
export interface RecordingOptions {
  /** The sampler the tracer provider uses; without it, the one OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG name. */
  sampler?: Sampler;
  /** Told of an unsampled span's figures at most this many (provider, model, day) keys; the rest are summed apart. */
  maxUnsampledKeys?: number;
}

const DEFAULT_MAX_UNSAMPLED_KEYS = 1000;
const OTHER_KEY = '\u0000other';

/**
 * A span exporter that appends every span to a file as OTLP/JSON lines (one `ExportTraceServiceRequest` a line), for
 * `tokenledger report`, `whatif`, `gate` and `reconcile`: what TOKENLEDGER_RECORD sets up.
 */
export class RecordingSpanExporter implements SpanExporter {
  private readonly file: RecordFile;
  private readonly session = randomBytes(8).toString('hex');
  private readonly maxUnsampledKeys: number;
  private recordedSpans = 0;
  private recordedCalls = 0;
  private unsampledSpans = 0;
  private readonly unsampledCalls = new Map<string, UnsampledCalls>();
  private readonly sampler: RecordedSampler;
  private started = false;
  private ended = false;

  /** Throws, naming the file, when it cannot be opened for appending. */
  constructor(path: string, name = 'TOKENLEDGER_RECORD', options: RecordingOptions = {}) {
    this.file = new RecordFile(path, name);
    this.maxUnsampledKeys = options.maxUnsampledKeys ?? DEFAULT_MAX_UNSAMPLED_KEYS;
    this.sampler = describeSampler(options.sampler);
  }

  /** Appends the spans as one line; the callback gets the outcome of the write. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (spans.length === 0) {
      resultCallback({ code: ExportResultCode.SUCCESS });
      return;
    }
    // Loaded at the first export: `import 'tokenledger'` loads no serializer an app may never use.
    const { JsonTraceSerializer } = packageRequire('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    let line = JsonTraceSerializer.serializeRequest(spans);
    if (!line) {
      resultCallback({ code: ExportResultCode.FAILED, error: new Error('spans could not be serialised') });
      return;
    }
    if (!this.started) {
      this.started = true;
      line = withRecordingMetadata(line, { kind: 'start', session: this.session, at: new Date().toISOString(), pid: process.pid, sampler: this.sampler });
    }
    this.recordedSpans += spans.length;
    for (const span of spans) if (isLlmCall(span.attributes)) this.recordedCalls += 1;
    this.file.append(line, (error) => resultCallback(error ? { code: ExportResultCode.FAILED, error } : { code: ExportResultCode.SUCCESS }));
  }

  /** A span the sampler kept out of the file (it reached tokenledger's processor as a record-only span). */
  noteUnsampled(span: ReadableSpan): void {
    this.unsampledSpans += 1;
    if (!isLlmCall(span.attributes)) return;
    const call = unsampledCall(span.attributes, span.startTime[0]);
    let key = `${call.provider}\u0000${call.model}\u0000${call.day}`;
    if (!this.unsampledCalls.has(key) && this.unsampledCalls.size >= this.maxUnsampledKeys) key = OTHER_KEY;
    let held = this.unsampledCalls.get(key);
    if (!held) {
      held = key === OTHER_KEY ? { provider: '', model: '', day: '', calls: 0, usd: 0 } : { ...call, calls: 0, usd: 0 };
      this.unsampledCalls.set(key, held);
    }
    held.calls += 1;
    const cost = span.attributes[ATTR_TOKENLEDGER_COST_USD];
    // A call without a cost leaves the sum a lower bound: said by `unpriced`.
    if (typeof cost === 'number') held.usd = (held.usd ?? 0) + cost;
    else held.unpriced = (held.unpriced ?? 0) + 1;
  }

  forceFlush(): Promise<void> {
    return this.file.flush();
  }

  /** Writes the end record (what was recorded and what the sampler left out), then closes the file. */
  shutdown(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.file.append(
        recordingMetadataLine({
          kind: 'end',
          session: this.session,
          at: new Date().toISOString(),
          sampler: this.sampler,
          spans: { recorded: this.recordedSpans, unsampled: this.unsampledSpans },
          calls: { recorded: this.recordedCalls, unsampled: [...this.unsampledCalls.values()].reduce((sum, held) => sum + held.calls, 0) },
          // USD as spans carry it, rounded to 1e-10 (a sum's float noise off).
          unsampledCalls: [...this.unsampledCalls.values()].map((held) => (held.usd === undefined ? held : { ...held, usd: usd(held.usd) })),
        }),
      );
    }
    return this.file.close();
  }
}

/**
 * The span processor that records into `path`: batched as the OTLP exporters are (OTEL_BSP_* apply). A span that
 * ends unsampled is not exported (the batch processor drops it) but counted for the end record.
 */
export function recordingSpanProcessor(path: string, options: RecordingOptions = {}): SpanProcessor {
  const exporter = new RecordingSpanExporter(path, 'TOKENLEDGER_RECORD', options);
  return new CountingRecordProcessor(batchProcessor(exporter), exporter);
}

class CountingRecordProcessor implements SpanProcessor {
  private readonly batch: SpanProcessor;
  private readonly exporter: RecordingSpanExporter;

  constructor(batch: SpanProcessor, exporter: RecordingSpanExporter) {
    this.batch = batch;
    this.exporter = exporter;
  }

  onStart(span: Span, parentContext: Context): void {
    this.batch.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) this.exporter.noteUnsampled(span);
    else this.batch.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.batch.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.batch.shutdown();
  }
}

function unsampledCall(attributes: Attributes, startSeconds: number): { provider: string; model: string; day: string } {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    provider: text(attributes[ATTR_GEN_AI_PROVIDER_NAME]),
    model: text(attributes[ATTR_GEN_AI_RESPONSE_MODEL]) || text(attributes[ATTR_GEN_AI_REQUEST_MODEL]),
    day: new Date(startSeconds * 1000).toISOString().slice(0, 10),
  };
}

/**
 * The sampler in force, as the recording states it: its description, and the probability with which a root span
 * is recorded when the sampler says it (undefined: it cannot be told, e.g. a custom sampler). A parent-based
 * sampler follows its parent; a trace started here is sampled by its root sampler, which is what is stated.
 */
export function describeSampler(sampler?: Sampler, env: NodeJS.ProcessEnv = process.env): RecordedSampler {
  if (sampler) {
    const description = sampler.toString();
    return { description, source: 'sdk', probability: probabilityOf(description) };
  }
  const name = stringFromEnv('OTEL_TRACES_SAMPLER', env) ?? 'parentbased_always_on';
  const arg = stringFromEnv('OTEL_TRACES_SAMPLER_ARG', env);
  const description = arg === undefined ? name : `${name} ${arg}`;
  let probability: number | undefined;
  if (name === 'always_on' || name === 'parentbased_always_on') probability = 1;
  else if (name === 'always_off' || name === 'parentbased_always_off') probability = 0;
  else if (name === 'traceidratio' || name === 'parentbased_traceidratio') {
    // As the SDK reads it: a missing or invalid ratio is 1.
    const ratio = arg === undefined ? 1 : Number(arg);
    probability = Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : 1;
  }
  return { description, source: 'environment', probability };
}

/** `AlwaysOnSampler`, `TraceIdRatioBased{0.1}`, `ParentBased{root=…, …}` (the SDK samplers' own toString). */
function probabilityOf(description: string): number | undefined {
  const root = /^ParentBased\{root=(.*)$/.exec(description)?.[1] ?? description;
  if (root.startsWith('AlwaysOnSampler')) return 1;
  if (root.startsWith('AlwaysOffSampler')) return 0;
  const ratio = /^TraceIdRatioBased\{([0-9.eE+-]+)\}/.exec(root)?.[1];
  if (ratio === undefined) return undefined;
  const value = Number(ratio);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}
