// Defect the ledger refactor fixes: a malformed count never gets a cost. A table of malformed usage objects from
// all three providers (OpenAI chat and responses, Anthropic, Gemini) goes through the real SDKs against the fake
// provider with the span processor installed. For every one, the span must say the usage is malformed, carry no
// cost figure at all (a bill with a part read as zero is a wrong bill), say why the cost is unknown, and leave
// off the malformed figure's own attribute. The test reports every case that fails, and how many.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type AnthropicClient from '@anthropic-ai/sdk';
import type * as GenAI from '@google/genai';
import type OpenAIClient from 'openai';
// Project modules (their paths move in the refactor):
import { AnthropicInstrumentation, GoogleGenAIInstrumentation, OpenAIInstrumentation, TokenledgerSpanProcessor } from '../index.ts';
import { fixtureJson, type Route } from './fake-provider.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';
import { testMeterProvider } from './metric-reader.ts';

let harness: Harness;
let openai: OpenAIClient;
let anthropic: AnthropicClient;
let gemini: GenAI.GoogleGenAI;

before(async () => {
  const { meterProvider } = testMeterProvider();
  harness = await startHarness(
    [new OpenAIInstrumentation(), new AnthropicInstrumentation(), new GoogleGenAIInstrumentation()],
    [new TokenledgerSpanProcessor({ meterProvider })],
  );
  const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
  openai = new OpenAI({ apiKey: 'test-key', fetch: harness.provider.fetch, maxRetries: 0 });
  const Anthropic = requireFromTest('@anthropic-ai/sdk').default as typeof AnthropicClient;
  anthropic = new Anthropic({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0, openTelemetry: false });
  const genai = requireFromTest('@google/genai') as typeof GenAI;
  gemini = new genai.GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: harness.provider.url } });
});
after(() => harness.stop());
beforeEach(() => harness.reset());

// A value JSON cannot carry (1e400 parses to Infinity): written into the body text in place of this marker.
const INFINITY = '__infinity__';
// Malformed counts: negative, fractional, numeric strings, NaN-like, unsafe, boolean, object, array.
const BAD: Array<[string, unknown]> = [
  ['negative', -4096],
  ['fractional', 4096.5],
  ['string', '4096'],
  ['NaN string', 'NaN'],
  ['infinity', INFINITY],
  ['unsafe integer', 2 ** 53],
  ['true', true],
  ['object', { value: 4096 }],
  ['array', [4096]],
];
const some = (...names: string[]) => BAD.filter(([name]) => names.includes(name));

type Usage = Record<string, unknown>;
interface Case {
  name: string;
  route: Route;
  /** The response body's usage (or usageMetadata). */
  usage: Usage;
  /** The attribute(s) of the malformed figure, which must be absent. */
  absent: string[];
  /** For counts that contradict each other (a part larger than its whole): at least one of these is absent. */
  absentAny?: string[];
}

const INPUT = 'gen_ai.usage.input_tokens';
const OUTPUT = 'gen_ai.usage.output_tokens';
const CACHE_READ = 'gen_ai.usage.cache_read.input_tokens';
const CACHE_WRITE = 'gen_ai.usage.cache_write.input_tokens';
const REASONING = 'gen_ai.usage.reasoning.output_tokens';
const TTL_5M = 'tokenledger.usage.cache_write.ttl_5m.input_tokens';
const TTL_1H = 'tokenledger.usage.cache_write.ttl_1h.input_tokens';
const WEB_SEARCHES = 'tokenledger.usage.web_search.requests';

/** `base` with the value at `path` (dot-separated) replaced. */
function withValue(base: Usage, path: string, value: unknown): Usage {
  const copy = structuredClone(base);
  const keys = path.split('.');
  let at = copy;
  for (const key of keys.slice(0, -1)) at = at[key] as Usage;
  at[keys.at(-1)!] = value;
  return copy;
}

function badCases(route: Route, label: string, base: Usage, fields: Array<[string, string[], Array<[string, unknown]>]>): Case[] {
  return fields.flatMap(([path, absent, values]) =>
    values.map(([kind, value]) => ({ name: `${label} ${path} ${kind}`, route, usage: withValue(base, path, value), absent })),
  );
}

// Well-formed bases (each prices cleanly on its own): gpt-4.1, claude-sonnet-4-5, gemini-2.5-flash.
const CHAT: Usage = {
  prompt_tokens: 10000,
  completion_tokens: 500,
  prompt_tokens_details: { cached_tokens: 4096, cache_write_tokens: 1000 },
  completion_tokens_details: { reasoning_tokens: 100 },
};
const RESPONSES: Usage = {
  input_tokens: 10000,
  output_tokens: 500,
  total_tokens: 10500,
  input_tokens_details: { cached_tokens: 4096 },
  output_tokens_details: { reasoning_tokens: 100 },
};
const ANTHROPIC: Usage = {
  input_tokens: 100,
  cache_read_input_tokens: 4096,
  cache_creation_input_tokens: 3000,
  cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
  output_tokens: 500,
  output_tokens_details: { thinking_tokens: 100 },
  server_tool_use: { web_search_requests: 1 },
};
const GEMINI: Usage = {
  promptTokenCount: 10000,
  candidatesTokenCount: 400,
  thoughtsTokenCount: 100,
  cachedContentTokenCount: 4096,
  toolUsePromptTokenCount: 50,
  totalTokenCount: 10550,
};

