import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputExcludesCache } from './anthropic-cache-evidence.ts';

const fits = { input: 7000, cacheRead: 3000, cacheWrite: 0 };
const cases: Array<[name: string, counts: typeof fits, scope: string, version: string | undefined, excludes: boolean]> = [
  ['cache above the input cannot be inside it, whoever wrote the span', { input: 50, cacheRead: 12000, cacheWrite: 3000 }, 'any', undefined, true],
  ['no cache: nothing to add', { input: 50, cacheRead: 0, cacheWrite: 0 }, '@traceloop/instrumentation-anthropic', '0.27.0', false],
  ['OpenLLMetry-JS leaves the cache out', fits, '@traceloop/instrumentation-anthropic', '0.27.0', true],
  ['OpenLIT-JS leaves the cache out', fits, '@openlit/instrumentation-anthropic', '1.0.0', true],
  ['OpenLIT for Python (1.40 on, a scope per instrumentation, no version) leaves the cache out', fits, 'openlit.instrumentation.anthropic', undefined, true],
  ['OpenLLMetry for Python includes it from 0.33.0', fits, 'opentelemetry.instrumentation.anthropic', '0.47.3', false],
  ['OpenLLMetry for Python before 0.33.0 left it out', fits, 'opentelemetry.instrumentation.anthropic', '0.32.2', true],
  ['OpenLLMetry for Python without a version: the current release, which includes it', fits, 'opentelemetry.instrumentation.anthropic', undefined, false],
  ['OpenLIT for Python before 1.40 shares one scope with spans that include the cache: the counts decide', fits, 'openlit.otel.tracing', undefined, false],
  ['any other instrumentation follows the GenAI conventions: input includes the cache', fits, 'openlit.instrumentation.claude_agent_sdk', undefined, false],
];

for (const [name, counts, scope, version, excludes] of cases) {
  test(`anthropic cache evidence: ${name}`, () => assert.equal(inputExcludesCache(counts, scope, version), excludes));
}
