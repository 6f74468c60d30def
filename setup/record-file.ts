// A file that recorded telemetry is appended to, one line at a time (OTLP/JSON lines: one ExportTraceServiceRequest
// per line, the OpenTelemetry Collector file exporter's format). Opened when recording starts, so a path that
// cannot be written is an error then, naming the file; each line is written with one write() on a file opened for
// appending, so lines from several processes recording into one file do not interleave. Writes are asynchronous and
// never block the app; `close()` waits for what is pending.
//
// Besides the spans, a recording process writes two metadata records (record-exporter.ts) under the key
// `tokenledgerRecording`: a start record on the line of its first spans, and an end record, a line of its own
// (`{"resourceSpans":[],"tokenledgerRecording":{…}}`), when it shuts down. An OTLP reader skips the unknown field
// (the end record reads as an empty request), so the file stays what the Collector's file exporter writes; a file
// without them (recorded before they were written, or by another tool) reads as before, its sampling unknown.
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';

/** The key of a metadata record, and the version of its format. */
export const RECORDING_METADATA_KEY = 'tokenledgerRecording';
export const RECORDING_METADATA_VERSION = 1;

/** The sampler in force where the spans were recorded. */
export interface RecordedSampler {
  /** `parentbased_traceidratio 0.1` (from the environment) or `TraceIdRatioBased{0.1}` (the SDK sampler's own name). */
  description: string;
  source: 'environment' | 'sdk';
  /** The probability that a trace started here is recorded; absent when the sampler does not say. */
  probability?: number;
}

/** LLM calls the sampler kept out of the file, by provider, model and UTC day (all empty: past the key limit). */
export interface UnsampledCalls {
  provider: string;
  model: string;
  day: string;
  calls: number;
  /** What the priced ones cost. */
  usd?: number;
  /** Calls among them without a cost. */
  unpriced?: number;
}

export type RecordingMetadata =
  | { kind: 'start'; session: string; at: string; pid?: number; sampler: RecordedSampler }
  | {
      kind: 'end';
      session: string;
      at: string;
      sampler: RecordedSampler;
      spans: { recorded: number; unsampled: number };
      calls: { recorded: number; unsampled: number };
      unsampledCalls: UnsampledCalls[];
    };

/** One metadata record as a line of its own: an empty request that carries it. */
export function recordingMetadataLine(metadata: RecordingMetadata): Uint8Array {
  return Buffer.from(JSON.stringify({ resourceSpans: [], [RECORDING_METADATA_KEY]: { version: RECORDING_METADATA_VERSION, ...metadata } }));
}

/** A serialised request (a JSON object) with a metadata record added as its last member. */
export function withRecordingMetadata(request: Uint8Array, metadata: RecordingMetadata): Uint8Array {
  const text = Buffer.from(request.buffer, request.byteOffset, request.byteLength).toString('utf8').trimEnd();
  if (!text.endsWith('}')) return request;
  const member = `${JSON.stringify(RECORDING_METADATA_KEY)}:${JSON.stringify({ version: RECORDING_METADATA_VERSION, ...metadata })}`;
  return Buffer.from(`${text.slice(0, -1)}${text.endsWith('{}') ? '' : ','}${member}}`);
}

const NEWLINE = Buffer.from('\n');

export class RecordFile {
  readonly path: string;
  private readonly stream: WriteStream;
  private closing: Promise<void> | undefined;
  private failure: Error | undefined;

  /** Throws, naming the file, when it cannot be opened for appending. */
  constructor(path: string, name = 'record file') {
    this.path = path;
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new Error(`${name}: cannot open ${path} for appending (${(error as Error).message})`);
    }
    try {
      this.stream = createWriteStream('', { fd, autoClose: true });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.stream.on('error', (error) => (this.failure = error));
  }

  /** Appends one line (the bytes must hold no newline); `done` is told when it is written, or why not. */
  append(line: Uint8Array, done?: (error: Error | undefined) => void): void {
    if (this.closing || this.failure) {
      done?.(this.failure ?? new Error(`${this.path} is closed`));
      return;
    }
    this.stream.write(Buffer.concat([line, NEWLINE]), (error) => done?.(error ?? undefined));
  }

  /** Resolves once every pending line is written (at once when nothing is pending). */
  flush(): Promise<void> {
    if (this.closing || this.stream.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.stream.once('drain', resolve));
  }

  /** Writes what is pending and closes the file; idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.stream.end(() => resolve());
      this.stream.once('error', () => resolve());
    });
    return this.closing;
  }
}
