// TOKENLEDGER_BACKEND_CONVENTIONS: a real Anthropic SDK call (the fake provider's fixture: 50 uncached, 12 000
// cache-read, 1 000 five-minute and 2 000 one-hour cache-write input tokens, 530 output of which 500 thinking) is
// written in OpenInference's and Langfuse's conventions too, and read back the way each backend documents (and its
// ingestion code does, where public) — Langfuse, Arize Phoenix and Datadog — once with the option, once without, to
// show what the option changes.
// Prices (claude-sonnet-5): $2 input, $0.20 cache read, $2.50 5-min write, $4 1-h write, $10 output per MTok.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type AnthropicClient from '@anthropic-ai/sdk';
import { AnthropicInstrumentation } from '../instrumentation/anthropic/instrumentation.ts';
import { TokenledgerSpanProcessor } from '../processor/span-processor.ts';
import { fixtureJson } from './fake-provider.ts';
import { requireFromTest, startHarness, type Harness } from './harness.ts';

const instrumentation = new AnthropicInstrumentation();
let harness: Harness;
let client: AnthropicClient;

before(async () => {
  harness = await startHarness([instrumentation], [new TokenledgerSpanProcessor({ backendConventions: ['openinference', 'langfuse'] })]);
  const Anthropic = requireFromTest('@anthropic-ai/sdk').default as typeof AnthropicClient;
  client = new Anthropic({ apiKey: 'test-key', baseURL: harness.provider.url, maxRetries: 0, openTelemetry: false });
});
after(() => harness.stop());

async function callAttributes(): Promise<Attributes> {
  harness.reset();
  await client.messages.create(fixtureJson('anthropic-messages.request.json') as unknown as AnthropicClient.MessageCreateParamsNonStreaming);
  const span = harness.spans().find((s) => s.name === 'chat claude-sonnet-5-5');
  assert.ok(span);
  return span.attributes;
}

const withoutOption = (attributes: Attributes) =>
  Object.fromEntries(
    Object.entries(attributes).filter(([key]) => !key.startsWith('llm.') && !key.startsWith('openinference.') && !key.startsWith('langfuse.')),
  );

/**
 * Langfuse's reading of an OTLP span (OtelIngestionProcessor: `langfuse.observation.usage_details` /
 * `cost_details` JSON first; else every `gen_ai.usage.*` key but `gen_ai.usage.cost`, and every `llm.token_count.*`
 * key, its prefix stripped, `input_tokens`/`prompt` → input, `output_tokens`/`completion` → output; cost else
 * `gen_ai.usage.cost`, else inferred from Langfuse's own prices), and its UI (docs, "Model Usage & Cost Tracking":
 * usage types whose name contains `input` are input, `output` output; without a `total` type, all types are summed).
 */
function langfuseView(attributes: Attributes) {
  const rename: Record<string, string> = {
    prompt_tokens: 'input',
    completion_tokens: 'output',
    total_tokens: 'total',
    input_tokens: 'input',
    output_tokens: 'output',
    prompt: 'input',
    completion: 'output',
  };
  let usage: Record<string, number>;
  if (typeof attributes['langfuse.observation.usage_details'] === 'string') usage = JSON.parse(attributes['langfuse.observation.usage_details']);
  else {
    usage = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (!((key.startsWith('gen_ai.usage.') && key !== 'gen_ai.usage.cost') || key.startsWith('llm.token_count'))) continue;
      const type = key.replace('gen_ai.usage.', '').replace('llm.token_count.', '');
      if (!Number.isNaN(Number(value))) usage[rename[type] ?? type] = Number(value);
    }
  }
  const cost: Record<string, number> | 'inferred from Langfuse prices' =
    typeof attributes['langfuse.observation.cost_details'] === 'string'
      ? JSON.parse(attributes['langfuse.observation.cost_details'])
      : attributes['gen_ai.usage.cost'] !== undefined
        ? { total: Number(attributes['gen_ai.usage.cost']) }
        : 'inferred from Langfuse prices';
  const sum = (values: Record<string, number>, has: (type: string) => boolean) =>
    Math.round(
      Object.entries(values)
        .filter(([type]) => type !== 'total' && has(type))
        .reduce((total, [, value]) => total + value, 0) * 1e10,
    ) / 1e10;
  const totalOf = (values: Record<string, number>) => values.total ?? sum(values, () => true);
  return {
    input: sum(usage, (type) => type.includes('input')),
    output: sum(usage, (type) => type.includes('output')),
    total: totalOf(usage),
    cost:
      cost === 'inferred from Langfuse prices'
        ? cost
        : { input: sum(cost, (type) => type.includes('input')), output: sum(cost, (type) => type.includes('output')), total: totalOf(cost) },
  };
}