const CASES: Case[] = [
  ...badCases('openai.chat', 'chat', CHAT, [
    ['prompt_tokens', [INPUT], some('negative', 'fractional', 'string', 'infinity', 'true')],
    ['completion_tokens', [OUTPUT], some('negative', 'fractional', 'string', 'object')],
    ['prompt_tokens_details.cached_tokens', [CACHE_READ], BAD],
    ['prompt_tokens_details.cache_write_tokens', [CACHE_WRITE], some('negative', 'fractional', 'string', 'true', 'object')],
    ['completion_tokens_details.reasoning_tokens', [REASONING], BAD],
  ]),
  {
    name: 'chat cached_tokens > prompt_tokens',
    route: 'openai.chat',
    usage: withValue(CHAT, 'prompt_tokens_details.cached_tokens', 10001),
    absent: [],
    absentAny: [INPUT, CACHE_READ],
  },
  {
    name: 'chat reasoning_tokens > completion_tokens',
    route: 'openai.chat',
    usage: withValue(CHAT, 'completion_tokens_details.reasoning_tokens', 501),
    absent: [],
    absentAny: [OUTPUT, REASONING],
  },
  ...badCases('openai.responses', 'responses', RESPONSES, [
    ['input_tokens', [INPUT], some('negative', 'string')],
    ['output_tokens', [OUTPUT], some('fractional', 'true')],
    ['input_tokens_details.cached_tokens', [CACHE_READ], some('negative', 'fractional', 'string', 'NaN string', 'true', 'object')],
    ['output_tokens_details.reasoning_tokens', [REASONING], some('negative', 'fractional', 'string', 'infinity', 'true', 'object')],
  ]),
  {
    name: 'responses cached_tokens > input_tokens',
    route: 'openai.responses',
    usage: withValue(RESPONSES, 'input_tokens_details.cached_tokens', 10001),
    absent: [],
    absentAny: [INPUT, CACHE_READ],
  },
  {
    name: 'responses reasoning_tokens > output_tokens',
    route: 'openai.responses',
    usage: withValue(RESPONSES, 'output_tokens_details.reasoning_tokens', 501),
    absent: [],
    absentAny: [OUTPUT, REASONING],
  },
  ...badCases('anthropic.messages', 'anthropic', ANTHROPIC, [
    ['input_tokens', [INPUT], some('negative', 'string')],
    ['cache_read_input_tokens', [CACHE_READ], some('fractional', 'string')],
    ['cache_creation_input_tokens', [CACHE_WRITE], some('negative', 'true')],
    ['output_tokens', [OUTPUT], some('fractional', 'object')],
    ['cache_creation.ephemeral_5m_input_tokens', [TTL_5M], some('negative', 'fractional', 'string', 'true')],
    ['cache_creation.ephemeral_1h_input_tokens', [TTL_1H], some('negative', 'fractional', 'string', 'object')],
    ['output_tokens_details.thinking_tokens', [REASONING], some('negative', 'fractional', 'string')],
    ['server_tool_use.web_search_requests', [WEB_SEARCHES], some('negative', 'fractional', 'string')],
  ]),
  // The TTL split must add up to the cache writes; above and below is a stale split.
  {
    name: 'anthropic ephemeral 5m + 1h above cache_creation',
    route: 'anthropic.messages',
    usage: withValue(ANTHROPIC, 'cache_creation.ephemeral_1h_input_tokens', 2500),
    absent: [TTL_5M, TTL_1H],
  },
  {
    name: 'anthropic ephemeral 5m + 1h below cache_creation',
    route: 'anthropic.messages',
    usage: withValue(ANTHROPIC, 'cache_creation.ephemeral_5m_input_tokens', 400),
    absent: [TTL_5M, TTL_1H],
  },
  {
    name: 'anthropic thinking_tokens > output_tokens',
    route: 'anthropic.messages',
    usage: withValue(ANTHROPIC, 'output_tokens_details.thinking_tokens', 501),
    absent: [],
    absentAny: [OUTPUT, REASONING],
  },
  ...badCases('gemini.generate', 'gemini', GEMINI, [
    ['promptTokenCount', [INPUT], some('negative', 'string')],
    ['candidatesTokenCount', [OUTPUT], some('fractional', 'true')],
    ['cachedContentTokenCount', [CACHE_READ], some('negative', 'fractional', 'string', 'true')],
    ['thoughtsTokenCount', [REASONING], some('negative', 'fractional', 'string', 'object')],
    ['toolUsePromptTokenCount', [INPUT], some('negative', 'string')],
  ]),
  {
    name: 'gemini cachedContentTokenCount > promptTokenCount + toolUsePromptTokenCount',
    route: 'gemini.generate',
    usage: withValue(GEMINI, 'cachedContentTokenCount', 10051),
    absent: [],
    absentAny: [INPUT, CACHE_READ],
  },
];

