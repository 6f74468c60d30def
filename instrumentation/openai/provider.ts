// Facts about the OpenAI client behind a resource (`this` in a patched method).

export function clientBaseURL(resource: unknown): unknown {
  return (resource as { _client?: { baseURL?: unknown } } | undefined)?._client?.baseURL;
}

/** `gen_ai.provider.name`: `azure.ai.openai` when the client talks to Azure OpenAI, else `openai`. */
export function providerName(resource: unknown): string {
  const baseURL = clientBaseURL(resource);
  if (typeof baseURL === 'string' && /\.openai\.azure\.com/i.test(baseURL)) return 'azure.ai.openai';
  return 'openai';
}
