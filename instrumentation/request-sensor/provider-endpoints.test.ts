import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isProviderRequest } from './provider-endpoints.ts';

const cases: Array<[string, string, boolean, string]> = [
  ['api.openai.com', '/v1/chat/completions', true, 'OpenAI chat'],
  ['127.0.0.1', '/v1/responses?stream=true', true, 'an OpenAI-compatible path on any host'],
  ['api.anthropic.com', '/v1/messages', true, 'Anthropic messages'],
  ['gateway.internal', '/v1/messages?beta=true', true, 'Anthropic messages through a gateway'],
  ['generativelanguage.googleapis.com', '/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse', true, 'Gemini'],
  ['europe-west4-aiplatform.googleapis.com', '/v1/projects/p/locations/l/publishers/google/models/m:generateContent', true, 'Vertex'],
  ['acme.openai.azure.com', '/openai/deployments/gpt/chat/completions?api-version=2026-01-01', true, 'Azure OpenAI'],
  ['bedrock-runtime.us-east-1.amazonaws.com', '/model/anthropic.claude/converse', true, 'Bedrock'],
  ['s3.us-east-1.amazonaws.com', '/bucket/key', false, 'another AWS API'],
  ['app.example.com', '/api/messages', false, "an app's own messages API"],
  ['localhost', '/v1/traces', false, 'an OTLP exporter'],
  ['example.com', '/v1/messages/batches/b1/results', false, 'batch results (recorded from the SDK, not as calls)'],
];

for (const [host, path, expected, name] of cases) {
  test(`provider endpoints: ${name}`, () => assert.equal(isProviderRequest(host, path), expected));
}
