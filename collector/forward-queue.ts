// Sends encoded OTLP requests to the upstream one at a time, retrying failures with backoff. Bounded: past
// `maxQueued` requests the oldest is dropped and counted, so an upstream that is down or slow cannot grow memory
// without bound. Spans the upstream rejects in an OTLP partial success are counted, not retried.
import { diag } from '@opentelemetry/api';
import { ExportTraceServiceResponse } from './otlp-schema.ts';

export interface ForwardQueueOptions {
  url: string;
  /** Requests held while the upstream is failing. Default 1000. */
  maxQueued?: number;
  timeoutMs?: number;
  /** First retry delay; doubles up to 30 s. Default 500 ms. */
  retryDelayMs?: number;
}

export interface ForwardStats {
  sent: number;
  dropped: number;
  retries: number;
  rejectedSpans: number;
}

export class ForwardQueue {
  readonly stats: ForwardStats = { sent: 0, dropped: 0, retries: 0, rejectedSpans: 0 };
  private readonly queue: Uint8Array[] = [];
  private readonly options: Required<ForwardQueueOptions>;
  private sending: Promise<void> | undefined;
  private delay: number;
  private stopped = false;

  constructor(options: ForwardQueueOptions) {
    this.options = {
      url: options.url,
      maxQueued: options.maxQueued ?? 1000,
      timeoutMs: options.timeoutMs ?? 10_000,
      retryDelayMs: options.retryDelayMs ?? 500,
    };
    this.delay = this.options.retryDelayMs;
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(body: Uint8Array): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.queue.shift();
      this.stats.dropped += 1;
    }
    this.queue.push(body);
    this.sending ??= this.pump().finally(() => (this.sending = undefined));
  }

  /** Waits until the queue is empty or `timeoutMs` passed; after `stop`, no more retries are scheduled. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length > 0 || this.sending) && Date.now() < deadline) await sleep(20);
  }

  stop(): void {
    this.stopped = true;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const body = this.queue[0]!;
      if (await this.send(body)) {
        if (this.queue[0] === body) this.queue.shift();
        this.stats.sent += 1;
        this.delay = this.options.retryDelayMs;
      } else {
        if (this.stopped) return;
        this.stats.retries += 1;
        await sleep(this.delay);
        this.delay = Math.min(this.delay * 2, 30_000);
      }
    }
  }

  private async send(body: Uint8Array): Promise<boolean> {
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      // 4xx other than 429 will not get better by retrying: the request is dropped and counted.
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        diag.warn(`tokenledger collect: upstream refused a request (HTTP ${response.status}); dropped`);
        this.stats.dropped += 1;
        return true;
      }
      if (!response.ok) return false;
      this.countRejected(bytes);
      return true;
    } catch (error) {
      diag.debug('tokenledger collect: upstream export failed; will retry', error);
      return false;
    }
  }

  private countRejected(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    try {
      const response = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(bytes), { longs: Number }) as {
        partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
      };
      const rejected = response.partialSuccess?.rejectedSpans ?? 0;
      if (rejected > 0) {
        this.stats.rejectedSpans += rejected;
        diag.warn(`tokenledger collect: upstream rejected ${rejected} spans: ${response.partialSuccess?.errorMessage ?? ''}`);
      }
    } catch {
      // A response body that is not an ExportTraceServiceResponse says nothing about rejected spans.
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
