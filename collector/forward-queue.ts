// Sends encoded OTLP requests to the upstream, several at a time, each retried on its own schedule
// (retry-policy.ts), so a request the upstream keeps failing delays no other. Every span ends delivered or dropped
// with a reason, reported through `events`: refused by the upstream even alone (a refused request is split until
// the span at fault is alone), rejected in a partial success, failing past the maximum elapsed time, or still
// queued when the drain deadline passes at shutdown (unless `--queue-dir` keeps it for the next start).
//
// Lifecycle: enqueue → ready → in flight → delivered | retry (waiting until its time, then ready again) | split
// (two new requests) | dropped. A queued request's bytes hold a lease on the memory budget, given back when the
// request is done, whichever way; a request a previous run left on disk is read only when it is sent.
// `drain(deadline)` makes retries come at least every second and resolves when nothing is left or at the deadline,
// keeping the process alive meanwhile; `close()` then aborts what is in flight and counts what is left. Retries,
// attempt timeouts and the drain deadline run on the injected clock.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { diag } from '@opentelemetry/api';
import { systemClock, type Clock, type Timer } from '../base/clock.ts';
import type { TokenledgerCollectorDropReason } from '../conventions/attributes.ts';
import type { DiskQueue } from './disk-queue.ts';
import type { Lease, MemoryBudget } from './memory-budget.ts';
import { ExportTraceServiceResponse, Status } from './otlp-schema.ts';
import { splitRequest, type ForwardRequest } from './request-split.ts';
import { outcomeOf, RetryPolicy, type BackoffSettings } from './retry-policy.ts';
import { UpstreamClient, UpstreamTimeout, type UpstreamResponse } from './upstream-client.ts';

export type DropReason = TokenledgerCollectorDropReason;

export interface ForwardEvents {
  /** Spans the upstream took. */
  delivered?(spans: number): void;
  dropped?(reason: DropReason, spans: number, detail: string): void;
  /** A retryable failure; the request will be sent again. */
  retrying?(detail: string): void;
}

export interface ForwardQueueOptions {
  /** The upstream's `/v1/traces` URL (http or https). */
  url: string;
  budget: MemoryBudget;
  /** Sent with every request (OTEL_EXPORTER_OTLP_HEADERS and …_TRACES_HEADERS). */
  headers?: Record<string, string>;
  compression?: 'gzip' | 'none';
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** How long one attempt may take. Default 10 s. */
  timeoutMs?: number;
  backoff?: Partial<BackoffSettings>;
  /** Keeps every queued request on disk too (`--queue-dir`). */
  disk?: DiskQueue;
  events?: ForwardEvents;
  /** Retries, attempt timeouts and the drain deadline. Default: the system clock. */
  clock?: Clock;
  /** The backoff's jitter. */
  random?: () => number;
}

export interface ForwardStats {
  /** Requests the upstream took. */
  sentRequests: number;
  /** Attempts that failed and were scheduled again. */
  retries: number;
  /** Requests split because the upstream refused their content. */
  splits: number;
}

export interface CloseResult {
  /** Spans dropped because the drain deadline passed. */
  dropped: number;
  /** Spans left in `--queue-dir` for the next start. */
  persisted: number;
}

interface Entry {
  /** Undefined while only on disk (left by a previous run). */
  body: Uint8Array | undefined;
  /** Counts `body` against the memory budget while it is held. */
  lease: Lease | undefined;
  spans: number;
  /** When it was first sent; max elapsed time counts from here. */
  firstAttempt: number | undefined;
  attempts: number;
  notBefore: number;
  /** Its file in `--queue-dir`: written (the name), being written, or failed to write (undefined). */
  file: Promise<string | undefined> | undefined;
}

const gzip = promisify(zlib.gzip);
/** During the drain, retries come at least this often. */
const DRAIN_RETRY_MS = 1000;

export class ForwardQueue {
  readonly stats: ForwardStats = { sentRequests: 0, retries: 0, splits: 0 };
  private readonly budget: MemoryBudget;
  private readonly client: UpstreamClient;
  private readonly compression: 'gzip' | 'none';
  private readonly concurrency: number;
  private readonly retries: RetryPolicy;
  private readonly disk: DiskQueue | undefined;
  private readonly events: ForwardEvents;
  private readonly clock: Clock;
  private readonly ready: Entry[] = [];
  private readonly waiting: Entry[] = [];
  private readonly inFlight = new Set<Entry>();
  private readonly aborter = new AbortController();
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private queuedSpans = 0;
  private failing = false;
  private draining = false;
  private closed = false;
  private onIdle: (() => void) | undefined;

  constructor(options: ForwardQueueOptions) {
    this.budget = options.budget;
    this.compression = options.compression ?? 'none';
    const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/x-protobuf' };
    if (this.compression === 'gzip') headers['content-encoding'] = 'gzip';
    this.concurrency = options.concurrency ?? 4;
    this.clock = options.clock ?? systemClock;
    this.client = new UpstreamClient(options.url, headers, this.concurrency, options.timeoutMs ?? 10_000, this.clock);
    this.retries = new RetryPolicy(options.backoff, options.random);
    this.disk = options.disk;
    this.events = options.events ?? {};
  }

