// The agent's prompt and tools. The system prompt is long on purpose: it is the stable prefix the provider caches.
import type OpenAIClient from 'openai';

export const SYSTEM_PROMPT = [
  'You are a careful weather assistant for travellers.',
  ...Array.from(
    { length: 60 },
    (_, i) => `Rule ${i + 1}: answer with figures from the tools, in the unit the user uses, and say when a figure is a forecast rather than an observation.`,
  ),
].join('\n');

export const TOOLS: OpenAIClient.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
  {
    type: 'function',
    function: { name: 'get_forecast', description: 'Three-day forecast for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

export function runTool(name: string): string {
  if (name === 'get_weather') return JSON.stringify({ city: 'Paris', temp_c: 18, sky: 'sunny', humidity: 0.42, wind_kph: 11 });
  const days = ['Monday', 'Tuesday', 'Wednesday'].map((day, i) => ({ day, sky: ['sun', 'cloud', 'rain'][i], high_c: 19 - i, low_c: 11 - i }));
  return JSON.stringify({ city: 'Paris', days, source: 'fake forecast service', note: 'x'.repeat(1200) });
}
