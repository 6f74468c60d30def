// An OpenAI Agents SDK app as its docs write one: the `@openai/agents` package, a model given by name and resolved
// by the default provider, a tool, `run(agent, input)`. No OpenTelemetry code. Run by
// test/openai-agents-register.e2e.test.ts under `node --require tokenledger/register`; the settings an app makes
// at start-up come from the environment so that one file covers them:
//   AGENTS_CLIENT   `default-client`: setDefaultOpenAIClient(new OpenAI({ baseURL })); `env`: OPENAI_BASE_URL
//   AGENTS_API      `chat_completions`: setOpenAIAPI('chat_completions'); else the Responses API (the default)
//   AGENTS_STREAM   `1`: run(agent, input, { stream: true })
//   AGENTS_TRACING  `disabled`: setTracingDisabled(true); `own`: setTraceProcessors([the app's own]); else as is
//   AGENTS_IN_RUN   `1`: inside tokenledger's agentRun()
const { Agent, run, setDefaultOpenAIClient, setOpenAIAPI, setTraceProcessors, setTracingDisabled, tool } = require('@openai/agents');
const { OpenAI } = require('openai');
const { agentRun } = require('tokenledger');
const { z } = require('zod');

const env = process.env;
if (env.AGENTS_CLIENT === 'default-client') setDefaultOpenAIClient(new OpenAI({ baseURL: `${env.FAKE_PROVIDER_URL}/v1`, apiKey: 'test-key', maxRetries: 0 }));
if (env.AGENTS_API === 'chat_completions') setOpenAIAPI('chat_completions');
if (env.AGENTS_TRACING === 'disabled') setTracingDisabled(true);
/** The app's own trace processor: counts the SDK's spans by type. */
const seen = {};
if (env.AGENTS_TRACING === 'own') {
  setTraceProcessors([
    {
      onTraceStart: async () => {},
      onTraceEnd: async () => {},
      onSpanStart: async () => {},
      onSpanEnd: async (span) => void (seen[span.spanData.type] = (seen[span.spanData.type] ?? 0) + 1),
      shutdown: async () => {},
      forceFlush: async () => {},
    },
  ]);
}

const weather = tool({
  name: 'weather',
  description: 'The weather in a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `${city}: ${city === 'Paris' ? 21 : 17}°C`,
});
const agent = new Agent({ name: 'Weather agent', instructions: 'Answer about the weather.', model: 'gpt-5-mini', tools: [weather] });

async function answer() {
  if (env.AGENTS_STREAM !== '1') return (await run(agent, 'Weather in Paris and London?')).finalOutput;
  const stream = await run(agent, 'Weather in Paris and London?', { stream: true });
  for await (const event of stream) void event;
  await stream.completed;
  return stream.finalOutput;
}

async function main() {
  const output = env.AGENTS_IN_RUN === '1' ? await agentRun({ name: 'weather-task' }, answer) : await answer();
  console.log(JSON.stringify({ output, ...(env.AGENTS_TRACING === 'own' ? { seen } : {}) }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
