// An OpenAI Agents SDK agent with one tool and no OpenTelemetry code, on a chat-completions model. Run by
// test/register.e2e.test.ts under `node --import tokenledger/register`.
import { Agent, run, setTraceProcessors, tool } from '@openai/agents-core';
import { OpenAIChatCompletionsModel } from '@openai/agents-openai';
import OpenAI from 'openai';
import { z } from 'zod';

// The SDK's default trace exporter sends to OpenAI: an app without network access drops it.
setTraceProcessors([]);
const client = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
const weather = tool({
  name: 'weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `${city}: 21°C`,
});
const agent = new Agent({
  name: 'Weather agent',
  instructions: 'Answer about the weather.',
  model: new OpenAIChatCompletionsModel(client, 'gpt-5.5'),
  tools: [weather],
});
const result = await run(agent, 'Weather in Paris?');
console.log(JSON.stringify({ output: result.finalOutput }));
