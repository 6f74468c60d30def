// A fake LLM provider for the real SDK packages to talk to: OpenAI (chat, responses, embeddings),
// Anthropic (messages, beta messages), Gemini / Vertex (generateContent, streamGenerateContent), Bedrock Runtime
// (Converse, ConverseStream, InvokeModel and its stream) and Vertex's Anthropic endpoints (rawPredict).
// Listens on 127.0.0.1 on a random port; serves the fixtures in test/fixtures by default, or whatever a
// test queues for a route. Records every request so tests can assert what the SDK sent. A client can keep the
// real base URL of its provider and send through `provider.fetch` (or `redirectAwsClient`), which delivers each
// request to this server and records the host it was meant for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { bedrockEvent, invokeChunk } from './event-stream.ts';

export type Route =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'anthropic.count_tokens'
  | 'anthropic.batch'
  | 'anthropic.batch_results'
  | 'gemini.generate'
  | 'gemini.stream'
  | 'bedrock.converse'
  | 'bedrock.converse_stream'
  | 'bedrock.invoke'
  | 'bedrock.invoke_stream'
  | 'vertex.raw_predict'
  | 'vertex.stream_raw_predict';

export interface FakeResponse {
  status?: number;
  /** A JSON body (non-streamed). */
  json?: unknown;
  /** A raw body (e.g. JSONL), sent as application/octet-stream unless headers say otherwise. */
  text?: string;
  /** SSE event blocks, each sent as written (include the trailing blank line). */
  sse?: string[];
  /** AWS event-stream messages (test/event-stream.ts), sent one by one as `application/vnd.amazon.eventstream`. */
  eventStream?: Buffer[];
  /** Send this many SSE blocks, then nothing more until the client goes away (it aborts mid-stream). */
  stallAfter?: number;
  /** Close the connection after this many SSE blocks, without finishing the stream (what was sent is read first). */
  dropAfter?: number;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  route: Route;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The URL the client meant to reach, when it sent through `fetch` or `redirectAwsClient`. */
  intendedUrl?: string;
}

/** The header the redirecting fetch and AWS middleware use to tell the fake where a request was meant to go. */
const INTENDED_URL = 'x-fake-intended-url';

const fixtureDir = new URL('./fixtures/', import.meta.url);

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as Record<string, unknown>;
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDir), 'utf8');
}

/** Splits an SSE file into its event blocks, keeping each block's own line endings. */
export function sseBlocks(text: string): string[] {
  return text.split(/(?<=\r\n\r\n|\n\n)/).filter((block) => block.trim().length > 0);
}

/** An SSE `data:` block for a JSON payload (OpenAI chat style, no event name). */
export function dataBlock(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** An SSE block with an event name (Anthropic and OpenAI responses style). */
export function eventBlock(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Computes a response from the request body, for scripted multi-step conversations. */
export type Responder = (body: Record<string, unknown>) => FakeResponse;

export class FakeProvider {
  readonly requests: RecordedRequest[] = [];
  private readonly queues = new Map<Route, FakeResponse[]>();
  private readonly responders = new Map<Route, Responder>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    // Idle keep-alive sockets stay open: a server that closes one after Node's default 5 s races a client that
    // reuses it after a long test in between, which then fails with a connection error.
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Queues the next response for a route; unqueued requests get the route's fixture. */
  enqueue(route: Route, response: FakeResponse): void {
    const queue = this.queues.get(route) ?? [];
    queue.push(response);
    this.queues.set(route, queue);
  }

  /** Answers every unqueued request on a route with `responder` instead of the fixture. */
  respondWith(route: Route, responder: Responder): void {
    this.responders.set(route, responder);
  }

  /**
   * A `fetch` for an SDK client that keeps its provider's real base URL: each request goes to this server instead,
   * with the same path and query.
   */
  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const intended = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(`${intended.pathname}${intended.search}`, this.url);
    const headers = new Headers(input instanceof Request ? input.headers : undefined);
    new Headers(init?.headers).forEach((value, key) => {
      headers.set(key, value);
    });
    headers.set(INTENDED_URL, intended.href);
    if (input instanceof Request)
      return fetch(new Request(target, { ...init, method: input.method, body: init?.body ?? input.body, headers, duplex: 'half' } as RequestInit));
    return fetch(target, { ...init, headers });
  };

  /**
   * An AWS SDK client keeps its real endpoint (signing included); just before a request leaves, it is sent to this
   * server over HTTP/1.1 instead. The client must be made with `requestHandler: new NodeHttpHandler()`.
   */
  redirectAwsClient(client: { middlewareStack: object }): void {
    const { hostname, port } = new URL(this.url);
    (client.middlewareStack as { add: (middleware: unknown, options: object) => void }).add(
      (next: (args: unknown) => Promise<unknown>) =>
        (args: { request: { hostname: string; port?: number; protocol: string; path: string; headers: Record<string, string> } }) => {
          const { request } = args;
          request.headers[INTENDED_URL] = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`;
          request.hostname = hostname;
          request.port = Number(port);
          request.protocol = 'http:';
          return next(args);
        },
      { step: 'finalizeRequest', priority: 'low', name: 'fakeProviderRedirect' },
    );
  }

  reset(): void {
    this.requests.length = 0;
    this.queues.clear();
    this.responders.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const route = routeOf(decodeURIComponent(req.url ?? ''));
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no fake route for ${req.url}` } }));
      return;
    }
    const intended = req.headers[INTENDED_URL];
    this.requests.push({
      route,
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      intendedUrl: typeof intended === 'string' ? intended : undefined,
    });
    const responder = this.responders.get(route);
    const response = this.queues.get(route)?.shift() ?? responder?.(body) ?? defaultResponse(route, body, this.url, req.url ?? '');
    await send(res, response);
  }
}

