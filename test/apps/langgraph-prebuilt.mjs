// The ES module twin of langgraph-prebuilt.cjs (the same choices from the environment), run under
// `node --import tokenledger/register`.
import { ChatAnthropic } from '@langchain/anthropic';
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';

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

let text = '';
if (env.LANGGRAPH_STREAM === '1') {
  for await (const [message, metadata] of await agent.stream(input, { streamMode: 'messages' })) {
    if (metadata.langgraph_node === 'agent') text += message.text;
  }
} else {
  text = (await agent.invoke(input)).messages.at(-1).text;
}
console.log(JSON.stringify({ text }));
