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

test('instrumented modules: the loader hook is given the packages by name, and nothing else', () => {
  assert.deepEqual(loaderHookInclude(), ['openai', '@anthropic-ai/sdk', '@google/genai']);
});
