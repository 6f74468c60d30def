// What the tests of an openai app under tokenledger share: one OpenAIInstrumentation per test process, enabled with
// a fake provider and a global context manager for the file's tests; gpt-4.1 completions with the usage a test
// sets; and trace ids from a seeded generator, so which traces a ratio sampler keeps is known.
import { after, before } from 'node:test';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { IdGenerator } from '@opentelemetry/sdk-trace';
import type OpenAIClient from 'openai';
import { OpenAIInstrumentation } from '../instrumentation/openai/instrumentation.ts';
import { FakeProvider, fixtureJson } from './fake-provider.ts';
import { requireFromTest } from './harness.ts';

export interface OpenAIApp {
  instrumentation: OpenAIInstrumentation;
  provider: FakeProvider;
  /** The app's client, sending to the fake provider (set once the file's tests start). */
  client: OpenAIClient;
}

/** The instrumentation enabled and the fake provider started before the file's tests, both stopped after them. */
export function useOpenAIApp(): OpenAIApp {
  const app = { instrumentation: new OpenAIInstrumentation(), provider: new FakeProvider() } as OpenAIApp;
  before(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    await app.provider.start();
    app.instrumentation.enable();
    const OpenAI = requireFromTest('openai').default as typeof OpenAIClient;
    app.client = new OpenAI({ apiKey: 'test-key', fetch: app.provider.fetch, maxRetries: 0 });
  });
  after(async () => {
    app.instrumentation.disable();
    await app.provider.stop();
    context.disable();
  });
  return app;
}

export interface Gpt41Usage {
  prompt: number;
  completion: number;
  cached?: number;
  reasoning?: number;
}

/** A gpt-4.1 chat completion ($2 input, $0.50 cached input, $8 output per million tokens) with this usage. */
function gpt41Completion(usage: Gpt41Usage): Record<string, unknown> {
  const body = fixtureJson('openai-chat.json');
  body.model = 'gpt-4.1-2025-04-14';
  delete body.service_tier;
  body.usage = {
    prompt_tokens: usage.prompt,
    completion_tokens: usage.completion,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
  };
  return body;
}

/** Queues one gpt-4.1 chat completion with this usage. */
export function queueGpt41(provider: FakeProvider, usage: Gpt41Usage): void {
  provider.enqueue('openai.chat', { json: gpt41Completion(usage) });
}

/** Every chat request, until the provider is reset, gets a gpt-4.1 completion with this usage. */
export function answerGpt41(provider: FakeProvider, usage: Gpt41Usage): void {
  provider.respondWith('openai.chat', () => ({ json: gpt41Completion(usage) }));
}

/** The usage of call `i` of the sampling tests' apps: a different size each call. */
export function growingUsage(call: number): Gpt41Usage {
  return { prompt: 1000 + 137 * call, completion: 50 + 11 * call, cached: 100 * (call % 5) };
}

/** Trace and span ids from a seeded generator: the same ids, in the same order, in every run of the app. */
export function seededIds(seed: number, onTraceId?: (traceId: string) => void): IdGenerator {
  let state = seed >>> 0;
  const hex = (bytes: number) => {
    let out = '';
    for (let i = 0; i < bytes; i += 1) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += (state >>> 24).toString(16).padStart(2, '0');
    }
    return out;
  };
  return {
    generateTraceId: () => {
      const id = hex(16);
      onTraceId?.(id);
      return id;
    },
    generateSpanId: () => hex(8),
  };
}
