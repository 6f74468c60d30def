// A file that recorded telemetry is appended to, one line at a time (OTLP/JSON lines: one ExportTraceServiceRequest
// per line, the OpenTelemetry Collector file exporter's format). Opened when recording starts, so a path that
// cannot be written is an error then, naming the file; each line is written with one write() on a file opened for
// appending, so lines from several processes recording into one file do not interleave. Writes are asynchronous and
// never block the app; `close()` waits for what is pending.
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';

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
