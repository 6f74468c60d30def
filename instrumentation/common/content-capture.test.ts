import { test } from 'node:test';
import assert from 'node:assert/strict';
import { captureContentFromEnv } from './content-capture.ts';

const cases: Array<[string | undefined, boolean]> = [
  [undefined, false],
  ['', false],
  ['false', false],
  ['true', true],
  ['TRUE', true],
  ['NO_CONTENT', false],
  ['SPAN_ONLY', true],
  ['SPAN_AND_EVENT', true],
  ['EVENT_ONLY', false],
];

for (const [value, expected] of cases) {
  test(`content capture: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=${value} → ${expected}`, () => {
    assert.equal(captureContentFromEnv({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: value }), expected);
  });
}
