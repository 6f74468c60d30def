// A plain OpenTelemetry root span with three LLM calls; the budget comes only from the environment.
// Run by test/register.e2e.test.ts with TOKENLEDGER_RUN_MAX_STEPS=2 and TOKENLEDGER_GUARD_MODE=enforce.
const { trace } = require('@opentelemetry/api');
const OpenAI = require('openai').default;

const client = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
trace.getTracer('app').startActiveSpan('handle ticket', async (span) => {
  const outcomes = [];
  for (let i = 0; i < 3; i += 1) {
    try {
      await client.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: `step ${i}` }] });
      outcomes.push('sent');
    } catch (error) {
      outcomes.push(`${error.name}:${error.limit}`);
    }
  }
  span.end();
  console.log(outcomes.join(','));
});
