// A request body read within limits: its bytes, or why not. An answer is sent only once the body has been read (or
// thrown away), so a client still writing sees the status, not a broken pipe; only a body far past the limit is
// cut off. The limit applies to the bytes as received and again to the inflated bytes (gzip, deflate, zstd), so a
// small compressed body cannot inflate into gigabytes; inflation runs on libuv's thread pool, off the event loop.
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Lease, MemoryBudget } from './memory-budget.ts';

export type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'zstd';

export type BodyRead =
  /** The body, and the lease that counts it (the caller releases it). */
  | { kind: 'body'; bytes: Buffer; lease: Lease }
  /** Over the limit, or the memory budget would not hold it: read and thrown away unless `drained` is false. */
  | { kind: 'too_large' | 'memory'; drained: boolean }
  /** The client went away. */
  | { kind: 'aborted' };

export type Inflated = { kind: 'body'; bytes: Buffer } | { kind: 'too_large' } | { kind: 'malformed'; message: string };

/** The request's Content-Encoding, or undefined when it is one tokenledger cannot decode. */
export function contentEncoding(header: string | undefined): ContentEncoding | undefined {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'zstd') return value;
  return undefined;
}

/**
 * Reads the body, charging its bytes to the budget's intake as they arrive. Past `limit`, or when the budget is
 * full, the rest is read and thrown away, up to `drainLimit` bytes.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit: number, budget: MemoryBudget): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const lease = budget.charge('intake', 0);
    let size = 0;
    let refusal: 'too_large' | 'memory' | undefined;
    let discarded = 0;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      req.removeListener('data', onData);
      if (result.kind !== 'body') lease.release();
      resolve(result);
    };
    const refuse = (why: 'too_large' | 'memory') => {
      refusal = why;
      chunks.length = 0;
      lease.release();
    };
    const onData = (chunk: Buffer) => {
      if (refusal) {
        discarded += chunk.length;
        if (discarded > drainLimit) settle({ kind: refusal, drained: false });
        return;
      }
      size += chunk.length;
      if (size > limit) return refuse('too_large');
      if (!budget.fits(chunk.length)) return refuse('memory');
      lease.grow(chunk.length);
      chunks.push(chunk);
    };
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      if (declared - limit > drainLimit) return settle({ kind: 'too_large', drained: false });
      refuse('too_large');
    }
    req.on('data', onData);
    req.once('end', () =>
      settle(refusal ? { kind: refusal, drained: true } : { kind: 'body', bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), lease }),
    );
    req.once('close', () => settle({ kind: 'aborted' }));
    req.once('error', () => settle({ kind: 'aborted' }));
  });
}

/** Reads and throws away the body of a request refused before reading it; false when it was longer than `drainLimit`. */
export function discardBody(req: IncomingMessage, drainLimit: number): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  if (Number(req.headers['content-length']) > drainLimit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let discarded = 0;
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > drainLimit) done(false);
    };
    const done = (drained: boolean) => {
      req.removeListener('data', onData);
      resolve(drained);
    };
    req.on('data', onData);
    req.once('end', () => done(true));
    req.once('close', () => done(false));
    req.once('error', () => done(false));
  });
}

const gunzip = promisify(zlib.gunzip);
const inflateZlib = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const zstdDecompress = promisify(zlib.zstdDecompress);

/** The body decoded from its Content-Encoding, at most `limit` bytes. */
export async function inflate(bytes: Buffer, encoding: ContentEncoding, limit: number): Promise<Inflated> {
  if (encoding === 'identity') return { kind: 'body', bytes };
  const options = { maxOutputLength: limit };
  try {
    if (encoding === 'gzip') return { kind: 'body', bytes: await gunzip(bytes, options) };
    if (encoding === 'zstd') return { kind: 'body', bytes: await zstdDecompress(bytes, options) };
    // HTTP's "deflate" is the zlib format (RFC 9110, 8.4.1.2), but some clients send raw deflate: the zlib header
    // (compression method 8, header checksum a multiple of 31) tells them apart.
    const zlibWrapped = bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
    return { kind: 'body', bytes: await (zlibWrapped ? inflateZlib : inflateRaw)(bytes, options) };
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'too_large' };
    return { kind: 'malformed', message: `malformed ${encoding} body: ${(error as Error).message}` };
  }
}
