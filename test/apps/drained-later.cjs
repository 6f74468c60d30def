// An app with no telemetry setup of its own: an HTTP-style handler span makes a call, then returns an OpenAI stream
// that its caller drains after the handler's span ended (a common pattern).
// Run by test/register.e2e.test.ts under `node --require tokenledger/register`.
const { trace } = require('@opentelemetry/api');
const OpenAI = require('openai').default;

async function handler(openai) {
  return trace.getTracer('drained-later').startActiveSpan('POST /answer', async (span) => {
    await openai.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'plan' }] });
    const stream = await openai.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'answer' }], stream: true });
    span.end();
    return stream;
  });
}

async function main() {
  const openai = new OpenAI({ apiKey: 'test-key', baseURL: `${process.env.FAKE_PROVIDER_URL}/v1`, maxRetries: 0 });
  const stream = await handler(openai);
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  console.log(text);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