function routeOf(url: string): Route | undefined {
  const path = url.split('?')[0] ?? '';
  if (path.endsWith('/chat/completions')) return 'openai.chat';
  if (path.endsWith('/responses')) return 'openai.responses';
  if (path.endsWith('/embeddings')) return 'openai.embeddings';
  if (path.endsWith('/v1/messages')) return 'anthropic.messages';
  if (path.endsWith('/v1/messages/count_tokens')) return 'anthropic.count_tokens';
  if (/\/v1\/messages\/batches\/[^/]+\/results$/.test(path)) return 'anthropic.batch_results';
  if (/\/v1\/messages\/batches\/[^/]+$/.test(path)) return 'anthropic.batch';
  if (path.endsWith(':generateContent')) return 'gemini.generate';
  if (path.endsWith(':streamGenerateContent')) return 'gemini.stream';
  if (/\/model\/[^/]+\/converse$/.test(path)) return 'bedrock.converse';
  if (/\/model\/[^/]+\/converse-stream$/.test(path)) return 'bedrock.converse_stream';
  if (/\/model\/[^/]+\/invoke$/.test(path)) return 'bedrock.invoke';
  if (/\/model\/[^/]+\/invoke-with-response-stream$/.test(path)) return 'bedrock.invoke_stream';
  if (path.endsWith(':rawPredict')) return 'vertex.raw_predict';
  if (path.endsWith(':streamRawPredict')) return 'vertex.stream_raw_predict';
  return undefined;
}

function defaultResponse(route: Route, body: Record<string, unknown>, baseURL: string, url: string): FakeResponse {
  const stream = body.stream === true;
  switch (route) {
    case 'openai.chat': {
      if (!stream) return { json: fixtureJson('openai-chat.json') };
      const blocks = sseBlocks(fixtureText('openai-chat.sse'));
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      // The real API sends the usage chunk (`choices: []`) only when include_usage was requested.
      return { sse: options?.include_usage ? blocks : blocks.filter((b) => !b.includes('"choices":[]')) };
    }
    case 'openai.responses':
      return stream ? { sse: sseBlocks(fixtureText('openai-responses.sse')) } : { json: fixtureJson('openai-responses.json') };
    case 'openai.embeddings':
      return {
        json: {
          object: 'list',
          data: [{ object: 'embedding', index: 0, embedding: [0.25, -0.5, 0.125] }],
          model: 'text-embedding-3-small',
          usage: { prompt_tokens: 8, total_tokens: 8 },
        },
      };
    case 'anthropic.messages':
      return stream ? { sse: sseBlocks(fixtureText('anthropic-messages.sse')) } : { json: fixtureJson('anthropic-messages.json') };
    case 'anthropic.count_tokens':
      return { json: { input_tokens: 42 } };
    case 'anthropic.batch': {
      const id = url.split('/').pop();
      return {
        json: { id, type: 'message_batch', processing_status: 'ended', results_url: `${baseURL}/v1/messages/batches/${id}/results` },
      };
    }
    case 'anthropic.batch_results': {
      const message = { ...fixtureJson('anthropic-messages.json') };
      message.usage = { ...(message.usage as object), service_tier: 'batch' };
      const lines = [
        { custom_id: 'first', result: { type: 'succeeded', message } },
        { custom_id: 'second', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } } },
        { custom_id: 'third', result: { type: 'succeeded', message: { ...message, id: 'msg_batch_3' } } },
      ];
      return { text: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n` };
    }
    case 'gemini.generate':
      return { json: fixtureJson('gemini-generate.json') };
    case 'gemini.stream':
      return { sse: sseBlocks(fixtureText('gemini-generate.sse')) };
    case 'bedrock.converse':
      return { json: fixtureJson('bedrock-converse.json') };
    case 'bedrock.converse_stream':
      return {
        eventStream: (fixtureJson('bedrock-converse-stream.events.json') as unknown as Array<[string, unknown]>).map(([type, payload]) =>
          bedrockEvent(type, payload),
        ),
      };
    case 'bedrock.invoke':
      return { json: fixtureJson('bedrock-invoke-anthropic.json') };
    case 'bedrock.invoke_stream':
      return { eventStream: (fixtureJson('bedrock-invoke-stream-anthropic.events.json') as unknown as unknown[]).map(invokeChunk) };
    case 'vertex.raw_predict':
      return { json: fixtureJson('anthropic-messages.json') };
    case 'vertex.stream_raw_predict':
      return { sse: sseBlocks(fixtureText('anthropic-messages.sse')) };
  }
}

async function send(res: ServerResponse, response: FakeResponse): Promise<void> {
  const status = response.status ?? 200;
  if (response.eventStream) {
    res.writeHead(status, { 'content-type': 'application/vnd.amazon.eventstream', ...response.headers });
    for (const message of response.eventStream) {
      if (res.destroyed) return;
      res.write(message);
    }
    res.end();
    return;
  }
  if (response.sse) {
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...response.headers });
    let sent = 0;
    for (const block of response.sse) {
      if (response.stallAfter !== undefined && sent >= response.stallAfter) {
        if (!res.destroyed) await new Promise((resolve) => res.once('close', resolve));
        return;
      }
      if (res.destroyed) return;
      res.write(block);
      sent += 1;
      if (response.dropAfter !== undefined && sent >= response.dropAfter) {
        // A FIN after what was written, not a reset: the client reads every block sent, then the stream breaks.
        res.socket?.end();
        return;
      }
    }
    res.end();
    return;
  }
  if (response.text !== undefined) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...response.headers });
    res.end(response.text);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...response.headers });
  res.end(JSON.stringify(response.json ?? {}));
}