/**
 * Arize Phoenix's reading (15.10+: `gen_ai.*` converted to OpenInference, existing OpenInference keys winning; cache
 * writes only from `gen_ai.usage.cache_creation.input_tokens`), then its cost calculator's token types: each
 * `prompt_details.*` / `completion_details.*` count, and the rest of the prompt as `input`, of the completion as
 * `output` (each priced at Phoenix's own rate for that type).
 */
function phoenixView(attributes: Attributes) {
  const converted: Attributes = {
    'llm.token_count.prompt': attributes['gen_ai.usage.input_tokens'],
    'llm.token_count.completion': attributes['gen_ai.usage.output_tokens'],
    'llm.token_count.prompt_details.cache_read': attributes['gen_ai.usage.cache_read.input_tokens'],
    'llm.token_count.prompt_details.cache_write': attributes['gen_ai.usage.cache_creation.input_tokens'],
  };
  const oi: Attributes = { ...Object.fromEntries(Object.entries(converted).filter(([, value]) => value !== undefined)), ...attributes };
  const details = (side: 'prompt' | 'completion') => {
    const prefix = `llm.token_count.${side}_details.`;
    const found = Object.fromEntries(
      Object.entries(oi)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), Number(value)]),
    );
    const rest = Number(oi[`llm.token_count.${side}`] ?? 0) - Object.values(found).reduce((total, value) => total + value, 0);
    return { [side === 'prompt' ? 'input' : 'output']: rest, ...found };
  };
  return { prompt: details('prompt'), completion: details('completion'), costs: Object.keys(oi).filter((key) => key.startsWith('llm.cost.')).length > 0 };
}

/**
 * Datadog LLM (Agent) Observability's reading of an OTLP span sent with `dd-otlp-source=llmobs` (docs, "OpenTelemetry
 * Instrumentation", Attribute mapping reference): from the GenAI conventions 1.37+ only `gen_ai.usage.input_tokens`,
 * `output_tokens`, `prompt_tokens`, `completion_tokens` and `total_tokens` become metrics; a span with
 * `openinference.span.kind` is also read as OpenInference, whose `llm.token_count.prompt` / `completion` / `total` and
 * the `prompt_details.cache_read` / `cache_write` and `completion_details.reasoning` details are metrics too. Other
 * `gen_ai.*` keys become tags, their prefix stripped; no span attribute is read as a cost. Its cost estimate, from its
 * own prices, takes input as uncached unless cache metrics say otherwise (docs, "Cost"; DataDog/dd-trace-py#16818):
 * `non_cached_input_tokens` below.
 */
function datadogView(attributes: Attributes) {
  const metrics: Record<string, number> = {};
  const take = (field: string, key: string) => {
    if (attributes[key] !== undefined) metrics[field] = Number(attributes[key]);
  };
  take('input_tokens', 'gen_ai.usage.input_tokens');
  take('output_tokens', 'gen_ai.usage.output_tokens');
  take('prompt_tokens', 'gen_ai.usage.prompt_tokens');
  take('completion_tokens', 'gen_ai.usage.completion_tokens');
  take('total_tokens', 'gen_ai.usage.total_tokens');
  if (typeof attributes['openinference.span.kind'] === 'string' && attributes['openinference.span.kind'] !== '') {
    take('prompt_tokens', 'llm.token_count.prompt');
    take('completion_tokens', 'llm.token_count.completion');
    take('total_tokens', 'llm.token_count.total');
    take('cache_read_input_tokens', 'llm.token_count.prompt_details.cache_read');
    take('cache_write_input_tokens', 'llm.token_count.prompt_details.cache_write');
    take('reasoning_output_tokens', 'llm.token_count.completion_details.reasoning');
  }
  const input = metrics.input_tokens ?? metrics.prompt_tokens ?? 0;
  const nonCachedInputTokens = input - (metrics.cache_read_input_tokens ?? 0) - (metrics.cache_write_input_tokens ?? 0);
  const usageTags = Object.keys(attributes)
    .filter(
      (key) =>
        key.startsWith('gen_ai.usage.') &&
        !['input_tokens', 'output_tokens', 'prompt_tokens', 'completion_tokens', 'total_tokens'].includes(key.slice('gen_ai.usage.'.length)),
    )
    .map((key) => `${key.slice('gen_ai.'.length)}:${String(attributes[key])}`)
    .sort();
  return { metrics, nonCachedInputTokens, usageTags };
}

