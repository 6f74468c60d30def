// TOKENLEDGER_RECORD: every finished span is appended to a file as OTLP/JSON lines, so runs can be looked at,
// re-priced and gated on without a backend (`tokenledger report | whatif | gate`). The spans are serialised exactly
// as the OTLP/JSON exporter serialises them (the same serializer, batched by the same BatchSpanProcessor), so
// recording costs no more CPU per span than exporting OTLP/JSON would; only the destination differs.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { packageRequire } from '../package-require.cjs';
import { RecordFile } from './record-file.ts';
import { batchProcessor } from './trace-exporters.ts';

/**
 * A span exporter that appends every span to a file as OTLP/JSON lines (one `ExportTraceServiceRequest` a line), for
 * `tokenledger report`, `whatif` and `gate`: what TOKENLEDGER_RECORD sets up.
 */
export class RecordingSpanExporter implements SpanExporter {
  private readonly file: RecordFile;

  /** Throws, naming the file, when it cannot be opened for appending. */
  constructor(path: string, name = 'TOKENLEDGER_RECORD') {
    this.file = new RecordFile(path, name);
  }

  /** Appends the spans as one line; the callback gets the outcome of the write. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (spans.length === 0) return resultCallback({ code: ExportResultCode.SUCCESS });
    // Loaded at the first export: `import 'tokenledger'` loads no serializer an app may never use.
    const { JsonTraceSerializer } = packageRequire('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    const line = JsonTraceSerializer.serializeRequest(spans);
    if (!line) return resultCallback({ code: ExportResultCode.FAILED, error: new Error('spans could not be serialised') });
    this.file.append(line, (error) => resultCallback(error ? { code: ExportResultCode.FAILED, error } : { code: ExportResultCode.SUCCESS }));
  }

  forceFlush(): Promise<void> {
    return this.file.flush();
  }

  shutdown(): Promise<void> {
    return this.file.close();
  }
}

/** The span processor that records into `path`: batched as the OTLP exporters are (OTEL_BSP_* apply). */
export function recordingSpanProcessor(path: string): SpanProcessor {
  return batchProcessor(new RecordingSpanExporter(path));
}
