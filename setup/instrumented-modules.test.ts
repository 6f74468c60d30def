import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSTRUMENTED_MODULES, loaderHookInclude } from './instrumented-modules.ts';
import { tokenledgerInstrumentations } from './start.ts';

test('instrumented modules: every package an instrumentation patches is in the loader hook\'s list', () => {
  const instrumentations = tokenledgerInstrumentations();
  try {
    const names = instrumentations.flatMap((instrumentation) =>
      (instrumentation as unknown as { getModuleDefinitions(): Array<{ name: string }> }).getModuleDefinitions().map((definition) => definition.name),
    );
    assert.deepEqual([...new Set(names)].sort(), [...INSTRUMENTED_MODULES].sort());
  } finally {
    for (const instrumentation of instrumentations) instrumentation.disable();
  }
});

test('instrumented modules: the loader hook matches the packages\' files in npm and pnpm layouts, and nothing else', () => {
  const include = loaderHookInclude();
  const matches = (url: string) => include.some((pattern) => pattern.test(url));
  assert.ok(matches('file:///app/node_modules/openai/index.mjs'));
  assert.ok(matches('file:///app/node_modules/openai/resources/chat/completions.mjs'));
  assert.ok(matches('file:///app/node_modules/.pnpm/@anthropic-ai+sdk@1.14.0/node_modules/@anthropic-ai/sdk/client.mjs'));
  assert.ok(matches('file:///app/node_modules/@google/genai/dist/node/index.mjs'));
  assert.ok(!matches('file:///app/node_modules/openai-compat/index.mjs'));
  assert.ok(!matches('file:///app/node_modules/@anthropic-ai/sdk-extra/index.mjs'));
  assert.ok(!matches('file:///app/src/openai/client.mjs'));
});
