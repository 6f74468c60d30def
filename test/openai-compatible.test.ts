// The real `openai` package pointed at OpenAI-compatible hosts with their real base URLs (the fake provider answers
// every request): each host is recorded under its own provider and priced at that provider's rates; a server on
// this machine is `local` and priced only by overrides; Azure's streams and deployments; OpenRouter's own cost.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { dataBlock, fixtureJson } from './fake-provider.ts';
import { onlySpan, requireFromTest, startHarness, waitForSpans, type Harness } from './harness.ts';

const instrumentation = new OpenAIInstrumentation();
let harness: Harness;
let OpenAI: typeof OpenAIClient;
let AzureOpenAI: typeof import('openai').AzureOpenAI;

// A self-hosted model priced by the user, under the provider id local servers get.
const prices = {
  providers: [
    {
      id: 'local',
      name: 'Self-hosted',
      api_pattern: '$^',
      models: [{ id: 'acme-coder-32b', match: { equals: 'acme-coder-32b' }, prices: { input_mtok: 0.2, output_mtok: 0.6 } }],
    },
  ],
};

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor({ prices })]);
  const openai = requireFromTest('openai') as typeof import('openai');
  OpenAI = openai.default;
  AzureOpenAI = openai.AzureOpenAI;
});
after(() => harness.stop());
beforeEach(() => {
  harness.reset();
  instrumentation.setConfig({});
  // Every host answers with the model it was asked for, 1000 prompt and 100 completion tokens.
  harness.provider.respondWith('openai.chat', (body) => ({
    json: {
      ...fixtureJson('openai-chat.json'),
      model: body.model,
      service_tier: undefined,
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 },
    },
  }));
});

const ask = (baseURL: string, model: string) =>
  new OpenAI({ apiKey: 'test-key', baseURL, maxRetries: 0, fetch: harness.provider.fetch }).chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'hi' }],
  });

// base URL, model → provider, price entry, USD for 1000 input + 100 output tokens (per MTok rates in the comment).
const hosts: Array<[baseURL: string, model: string, provider: string, entry: string | undefined, usd: number | undefined]> = [
  ['https://api.openai.com/v1', 'gpt-4o-mini', 'openai', 'openai/gpt-4o-mini', 0.00021], // 0.15 / 0.60
  ['https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5', 'openrouter', 'openrouter/anthropic/claude-sonnet-4.5', 0.0045], // 3 / 15
  // Groq's own rate for gpt-oss-120b ($0.15 / $0.60), not OpenAI's ($0.039 / $0.18, 0.000057 for this call).
  ['https://api.groq.com/openai/v1', 'openai/gpt-oss-120b', 'groq', 'groq/openai/gpt-oss-120b', 0.00021],
  // DeepSeek's current rate at any hour (no off-peak window since September 2025), corrected over the bundled data's
  // older 0.27 / 1.10 by day and half that by night (ledger/pricing/price-corrections.ts).
  ['https://api.deepseek.com', 'deepseek-chat', 'deepseek', 'deepseek/deepseek-chat', 0.000322], // 0.28 / 0.42
  ['https://api.together.xyz/v1', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together_ai', 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.000968], // 0.88 / 0.88
  ['https://api.x.ai/v1', 'grok-4', 'x_ai', 'x-ai/grok-4-0709', 0.0045], // 3 / 15
  ['https://api.mistral.ai/v1', 'mistral-large-latest', 'mistral_ai', 'mistral/mistral-large', 0.0026], // 2 / 6
  ['https://api.fireworks.ai/inference/v1', 'accounts/fireworks/models/deepseek-v3p2', 'fireworks_ai', 'fireworks/deepseek-v3p2', 0.000728], // 0.56 / 1.68
  ['https://generativelanguage.googleapis.com/v1beta/openai/', 'gemini-2.5-flash', 'gcp.gemini', 'google/gemini-2.5-flash', 0.00055], // 0.30 / 2.50
  ['https://my-foundry.services.ai.azure.com/openai/v1', 'gpt-4o-mini', 'azure.ai.openai', 'azure/gpt-4o-mini', 0.00021], // 0.15 / 0.60
  // Servers on this machine: unknown cost, never the cloud price of a model with the same name.
  ['http://localhost:11434/v1', 'gpt-oss:20b', 'local', undefined, undefined], // Ollama
  ['http://127.0.0.1:8000/v1', 'openai/gpt-oss-120b', 'local', undefined, undefined], // vLLM
  ['http://localhost:1234/v1', 'acme-coder-32b', 'local', 'local/acme-coder-32b', 0.00026], // priced by the override: 0.2 / 0.6
];

for (const [baseURL, model, provider, entry, usd] of hosts) {
  test(`openai-compatible: ${baseURL} ${model} → ${provider}, ${entry ?? 'unknown cost'}`, async () => {
    await ask(baseURL, model);
    const [sent] = harness.provider.requests;
    assert.equal(sent!.intendedUrl, `${baseURL.replace(/\/$/, '')}/chat/completions`);
    const span = onlySpan(harness.spans());
    const { attributes } = span;
    assert.equal(attributes['gen_ai.provider.name'], provider);
    assert.equal(attributes['server.address'], new URL(baseURL).hostname);
    assert.equal(attributes['tokenledger.cost.price_entry'], entry);
    assert.equal(attributes['tokenledger.cost.usd'], usd);
    assert.equal(attributes['tokenledger.cost.unknown_reason'], usd === undefined ? 'unknown_model' : undefined);
  });
}

test('openai-compatible: a base URL the user maps is taken for the provider it names, longest prefix first', async () => {
  instrumentation.setConfig({
    providerUrls: { 'http://gpu-box.internal:8000': 'local', 'https://gateway.acme.example/v1/groq': 'groq', 'https://gateway.acme.example': 'openai' },
  });
  await ask('http://gpu-box.internal:8000/v1', 'openai/gpt-oss-120b');
  await ask('https://gateway.acme.example/v1/groq', 'openai/gpt-oss-120b');
  await ask('https://gateway.acme.example/v1/openai', 'gpt-4o-mini');
  const spans = harness.spans();
  assert.deepEqual(
    spans.map((span) => [span.attributes['gen_ai.provider.name'], span.attributes['tokenledger.cost.usd']]),
    [
      ['local', undefined],
      ['groq', 0.00021],
      ['openai', 0.00021],
    ],
  );
});

test("openai-compatible: OpenRouter's own usage.cost is the cost, split as the local price splits it, with the difference", async () => {
  harness.provider.enqueue('openai.chat', {
    json: {
      ...fixtureJson('openai-chat.json'),
      model: 'anthropic/claude-sonnet-4.5',
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, cost: 0.0047, is_byok: false },
    },
  });
  await ask('https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5');
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['tokenledger.cost.usd'], 0.0047);
  assert.equal(attributes['tokenledger.cost.source'], 'provider');
  // The local price is 1000 × $3 + 100 × $15 per MTok = 0.0045: 0.0002 below what OpenRouter charged.
  assert.equal(attributes['tokenledger.cost.local_difference.usd'], -0.0002);
  // Its parts, 0.003 input and 0.0015 output, scaled by 0.0047 / 0.0045.
  assert.equal(attributes['tokenledger.cost.uncached_input.usd'], 0.0031333333);
  assert.equal(attributes['tokenledger.cost.output.usd'], 0.0015666667);
  assert.equal(attributes['tokenledger.cost.price_entry'], 'openrouter/anthropic/claude-sonnet-4.5');
});

