// An OTLP/HTTP upstream for end-to-end tests that behaves like the OpenTelemetry Collector's receiver: it inflates
// gzip bodies, decodes protobuf strictly and refuses the whole request with 400 and a google.rpc.Status when a
// string is not valid UTF-8 (as every proto3 decoder does) or a trace or span id has the wrong length (pdata).
// A test scripts its faults per request (`behave`): a status with or without Retry-After, an answer held until the
// test lets it go, a partial success, or a refusal of spans it picks; it can also go down and come back on the same
// port. Arrival times are read from a clock the test may drive.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { systemClock, type Clock } from '../base/clock.ts';
import { toAttributes, type KeyValue } from '../collector/enrich.ts';
import { ExportTraceServiceRequest, ExportTraceServiceResponse, Status } from '../collector/otlp-schema.ts';

export interface UpstreamSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

/** What the upstream does with one valid request: by default 200. */
export interface Behaviour {
  status?: number;
  retryAfter?: string;
  /** Answer only once this settles (the test lets the request go). */
  hold?: Promise<unknown>;
  /** Answer 200 with this many spans rejected. */
  rejectSpans?: number;
  /** Refuse the request (400, like an invalid one) when one of its spans matches. */
  refuse?: (span: UpstreamSpan) => boolean;
}

export interface TracesRequest {
  headers: IncomingHttpHeaders;
  spans: UpstreamSpan[];
  status: number;
  /** When it arrived (epoch ms, by the upstream's clock). */
  at: number;
}

/** A promise the test settles when it chooses: `hold` for an answer the upstream keeps back. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** An ExportTraceServiceRequest as protobufjs's toObject gives it, with what the upstream reads of it. */
type DecodedRequest = {
  resourceSpans?: Array<{
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId?: Buffer;
        spanId?: Buffer;
        parentSpanId?: Buffer;
        links?: Array<{ traceId?: Buffer; spanId?: Buffer }>;
        attributes?: KeyValue[];
      }>;
    }>;
  }>;
};

export class FakeUpstream {
  /** Spans it took (answered 2xx), in order. */
  readonly spans: UpstreamSpan[] = [];
  readonly requests: TracesRequest[] = [];
  readonly metricsRequests: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  /** Requests refused as invalid OTLP (what tokenledger must never forward). */
  invalid: string[] = [];
  behave: (spans: UpstreamSpan[], attempt: number) => Behaviour = () => ({});
  /** Requests arrived and not yet answered, whose client still waits (one that gave up is not in flight). */
  inFlight = 0;
  maxInFlight = 0;
  /** Valid trace requests that arrived, answered or not. */
  arrived = 0;
  port = 0;
  private server: Server | undefined;
  private readonly clock: Clock;
  /** The attempt the next request with these spans is. */
  private readonly attempts = new Map<string, number>();

  constructor(clock: Clock = systemClock) {
    this.clock = clock;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Goes down: closes its listener and every connection (clients see connection refused). */
  async stop(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  names(): string[] {
    return this.spans.map((span) => span.name);
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const at = this.clock.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    if (req.url === '/v1/metrics') {
      this.metricsRequests.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      return;
    }
    const spans = this.decode(body);
    if (typeof spans === 'string') {
      this.invalid.push(spans);
      this.requests.push({ headers: req.headers, spans: [], status: 400, at });
      res.writeHead(400, { 'content-type': 'application/x-protobuf' }).end(Status.encode(Status.fromObject({ code: 3, message: spans })).finish());
      return;
    }
    const spansKey = key(spans);
    const attempt = this.attempts.get(spansKey) ?? 1;
    this.attempts.set(spansKey, attempt + 1);
    const behaviour = this.behave(spans, attempt);
    this.arrived += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let waiting = true;
    const left = () => {
      if (waiting) this.inFlight -= 1;
      waiting = false;
    };
    res.once('close', left);
    if (behaviour.hold) await behaviour.hold;
    left();
    if (behaviour.refuse && spans.some(behaviour.refuse)) {
      this.requests.push({ headers: req.headers, spans, status: 400, at });
      res.writeHead(400, { 'content-type': 'application/x-protobuf' }).end(Status.encode(Status.fromObject({ code: 3, message: 'refused a span' })).finish());
      return;
    }
    const status = behaviour.status ?? 200;
    this.requests.push({ headers: req.headers, spans, status, at });
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/x-protobuf', ...(behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {}) });
      res.end(Status.encode(Status.fromObject({ code: 14, message: `status ${status}` })).finish());
      return;
    }
    const rejected = Math.min(behaviour.rejectSpans ?? 0, spans.length);
    this.spans.push(...spans.slice(rejected));
    const response = ExportTraceServiceResponse.fromObject(
      rejected > 0 ? { partialSuccess: { rejectedSpans: rejected, errorMessage: 'rejected by the test' } } : {},
    );
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(ExportTraceServiceResponse.encode(response).finish());
  }

  /** The request's spans, or why the Collector would refuse it. */
  private decode(body: Buffer): UpstreamSpan[] | string {
    let request: DecodedRequest;
    try {
      // protobufjs checks proto3 strings for UTF-8 as Go's decoder does.
      request = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, bytes: Buffer }) as DecodedRequest;
    } catch (error) {
      return `proto: ${(error as Error).message}`;
    }
    const spans: UpstreamSpan[] = [];
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const ids = [
            ['traceId', span.traceId, 16],
            ['spanId', span.spanId, 8],
            ...(span.links ?? []).flatMap(
              (link) =>
                [
                  ['link traceId', link.traceId, 16],
                  ['link spanId', link.spanId, 8],
                ] as const,
            ),
          ] as const;
          for (const [name, id, length] of ids) if ((id?.length ?? 0) !== length) return `invalid ${name} length ${id?.length ?? 0}`;
          if (span.parentSpanId && span.parentSpanId.length !== 0 && span.parentSpanId.length !== 8)
            return `invalid parentSpanId length ${span.parentSpanId.length}`;
          spans.push({
            name: span.name,
            traceId: span.traceId!.toString('hex'),
            spanId: span.spanId!.toString('hex'),
            parentSpanId: span.parentSpanId?.toString('hex') ?? '',
            attributes: toAttributes(span.attributes ?? []),
          });
        }
      }
    }
    return spans;
  }
}

/** Requests with the same spans are attempts at the same request. */
function key(spans: UpstreamSpan[]): string {
  return spans.map((span) => `${span.traceId}/${span.spanId}`).join(',');
}
