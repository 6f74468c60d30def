// The ESM twin of ai-sdk-weather.cjs, run under `node --import tokenledger/register`.
import { generateText, isStepCount, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';

const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1` });
const weather = tool({
  description: 'The weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});
const result = await generateText({ model: openai.chat('gpt-5.5'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: isStepCount(5) });
console.log(JSON.stringify({ steps: result.steps.length, text: result.text }));
