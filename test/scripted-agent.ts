// A scripted agent conversation for agent tests: the fake provider answers the n-th call (OpenAI Chat Completions or
// Responses, or Anthropic Messages; JSON or SSE as the request asks) with the n-th turn of a script — a tool call or
// a final text — each with the same exact usage, so a run's tokens and cost are the calls' figures times the
// number of calls.
import { dataBlock, eventBlock, type FakeProvider, type FakeResponse } from './fake-provider.ts';

export type ScriptedTurn = { tool: string; arguments: Record<string, unknown> } | { text: string };

/** Each OpenAI call's usage: 1 000 prompt tokens of which 600 cached, 200 output tokens of which 64 reasoning. */
export const SCRIPTED_USAGE = { input: 1000, cached: 600, output: 200, reasoning: 64 } as const;

/** The model the fake says it served (a dated snapshot, as OpenAI answers a model asked for by alias). */
const SERVED_MODEL = 'gpt-5-mini-2025-08-07';

/** Answers the script's turns in order on both OpenAI routes; calls past the script get its last turn. */
export function scriptOpenAI(provider: FakeProvider, turns: ScriptedTurn[]): void {
  let served = 0;
  const next = () => turns[Math.min(served++, turns.length - 1)]!;
  provider.respondWith('openai.chat', (body) => chatResponse(next(), served, body.stream === true));
  provider.respondWith('openai.responses', (body) => responsesResponse(next(), served, body.stream === true));
}

/** Asks for the weather in two cities, one after the other, then answers: 3 calls, 2 tool calls. */
export const TWO_TOOL_CALLS: ScriptedTurn[] = [
  { tool: 'weather', arguments: { city: 'Paris' } },
  { tool: 'weather', arguments: { city: 'London' } },
  { text: 'Paris: 21°C, London: 17°C.' },
];

function chatUsage() {
  return {
    prompt_tokens: SCRIPTED_USAGE.input,
    completion_tokens: SCRIPTED_USAGE.output,
    total_tokens: SCRIPTED_USAGE.input + SCRIPTED_USAGE.output,
    prompt_tokens_details: { cached_tokens: SCRIPTED_USAGE.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: SCRIPTED_USAGE.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function chatResponse(turn: ScriptedTurn, call: number, stream: boolean): FakeResponse {
  const id = `chatcmpl-scripted${call}`;
  const head = { id, created: 1764300000, model: SERVED_MODEL, service_tier: 'default', system_fingerprint: 'fp_scripted' };
  const toolCall =
    'tool' in turn ? { id: `call_${call}`, type: 'function', function: { name: turn.tool, arguments: JSON.stringify(turn.arguments) } } : undefined;
  const finish = toolCall ? 'tool_calls' : 'stop';
  if (!stream) {
    const message = toolCall
      ? { role: 'assistant', content: null, tool_calls: [toolCall], refusal: null }
      : { role: 'assistant', content: (turn as { text: string }).text, refusal: null };
    return { json: { ...head, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage: chatUsage() } };
  }
  const chunk = (choices: unknown[], usage: unknown = null) => dataBlock({ ...head, object: 'chat.completion.chunk', choices, usage });
  const delta = toolCall
    ? { role: 'assistant', content: null, tool_calls: [{ index: 0, ...toolCall }] }
    : { role: 'assistant', content: (turn as { text: string }).text };
  return {
    sse: [
      chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }]),
      // The usage chunk comes last, only when asked for (stream_options.include_usage, which the agents SDK sets).
      chunk([], chatUsage()),
      'data: [DONE]\n\n',
    ],
  };
}

function responsesUsage() {
  return {
    input_tokens: SCRIPTED_USAGE.input,
    input_tokens_details: { cached_tokens: SCRIPTED_USAGE.cached },
    output_tokens: SCRIPTED_USAGE.output,
    output_tokens_details: { reasoning_tokens: SCRIPTED_USAGE.reasoning },
    total_tokens: SCRIPTED_USAGE.input + SCRIPTED_USAGE.output,
  };
}

function responsesResponse(turn: ScriptedTurn, call: number, stream: boolean): FakeResponse {
  const item =
    'tool' in turn
      ? { id: `fc_${call}`, type: 'function_call', status: 'completed', call_id: `call_${call}`, name: turn.tool, arguments: JSON.stringify(turn.arguments) }
      : {
          id: `msg_${call}`,
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: turn.text, annotations: [], logprobs: [] }],
        };
  const response = {
    id: `resp_scripted${call}`,
    object: 'response',
    created_at: 1764300000,
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: SERVED_MODEL,
    output: [item],
    parallel_tool_calls: true,
    service_tier: 'default',
    tool_choice: 'auto',
    tools: [],
    usage: responsesUsage(),
  };
  if (!stream) return { json: response };
  let sequence = 0;
  const event = (type: string, payload: Record<string, unknown>) => eventBlock(type, { type, ...payload, sequence_number: sequence++ });
  const inProgress = { ...response, status: 'in_progress', output: [], usage: null };
  return {
    sse: [
      event('response.created', { response: inProgress }),
      event('response.in_progress', { response: inProgress }),
      event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress' } }),
      event('response.output_item.done', { output_index: 0, item }),
      event('response.completed', { response }),
    ],
  };
}

/** Each Anthropic call's usage: 400 uncached input tokens, 600 read from the cache, 200 output tokens. */
export const SCRIPTED_ANTHROPIC_USAGE = { input_tokens: 400, cache_creation_input_tokens: 0, cache_read_input_tokens: 600, output_tokens: 200 } as const;

/** Answers the script's turns in order on Anthropic Messages; calls past the script get its last turn. */
export function scriptAnthropic(provider: FakeProvider, turns: ScriptedTurn[], model: string): void {
  let served = 0;
  provider.respondWith('anthropic.messages', (body) => anthropicResponse(turns[Math.min(served++, turns.length - 1)]!, served, model, body.stream === true));
}

function anthropicResponse(turn: ScriptedTurn, call: number, model: string, stream: boolean): FakeResponse {
  const block =
    'tool' in turn ? { type: 'tool_use', id: `toolu_${call}`, name: turn.tool, input: turn.arguments } : { type: 'text', text: turn.text, citations: null };
  const stopReason = 'tool' in turn ? 'tool_use' : 'end_turn';
  const usage = { ...SCRIPTED_ANTHROPIC_USAGE, service_tier: 'standard' };
  const message = {
    id: `msg_scripted${call}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [block],
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
  if (!stream) return { json: message };
  const delta = 'tool' in turn ? { type: 'input_json_delta', partial_json: JSON.stringify(turn.arguments) } : { type: 'text_delta', text: turn.text };
  const opening = 'tool' in turn ? { ...block, input: {} } : { ...block, text: '' };
  return {
    sse: [
      eventBlock('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }),
      eventBlock('content_block_start', { type: 'content_block_start', index: 0, content_block: opening }),
      eventBlock('content_block_delta', { type: 'content_block_delta', index: 0, delta }),
      eventBlock('content_block_stop', { type: 'content_block_stop', index: 0 }),
      // Anthropic's closing delta carries the cumulative usage.
      eventBlock('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: SCRIPTED_ANTHROPIC_USAGE.output_tokens },
      }),
      eventBlock('message_stop', { type: 'message_stop' }),
    ],
  };
}
