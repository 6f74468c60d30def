// In-process `fetch` stand-ins that answer every request with a prepared body, so a benchmark measures the
// SDK and the instrumentation, not the network.
import { fixtureJson } from '../test/fake-provider.ts';

type Fetch = typeof fetch;

export function jsonFetch(body: unknown): Fetch {
  const text = JSON.stringify(body);
  return async () => new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
}

export function sseFetch(sse: string): Fetch {
  const bytes = new TextEncoder().encode(sse);
  return async () => new Response(bytes, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

/** An OpenAI chat stream of `chunks` content chunks, a finish chunk, the usage chunk and [DONE]. */
export function openaiChatStream(chunks: number): string {
  const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1764300000, model: 'gpt-5.5-2026-04-01' };
  const lines: string[] = [];
  for (let i = 0; i < chunks; i += 1) {
    lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }], usage: null })}\n\n`);
  }
  lines.push(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null })}\n\n`);
  const usage = (fixtureJson('openai-chat.json') as { usage: unknown }).usage;
  lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage })}\n\n`);
  lines.push('data: [DONE]\n\n');
  return lines.join('');
}
