// A plain OTLP/JSON dump — one ExportTraceServiceRequest, pretty-printed or not, or several one after another — read
// without holding it whole: a byte scanner finds each entry of a top-level object's `resourceSpans` array and hands
// it out alone, with the line it starts on. JSON's structural characters are ASCII and never occur inside a
// multi-byte UTF-8 sequence, so scanning bytes is safe. What is not JSON (a string cut by a line break, a file that
// ends inside a value, a stray token) is an error naming the line.
import { RecordingError } from './recording-error.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SKIPPED = new Set([0x20, 0x09, 0x0d, 0x2c, 0x3a, 0xef, 0xbb, 0xbf]); // space, tab, CR, comma, colon, a UTF-8 BOM
const RESOURCE_SPANS = 'resourceSpans';

export interface JsonEntry {
  /** One `resourceSpans` entry, as JSON text. */
  text: string;
  /** The line it starts on (1-based). */
  line: number;
}

export class JsonDocumentScanner {
  private readonly file: string;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  /** The last string read at depth 1 (an object's key), and its bytes while it is read. */
  private key = '';
  private keyParts: Buffer[] | undefined;
  private inResourceSpans = false;
  /** The entry being read: its bytes so far (from earlier chunks) and the line it started on. */
  private entryParts: Buffer[] | undefined;
  private entryLine = 0;
  private entryStart = -1;
  /** Where the current top-level value started, for an error at the end of the file. */
  private valueLine = 0;

  constructor(file: string) {
    this.file = file;
  }

  /** The entries completed in this chunk. */
  push(chunk: Buffer): JsonEntry[] {
    const entries: JsonEntry[] = [];
    let keyStart = this.keyParts ? 0 : -1;
    if (this.entryParts) this.entryStart = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (keyStart >= 0) {
            this.keyParts!.push(chunk.subarray(keyStart, i));
            this.key = Buffer.concat(this.keyParts!).toString('utf8');
            this.keyParts = undefined;
            keyStart = -1;
          }
        } else if (byte === NEWLINE) this.fail(this.line, 'a string is not closed on its line (the file is cut short or corrupt)');
        continue;
      }
      switch (byte) {
        case QUOTE:
          this.inString = true;
          if (this.depth === 0) this.fail(this.line, 'expected an OTLP/JSON object ({"resourceSpans": […]}), found a string');
          if (this.depth === 1) {
            this.keyParts = [];
            keyStart = i + 1;
          }
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          if (this.depth === 0) {
            if (byte === OPEN_ARRAY) this.fail(this.line, 'expected an OTLP/JSON object ({"resourceSpans": […]}), found an array');
            this.valueLine = this.line;
          }
          if (this.depth === 1 && byte === OPEN_ARRAY && this.key === RESOURCE_SPANS) this.inResourceSpans = true;
          else if (this.depth === 2 && this.inResourceSpans) {
            if (byte !== OPEN_OBJECT) this.fail(this.line, 'a resourceSpans entry must be an object');
            this.entryParts = [];
            this.entryStart = i;
            this.entryLine = this.line;
          }
          this.depth += 1;
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          this.depth -= 1;
          if (this.depth < 0) this.fail(this.line, `unexpected "${String.fromCharCode(byte)}"`);
          if (this.depth === 2 && this.entryParts) {
            this.entryParts.push(chunk.subarray(this.entryStart, i + 1));
            entries.push({ text: Buffer.concat(this.entryParts).toString('utf8'), line: this.entryLine });
            this.entryParts = undefined;
            this.entryStart = -1;
          } else if (this.depth === 1) this.inResourceSpans = false;
          break;
        case NEWLINE:
          this.line += 1;
          break;
        default:
          if (SKIPPED.has(byte)) break;
          // A number, true, false or null: only as a value inside an object.
          if (this.depth === 0) this.fail(this.line, 'expected an OTLP/JSON object ({"resourceSpans": […]})');
          if (this.depth === 2 && this.inResourceSpans) this.fail(this.line, 'a resourceSpans entry must be an object');
      }
    }
    if (keyStart >= 0) this.keyParts!.push(chunk.subarray(keyStart));
    if (this.entryParts && this.entryStart >= 0) this.entryParts.push(chunk.subarray(this.entryStart));
    return entries;
  }

  /** At the end of the file: nothing may be left open. */
  end(): void {
    if (this.inString || this.depth > 0) {
      this.fail(this.entryParts ? this.entryLine : this.valueLine, 'the file ends inside the JSON value that starts here (it is cut short)');
    }
  }

  private fail(line: number, problem: string): never {
    throw new RecordingError(`${this.file}:${line}`, problem);
  }
}
