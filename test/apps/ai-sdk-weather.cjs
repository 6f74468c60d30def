// A Vercel AI SDK 7 weather agent with no OpenTelemetry code and no telemetry option: two tool calls over three
// model calls. Run by test/register.e2e.test.ts under `node --require tokenledger/register` (the AI SDK is an ES
// module package, loaded here by require).
const { generateText, isStepCount, tool } = require('ai');
const { createOpenAI } = require('@ai-sdk/openai');
const { z } = require('zod');

async function main() {
  const openai = createOpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1` });
  const weather = tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, celsius: 21 }),
  });
  const result = await generateText({ model: openai.chat('gpt-5.5'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: isStepCount(5) });
  console.log(JSON.stringify({ steps: result.steps.length, text: result.text }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