/** The response body for a case, as text (so INFINITY can be written as 1e400). */
function responseText(c: Case): string {
  let body: Record<string, unknown>;
  switch (c.route) {
    case 'openai.chat':
      body = { ...fixtureJson('openai-chat.json'), model: 'gpt-4.1-2025-04-14', usage: c.usage };
      delete body.service_tier;
      break;
    case 'openai.responses':
      body = { ...fixtureJson('openai-responses.json'), model: 'gpt-4.1-2025-04-14', usage: c.usage };
      delete body.service_tier;
      break;
    case 'anthropic.messages':
      body = { ...fixtureJson('anthropic-messages.json'), model: 'claude-sonnet-4-5-20250929', usage: c.usage };
      break;
    default:
      body = { ...fixtureJson('gemini-generate.json'), modelVersion: 'gemini-2.5-flash', usageMetadata: c.usage };
  }
  return JSON.stringify(body).replaceAll(`"${INFINITY}"`, '1e400');
}

async function send(c: Case): Promise<void> {
  harness.provider.enqueue(c.route, { text: responseText(c), headers: { 'content-type': 'application/json' } });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  switch (c.route) {
    case 'openai.chat':
      await openai.chat.completions.create({ model: 'gpt-4.1', messages });
      return;
    case 'openai.responses':
      await openai.responses.create({ model: 'gpt-4.1', input: 'hi' });
      return;
    case 'anthropic.messages':
      await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
      return;
    default:
      await gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
  }
}

test(`malformed defect 4: none of ${CASES.length} malformed usage objects gets a cost`, async () => {
  assert.ok(CASES.length >= 80, `the table has ${CASES.length} cases`);
  // The control: each well-formed base is priced on its own, so what the table changes is what makes it malformed.
  for (const [route, usage] of [
    ['openai.chat', CHAT],
    ['openai.responses', RESPONSES],
    ['anthropic.messages', ANTHROPIC],
    ['gemini.generate', GEMINI],
  ] as const) {
    harness.reset();
    await send({ name: `${route} control`, route, usage, absent: [] });
    const [span] = harness.spans();
    assert.equal(span?.attributes['tokenledger.usage.unknown_reason'], undefined, `${route} control: well-formed`);
    assert.equal(typeof span?.attributes['tokenledger.cost.usd'], 'number', `${route} control: priced`);
  }
  const failures: string[] = [];
  let priced = 0;
  for (const c of CASES) {
    harness.reset();
    try {
      await send(c);
    } catch (error) {
      failures.push(`${c.name}: the SDK call failed (${(error as Error).message})`);
      continue;
    }
    const spans = harness.spans();
    if (spans.length !== 1) {
      failures.push(`${c.name}: ${spans.length} spans`);
      continue;
    }
    const attributes = spans[0]!.attributes;
    const problems: string[] = [];
    if (attributes['tokenledger.usage.unknown_reason'] !== 'usage_malformed')
      problems.push(`usage.unknown_reason = ${String(attributes['tokenledger.usage.unknown_reason'])}`);
    const costKeys = Object.keys(attributes).filter((key) => key.startsWith('tokenledger.cost.') && key.endsWith('.usd'));
    if (costKeys.length > 0) {
      if (attributes['tokenledger.cost.usd'] !== undefined) priced += 1;
      problems.push(`priced: cost.usd = ${String(attributes['tokenledger.cost.usd'])} and ${costKeys.length - 1} more cost figures`);
    }
    if (attributes['tokenledger.cost.unknown_reason'] !== 'usage_unknown')
      problems.push(`cost.unknown_reason = ${String(attributes['tokenledger.cost.unknown_reason'])}`);
    for (const key of c.absent) if (attributes[key] !== undefined) problems.push(`${key} = ${JSON.stringify(attributes[key])}`);
    if (c.absentAny?.every((key) => attributes[key] !== undefined)) {
      problems.push(`contradicting figures all written: ${c.absentAny.map((key) => `${key} = ${JSON.stringify(attributes[key])}`).join(', ')}`);
    }
    if (problems.length > 0) failures.push(`${c.name}: ${problems.join('; ')}`);
  }
  assert.ok(failures.length === 0, `${failures.length} of ${CASES.length} malformed cases are wrong (${priced} got a cost):\n${failures.join('\n')}`);
});
