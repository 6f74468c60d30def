// An app with no telemetry setup of its own: 10 requests, each a span of its own around 4 openai chat calls.
// Run by test/register.e2e.test.ts under `node --require tokenledger/register` with OTEL_TRACES_SAMPLER set.
const { trace } = require('@opentelemetry/api');
const OpenAI = require('openai').default;

async function main() {
  const openai = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
  const tracer = trace.getTracer('sampled-calls');
  for (let request = 0; request < 10; request += 1) {
    await tracer.startActiveSpan('POST /ask', async (span) => {
      for (let step = 0; step < 4; step += 1) await openai.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
      span.end();
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
