// Reads a recorded file as ExportTraceServiceRequests, one piece at a time, whatever its format:
//   - OTLP/JSON lines: one request per line (TOKENLEDGER_RECORD, `tokenledger collect --record`, the OpenTelemetry
//     Collector's file exporter with `format: json`);
//   - a plain OTLP/JSON dump: one request (or several one after another), pretty-printed or not, read entry by entry;
//   - OTLP/protobuf: one ExportTraceServiceRequest as sent over HTTP, read resourceSpans by resourceSpans, or
//     records each preceded by its 4-byte big-endian length (the file exporter's `format: proto`, and any format once
//     it compresses: a record may be zstd);
// any of them gzip- or zstd-compressed as a whole. Every request comes with where it is (`file:line`, or
// `file (record N)`); what cannot be read is a RecordingError saying where.
import { isAscii } from 'node:buffer';
import { zstdDecompressSync } from 'node:zlib';
import { ExportTraceServiceRequest, ResourceSpans } from '../../collector/otlp-schema.ts';
import { isZstd, openRecording, type ByteReader } from './byte-reader.ts';
import { JsonDocumentScanner } from './json-document.ts';
import { RecordingError } from './recording-error.ts';

/** An ExportTraceServiceRequest as parsed from JSON or decoded from protobuf. */
export interface RecordedRequest {
  resourceSpans?: unknown[];
}

export interface ReadRequest {
  request: RecordedRequest;
  /** `file:line` or `file (record N)`: where the request is, for messages. */
  where: string;
}

const PROTOBUF_RESOURCE_SPANS_TAG = 0x0a; // field 1 (resourceSpans), length-delimited
const MAX_RECORD_BYTES = 1 << 30;
/** Bytes that follow a newline in a JSON file: `{`, whitespace, a byte-order mark. */
const JSON_AFTER_NEWLINE = new Set([0x7b, 0x20, 0x09, 0x0a, 0x0d, 0xef]);
/** A first entry larger than this is taken for protobuf without decoding it to make sure (no JSON file opens so). */
const MAX_PROBE_BYTES = 1 << 26;

export async function* readRecording(path: string): AsyncGenerator<ReadRequest> {
  let reader: ByteReader;
  try {
    reader = await openRecording(path);
  } catch (error) {
    throw new RecordingError(path, `cannot be read (${(error as Error).message})`);
  }
  try {
    const head = await reader.peek(4096);
    // 0x0a opens both a protobuf request (its first resourceSpans) and a JSON file that starts with a blank line.
    if (head[0] === PROTOBUF_RESOURCE_SPANS_TAG && (await startsWithResourceSpans(reader))) {
      yield* protobufRequest(path, reader);
      return;
    }
    const first = firstSignificantByte(head);
    if (first === undefined) return;
    if (first === 0x7b) yield* jsonRequests(path, reader);
    else yield* framedRequests(path, reader);
  } catch (error) {
    if (error instanceof RecordingError) throw error;
    // A stream error: a broken gzip or zstd file, or one that cannot be read.
    throw new RecordingError(path, `cannot be read (${(error as Error).message})`);
  } finally {
    reader.close();
  }
}

/** Whether the file opens with a protobuf resourceSpans entry that decodes (else it is JSON after a blank line). */
async function startsWithResourceSpans(reader: ByteReader): Promise<boolean> {
  const head = await reader.peek(11);
  let length = 0;
  let at = 1;
  for (let shift = 0; at < head.length && shift < 35; shift += 7, at += 1) {
    length += (head[at]! & 0x7f) * 2 ** shift;
    if ((head[at]! & 0x80) === 0) break;
  }
  if (length > MAX_PROBE_BYTES) return true;
  const entry = (await reader.peek(at + 1 + length)).subarray(at + 1);
  // Cut short: protobuf, unless what follows the newline is what a JSON file holds next.
  if (entry.length < length) return !JSON_AFTER_NEWLINE.has(head[1]!);
  try {
    return ResourceSpans.verify(ResourceSpans.decode(entry)) === null;
  } catch {
    return false;
  }
}

/** The first byte that is not whitespace or a UTF-8 byte-order mark. */
function firstSignificantByte(head: Buffer): number | undefined {
  for (let i = 0; i < head.length; i += 1) {
    const byte = head[i]!;
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    if (byte === 0xef && head[i + 1] === 0xbb && head[i + 2] === 0xbf) {
      i += 2;
      continue;
    }
    return byte;
  }
  return undefined;
}

/** JSON lines when the first line is a whole JSON value; else a document read entry by entry. */
async function* jsonRequests(path: string, reader: ByteReader): AsyncGenerator<ReadRequest> {
  let lineNumber = 0;
  let line: Buffer | undefined;
  do {
    line = await reader.line();
    lineNumber += 1;
  } while (line !== undefined && line.toString('utf8').trim() === '');
  if (line === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(lineText(line));
  } catch {
    yield* jsonDocument(path, reader, line, lineNumber);
    return;
  }
  yield { request: traceRequest(parsed, `${path}:${lineNumber}`), where: `${path}:${lineNumber}` };
  parsed = undefined;
  for (line = await reader.line(); line !== undefined; line = await reader.line()) {
    lineNumber += 1;
    const where = `${path}:${lineNumber}`;
    const request = jsonLine(line, where);
    if (request !== undefined) yield { request, where };
  }
}

/**
 * One line's request; undefined for a blank line. Its text (hundreds of KB) is let go before the request is read: held
 * while its spans are read, it would outlive the garbage collector's next young-generation pass and be promoted.
 */
