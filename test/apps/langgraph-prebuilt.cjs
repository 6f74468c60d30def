// A LangGraph ReAct agent as LangGraph's docs write one: `createReactAgent` from `@langchain/langgraph/prebuilt`
// (the app never loads LangGraph's main entry), no `name`, a chat model and a tool; no OpenTelemetry code. Run by
// test/langgraph-register.e2e.test.ts under `node --require tokenledger/register`; the app's choices come from the
// environment so that one file covers them:
//   LANGGRAPH_MODEL   `openai`: ChatOpenAI on gpt-5-mini; `anthropic`: ChatAnthropic on claude-sonnet-4-5
//   LANGGRAPH_STREAM  `1`: the agent's messages streamed token by token (streamMode 'messages'); else invoke()
const { ChatAnthropic } = require('@langchain/anthropic');
const { tool } = require('@langchain/core/tools');
const { createReactAgent } = require('@langchain/langgraph/prebuilt');
const { ChatOpenAI } = require('@langchain/openai');
const { z } = require('zod');

const env = process.env;
const weather = tool(async ({ city }) => `${city}: ${city === 'Paris' ? 21 : 17}°C`, {
  name: 'weather',
  description: 'The weather in a city',
  schema: z.object({ city: z.string() }),
});
const llm =
  env.LANGGRAPH_MODEL === 'anthropic'
    ? new ChatAnthropic({ model: 'claude-sonnet-4-5', apiKey: 'test-key', anthropicApiUrl: env.FAKE_PROVIDER_URL, maxRetries: 0 })
    : new ChatOpenAI({ model: 'gpt-5-mini', apiKey: 'test-key', configuration: { baseURL: `${env.FAKE_PROVIDER_URL}/v1` }, maxRetries: 0 });
const agent = createReactAgent({ llm, tools: [weather] });
const input = { messages: [{ role: 'user', content: 'Weather in Paris and London?' }] };

async function answer() {
  if (env.LANGGRAPH_STREAM !== '1') return (await agent.invoke(input)).messages.at(-1).text;
  let text = '';
  for await (const [message, metadata] of await agent.stream(input, { streamMode: 'messages' })) {
    if (metadata.langgraph_node === 'agent') text += message.text;
  }
  return text;
}

answer()
  .then((text) => console.log(JSON.stringify({ text })))
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
