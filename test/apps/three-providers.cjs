// An app with no OpenTelemetry code of its own: one call to each provider, then a normal exit.
// Run by test/register.e2e.test.ts under `node --require tokenledger/register`.
const OpenAI = require('openai').default;
const Anthropic = require('@anthropic-ai/sdk').default;
const { GoogleGenAI } = require('@google/genai');

async function main() {
  const url = process.env.FAKE_PROVIDER_URL;
  const openai = new OpenAI({ apiKey: 'test-key', baseURL: `${url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: 'test-key', baseURL: url, maxRetries: 0 });
  const gemini = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: url } });
  const completion = await openai.chat.completions.create({ model: 'gpt-5.5', messages: [{ role: 'user', content: 'hi' }] });
  const message = await anthropic.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
  const response = await gemini.models.generateContent({ model: 'gemini-3.8-flash', contents: 'hi' });
  console.log(JSON.stringify({ openai: completion.id, anthropic: message.id, gemini: response.responseId }));
  // The environment as the app sees it after its calls: tokenledger must have added nothing.
  if (process.env.REPORT_ENV) console.log(Object.keys(process.env).sort().join(','));
  if (process.env.EXIT_CODE) process.exitCode = Number(process.env.EXIT_CODE);
  if (process.env.WAIT_FOR_SIGTERM) {
    console.log('ready');
    setInterval(() => {}, 1000);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
