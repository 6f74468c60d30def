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

test('content capture: the variable is read when the instrumentation is made; the config option wins over it', async () => {
  const { OpenAIInstrumentation } = await import('../openai/instrumentation.ts');
  const read = (instrumentation: unknown) => (instrumentation as { captureContent: boolean }).captureContent;
  const saved = process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
  try {
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'SPAN_ONLY';
    const fromEnv = new OpenAIInstrumentation({ enabled: false });
    const overridden = new OpenAIInstrumentation({ enabled: false, captureMessageContent: false });
    delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    assert.equal(read(fromEnv), true);
    assert.equal(read(overridden), false);
    assert.equal(read(new OpenAIInstrumentation({ enabled: false })), false);
  } finally {
    if (saved === undefined) delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    else process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = saved;
  }
});
