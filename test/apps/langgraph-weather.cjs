// The CommonJS twin of langgraph-weather.mjs, run under `node --require tokenledger/register`.
const { ChatAnthropic } = require('@langchain/anthropic');
const { tool } = require('@langchain/core/tools');
require('@langchain/langgraph');
const { createReactAgent } = require('@langchain/langgraph/prebuilt');
const { z } = require('zod');

async function main() {
  const weather = tool(async ({ city }) => `${city}: 21°C`, { name: 'weather', description: 'The weather in a city', schema: z.object({ city: z.string() }) });
  const model = new ChatAnthropic({ model: 'claude-sonnet-5-5', apiKey: 'test-key', anthropicApiUrl: process.env.FAKE_PROVIDER_URL, maxRetries: 0 });
  const agent = createReactAgent({ llm: model, tools: [weather] });
  const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Paris?' }] });
  console.log(JSON.stringify({ messages: result.messages.length, text: result.messages.at(-1).text }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
