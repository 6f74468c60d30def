// A scripted stand-in for Claude, served by the fake provider. It follows a fixed plan (knowledge base → CRM →
// billing → JIRA → answer) but bills like the real API, from the request it gets:
// - input is the whole request, about 4 characters a token;
// - a `cache_control` breakpoint makes everything before it a cacheable prefix: the first request with that
//   prefix writes it to the cache (`cache_creation_input_tokens`, 5-minute TTL), later ones read it
//   (`cache_read_input_tokens`); `input_tokens` is only what is left, as Anthropic reports it;
// - it writes as much as it wants (tool steps 600 tokens, the answer 1100) unless `max_tokens` is lower.
import { createHash } from 'node:crypto';
import type { FakeResponse } from '../../test/fake-provider.ts';

const CHARS_PER_TOKEN = 4;
const PLAN = ['knowledge_base', 'crm_lookup', 'billing_history', 'jira_search'];
const cachedPrefixes = new Set<string>();

type Block = { type?: string; text?: string; cache_control?: unknown; [key: string]: unknown };
type Message = { role: string; content: string | Block[] };

const tokens = (value: unknown) => Math.ceil(JSON.stringify(value).length / CHARS_PER_TOKEN);

export function scriptedClaude(body: Record<string, unknown>): FakeResponse {
  const system = body.system as Block[] | string | undefined;
  const tools = (body.tools ?? []) as Block[];
  const messages = body.messages as Message[];
  const total = tokens(system ?? '') + tokens(tools) + tokens(messages);

  // The cacheable prefix: tools, then system, up to the last block marked with cache_control.
  const prefixParts: unknown[] = [];
  let prefix: unknown[] | undefined;
  for (const part of [...tools, ...(Array.isArray(system) ? system : [])]) {
    prefixParts.push(part);
    if (part.cache_control) prefix = [...prefixParts];
  }
  let cacheRead = 0;
  let cacheWrite = 0;
  if (prefix) {
    const prefixTokens = tokens(prefix);
    const key = createHash('sha256').update(JSON.stringify(prefix)).digest('hex');
    if (cachedPrefixes.has(key)) cacheRead = prefixTokens;
    else {
      cachedPrefixes.add(key);
      cacheWrite = prefixTokens;
    }
  }

  const toolResults = messages.filter((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result')).length;
  const nextTool = PLAN[toolResults];
  const wanted = nextTool ? 600 : 1100;
  const output = Math.min(wanted, Number(body.max_tokens ?? 4096));
  const content = nextTool
    ? [{ type: 'tool_use', id: `toolu_${toolResults + 1}`, name: nextTool, input: { ticket: 'T-1042' } }]
    : [{ type: 'text', text: 'Refund approved for the double charge; JIRA BILL-311 tracks the fix.' }];
  return {
    json: {
      id: `msg_support_${toolResults + 1}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5',
      content,
      stop_reason: nextTool ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: total - cacheRead - cacheWrite,
        cache_read_input_tokens: cacheRead,
        cache_creation_input_tokens: cacheWrite,
        cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
        output_tokens: output,
        service_tier: 'standard',
      },
    },
  };
}
