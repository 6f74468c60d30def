// `tokenledger collect`: an OTLP/HTTP trace receiver that prices the LLM spans of any language's
// instrumentation with the same code as the in-process processor, and forwards every span upstream.
//
//   POST /v1/traces (application/x-protobuf or application/json)
//     → body limit (413) → bearer token (401) → decode (400 with what is wrong)
//     → normalise + price LLM spans → encode protobuf → POST {upstream}/v1/traces
//     → 200 with an ExportTraceServiceResponse in the request's encoding (503 when the upstream failed,
//       so the exporter retries; the partial success an upstream reports is passed back)
//
// Not yet: holding traces to roll runs up, a bounded retry queue, metrics (see the README's limits).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diag } from '@opentelemetry/api';
import { CallPricer } from '../pricing/call-pricer.ts';
import type { PriceOverrides } from '../pricing/price-overrides.ts';
import { enrichRequest } from './enrich.ts';
import { decodeJson, decodeProtobuf, OtlpDecodeError } from './otlp-decode.ts';
import { ExportTraceServiceRequest, ExportTraceServiceResponse } from './otlp-schema.ts';

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
  prices?: PriceOverrides;
}

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

export class CollectorServer {
  private readonly options: Required<Omit<CollectorOptions, 'bearerToken' | 'prices'>> & Pick<CollectorOptions, 'bearerToken'>;
  private readonly pricer: CallPricer;
  private readonly upstreamUrl: string;
  private server: Server | undefined;

  constructor(options: CollectorOptions) {
    if (!options.upstream) throw new Error('tokenledger collect: an upstream endpoint is required (--upstream or OTEL_EXPORTER_OTLP_ENDPOINT)');
    this.options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 4318,
      upstream: options.upstream,
      maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
      upstreamTimeoutMs: options.upstreamTimeoutMs ?? 10_000,
      bearerToken: options.bearerToken,
    };
    this.upstreamUrl = options.upstream.replace(/\/+$/, '').endsWith('/v1/traces')
      ? options.upstream
      : `${options.upstream.replace(/\/+$/, '')}/v1/traces`;
    this.pricer = new CallPricer({ overrides: options.prices });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        diag.error('tokenledger collect: request failed', error);
        if (!res.headersSent) reply(res, 500, 'text/plain', `internal error: ${(error as Error).message}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, this.options.host, resolve));
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/v1/traces') {
      return reply(res, 404, 'text/plain', 'tokenledger collect accepts POST /v1/traces');
    }
    if (this.options.bearerToken && req.headers.authorization !== `Bearer ${this.options.bearerToken}`) {
      return reply(res, 401, 'text/plain', 'missing or wrong bearer token');
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== PROTOBUF && contentType !== JSON_TYPE) {
      return reply(res, 415, 'text/plain', `unsupported content type "${contentType}"; send ${PROTOBUF} or ${JSON_TYPE}`);
    }
    const body = await readBody(req, this.options.maxBodyBytes);
    if (body === 'too_large') {
      return reply(res, 413, 'text/plain', `request body over the ${this.options.maxBodyBytes}-byte limit`);
    }
    let message;
    try {
      message = contentType === PROTOBUF ? decodeProtobuf(body) : decodeJson(body);
    } catch (error) {
      if (error instanceof OtlpDecodeError) return reply(res, 400, 'text/plain', error.message);
      throw error;
    }
    enrichRequest(message as never, this.pricer);
    const forwarded = await this.forward(ExportTraceServiceRequest.encode(message).finish());
    if (!forwarded.ok) return reply(res, 503, 'text/plain', `upstream export failed: ${forwarded.reason}`);
    const response = ExportTraceServiceResponse.fromObject(forwarded.partialSuccess ? { partialSuccess: forwarded.partialSuccess } : {});
    if (contentType === PROTOBUF) return reply(res, 200, PROTOBUF, ExportTraceServiceResponse.encode(response).finish());
    return reply(res, 200, JSON_TYPE, JSON.stringify(ExportTraceServiceResponse.toObject(response, { longs: Number })));
  }

  private async forward(body: Uint8Array): Promise<{ ok: true; partialSuccess?: object } | { ok: false; reason: string }> {
    try {
      const response = await fetch(this.upstreamUrl, {
        method: 'POST',
        headers: { 'content-type': PROTOBUF },
        body,
        signal: AbortSignal.timeout(this.options.upstreamTimeoutMs),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
      const partial = decodePartialSuccess(bytes, response.headers.get('content-type'));
      return { ok: true, partialSuccess: partial };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }
}

function decodePartialSuccess(bytes: Uint8Array, contentType: string | null): object | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const response = contentType?.includes('json')
      ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as { partialSuccess?: object })
      : (ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(bytes), { longs: Number }) as { partialSuccess?: object });
    return response.partialSuccess;
  } catch {
    return undefined;
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
