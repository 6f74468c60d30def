// `tokenledger collect`: an OTLP/HTTP trace receiver that prices the LLM spans of any language's
// instrumentation and rolls their runs up with the same code as the in-process processor, then forwards every
// span upstream.
//
//   POST /v1/traces (application/x-protobuf or application/json; identity, gzip, deflate or zstd; HTTP or HTTPS)
//     → shutting down (503) → path, method (404, 405) → bearer token (401) → content type, encoding (415)
//     → memory limit (503 + Retry-After) → read the body (413 past the limit, as sent or inflated)
//     → decode (400 with what is wrong), refusing spans with bad ids, repairing strings
//     → normalise + price LLM spans → hold each trace (TraceStore) → 200, with a partial success if spans were refused
//   every `quietMs / 2`: traces whose root arrived and that went quiet are rolled up → forward queue
//     → POST {upstream}/v1/traces, protobuf, several in flight, each retried on its own (ForwardQueue)
//   stop(drainMs): stop receiving, roll up and forward every held trace, wait for the upstream until the deadline,
//     then count what is left as lost (or kept in the queue directory).
//
// Every error answer is an OTLP `Status` in the request's encoding and is sent once the body has been read.
// Memory (held traces, queued requests, bodies being read) is counted in bytes against one limit (MemoryBudget),
// each buffer holding a lease on it. Time (the release timer, the drain deadline, retries) is the injected clock's.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type AddressInfo } from 'node:net';
import { diag, type MeterProvider } from '@opentelemetry/api';
import { systemClock, type Clock, type Timer } from '../base/clock.ts';
import type { TokenledgerCollectorRefusalReason } from '../conventions/attributes.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import type { PriceOverrides } from '../ledger/pricing/price-overrides.ts';
import { AttributionLabels, type AttributionOptions } from '../metrics/attribution.ts';
import { AttributionHasher, type AttributionHashOptions } from '../metrics/attribution-hash.ts';
import { tokenledgerMeter, TokenledgerMetrics } from '../metrics/metrics.ts';
import { BearerToken } from './client-auth.ts';
import { emptyCounts, observeCollector, type CollectorCounts } from './collector-metrics.ts';
import { DiskQueue } from './disk-queue.ts';
import { ForwardQueue, type CloseResult, type DropReason } from './forward-queue.ts';
import { MemoryBudget } from './memory-budget.ts';
import { decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp-decode.ts';
import { exportResponseBody, JSON_TYPE, PROTOBUF, statusBody, wireEncoding, type ResponseBody } from './otlp-response.ts';
import { Refusals } from './otlp-validate.ts';
import { CollectorPipeline, type HeldSpan, SPAN_OVERHEAD_BYTES, type OtlpRequest } from './pipeline.ts';
import { countSpans, type ForwardRequest } from './request-split.ts';
import { RateLimitedLog } from './rate-limited-log.ts';
import { contentEncoding, discardBody, inflate, readBody } from './request-body.ts';
import type { BackoffSettings } from './retry-policy.ts';
import type { BackendConvention } from '../ledger/backend-attributes.ts';
import type { CallFigures } from '../ledger/call-figures.ts';
import type { RunState } from '../runs/run-state.ts';
import type { RunSummary } from '../runs/run-summary.ts';
import type { TraceSpan } from './trace-rollup.ts';
import { TraceStore, type TraceStoreLimits } from './trace-store.ts';

export interface CollectorTls {
  /** PEM certificate chain and private key. */
  cert: string | Buffer;
  key: string | Buffer;
  /** When set, clients must present a certificate this PEM CA signed (mutual TLS). */
  clientCa?: string | Buffer;
}

export interface CollectorOptions {
  /** Where to listen. Default 127.0.0.1:4318. */
  host?: string;
  port?: number;
  /** The OTLP/HTTP endpoint spans are forwarded to (`…/v1/traces` is appended unless present). */
  upstream: string;
  /** Larger request bodies, as sent or inflated, get 413. Default 20 MiB. */
  maxBodyBytes?: number;
  /** Bytes held at most: bodies being read, held traces and queued requests. Default 64 MiB. */
  maxMemoryBytes?: number;
  /** When set, clients must send `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Serve HTTPS. */
  tls?: CollectorTls;
  /** How long an upstream request may take. Default 10 s. */
  upstreamTimeoutMs?: number;
  /** Upstream requests in flight at once. Default 4. */
  upstreamConcurrency?: number;
  /** Retry backoff and how long a failing request is retried (maxElapsedMs, default 5 min). */
  upstreamBackoff?: Partial<BackoffSettings>;
  /** Headers sent with every forwarded request. */
  upstreamHeaders?: Record<string, string>;
  upstreamCompression?: 'gzip' | 'none';
  /** Keep queued requests on disk until delivered (and send what a previous run left there). */
  queueDir?: string;
  /** How traces are held before their runs are rolled up. */
  traces?: Partial<TraceStoreLimits>;
  prices?: PriceOverrides;
  /** Also record the GenAI conventions' previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics?: boolean;
  /** Told of every request forwarded upstream, as encoded (`--record`). */
  record?: (request: Uint8Array) => void;
  /** Where the collector's metrics go (the same as the in-process processor's, plus its own). Default: the global one. */
  meterProvider?: MeterProvider;
  /**
   * Attribution: span attributes (baggage entries the app copied onto its spans, e.g. `tenant.id`) to label the token,
   * cost and run metrics with; a call without one takes its run's. Default none. The values of `hashKeys` (a user
   * id) are replaced by their hash on every span before anything reads them, as the in-process processor records them.
   */
  attribution?: AttributionOptions & AttributionHashOptions;
  /** Also write each LLM span's figures in these conventions (`openinference`, `langfuse`). Default none. */
  backendConventions?: readonly BackendConvention[];
  /** Also write the proposed `gen_ai.usage.cost.{amount,currency,source}` attributes on the calls it prices. */
  genaiCostAttributes?: boolean;
  /** When traces are released, retries come and the drain ends. Default: the system clock (tests pass a ManualClock). */
  clock?: Clock;
}

/** What the collector counted over its life, and what it holds now. */
export interface CollectorStats extends CollectorCounts {
  heldTraces: number;
  queuedRequests: number;
  queuedSpans: number;
  memoryBytes: number;
}

/** What `stop()` found: spans lost at the drain deadline and spans left in the queue directory. */
export interface StopResult extends CloseResult {
  stats: CollectorStats;
}

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_MEMORY_BYTES = 64 * 1024 * 1024;

export class CollectorServer {
  readonly budget: MemoryBudget;
  private readonly host: string;
  private readonly port: number;
  private readonly maxBodyBytes: number;
  /** A body refused before or while reading is read and thrown away up to this, so the client sees the answer. */
  private readonly drainLimit: number;
  private readonly bearerToken: BearerToken | undefined;
  private readonly tls: CollectorTls | undefined;
  private readonly pipeline: CollectorPipeline;
  private readonly queue: ForwardQueue;
  private readonly counts = emptyCounts();
  private readonly clock: Clock;
  private readonly log: RateLimitedLog;
  private server: Server | undefined;
  private timer: Timer | undefined;
  private activeRequests = 0;
  /** Told when the last request being answered is done (the drain waits for it). */
  private onQuiet: (() => void) | undefined;
  private stopping: Promise<StopResult> | undefined;

  constructor(options: CollectorOptions) {
    if (!options.upstream) throw new Error('tokenledger collect: an upstream endpoint is required (--upstream or OTEL_EXPORTER_OTLP_ENDPOINT)');
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 4318;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.drainLimit = 2 * this.maxBodyBytes;
    this.budget = new MemoryBudget(options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES);
    this.bearerToken = options.bearerToken ? new BearerToken(options.bearerToken) : undefined;
    this.tls = options.tls;
    this.clock = options.clock ?? systemClock;
    this.log = new RateLimitedLog(undefined, this.clock);
    const meter = tokenledgerMeter(options.meterProvider);
    let recorder: TokenledgerMetrics | undefined;
    const attribution = options.attribution ? new AttributionLabels(options.attribution, (key) => recorder?.attributionOverflow(key)) : undefined;
    recorder = new TokenledgerMetrics(meter, { legacyMetrics: options.legacyMetrics, attribution });
    const metrics = recorder;
    const pricer = new CallPricer({ overrides: options.prices, onUnpriced: (provider, model, reason) => metrics.unpriced(provider, model, reason) });
    const hooks = {
      onCall: (span: TraceSpan, figures: CallFigures, agentName: string | undefined, run: RunState | undefined, weight: number) =>
        metrics.recordCall(span.attributes, figures, durationSeconds(span), agentName, run, weight),
      onRun: (summary: RunSummary, run: RunState, weight: number) => metrics.recordRun(summary, run, weight),
      onRunEvicted: (reason: string) => metrics.evicted(reason),
      onLate: () => metrics.late(),
      onForward: options.record,
      onUnencodable: (spans: number, detail: string) => this.dropped('invalid', spans, detail),
    };
    this.pipeline = new CollectorPipeline(pricer, new TraceStore<HeldSpan>(options.traces, this.clock), hooks, this.budget, {
      attributionKeys: attribution?.keys,
      backendConventions: options.backendConventions,
      genaiCostAttributes: options.genaiCostAttributes,
      hasher: attribution ? new AttributionHasher(options.attribution!, attribution.keys) : undefined,
      log: this.log,
    });
    const base = options.upstream.replace(/\/+$/, '');
    this.queue = new ForwardQueue({
      url: base.endsWith('/v1/traces') ? base : `${base}/v1/traces`,
      budget: this.budget,
      headers: options.upstreamHeaders,
      compression: options.upstreamCompression,
      concurrency: options.upstreamConcurrency,
      timeoutMs: options.upstreamTimeoutMs,
      backoff: options.upstreamBackoff,
      disk: options.queueDir ? new DiskQueue(options.queueDir) : undefined,
      clock: this.clock,
      events: {
        delivered: (spans) => (this.counts.forwardedSpans += spans),
        dropped: (reason, spans, detail) => this.dropped(reason, spans, detail),
        retrying: (detail) => this.log.warn('upstream', () => `upstream failed: ${detail}`),
      },
    });
    observeCollector(meter, () => this.stats, this.budget);
  }

  get stats(): CollectorStats {
    const queued = this.queue.queued;
    return {
      ...this.counts,
      upstreamRetries: this.queue.stats.retries,
      evictedTraces: this.pipeline.store.stats.evictedTraces,
      lateSpans: this.pipeline.store.stats.lateSpans,
      heldTraces: this.pipeline.store.heldTraces,
      queuedRequests: queued.requests,
      queuedSpans: queued.spans,
      memoryBytes: this.budget.used,
    };
  }

  /** Starts listening (and sends what `queueDir` holds from a previous run); resolves to the base URL. */
  async start(): Promise<string> {
    const restored = await this.queue.restore();
    if (restored > 0) diag.info(`tokenledger collect: sending ${restored} requests a previous run left queued`);
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.activeRequests += 1;
      res.once('close', () => {
        this.activeRequests -= 1;
        if (this.activeRequests === 0) this.onQuiet?.();
      });
      this.handle(req, res).catch((error: unknown) => {
        diag.error('tokenledger collect: request failed', error);
        if (!res.headersSent) send(res, 500, statusBody('protobuf', 500, `internal error: ${(error as Error).message}`), { connection: 'close' });
      });
    };
    this.server = this.tls
      ? createHttpsServer(
          {
            cert: this.tls.cert,
            key: this.tls.key,
            ca: this.tls.clientCa,
            requestCert: Boolean(this.tls.clientCa),
            rejectUnauthorized: Boolean(this.tls.clientCa),
          },
          handler,
        )
      : createHttpServer(handler);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, this.host, resolve);
    });
    this.timer = this.clock.every(Math.max(10, this.pipeline.store.limits.quietMs / 2), () => this.release());
    this.warnIfExposed();
    const { address, port } = this.server.address() as AddressInfo;
    return `${this.tls ? 'https' : 'http'}://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
  }

  /**
   * Stops receiving, rolls up and forwards every held trace, and waits for the upstream until `drainMs` have
   * passed; what is still undelivered then is dropped and counted (or left in the queue directory).
   */
  stop(drainMs = 5000): Promise<StopResult> {
    this.stopping ??= this.drain(this.clock.now() + drainMs);
    return this.stopping;
  }

  private async drain(deadline: number): Promise<StopResult> {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.server) {
      this.server.close();
      this.server.closeIdleConnections();
      // Requests being read finish (and are answered) before what is held is flushed.
      await this.requestsDone(deadline);
      this.server.closeAllConnections();
    }
    for (const request of this.pipeline.flush()) this.queue.enqueue(request);
    await this.queue.drain(deadline);
    const closed = await this.queue.close();
    return { ...closed, stats: this.stats };
  }

  /** Resolves when no request is being answered, or at `deadline`. */
  private requestsDone(deadline: number): Promise<void> {
    if (this.activeRequests === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        timer.cancel();
        this.onQuiet = undefined;
        resolve();
      };
      const timer = this.clock.after(deadline - this.clock.now(), done);
      this.onQuiet = done;
    });
  }

  private release(): void {
    try {
      for (const request of this.pipeline.take()) this.queue.enqueue(request);
    } catch (error) {
      diag.error('tokenledger collect: could not release traces', error);
    }
  }

  private dropped(reason: DropReason, spans: number, detail: string): void {
    this.counts.droppedSpans[reason] += spans;
    this.log.warn(`dropped:${reason}`, () => `dropped ${spans} span${spans === 1 ? '' : 's'} (${reason}): ${detail}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding = wireEncoding(contentType);
    const refuse = async (
      status: number,
      reason: TokenledgerCollectorRefusalReason,
      message: string,
      headers: Record<string, string> = {},
      drained?: boolean,
    ) => {
      this.counts.refusedRequests[reason] += 1;
      this.log.warn(`refused:${reason}`, () => `refused a request with ${status}: ${message}`);
      const whole = drained ?? (await discardBody(req, this.drainLimit));
      send(res, status, statusBody(encoding, status, message), whole && !this.stopping ? headers : { ...headers, connection: 'close' });
    };
    if (this.stopping) return refuse(503, 'shutting_down', 'tokenledger collect is shutting down', { 'retry-after': '1' });
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/traces') return refuse(404, 'unsupported', `tokenledger collect serves POST /v1/traces, not ${path}`);
    if (req.method !== 'POST') return refuse(405, 'unsupported', `tokenledger collect serves POST /v1/traces, not ${req.method}`, { allow: 'POST' });
    if (this.bearerToken && !this.bearerToken.matches(req.headers.authorization)) return refuse(401, 'unauthorized', 'missing or wrong bearer token');
    if (contentType !== PROTOBUF && contentType !== JSON_TYPE) {
      return refuse(415, 'unsupported', `unsupported content type "${contentType}"; send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    const bodyEncoding = contentEncoding(req.headers['content-encoding']);
    if (!bodyEncoding) return refuse(415, 'unsupported', `unsupported Content-Encoding "${req.headers['content-encoding']}"; send gzip, deflate, zstd or none`);
    const memoryFull = (drained?: boolean) =>
      refuse(
        503,
        'memory_limit',
        `over the ${this.budget.limit}-byte memory limit; retry later`,
        { 'retry-after': String(this.queue.retryAfterSeconds()) },
        drained,
      );
    if (!this.budget.fits(0)) return memoryFull();
    const read = await readBody(req, this.maxBodyBytes, this.drainLimit, this.budget);
    if (read.kind === 'aborted') return;
    const tooLarge = (drained?: boolean) => refuse(413, 'body_too_large', `request body over the ${this.maxBodyBytes}-byte limit`, {}, drained);
    if (read.kind !== 'body') return read.kind === 'too_large' ? tooLarge(read.drained) : memoryFull(read.drained);
    const raw = read.bytes;
    let intake = read.lease;
    try {
      const inflated = await inflate(raw, bodyEncoding, this.maxBodyBytes);
      if (inflated.kind === 'too_large') return tooLarge(true);
      if (inflated.kind === 'malformed') return refuse(400, 'malformed', inflated.message, {}, true);
      if (inflated.bytes !== raw) {
        intake.release();
        if (!this.budget.fits(inflated.bytes.length)) return memoryFull(true);
        intake = this.budget.charge('intake', inflated.bytes.length);
      }
      const refusals = new Refusals();
      let message: OtlpRequest;
      try {
        message = (contentType === PROTOBUF
          ? decodeProtobuf(inflated.bytes, refusals, { wireBytes: true })
          : decodeJson(inflated.bytes, refusals)) as unknown as OtlpRequest;
      } catch (error) {
        if (error instanceof OtlpDecodeError) return refuse(400, 'malformed', error.message, {}, true);
        throw error;
      }
      const spans = countSpans(message);
      const needed = inflated.bytes.length + spans * SPAN_OVERHEAD_BYTES;
      intake.release();
      if (!this.budget.fits(needed)) {
        this.makeRoom(needed);
        return memoryFull(true);
      }
      if (!this.accept(message)) return refuse(400, 'malformed', 'the request nests too deeply to be forwarded', {}, true);
      this.counts.acceptedSpans += spans;
      if (refusals.count > 0 || refusals.repairedStrings) {
        this.counts.droppedSpans.invalid += refusals.count;
        this.log.warn('refused:spans', () => `partial success: ${refusals.message()}`);
      }
      send(res, 200, exportResponseBody(encoding, refusals.count, refusals.message()), this.stopping ? { connection: 'close' } : {});
    } finally {
      intake.release();
    }
  }

  /** Holds the request's spans and queues what must go now; false when it nests too deeply to encode. */
  private accept(message: OtlpRequest): boolean {
    let ready: ForwardRequest[];
    try {
      ready = this.pipeline.accept(message);
    } catch (error) {
      if (error instanceof RangeError) return false;
      throw error;
    }
    for (const request of ready) this.queue.enqueue(request);
    return true;
  }

  /**
   * At the memory limit: held traces are the part that forwarding frees, so while the upstream takes requests
   * and they fill more than half the limit, the oldest are forwarded early (un-rolled, marked incomplete).
   */
  private makeRoom(needed: number): void {
    const held = this.budget.part('held');
    const half = this.budget.limit / 2;
    if (this.queue.upstreamFailing || held <= half) return;
    for (const request of this.pipeline.evict(Math.max(needed, held - half))) this.queue.enqueue(request);
  }

  /** Warns when the listener is reachable beyond this machine without a token or TLS. */
  private warnIfExposed(): void {
    if (isLoopback(this.host)) return;
    if (!this.tls) {
      diag.warn(
        `tokenledger collect: listening on ${this.host} without TLS: spans${this.bearerToken ? ' and the bearer token' : ''} travel in clear (--tls-cert, --tls-key)`,
      );
    }
    if (!this.bearerToken && !this.tls?.clientCa) {
      diag.warn(
        `tokenledger collect: listening on ${this.host} without TOKENLEDGER_COLLECTOR_TOKEN or --tls-client-ca: anyone who can reach it can send spans`,
      );
    }
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./i.test(host);
}

function send(res: ServerResponse, status: number, { contentType, body }: ResponseBody, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, ...headers });
  res.end(body);
}

function durationSeconds(span: TraceSpan): number {
  const nanos = span.endNanos - span.startNanos;
  return nanos > 0n ? Number(nanos) / 1e9 : 0;
}
