// A Mastra agent with one tool, run under `node --import tokenledger/register`: no telemetry code.
import { Agent } from '@mastra/core/agent';
import { createTool } from '@mastra/core/tools';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';

const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1` });
const weather = createTool({
  id: 'weather',
  description: 'The weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});
const agent = new Agent({ id: 'weather', name: 'weather-agent', instructions: 'Be brief.', model: openai.chat('gpt-5.5'), tools: { weather } });
const result = await agent.generate('Weather in Paris?', { maxSteps: 5 });
console.log(JSON.stringify({ steps: result.steps.length, text: result.text }));
