import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { normalisedAttributes, spanUsage } from './registry.ts';
import { usageFigures } from '../usage-figures.ts';

/** What the processor (and collector mode) adds to a span another instrumentation made; undefined when nothing. */
function added(attributes: Attributes, scope: string): Attributes | undefined {
  const read = spanUsage(attributes, scope);
  return read && normalisedAttributes(attributes, read, usageFigures(read.usage));
}

const cases: Array<{ name: string; scope: string; attributes: Record<string, unknown>; expected: Record<string, unknown> | undefined }> = [
  {
    name: 'current GenAI names (e.g. @opentelemetry/instrumentation-openai): input already includes the cache',
    scope: '@opentelemetry/instrumentation-openai',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 2150,
      'gen_ai.usage.output_tokens': 420,
      'gen_ai.usage.cache_read.input_tokens': 1920,
    },
    expected: {
      'tokenledger.usage.source_convention': 'genai',
      'gen_ai.usage.cache_write.input_tokens': 0,
      'tokenledger.usage.uncached.input_tokens': 230,
    },
  },
  {
    name: "reasoning under the older spelling gen_ai.usage.reasoning_tokens (Mastra's bridge) is read",
    scope: '@mastra/otel-bridge',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 2150,
      'gen_ai.usage.output_tokens': 420,
      'gen_ai.usage.reasoning_tokens': 384,
    },
    expected: {
      'tokenledger.usage.source_convention': 'genai',
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'tokenledger.usage.uncached.input_tokens': 2150,
      'gen_ai.usage.reasoning.output_tokens': 384,
    },
  },
  {
    name: 'legacy GenAI names: gen_ai.system, prompt_tokens / completion_tokens',
    scope: 'some-old-instrumentation',
    attributes: {
      'gen_ai.system': 'vertex_ai',
      'gen_ai.request.model': 'gemini-2.5-pro',
      'gen_ai.usage.prompt_tokens': 900,
      'gen_ai.usage.completion_tokens': 80,
    },
    expected: {
      'tokenledger.usage.source_convention': 'genai_legacy',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 80,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'tokenledger.usage.uncached.input_tokens': 900,
    },
  },
  {
    name: 'OpenLLMetry-JS Anthropic: input excludes the cache, so the cache is added back (50 + 12000 + 3000)',
    scope: '@traceloop/instrumentation-anthropic',
    attributes: {
      'gen_ai.system': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.prompt_tokens': 50,
      'gen_ai.usage.completion_tokens': 530,
      'gen_ai.usage.cache_read.input_tokens': 12000,
      'gen_ai.usage.cache_creation.input_tokens': 3000,
    },
    expected: {
      'tokenledger.usage.source_convention': 'anthropic_excluding_cache',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 15050,
      'gen_ai.usage.output_tokens': 530,
      'gen_ai.usage.cache_write.input_tokens': 3000,
      'tokenledger.usage.cache_write.ttl_5m.input_tokens': 3000,
      'tokenledger.usage.cache_write.ttl_1h.input_tokens': 0,
      'tokenledger.usage.uncached.input_tokens': 50,
    },
  },
  {
    name: 'an unknown instrumentation whose Anthropic cache exceeds its input: input cannot have included it',
    scope: 'openlit.otel.tracing',
    attributes: {
      'gen_ai.system': 'anthropic',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 900,
    },
    expected: {
      'tokenledger.usage.source_convention': 'anthropic_excluding_cache',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'tokenledger.usage.uncached.input_tokens': 100,
    },
  },
  {
    name: 'OpenInference: llm.token_count.* with prompt details as subsets',
    scope: 'openinference.instrumentation.openai',
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.model_name': 'gpt-4o',
      'llm.token_count.prompt': 5000,
      'llm.token_count.completion': 300,
      'llm.token_count.prompt_details.cache_read': 4096,
      'llm.token_count.completion_details.reasoning': 120,
    },
    expected: {
      'tokenledger.usage.source_convention': 'openinference',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 5000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 4096,
      'gen_ai.usage.cache_write.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 120,
      'tokenledger.usage.uncached.input_tokens': 904,
    },
  },
  {
    name: 'the Anthropic SDK span: TTL split from its own attribute names',
    scope: 'com.anthropic.sdk.typescript',
    attributes: {
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 15050,
      'gen_ai.usage.output_tokens': 530,
      'gen_ai.usage.cache_read.input_tokens': 12000,
      'gen_ai.usage.cache_write.input_tokens': 3000,
      'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 1000,
      'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 2000,
    },
    expected: {
      'tokenledger.usage.uncached.input_tokens': 50,
      'tokenledger.usage.cache_write.ttl_5m.input_tokens': 1000,
      'tokenledger.usage.cache_write.ttl_1h.input_tokens': 2000,
      'tokenledger.usage.source_convention': 'anthropic_sdk',
    },
  },
  {
    name: 'malformed foreign usage: a reason, and only the figures that do not depend on the malformed one',
    scope: 'x',
    attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 'lots', 'gen_ai.usage.output_tokens': 3 },
    expected: {
      'tokenledger.usage.source_convention': 'genai',
      'tokenledger.usage.unknown_reason': 'usage_malformed',
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_write.input_tokens': 0,
    },
  },
  { name: 'an HTTP span is left alone', scope: '@opentelemetry/instrumentation-http', attributes: { 'http.request.method': 'POST' }, expected: undefined },
  {
    name: "tokenledger's own spans are left alone",
    scope: 'tokenledger-instrumentation-openai',
    attributes: { 'gen_ai.usage.input_tokens': 1, 'gen_ai.usage.output_tokens': 1 },
    expected: undefined,
  },
];

for (const c of cases) {
  test(`source conventions: ${c.name}`, () => {
    assert.deepEqual(added(c.attributes as Attributes, c.scope), c.expected);
  });
}
