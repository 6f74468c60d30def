// `tokenledger collect`: an OTLP/HTTP trace receiver that prices the LLM spans of any language's
// instrumentation and rolls their runs up with the same code as the in-process processor, then forwards every
// span upstream.
//
//   POST /v1/traces (application/x-protobuf or application/json)
//     → body limit (413) → bearer token (401) → decode (400 with what is wrong)
//     → normalise + price LLM spans → hold each trace (TraceStore) → 200
//   every `quietMs / 2`: traces whose root arrived and that went quiet are rolled up → forward queue
//     → POST {upstream}/v1/traces, protobuf, retried with backoff, bounded (ForwardQueue)
//   SIGTERM / stop(): every held trace is rolled up and forwarded, the queue drained.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag, type MeterProvider } from '@opentelemetry/api';
import {
  METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_DROPPED,
  METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE,
  METRIC_TOKENLEDGER_COLLECTOR_SPANS_REJECTED,
  METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED,
} from '../conventions/attributes.ts';
import { CallPricer } from '../ledger/pricing/call-pricer.ts';
import type { PriceOverrides } from '../ledger/pricing/price-overrides.ts';
import { tokenledgerMeter, TokenledgerMetrics } from '../metrics/metrics.ts';
import { ForwardQueue, type ForwardStats } from './forward-queue.ts';
import { decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp-decode.ts';
import { ExportTraceServiceResponse } from './otlp-schema.ts';
import { CollectorPipeline, type HeldSpan, type OtlpRequest } from './pipeline.ts';
import type { TraceSpan } from './trace-rollup.ts';
import { TraceStore, type TraceStoreLimits, type TraceStoreStats } from './trace-store.ts';

export interface CollectorOptions {
  /** Where to listen. Default 127.0.0.1:4318. */
  host?: string;
  port?: number;
  /** The OTLP/HTTP endpoint spans are forwarded to (`…/v1/traces` is appended unless present). */
  upstream: string;
  /** Larger request bodies get 413. Default 4 MiB. */
  maxBodyBytes?: number;
  /** When set, clients must send `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** How long an upstream export may take. Default 10 s. */
  upstreamTimeoutMs?: number;
  /** Requests held for the upstream while it fails. Default 1000. */
  maxQueuedRequests?: number;
  /** How traces are held before their runs are rolled up. */
  traces?: Partial<TraceStoreLimits>;
  prices?: PriceOverrides;
  /** Also record the GenAI conventions' previous `gen_ai.client.token.usage` histogram. Default false. */
  legacyMetrics?: boolean;
  /** Told of every request forwarded upstream, as encoded (`--record`). */
  record?: (request: Uint8Array) => void;
  /** Where the collector's metrics go (the same as the in-process processor's, plus its own). Default: the global one. */
  meterProvider?: MeterProvider;
}

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

export class CollectorServer {
  private readonly host: string;
  private readonly port: number;
  private readonly maxBodyBytes: number;
  private readonly bearerToken: string | undefined;
  private readonly pricer: CallPricer;
  private readonly pipeline: CollectorPipeline;
  private readonly queue: ForwardQueue;
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: CollectorOptions) {
    if (!options.upstream) throw new Error('tokenledger collect: an upstream endpoint is required (--upstream or OTEL_EXPORTER_OTLP_ENDPOINT)');
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 4318;
    this.maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
    this.bearerToken = options.bearerToken;
    const meter = tokenledgerMeter(options.meterProvider);
    const recorder = new TokenledgerMetrics(meter, { legacyMetrics: options.legacyMetrics });
    this.pricer = new CallPricer({ overrides: options.prices, onUnpriced: (provider, model, reason) => recorder.unpriced(provider, model, reason) });
    this.pipeline = new CollectorPipeline(this.pricer, new TraceStore<HeldSpan>(options.traces), {
      onCall: (span, figures, agentName) => recorder.recordCall(span.attributes, figures, durationSeconds(span), agentName),
      onRun: (summary) => recorder.recordRun(summary),
      onRunEvicted: (reason) => recorder.evicted(reason),
      onLate: () => recorder.late(),
      onForward: options.record,
    });
    const observe = (name: string, unit: string, read: () => number) =>
      meter.createObservableCounter(name, { unit }).addCallback((result) => result.observe(read()));
    observe(METRIC_TOKENLEDGER_COLLECTOR_TRACES_EVICTED, '{trace}', () => this.pipeline.store.stats.evictedTraces);
    observe(METRIC_TOKENLEDGER_COLLECTOR_SPANS_LATE, '{span}', () => this.pipeline.store.stats.lateSpans);
    observe(METRIC_TOKENLEDGER_COLLECTOR_REQUESTS_DROPPED, '{request}', () => this.queue.stats.dropped);
    observe(METRIC_TOKENLEDGER_COLLECTOR_SPANS_REJECTED, '{span}', () => this.queue.stats.rejectedSpans);
    const base = options.upstream.replace(/\/+$/, '');
    this.queue = new ForwardQueue({
      url: base.endsWith('/v1/traces') ? base : `${base}/v1/traces`,
      maxQueued: options.maxQueuedRequests,
      timeoutMs: options.upstreamTimeoutMs,
    });
  }

  /** What was evicted early, arrived late, forwarded, dropped. */
  get stats(): TraceStoreStats & ForwardStats & { heldTraces: number; queuedRequests: number } {
    return { ...this.pipeline.store.stats, ...this.queue.stats, heldTraces: this.pipeline.store.heldTraces, queuedRequests: this.queue.queued };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        diag.error('tokenledger collect: request failed', error);
        if (!res.headersSent) reply(res, 500, 'text/plain', `internal error: ${(error as Error).message}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, this.host, resolve));
    this.timer = setInterval(() => this.release(), Math.max(10, this.pipeline.store.limits.quietMs / 2));
    this.timer.unref();
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** Stops receiving, rolls up and forwards every held trace, and waits (up to `drainMs`) for the upstream. */
  async stop(drainMs = 5000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
      this.server = undefined;
    }
    for (const body of this.pipeline.flush()) this.queue.enqueue(body);
    await this.queue.drain(drainMs);
    this.queue.stop();
  }

  private release(): void {
    try {
      for (const body of this.pipeline.take(Date.now())) this.queue.enqueue(body);
    } catch (error) {
      diag.error('tokenledger collect: could not release traces', error);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/traces') {
      return reply(res, 404, 'text/plain', 'tokenledger collect accepts POST /v1/traces');
    }
    if (this.bearerToken && req.headers.authorization !== `Bearer ${this.bearerToken}`) {
      return reply(res, 401, 'text/plain', 'missing or wrong bearer token');
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== PROTOBUF && contentType !== JSON_TYPE) {
      return reply(res, 415, 'text/plain', `unsupported content type "${contentType}"; send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    const body = await readBody(req, this.maxBodyBytes);
    if (body === 'too_large') return reply(res, 413, 'text/plain', `request body over the ${this.maxBodyBytes}-byte limit`);
    let message;
    try {
      message = contentType === PROTOBUF ? decodeProtobuf(body) : decodeJson(body);
    } catch (error) {
      if (error instanceof OtlpDecodeError) return reply(res, 400, 'text/plain', error.message);
      throw error;
    }
    for (const request of this.pipeline.accept(message as unknown as OtlpRequest, Date.now())) this.queue.enqueue(request);
    const response = ExportTraceServiceResponse.fromObject({});
    if (contentType === PROTOBUF) return reply(res, 200, PROTOBUF, ExportTraceServiceResponse.encode(response).finish());
    return reply(res, 200, JSON_TYPE, '{}');
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too_large'> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return 'too_large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return 'too_large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  res.writeHead(status, { 'content-type': contentType });
  res.end(body);
}

function durationSeconds(span: TraceSpan): number {
  const nanos = span.endNanos - span.startNanos;
  return nanos > 0n ? Number(nanos) / 1e9 : 0;
}
