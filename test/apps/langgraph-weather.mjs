// A LangGraph ReAct agent on ChatAnthropic with no OpenTelemetry code: one tool call, two model calls. Run by
// test/register.e2e.test.ts under `node --import tokenledger/register` (and its CommonJS twin under --require).
import { ChatAnthropic } from '@langchain/anthropic';
import { tool } from '@langchain/core/tools';
import '@langchain/langgraph';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { z } from 'zod';

const weather = tool(async ({ city }) => `${city}: 21°C`, { name: 'weather', description: 'The weather in a city', schema: z.object({ city: z.string() }) });
const model = new ChatAnthropic({ model: 'claude-sonnet-5-5', apiKey: 'test-key', anthropicApiUrl: process.env.FAKE_PROVIDER_URL, maxRetries: 0 });
const agent = createReactAgent({ llm: model, tools: [weather] });
const result = await agent.invoke({ messages: [{ role: 'user', content: 'Weather in Paris?' }] });
console.log(JSON.stringify({ messages: result.messages.length, text: result.messages.at(-1).text }));
