import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INSTRUMENTED_FILES, INSTRUMENTED_PACKAGES, loaderHookInclude } from './instrumented-modules.ts';
import { tokenledgerInstrumentations } from './start.ts';

type Definition = { name: string; files: Array<{ name: string }> };

function definitions(): Definition[] {
  const instrumentations = tokenledgerInstrumentations();
  try {
    return instrumentations.flatMap((instrumentation) => (instrumentation as unknown as { getModuleDefinitions(): Definition[] }).getModuleDefinitions());
  } finally {
    for (const instrumentation of instrumentations) instrumentation.disable();
  }
}

test("instrumented modules: every package and internal file an instrumentation patches is in the loader hook's lists", () => {
  const patched = definitions();
  assert.deepEqual([...new Set(patched.map((definition) => definition.name))].sort(), [...INSTRUMENTED_PACKAGES].sort());
  const files = new Set(patched.flatMap((definition) => definition.files.map((file) => file.name.replace(/\.(c|m)?js$/, ''))));
  assert.deepEqual([...files].sort(), [...INSTRUMENTED_FILES].sort());
});

test('instrumented modules: the loader hook takes the packages by name and their patched files by URL, nothing else', () => {
  const include = loaderHookInclude();
  assert.deepEqual(include.slice(0, -1), [...INSTRUMENTED_PACKAGES]);
  const files = include.at(-1) as RegExp;
  assert.ok(files.test('file:///app/node_modules/@anthropic-ai/sdk/resources/messages/messages.mjs'));
  assert.ok(files.test('file:///app/node_modules/@anthropic-ai/bedrock-sdk/node_modules/@anthropic-ai/sdk/internal/tracing.mjs'));
  assert.ok(files.test('file:///app/node_modules/@langchain/core/dist/callbacks/manager.js'));
  assert.ok(!files.test('file:///app/node_modules/@anthropic-ai/sdk/resources/models.mjs'));
  assert.ok(!files.test('file:///app/src/resources/messages/messages.mjs'));
  assert.ok(!files.test('file:///app/node_modules/@anthropic-ai/sdk/resources/messages/messagesXmjs'));
});