test('openai-compatible: a provider cost for a model no price data knows is the cost, with no parts and no difference', async () => {
  harness.provider.enqueue('openai.chat', {
    json: {
      ...fixtureJson('openai-chat.json'),
      model: 'newlab/frontier-1',
      usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, cost: 0.0123 },
    },
  });
  await ask('https://openrouter.ai/api/v1', 'newlab/frontier-1');
  const attributes = onlySpan(harness.spans()).attributes;
  const cost = Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith('tokenledger.cost.')));
  assert.deepEqual(cost, { 'tokenledger.cost.usd': 0.0123, 'tokenledger.cost.source': 'provider' });
});

test('openai-compatible: a malformed provider cost is ignored and the local price stands', async () => {
  harness.provider.enqueue('openai.chat', {
    json: { ...fixtureJson('openai-chat.json'), model: 'anthropic/claude-sonnet-4.5', usage: { prompt_tokens: 1000, completion_tokens: 100, cost: '0.0047' } },
  });
  await ask('https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5');
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['tokenledger.cost.usd'], 0.0045);
  assert.equal(attributes['tokenledger.cost.source'], 'bundled');
});

// LiteLLM's proxy prices each call itself and sends the price in the `x-litellm-response-cost` header.
const litellmReply = (headers: Record<string, string>, usage: object = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 }) => ({
  json: { ...fixtureJson('openai-chat.json'), model: 'gpt-4o-mini', service_tier: undefined, usage },
  headers: { 'content-type': 'application/json', ...headers },
});

test("openai-compatible: a gateway's cost header (LiteLLM) is the cost, with the local price's difference", async () => {
  harness.provider.enqueue('openai.chat', litellmReply({ 'x-litellm-response-cost': '0.00025' }));
  const completion = await ask('https://litellm.acme.example/v1', 'gpt-4o-mini');
  assert.equal(completion.usage?.total_tokens, 1100);
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['tokenledger.cost.usd'], 0.00025);
  assert.equal(attributes['tokenledger.cost.source'], 'provider');
  // The local price: 1000 × $0.15 + 100 × $0.60 per MTok = 0.00021, 0.00004 below what the gateway charged.
  assert.equal(attributes['tokenledger.cost.local_difference.usd'], -0.00004);
  assert.equal(attributes['tokenledger.cost.price_entry'], 'openai/gpt-4o-mini');
});