test("backend conventions: the OpenInference and Langfuse attributes carry the call's parts, subsets and costs", async () => {
  const attributes = await callAttributes();
  const written = Object.fromEntries(
    Object.entries(attributes).filter(([key]) => key.startsWith('llm.') || key.startsWith('openinference.') || key.startsWith('langfuse.')),
  );
  assert.deepEqual(written, {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'anthropic',
    'llm.model_name': 'claude-sonnet-5-5',
    'llm.token_count.prompt': 15050, // 50 + 12 000 + 1 000 + 2 000
    'llm.token_count.completion': 530,
    'llm.token_count.total': 15580,
    'llm.token_count.prompt_details.cache_read': 12000,
    'llm.token_count.prompt_details.cache_write': 3000,
    'llm.token_count.completion_details.reasoning': 500,
    'llm.cost.prompt': 0.013, // 0.0001 + 0.0024 + 0.0025 + 0.008
    'llm.cost.completion': 0.0053, // 530 × 10 / 1e6
    'llm.cost.total': 0.0183,
    'llm.cost.prompt_details.input': 0.0001,
    'llm.cost.prompt_details.cache_read': 0.0024,
    'llm.cost.prompt_details.cache_write': 0.0105, // 0.0025 + 0.008
    'llm.cost.completion_details.reasoning': 0.005,
    'llm.cost.completion_details.output': 0.0003, // 0.0053 − 0.005
    'langfuse.observation.usage_details': JSON.stringify({
      input: 50,
      input_cache_read: 12000,
      input_cache_creation: 1000,
      input_cache_creation_1h: 2000,
      output: 530,
      total: 15580,
    }),
    'langfuse.observation.cost_details': JSON.stringify({
      input: 0.0001,
      input_cache_read: 0.0024,
      input_cache_creation: 0.0025,
      input_cache_creation_1h: 0.008,
      output: 0.0053,
      total: 0.0183,
    }),
  });
});

test("backend conventions: Langfuse shows tokenledger's input, output, total and dollars with the option; without it, it counts the cache twice and prices by itself", async () => {
  const attributes = await callAttributes();
  assert.deepEqual(langfuseView(attributes), { input: 15050, output: 530, total: 15580, cost: { input: 0.013, output: 0.0053, total: 0.0183 } });
  // Without: the cache subsets become usage types of their own (`cache_read.input_tokens`, …) and are summed.
  assert.deepEqual(langfuseView(withoutOption(attributes)), {
    input: 30050, // 15 050 + 12 000 + 3 000
    output: 1030, // 530 + 500 reasoning
    total: 31080,
    cost: 'inferred from Langfuse prices',
  });
});

test("backend conventions: Phoenix prices each of tokenledger's token types with the option; without it, cache writes count as plain input", async () => {
  const attributes = await callAttributes();
  assert.deepEqual(phoenixView(attributes), {
    prompt: { input: 50, cache_read: 12000, cache_write: 3000 },
    completion: { output: 30, reasoning: 500 },
    costs: true,
  });
  assert.deepEqual(phoenixView(withoutOption(attributes)), {
    prompt: { input: 3050, cache_read: 12000 }, // `gen_ai.usage.cache_write.input_tokens` is not read
    completion: { output: 530 },
    costs: false,
  });
});

test('backend conventions: Datadog reads the cache and reasoning split only from the OpenInference attributes; without them its estimate takes all input as uncached', async () => {
  const attributes = await callAttributes();
  assert.deepEqual(datadogView(attributes), {
    metrics: {
      input_tokens: 15050,
      output_tokens: 530,
      prompt_tokens: 15050,
      completion_tokens: 530,
      total_tokens: 15580,
      cache_read_input_tokens: 12000,
      cache_write_input_tokens: 3000, // 1 000 five-minute + 2 000 one-hour: Datadog has one cache-write count
      reasoning_output_tokens: 500,
    },
    nonCachedInputTokens: 50,
    usageTags: ['usage.cache_read.input_tokens:12000', 'usage.cache_write.input_tokens:3000', 'usage.reasoning.output_tokens:500'],
  });
  // Without the option: two token metrics; the cache counts are tags only, so 15 000 cached tokens are estimated as uncached input.
  assert.deepEqual(datadogView(withoutOption(attributes)), {
    metrics: { input_tokens: 15050, output_tokens: 530 },
    nonCachedInputTokens: 15050,
    usageTags: ['usage.cache_read.input_tokens:12000', 'usage.cache_write.input_tokens:3000', 'usage.reasoning.output_tokens:500'],
  });
});

test('backend conventions: a call whose usage is unknown gets no token or cost attributes in either convention', async () => {
  harness.reset();
  // Another instrumentation's span with no output count: its usage is unknown, so it is not priced.
  trace
    .getTracer('other-instrumentation')
    .startSpan('chat gpt-4.1', {
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1', 'gen_ai.usage.input_tokens': 100 },
    })
    .end();
  const span = harness.spans()[0]!;
  const written = Object.keys(span.attributes).filter((key) => key.startsWith('llm.') || key.startsWith('langfuse.') || key.startsWith('openinference.'));
  assert.deepEqual(written.sort(), ['llm.model_name', 'llm.provider', 'openinference.span.kind']);
  assert.equal(span.attributes['tokenledger.cost.unknown_reason'], 'usage_unknown');
});
