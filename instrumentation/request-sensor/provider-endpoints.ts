// Which outgoing requests are calls to an LLM provider's API, by host or by path. The paths catch the same APIs
// served elsewhere (a gateway, a proxy, a self-hosted OpenAI-compatible server); the hosts catch the providers'
// other generation endpoints. Pure: a host and a path in, a yes or no out.
const HOSTS = [
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'aiplatform.googleapis.com',
  'api.mistral.ai',
  'api.groq.com',
  'api.x.ai',
  'api.deepseek.com',
  'api.cohere.com',
  'api.together.xyz',
  'api.fireworks.ai',
  'openrouter.ai',
];
const HOST_SUFFIXES = ['.openai.azure.com', '-aiplatform.googleapis.com', '.amazonaws.com'];
/**
 * Generation endpoints by their versioned paths (an app's own `/api/messages` is not one): OpenAI and compatible
 * chat / responses / completions and Anthropic messages under `/v1/` (Azure: `/openai/deployments/{name}/` and
 * `/openai/v1/`), Gemini and Vertex `:generateContent` / `:streamGenerateContent`, Bedrock `/model/{id}/converse…`.
 */
const PATH_PATTERN =
  /(\/v1|\/openai\/deployments\/[^/]+|\/openai\/v1)\/(chat\/completions|responses|completions|messages)(\?|$)|:(generateContent|streamGenerateContent)(\?|$)|\/model\/[^/]+\/(converse|converse-stream|invoke|invoke-with-response-stream)(\?|$)/;

export function isProviderRequest(host: string, path: string): boolean {
  if (PATH_PATTERN.test(path)) return true;
  const name = host.toLowerCase();
  if (HOSTS.includes(name)) return true;
  // Bedrock runtime only, not every AWS API.
  if (name.endsWith('.amazonaws.com')) return name.startsWith('bedrock-runtime.');
  return HOST_SUFFIXES.some((suffix) => name.endsWith(suffix));
}