test('openai-compatible: a cost in the body is taken before the header; a malformed header is ignored', async () => {
  harness.provider.enqueue(
    'openai.chat',
    litellmReply({ 'x-litellm-response-cost': '0.00025' }, { prompt_tokens: 1000, completion_tokens: 100, cost: 0.0003 }),
  );
  harness.provider.enqueue('openai.chat', litellmReply({ 'x-litellm-response-cost': 'n/a' }));
  harness.provider.enqueue('openai.chat', litellmReply({ 'x-litellm-response-cost': '-0.01' }));
  await ask('https://litellm.acme.example/v1', 'gpt-4o-mini');
  await ask('https://litellm.acme.example/v1', 'gpt-4o-mini');
  await ask('https://litellm.acme.example/v1', 'gpt-4o-mini');
  assert.deepEqual(
    harness.spans().map((span) => [span.attributes['tokenledger.cost.usd'], span.attributes['tokenledger.cost.source']]),
    [
      [0.0003, 'provider'],
      [0.00021, 'bundled'],
      [0.00021, 'bundled'],
    ],
  );
});

test("openai-compatible: a streamed response's cost header is not read (sent before the tokens exist)", async () => {
  harness.provider.enqueue('openai.chat', {
    sse: azureStream('gpt-4o-mini'),
    headers: { 'content-type': 'text/event-stream', 'x-litellm-response-cost': '0.0' },
  });
  const client = new OpenAI({ apiKey: 'test-key', baseURL: 'https://litellm.acme.example/v1', maxRetries: 0, fetch: harness.provider.fetch });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
  for await (const _ of stream);
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['tokenledger.cost.usd'], 0.00021);
  assert.equal(attributes['tokenledger.cost.source'], 'bundled');
});

/** An Azure chat stream: the content-filter chunk first (no id, no model), then the deployment's model's chunks. */
function azureStream(model: string): string[] {
  const chunk = (payload: object) =>
    dataBlock({ id: 'chatcmpl-az1', object: 'chat.completion.chunk', created: 1764000000, model, system_fingerprint: 'fp_az', ...payload });
  return [
    dataBlock({
      id: '',
      object: '',
      created: 0,
      model: '',
      choices: [],
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }],
    }),
    chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: 'Paris.' }, finish_reason: null, content_filter_results: {} }] }),
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop', content_filter_results: {} }] }),
    chunk({ choices: [], usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } }),
    'data: [DONE]\n\n',
  ];
}

test("azure stream: the model and id come from the first chunk that carries them; priced by the deployment's model", async () => {
  harness.provider.enqueue('openai.chat', { sse: azureStream('gpt-4o-mini-2024-07-18') });
  const client = new AzureOpenAI({
    endpoint: 'https://acme-eastus.openai.azure.com',
    apiKey: 'test-key',
    apiVersion: '2025-04-01-preview',
    deployment: 'prod-chat',
    maxRetries: 0,
    fetch: harness.provider.fetch,
  });
  const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Capital of France?' }] });
  const chunks: unknown[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  assert.equal(chunks.length, 3, 'the app sees the filter chunk and the content chunks; the usage chunk it did not ask for is hidden');
  assert.match(
    harness.provider.requests[0]!.intendedUrl!,
    /^https:\/\/acme-eastus\.openai\.azure\.com\/openai\/deployments\/prod-chat\/chat\/completions\?api-version=/,
  );
  const attributes = (await waitForSpans(harness, 1))[0]!.attributes;
  assert.equal(attributes['gen_ai.provider.name'], 'azure.ai.openai');
  assert.equal(attributes['gen_ai.request.model'], 'gpt-4o');
  assert.equal(attributes['tokenledger.request.deployment'], 'prod-chat');
  assert.equal(attributes['gen_ai.response.id'], 'chatcmpl-az1');
  assert.equal(attributes['gen_ai.response.model'], 'gpt-4o-mini-2024-07-18');
  // gpt-4o-mini on Azure: 1000 × $0.15 + 100 × $0.60 per MTok (the request's gpt-4o would be 0.0035, 16× more).
  assert.equal(attributes['tokenledger.cost.price_entry'], 'azure/gpt-4o-mini');
  assert.equal(attributes['tokenledger.cost.usd'], 0.00021);
});

test("azure: without a client deployment, the request's model is the deployment", async () => {
  harness.provider.enqueue('openai.chat', {
    json: {
      ...fixtureJson('openai-chat.json'),
      model: 'gpt-4o-mini-2024-07-18',
      service_tier: undefined,
      usage: { prompt_tokens: 1000, completion_tokens: 100 },
    },
  });
  const client = new AzureOpenAI({
    endpoint: 'https://acme.cognitiveservices.azure.com',
    apiKey: 'test-key',
    apiVersion: '2025-04-01-preview',
    maxRetries: 0,
    fetch: harness.provider.fetch,
  });
  await client.chat.completions.create({ model: 'team-mini', messages: [{ role: 'user', content: 'hi' }] });
  const attributes = onlySpan(harness.spans()).attributes;
  assert.equal(attributes['gen_ai.provider.name'], 'azure.ai.openai');
  assert.equal(attributes['tokenledger.request.deployment'], 'team-mini');
  assert.equal(attributes['tokenledger.cost.usd'], 0.00021);
});
