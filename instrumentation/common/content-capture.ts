// Content capture is off unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT asks for it. JS instrumentations
// read `true`/`false`; Python's read NO_CONTENT | SPAN_ONLY | EVENT_ONLY | SPAN_AND_EVENT. Both are accepted:
// tokenledger writes content on spans, so SPAN_ONLY and SPAN_AND_EVENT turn it on.
export function captureContentFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toUpperCase();
  return value === 'TRUE' || value === 'SPAN_ONLY' || value === 'SPAN_AND_EVENT';
}
