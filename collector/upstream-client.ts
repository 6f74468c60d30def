// One POST to the upstream, over node:http(s) with a keep-alive agent of `concurrency` sockets. Not fetch: fetch
// copies a typed-array body on every call (WebIDL's "get a copy of the bytes"), which for a queue retrying
// megabyte requests against an upstream that is down was most of the collector's memory churn. An attempt's
// timeout runs on the injected clock, so a test decides when it passes.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock } from '../base/clock.ts';

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most MAX_RESPONSE_BYTES of the body: an error message or a partial success. */
  body: Buffer;
}

/** Thrown when the attempt outlived its timeout. */
export class UpstreamTimeout extends Error {
  override readonly name = 'UpstreamTimeout';
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

export class UpstreamClient {
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly agent: HttpAgent;
  private readonly clock: Clock;

  constructor(url: string, headers: Record<string, string>, concurrency: number, timeoutMs: number, clock: Clock) {
    this.url = new URL(url);
    this.headers = headers;
    this.timeoutMs = timeoutMs;
    this.clock = clock;
    const https = this.url.protocol === 'https:';
    this.agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency }) : new HttpAgent({ keepAlive: true, maxSockets: concurrency });
  }

  post(body: Uint8Array, abort: AbortSignal): Promise<UpstreamResponse> {
    const timeout = new AbortController();
    const timer = this.clock.after(this.timeoutMs, () => timeout.abort());
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<UpstreamResponse>((resolve, reject) => {
      const failed = (error: Error) => reject(timeout.signal.aborted ? new UpstreamTimeout(`no answer within ${this.timeoutMs} ms`) : error);
      const req = request(this.url, {
        method: 'POST',
        agent: this.agent,
        headers: { ...this.headers, 'content-length': String(body.length) },
        signal: AbortSignal.any([timeout.signal, abort]),
      });
      req.on('error', failed);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', failed);
      });
      req.end(body);
    }).finally(() => timer.cancel());
  }

  close(): void {
    this.agent.destroy();
  }
}
