// The support agent itself: a loop of Claude calls and tool executions inside one agent run, in two configurations.
//
//   naive      — no prompt caching, the full history every step, the default max_tokens
//   optimised  — the stable prefix (tools + system prompt) cached, old tool results compacted, a per-step cap
import type AnthropicClient from '@anthropic-ai/sdk';
import { agentRun } from '../../index.ts';
import { SYSTEM_PROMPT, TOOLS, TOOL_DEFINITIONS, type ToolName } from './tools.ts';

export interface AgentConfig {
  name: string;
  cachePrefix: boolean;
  compactHistory: boolean;
  maxTokens: number;
}

export const CONFIGS: AgentConfig[] = [
  { name: 'naive', cachePrefix: false, compactHistory: false, maxTokens: 4096 },
  { name: 'optimised', cachePrefix: true, compactHistory: true, maxTokens: 400 },
];

/** Keeps the last two tool results whole and replaces older ones by a one-line note. */
function compact(messages: AnthropicClient.MessageParam[]): AnthropicClient.MessageParam[] {
  const toolTurns = messages.flatMap((m, i) => (Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result') ? [i] : []));
  const old = new Set(toolTurns.slice(0, -2));
  return messages.map((message, i) => {
    if (!old.has(i) || !Array.isArray(message.content)) return message;
    const content = message.content.map((block) =>
      block.type === 'tool_result' ? { ...block, content: `[compacted: ${String(block.content).length} characters, already used]` } : block,
    );
    return { ...message, content } as AnthropicClient.MessageParam;
  });
}

/** One task: the agent works a ticket until it answers (success) or gives up after 10 steps (failure). */
export async function solveTicket(client: AnthropicClient, config: AgentConfig, ticket: string): Promise<void> {
  await agentRun({ name: `support-${config.name}`, idealSteps: 5 }, async (run) => {
    const messages: AnthropicClient.MessageParam[] = [{ role: 'user', content: `Ticket ${ticket}: the customer says they were charged twice.` }];
    const system = config.cachePrefix ? [{ type: 'text' as const, text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' as const } }] : SYSTEM_PROMPT;
    for (let step = 0; step < 10; step += 1) {
      const response = await client.messages.create({
        model: 'claude-sonnet-5',
        max_tokens: config.maxTokens,
        system,
        tools: TOOL_DEFINITIONS,
        messages: config.compactHistory ? compact(messages) : messages,
      });
      messages.push({ role: 'assistant', content: response.content });
      const toolUse = response.content.find((block) => block.type === 'tool_use');
      if (toolUse?.type !== 'tool_use') return;
      const result = await TOOLS[toolUse.name as ToolName](ticket);
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: result }] });
    }
    run.fail('no answer within 10 steps');
  });
}
