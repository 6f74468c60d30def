// Three calls to a model no price data knows, in one plain root span, then a normal exit. Run by
// test/register.e2e.test.ts with configuration problems in its environment, to check what tokenledger prints.
const { trace } = require('@opentelemetry/api');
const OpenAI = require('openai').default;

const client = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
trace.getTracer('app').startActiveSpan('handle ticket', async (span) => {
  for (let i = 0; i < 3; i += 1) {
    await client.chat.completions.create({ model: 'acme-unknown-1', messages: [{ role: 'user', content: `step ${i}` }] });
  }
  span.end();
  console.log('done');
});
