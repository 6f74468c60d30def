// Who serves an `openai` SDK client, from its base URL: the same SDK talks to OpenAI, Azure, and every
// OpenAI-compatible host, and the provider decides the price. Derived once per base URL.
//
// 1. The user's mapping (TOKENLEDGER_PROVIDER_URLS / `providerUrls`): the longest base-URL prefix that matches.
// 2. A hosted provider, by its API host: the GenAI conventions' well-known `gen_ai.provider.name` where one exists
//    (`openai`, `azure.ai.openai`, `groq`, `deepseek`, `x_ai`, `mistral_ai`, `perplexity`, `gcp.gemini`,
//    `gcp.vertex_ai`, `aws.bedrock`), else a name of our own in the same style.
// 3. A loopback host (localhost, 127.0.0.0/8, ::1): `local`, a server on this machine (Ollama, vLLM, LM Studio,
//    llama.cpp, …). Its models are priced only by the user's overrides (provider id `local`), never as the cloud
//    model they share a name with.
// 4. Anything else (no base URL, a gateway or proxy): `openai`.

/** API hosts (the host itself or any subdomain of it) → `gen_ai.provider.name`. */
const HOSTED: ReadonlyArray<readonly [host: string | RegExp, provider: string]> = [
  ['api.openai.com', 'openai'],
  // Azure OpenAI, and Azure AI Foundry's resources, which serve OpenAI and other vendors' models on one API.
  ['openai.azure.com', 'azure.ai.openai'],
  ['cognitiveservices.azure.com', 'azure.ai.openai'],
  ['services.ai.azure.com', 'azure.ai.openai'],
  ['openrouter.ai', 'openrouter'],
  ['api.groq.com', 'groq'],
  ['api.deepseek.com', 'deepseek'],
  ['api.together.xyz', 'together_ai'],
  ['api.together.ai', 'together_ai'],
  ['api.x.ai', 'x_ai'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.fireworks.ai', 'fireworks_ai'],
  ['api.perplexity.ai', 'perplexity'],
  ['api.cerebras.ai', 'cerebras'],
  // Gemini's OpenAI-compatible endpoint (`/v1beta/openai`), and Vertex AI's (`…/endpoints/openapi`).
  ['generativelanguage.googleapis.com', 'gcp.gemini'],
  [/^([a-z0-9-]+-)?aiplatform(\.[a-z]+\.rep)?\.googleapis\.com$/, 'gcp.vertex_ai'],
  // Bedrock's OpenAI-compatible endpoints (the SDK's `BedrockOpenAI`).
  [/^bedrock-(runtime|mantle)\.[a-z0-9-]+\.(amazonaws\.com|api\.aws)$/, 'aws.bedrock'],
  ['ollama.com', 'ollama'],
];

export const LOCAL_PROVIDER = 'local';
const DEFAULT_PROVIDER = 'openai';

/** A user's base URL → provider mapping, longest prefix first. */
export interface ProviderUrlMapping {
  prefixes: ReadonlyArray<readonly [prefix: string, provider: string]>;
}

/** Prepares a mapping (`{ 'http://gpu-box:8000': 'local' }`); throws, naming the entry, when a URL is invalid. */
export function providerUrlMapping(urls: Readonly<Record<string, string>> | undefined): ProviderUrlMapping {
  const prefixes = Object.entries(urls ?? {}).map(([url, provider]) => {
    const normalized = normalizedUrl(url);
    if (normalized === undefined) throw new Error(`provider URL "${url}" is not a URL`);
    if (!provider.trim()) throw new Error(`provider URL "${url}" maps to an empty provider name`);
    return [normalized, provider.trim()] as const;
  });
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return { prefixes };
}

/** Scheme and host lowercased, default port dropped, no trailing slash, no query or credentials. */
function normalizedUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return undefined;
  }
}

// A client's base URL rarely changes: each is classified once. Bounded, since an app could build URLs per request.
const derived = new WeakMap<ProviderUrlMapping, Map<string, string>>();
const MAX_URLS = 256;

/** `gen_ai.provider.name` for a client with this base URL (undefined: the SDK's default, OpenAI). */
export function providerForBaseURL(baseURL: unknown, mapping: ProviderUrlMapping): string {
  if (typeof baseURL !== 'string' || baseURL === '') return DEFAULT_PROVIDER;
  let cache = derived.get(mapping);
  if (!cache) derived.set(mapping, (cache = new Map()));
  let provider = cache.get(baseURL);
  if (provider !== undefined) return provider;
  provider = derive(baseURL, mapping);
  if (cache.size >= MAX_URLS) cache.clear();
  cache.set(baseURL, provider);
  return provider;
}

function derive(baseURL: string, mapping: ProviderUrlMapping): string {
  const normalized = normalizedUrl(baseURL);
  if (normalized === undefined) return DEFAULT_PROVIDER;
  for (const [prefix, provider] of mapping.prefixes) {
    if (normalized === prefix || normalized.startsWith(`${prefix}/`)) return provider;
  }
  const host = new URL(baseURL).hostname.toLowerCase();
  for (const [pattern, provider] of HOSTED) {
    if (typeof pattern === 'string' ? host === pattern || host.endsWith(`.${pattern}`) : pattern.test(host)) return provider;
  }
  if (isLoopback(host)) return LOCAL_PROVIDER;
  return DEFAULT_PROVIDER;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]' || host === '::1';
}
