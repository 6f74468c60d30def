// A scripted stand-in for an OpenAI chat model, served by the fake provider: it calls get_weather, then
// get_forecast, then answers. Its usage follows the provider's rules: the whole conversation is billed as
// input on every step (about 4 characters a token), and OpenAI caches the longest shared prompt prefix of at
// least 1024 tokens in 128-token steps, reported inside prompt_tokens as cached_tokens.
import type { FakeResponse } from '../../test/fake-provider.ts';

const CHARS_PER_TOKEN = 4;
let previousPromptTokens = 0;

export function scriptedChatModel(body: Record<string, unknown>): FakeResponse {
  const messages = body.messages as Array<{ role: string; content?: unknown; name?: string }>;
  const promptText = JSON.stringify(messages) + JSON.stringify(body.tools ?? []);
  const promptTokens = Math.ceil(promptText.length / CHARS_PER_TOKEN);
  const sharedPrefix = Math.min(previousPromptTokens, promptTokens);
  const cachedTokens = sharedPrefix >= 1024 ? Math.floor(sharedPrefix / 128) * 128 : 0;
  previousPromptTokens = promptTokens;

  const toolResults = messages.filter((m) => m.role === 'tool').length;
  const step = nextStep(toolResults);
  return {
    json: {
      id: `chatcmpl-weather-${toolResults + 1}`,
      object: 'chat.completion',
      created: 1764300000,
      model: 'gpt-5.5-2026-04-01',
      service_tier: 'default',
      choices: [{ index: 0, message: step.message, finish_reason: step.finishReason }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: step.completionTokens,
        total_tokens: promptTokens + step.completionTokens,
        prompt_tokens_details: { cached_tokens: cachedTokens, cache_write_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: step.reasoningTokens },
      },
    },
  };
}

function nextStep(toolResults: number) {
  if (toolResults < 2) {
    const name = toolResults === 0 ? 'get_weather' : 'get_forecast';
    return {
      finishReason: 'tool_calls',
      completionTokens: 96,
      reasoningTokens: 64,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: `call_${toolResults + 1}`, type: 'function', function: { name, arguments: '{"city":"Paris"}' } }],
      },
    };
  }
  return {
    finishReason: 'stop',
    completionTokens: 180,
    reasoningTokens: 120,
    message: { role: 'assistant', content: 'Paris: 18 °C and sunny today; clouds tomorrow, rain on Tuesday.' },
  };
}