  /** Requests and spans not yet delivered or dropped. */
  get queued(): { requests: number; spans: number } {
    return { requests: this.ready.length + this.waiting.length + this.inFlight.size, spans: this.queuedSpans };
  }

  /** Whether the last attempt to reach the upstream failed. */
  get upstreamFailing(): boolean {
    return this.failing;
  }

  /** What to tell a client refused for memory to wait: until the next retry when the upstream fails, else 1 s. */
  retryAfterSeconds(): number {
    if (!this.failing || this.waiting.length === 0) return 1;
    const next = earliest(this.waiting);
    return Math.min(30, Math.max(1, Math.ceil((next - this.clock.now()) / 1000)));
  }

  enqueue(request: ForwardRequest): void {
    if (this.closed) {
      this.events.dropped?.('shutdown', request.spans, 'arrived after the queue was closed');
      return;
    }
    this.add(this.entry(request, undefined));
  }

  /** Queues the requests a previous run left in `--queue-dir` (read from disk when sent). */
  async restore(): Promise<number> {
    if (!this.disk) return 0;
    const found = await this.disk.open();
    for (const { file, spans } of found)
      this.add({ body: undefined, lease: undefined, spans, firstAttempt: undefined, attempts: 0, notBefore: 0, file: Promise.resolve(file) });
    return found.length;
  }

