// A fake LLM provider for the real SDK packages to talk to: OpenAI (chat, responses, embeddings),
// Anthropic (messages, beta messages) and Gemini / Vertex (generateContent, streamGenerateContent).
// Listens on 127.0.0.1 on a random port; serves the fixtures in test/fixtures by default, or whatever a
// test queues for a route. Records every request so tests can assert what the SDK sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

export type Route =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'anthropic.batch'
  | 'anthropic.batch_results'
  | 'gemini.generate'
  | 'gemini.stream';

export interface FakeResponse {
  status?: number;
  /** A JSON body (non-streamed). */
  json?: unknown;
  /** A raw body (e.g. JSONL), sent as application/octet-stream unless headers say otherwise. */
  text?: string;
  /** SSE event blocks, each sent as written (include the trailing blank line). */
  sse?: string[];
  /** Milliseconds to wait before each SSE block after the first, or before the JSON body. */
  delayMs?: number;
  /** Close the connection after this many SSE blocks, without finishing the stream. */
  dropAfter?: number;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  route: Route;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

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
    // Idle keep-alive connections stay open longer than any test blocks the event loop (a spawnSync of a child
    // app): with Node's 5 s default the server could close a socket just as the SDK reused it ("Connection error").
    this.server.keepAliveTimeout = 60_000;
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
    const route = routeOf(req.url ?? '');
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no fake route for ${req.url}` } }));
      return;
    }
    this.requests.push({ route, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
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
  if (/\/v1\/messages\/batches\/[^/]+\/results$/.test(path)) return 'anthropic.batch_results';
  if (/\/v1\/messages\/batches\/[^/]+$/.test(path)) return 'anthropic.batch';
  if (path.endsWith(':generateContent')) return 'gemini.generate';
  if (path.endsWith(':streamGenerateContent')) return 'gemini.stream';
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
  }
}

async function send(res: ServerResponse, response: FakeResponse): Promise<void> {
  const status = response.status ?? 200;
  if (response.sse) {
    res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...response.headers });
    let sent = 0;
    for (const block of response.sse) {
      if (sent > 0 && response.delayMs) await sleep(response.delayMs);
      if (res.destroyed) return;
      res.write(block);
      sent += 1;
      if (response.dropAfter !== undefined && sent >= response.dropAfter) {
        await sleep(20); // let the client read what was sent before the connection drops
        res.destroy();
        return;
      }
    }
    res.end();
    return;
  }
  if (response.delayMs) await sleep(response.delayMs);
  if (response.text !== undefined) {
    res.writeHead(status, { 'content-type': 'application/octet-stream', ...response.headers });
    res.end(response.text);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...response.headers });
  res.end(JSON.stringify(response.json ?? {}));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
