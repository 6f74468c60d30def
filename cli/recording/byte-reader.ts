// A recorded file as a stream of bytes, read in large chunks and never whole: gzip- and zstd-compressed files
// (the OpenTelemetry Collector's file exporter compresses with zstd) are inflated as they are read. The reader hands
// out exact byte ranges and whole lines, so the formats above it are parsed piece by piece with bounded memory.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';

const CHUNK_BYTES = 1 << 20;
const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

export function isZstd(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZSTD);
}

/** The file's bytes, inflated when the file is gzip or zstd. */
export async function openRecording(path: string): Promise<ByteReader> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  let stream: Readable = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  if (startsWith(head, GZIP)) stream = stream.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  else if (startsWith(head, ZSTD)) stream = stream.pipe(createZstdDecompress({ chunkSize: CHUNK_BYTES }));
  return new ByteReader(stream);
}

export class ByteReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly source: Readable;
  /** Unread bytes: buffer[position…]. */
  private buffer: Buffer = Buffer.alloc(0);
  private position = 0;
  private ended = false;
  /** Bytes handed out so far. */
  offset = 0;

  constructor(source: Readable) {
    this.source = source;
    this.chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get buffered(): number {
    return this.buffer.length - this.position;
  }

  /** Reads until at least `bytes` are buffered; false when the file ends first. */
  async fill(bytes: number): Promise<boolean> {
    if (this.buffered >= bytes) return true;
    const parts = [this.buffer.subarray(this.position)];
    let have = this.buffered;
    while (have < bytes && !this.ended) {
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    this.buffer = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    this.position = 0;
    return have >= bytes;
  }

  /** The next `bytes` bytes, without consuming them (fewer at the end of the file). */
  async peek(bytes: number): Promise<Buffer> {
    await this.fill(bytes);
    return this.buffer.subarray(this.position, this.position + bytes);
  }

  /** The next `bytes` bytes; undefined when the file ends first (what was there is consumed). */
  async take(bytes: number): Promise<Buffer | undefined> {
    const enough = await this.fill(bytes);
    const taken = this.buffer.subarray(this.position, this.position + bytes);
    this.position += taken.length;
    this.offset += taken.length;
    return enough ? taken : undefined;
  }

  /** The next line without its `\n` (a last line without one too); undefined at the end of the file. */
  async line(): Promise<Buffer | undefined> {
    const end = this.buffer.indexOf(10, this.position);
    if (end >= 0) {
      const line = this.buffer.subarray(this.position, end);
      this.offset += end + 1 - this.position;
      this.position = end + 1;
      return line;
    }
    // Collect chunks until one holds the newline, and join the line's parts only: the rest of that chunk is read
    // from where it is.
    const parts = [this.buffer.subarray(this.position)];
    let length = parts[0]!.length;
    while (!this.ended) {
      const next = await this.chunks.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const at = next.value.indexOf(10);
      if (at >= 0) {
        parts.push(next.value.subarray(0, at));
        const line = Buffer.concat(parts, length + at);
        this.buffer = next.value;
        this.position = at + 1;
        this.offset += line.length + 1;
        return line;
      }
      parts.push(next.value);
      length += next.value.length;
    }
    this.buffer = Buffer.alloc(0);
    this.position = 0;
    if (length === 0) return undefined;
    const last = Buffer.concat(parts, length);
    this.offset += last.length;
    return last;
  }

  /** The bytes buffered, else the next chunk read; undefined at the end of the file. */
  async chunk(): Promise<Buffer | undefined> {
    if (this.buffered === 0 && !(await this.fill(1))) return undefined;
    const rest = this.buffer.subarray(this.position);
    this.buffer = Buffer.alloc(0);
    this.position = 0;
    this.offset += rest.length;
    return rest;
  }

  /** Whether every byte has been read. */
  async atEnd(): Promise<boolean> {
    return !(await this.fill(1));
  }

  close(): void {
    this.source.destroy();
  }
}