  /**
   * Resolves when every request is delivered or dropped, or at `deadline` (epoch ms, by the clock). The deadline's
   * timer keeps the process alive until then.
   */
  drain(deadline: number): Promise<void> {
    this.draining = true;
    const soon = this.clock.now() + DRAIN_RETRY_MS;
    for (const entry of this.waiting) entry.notBefore = Math.min(entry.notBefore, soon);
    this.reschedule(true);
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.clock.after(deadline - this.clock.now(), done, { keepAlive: true });
      function done() {
        timer.cancel();
        resolve();
      }
      this.onIdle = done;
    });
  }

  /** Aborts what is in flight; what is left is dropped, or kept on disk for the next start. */
  async close(): Promise<CloseResult> {
    this.closed = true;
    this.onIdle?.();
    this.onIdle = undefined;
    this.timer?.cancel();
    this.aborter.abort();
    this.client.close();
    const left = [...this.inFlight, ...this.ready, ...this.waiting];
    this.inFlight.clear();
    this.ready.length = 0;
    this.waiting.length = 0;
    const result: CloseResult = { dropped: 0, persisted: 0 };
    for (const entry of left) {
      const file = await entry.file;
      entry.lease?.release();
      this.queuedSpans -= entry.spans;
      if (file !== undefined) result.persisted += entry.spans;
      else result.dropped += entry.spans;
    }
    if (result.dropped > 0) this.events.dropped?.('shutdown', result.dropped, 'still undelivered when the drain deadline passed');
    return result;
  }

  /** A request to send, its bytes counted from now on. */
  private entry(request: ForwardRequest, firstAttempt: number | undefined): Entry {
    const lease = this.budget.charge('queued', request.body.length);
    return { body: request.body, lease, spans: request.spans, firstAttempt, attempts: 0, notBefore: 0, file: this.persist(request) };
  }

  private add(entry: Entry): void {
    this.queuedSpans += entry.spans;
    this.ready.push(entry);
    this.pump();
  }

  private persist(request: ForwardRequest): Promise<string | undefined> | undefined {
    if (!this.disk) return undefined;
    return this.disk.write(request.body, request.spans).catch((error: unknown) => {
      diag.warn(`tokenledger collect: could not write a queued request to ${this.disk!.dir}: ${(error as Error).message}`);
      return undefined;
    });
  }

  private pump(): void {
    while (!this.closed && this.inFlight.size < this.concurrency && this.ready.length > 0) {
      const entry = this.ready.shift()!;
      this.inFlight.add(entry);
      void this.attempt(entry)
        .catch((error: unknown) => {
          diag.error('tokenledger collect: forwarding failed unexpectedly', error);
          // Still in flight: it is retried like a failed attempt, and dropped when retrying runs out.
          if (this.inFlight.has(entry) && !this.closed) this.retry(entry, undefined, `unexpected failure: ${(error as Error).message}`);
        })
        .finally(() => {
          this.pump();
          if (this.idle()) this.onIdle?.();
        });
    }
  }

  private idle(): boolean {
    return this.ready.length === 0 && this.waiting.length === 0 && this.inFlight.size === 0;
  }

  private async attempt(entry: Entry): Promise<void> {
    const body = entry.body ?? (await this.load(entry));
    if (!body || this.closed) return;
    entry.firstAttempt ??= this.clock.now();
    let response: UpstreamResponse;
    try {
      response = await this.client.post(this.compression === 'gzip' ? await gzip(body) : body, this.aborter.signal);
    } catch (error) {
      if (this.closed) return;
      return this.retry(entry, undefined, error instanceof UpstreamTimeout ? error.message : (error as Error).message);
    }
    if (this.closed) return;
    const { status, body: bytes } = response;
    const outcome = outcomeOf(status);
    if (outcome === 'delivered') {
      this.failing = false;
      this.stats.sentRequests += 1;
      const reported = partialSuccess(bytes);
      const rejected = Math.min(reported.rejected, entry.spans);
      const message = reported.message;
      this.done(entry);
      if (entry.spans - rejected > 0) this.events.delivered?.(entry.spans - rejected);
      if (rejected > 0) this.events.dropped?.('upstream_rejected', rejected, message);
      return;
    }
    const detail = `HTTP ${status}${errorMessage(bytes, response.headers['content-type'])}`;
    if (outcome === 'retry') return this.retry(entry, response.headers['retry-after'], detail);
    this.failing = false;
    if (outcome === 'split' && entry.spans > 1) {
      const halves = splitRequest(body);
      if (halves) {
        this.stats.splits += 1;
        diag.debug(`tokenledger collect: upstream refused a request of ${entry.spans} spans (${detail}); sending it in two halves`);
        this.done(entry);
        for (const half of halves) this.add(this.entry(half, entry.firstAttempt));
        return;
      }
    }
    this.done(entry);
    this.events.dropped?.('upstream_refused', entry.spans, detail);
  }

  /** Schedules the entry again, or drops it when the maximum elapsed time would pass first. */
  private retry(entry: Entry, retryAfter: string | undefined, detail: string): void {
    this.failing = true;
    entry.attempts += 1;
    const now = this.clock.now();
    entry.firstAttempt ??= now;
    const delay = this.retries.delay(entry.attempts, entry.firstAttempt, now, retryAfter, this.draining ? DRAIN_RETRY_MS : Infinity);
    if (delay === undefined) {
      this.done(entry);
      this.events.dropped?.(
        'retries_exhausted',
        entry.spans,
        `${detail}; gave up after ${entry.attempts} attempts over ${Math.round((now - entry.firstAttempt) / 1000)} s`,
      );
      return;
    }
    this.stats.retries += 1;
    this.events.retrying?.(`${detail}; retrying in ${(delay / 1000).toFixed(1)} s`);
    this.inFlight.delete(entry);
    entry.notBefore = now + delay;
    this.waiting.push(entry);
    this.reschedule(false);
  }

  /** Sets the one timer to the earliest waiting entry. */
  private reschedule(force: boolean): void {
    if (this.waiting.length === 0) return;
    const next = earliest(this.waiting);
    if (!force && this.timer && this.timerAt <= next) return;
    this.timer?.cancel();
    this.timerAt = next;
    this.timer = this.clock.after(next - this.clock.now(), () => this.promote());
  }

  private promote(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    let kept = 0;
    for (const entry of this.waiting) {
      if (entry.notBefore <= now) this.ready.push(entry);
      else this.waiting[kept++] = entry;
    }
    this.waiting.length = kept;
    this.reschedule(false);
    this.pump();
  }

  /** Reads a request a previous run left on disk, charging it while it is held. */
  private async load(entry: Entry): Promise<Uint8Array | undefined> {
    const file = await entry.file;
    try {
      entry.body = await this.disk!.read(file!);
      entry.lease = this.budget.charge('queued', entry.body.length);
      return entry.body;
    } catch (error) {
      diag.warn(`tokenledger collect: could not read ${file} from ${this.disk!.dir}; its ${entry.spans} spans are not sent: ${(error as Error).message}`);
      this.done(entry);
      return undefined;
    }
  }

  /** The entry leaves the queue: its bytes are released and its file removed. */
  private done(entry: Entry): void {
    this.inFlight.delete(entry);
    this.queuedSpans -= entry.spans;
    entry.lease?.release();
    entry.body = undefined;
    const file = entry.file;
    if (file && this.disk) {
      void file.then((name) => {
        if (name) void this.disk!.remove(name);
      });
    }
  }
}

function earliest(entries: Entry[]): number {
  let next = Infinity;
  for (const entry of entries) if (entry.notBefore < next) next = entry.notBefore;
  return next;
}

/** Spans an OTLP success response says were rejected, and why. */
function partialSuccess(bytes: Uint8Array): { rejected: number; message: string } {
  if (bytes.length === 0) return { rejected: 0, message: '' };
  try {
    const response = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(bytes), { longs: Number }) as {
      partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
    };
    return { rejected: Math.max(0, response.partialSuccess?.rejectedSpans ?? 0), message: response.partialSuccess?.errorMessage ?? '' };
  } catch {
    // A body that is not an ExportTraceServiceResponse says nothing about rejected spans.
    return { rejected: 0, message: '' };
  }
}

/** `: <message>` from an error body: a google.rpc.Status (protobuf or JSON), else the start of the text. */
function errorMessage(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes.length === 0) return '';
  let message: string | undefined;
  try {
    if ((contentType ?? '').includes('json')) message = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { message?: string }).message;
    else if ((contentType ?? '').includes('protobuf')) message = (Status.decode(bytes) as unknown as { message?: string }).message;
  } catch {
    message = undefined;
  }
  message ??= Buffer.from(bytes).toString('utf8');
  return message ? `: ${message.slice(0, 300)}` : '';
}
