// The support agent's five tools, each wrapped by tokenledger's `tool()` so every execution is a span. Their
// results are realistically bulky: knowledge-base articles, CRM records and billing history.
import type AnthropicClient from '@anthropic-ai/sdk';
import { tool } from '../../index.ts';

const article = (topic: string) => ({ topic, body: `${topic}: `.padEnd(3200, 'Policy text about refunds, chargebacks and proration. ') });

export const TOOLS = {
  knowledge_base: tool('knowledge_base', async (query: string) => JSON.stringify([article(query), article('refund policy')])),
  crm_lookup: tool('crm_lookup', async (ticket: string) =>
    JSON.stringify({
      ticket,
      customer: 'ACME GmbH',
      plan: 'business',
      seats: 42,
      history: Array.from({ length: 12 }, (_, i) => ({ contact: i, note: 'Asked about invoices and seat changes.' })),
    }),
  ),
  billing_history: tool('billing_history', async (ticket: string) =>
    JSON.stringify({
      ticket,
      invoices: Array.from({ length: 24 }, (_, i) => ({ id: `INV-${1000 + i}`, amount: 1260, status: i === 23 ? 'charged twice' : 'paid' })),
    }),
  ),
  jira_search: tool('jira_search', async (ticket: string) =>
    JSON.stringify({ ticket, issues: [{ key: 'BILL-311', summary: 'Duplicate charge on plan change', status: 'In progress' }] }),
  ),
  escalate: tool('escalate', async (ticket: string) => JSON.stringify({ ticket, escalated: true })),
};

export type ToolName = keyof typeof TOOLS;

export const TOOL_DEFINITIONS: AnthropicClient.Tool[] = (Object.keys(TOOLS) as ToolName[]).map((name) => ({
  name,
  description: `The ${name.replace('_', ' ')} tool: look up everything about the ticket from this system.`,
  input_schema: { type: 'object', properties: { ticket: { type: 'string' } }, required: ['ticket'] },
}));

export const SYSTEM_PROMPT = [
  'You are the tier-2 support agent of a SaaS billing product.',
  ...Array.from(
    { length: 80 },
    (_, i) => `Guideline ${i + 1}: check the customer's plan, invoices and open issues before answering; cite the policy you apply.`,
  ),
].join('\n');