function jsonLine(line: Buffer, where: string): RecordedRequest | undefined {
  const text = lineText(line);
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RecordingError(where, `not a JSON line (${(error as Error).message}); the recording is cut short or corrupt`);
  }
  return traceRequest(parsed, where);
}

/** A line's text: read as Latin-1 when it is all ASCII (the same text, without UTF-8 decoding), else as UTF-8. */
function lineText(line: Buffer): string {
  return isAscii(line) ? line.toString('latin1') : line.toString('utf8');
}

async function* jsonDocument(path: string, reader: ByteReader, firstLine: Buffer, firstLineNumber: number): AsyncGenerator<ReadRequest> {
  const scanner = new JsonDocumentScanner(path);
  // The scanner counts lines from 1: give it the blank lines skipped before the first one.
  const pending = [Buffer.from('\n'.repeat(firstLineNumber - 1)), firstLine, Buffer.from('\n')];
  for (let chunk: Buffer | undefined = Buffer.concat(pending); chunk !== undefined; chunk = await reader.chunk()) {
    for (const entry of scanner.push(chunk)) {
      const where = `${path}:${entry.line}`;
      let resourceSpans: unknown;
      try {
        resourceSpans = JSON.parse(entry.text);
      } catch (error) {
        throw new RecordingError(where, `the resourceSpans entry starting here is not valid JSON (${(error as Error).message})`);
      }
      yield { request: { resourceSpans: [resourceSpans] }, where };
    }
  }
  scanner.end();
}

/** A parsed JSON request, checked to be one with spans. */
function traceRequest(parsed: unknown, where: string): RecordedRequest {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RecordingError(where, 'expected an OTLP/JSON object ({"resourceSpans": […]})');
  }
  const request = parsed as Record<string, unknown>;
  for (const other of ['resourceMetrics', 'resourceLogs']) {
    if (other in request) throw new RecordingError(where, `holds ${other}, not spans: record traces (a file holds one signal)`);
  }
  if (request.resourceSpans !== undefined && !Array.isArray(request.resourceSpans)) {
    throw new RecordingError(where, 'resourceSpans must be a list');
  }
  return request as RecordedRequest;
}

/** One protobuf ExportTraceServiceRequest, read one resourceSpans at a time. */
async function* protobufRequest(path: string, reader: ByteReader): AsyncGenerator<ReadRequest> {
  let index = 0;
  while (!(await reader.atEnd())) {
    const at = reader.offset;
    const where = `${path} (byte ${at})`;
    const tag = await varint(reader, where);
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === 2) {
      const length = await varint(reader, where);
      const bytes = await reader.take(length);
      if (!bytes) throw new RecordingError(where, `resourceSpans ${index} is cut short: ${length} bytes announced, the file ends first`);
      let decoded: unknown;
      try {
        decoded = ResourceSpans.decode(bytes);
      } catch (error) {
        throw new RecordingError(where, `resourceSpans ${index} is not valid OTLP protobuf (${(error as Error).message})`);
      }
      index += 1;
      yield { request: { resourceSpans: [decoded] }, where: `${path} (resourceSpans ${index}, byte ${at})` };
    } else {
      await skipField(reader, wireType, where);
    }
  }
}

/** Records each preceded by a 4-byte big-endian length; each JSON or protobuf, possibly zstd-compressed. */
async function* framedRequests(path: string, reader: ByteReader): AsyncGenerator<ReadRequest> {
  for (let record = 1; !(await reader.atEnd()); record += 1) {
    const where = `${path} (record ${record}, byte ${reader.offset})`;
    const head = await reader.take(4);
    if (!head) throw new RecordingError(where, 'cut short inside a record length');
    const length = head.readUInt32BE(0);
    if (length > MAX_RECORD_BYTES) {
      throw new RecordingError(where, 'not a recording tokenledger can read (expected OTLP/JSON lines, OTLP/JSON, or OTLP/protobuf)');
    }
    let payload = await reader.take(length);
    if (!payload) throw new RecordingError(where, `cut short: the record announces ${length} bytes, the file ends first`);
    try {
      if (isZstd(payload)) payload = zstdDecompressSync(payload);
    } catch (error) {
      throw new RecordingError(where, `a zstd record that cannot be inflated (${(error as Error).message})`);
    }
    yield { request: decodeRecord(payload, where), where };
  }
}

function decodeRecord(payload: Buffer, where: string): RecordedRequest {
  if (firstSignificantByte(payload.subarray(0, 16)) === 0x7b) {
    try {
      return traceRequest(JSON.parse(payload.toString('utf8')), where);
    } catch (error) {
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(where, `not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    return ExportTraceServiceRequest.decode(payload) as unknown as RecordedRequest;
  } catch (error) {
    throw new RecordingError(where, `not valid OTLP protobuf (${(error as Error).message})`);
  }
}

async function varint(reader: ByteReader, where: string): Promise<number> {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = await reader.take(1);
    if (!byte) throw new RecordingError(where, 'cut short inside a protobuf field');
    value += (byte[0]! & 0x7f) * 2 ** shift;
    if ((byte[0]! & 0x80) === 0) return value;
  }
  throw new RecordingError(where, 'not OTLP protobuf (a field length too large)');
}

async function skipField(reader: ByteReader, wireType: number, where: string): Promise<void> {
  let bytes: number;
  if (wireType === 0) {
    await varint(reader, where);
    return;
  }
  if (wireType === 1) bytes = 8;
  else if (wireType === 2) bytes = await varint(reader, where);
  else if (wireType === 5) bytes = 4;
  else throw new RecordingError(where, 'not a recording tokenledger can read (expected OTLP/JSON lines, OTLP/JSON, or OTLP/protobuf)');
  if (!(await reader.take(bytes))) throw new RecordingError(where, 'cut short inside a protobuf field');
}
