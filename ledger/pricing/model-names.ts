// Model names as the APIs send them → the (provider id, model id) pairs to try in the price data, most exact
// first. @pydantic/genai-prices matches dated names (`claude-sonnet-4-5-20250929`) itself; what it misses:
// `models/…` (Gemini), Vertex resource paths, `vendor/model` (OpenRouter style), ISO-dated OpenAI snapshots
// (`gpt-5.5-2026-04-01`), `-001` / `-latest` version suffixes, and Bedrock inference-profile ARNs.
//
// A call is priced at its provider's own rates, never another's: a host that serves `openai/gpt-oss-120b` (Groq,
// Together, a local server) sets its own price for it. Only a reseller that bills at the vendors' rates
// (OpenRouter) falls back to the vendor a `vendor/model` name names. A local server (`local`) has no price data:
// its models are priced by the user's overrides alone.
/** `gen_ai.provider.name` → genai-prices provider ids, in the order to try. */
const PROVIDER_IDS: Record<string, string[]> = {
  openai: ['openai'],
  'azure.ai.openai': ['azure', 'openai'],
  anthropic: ['anthropic'],
  'gcp.gemini': ['google'],
  'gcp.vertex_ai': ['google'],
  'gcp.gen_ai': ['google'],
  'aws.bedrock': ['aws'],
  mistral_ai: ['mistral'],
  x_ai: ['x-ai'],
  deepseek: ['deepseek'],
  groq: ['groq'],
  cohere: ['cohere'],
  perplexity: ['perplexity'],
  openrouter: ['openrouter'],
  together_ai: ['together'],
  fireworks_ai: ['fireworks'],
  cerebras: ['cerebras'],
};

/** Providers that bill a `vendor/model` at the vendor's own rates when their price data lacks the model. */
const RESELLS_AT_VENDOR_RATES = new Set(['openrouter']);

/**
 * The model names to look a call's price up by, in order. The response's model is the one that served the call
 * (an Azure deployment answers with its model's name), so it comes first — except on Bedrock, where the request's
 * model id names what is billed: a regional (`us.`, `eu.`, `apac.`, …) or cross-region (`global.`) inference
 * profile, priced differently from the bare model the response names.
 */
export function modelsToPrice(providerName: string, requestModel: string | undefined, responseModel: string | undefined): string[] {
  const bedrock = providerName === 'aws.bedrock';
  const first = bedrock ? requestModel : responseModel;
  const second = bedrock ? responseModel : requestModel;
  // Asked whenever a call's description differs from the one before: no arrays thrown away on the way.
  if (!first) return second ? [second] : [];
  return second ? [first, second] : [first];
}

export interface PriceQuery {
  providerId: string;
  model: string;
}

export function providerIds(providerName: string): string[] {
  return PROVIDER_IDS[providerName] ?? [providerName];
}

export function priceQueries(providerName: string, model: string): PriceQuery[] {
  const queries: PriceQuery[] = [];
  const add = (providerId: string, name: string) => {
    if (name && !queries.some((q) => q.providerId === providerId && q.model === name)) queries.push({ providerId, model: name });
  };
  const trimmed = model.trim();
  const names = modelNameVariants(trimmed);
  for (const providerId of providerIds(providerName)) for (const name of names) add(providerId, name);
  // `openai/gpt-4o`: the vendor prefix names a provider. The provider's own entry for the bare name first; the
  // vendor's only for a reseller at the vendors' rates.
  const slash = trimmed.lastIndexOf('/');
  if (slash > 0 && !trimmed.startsWith('models/') && !trimmed.includes('/models/') && !trimmed.startsWith('arn:')) {
    const vendorIds = providerIds(trimmed.slice(0, trimmed.indexOf('/')));
    const own = providerIds(providerName);
    for (const name of modelNameVariants(trimmed.slice(slash + 1))) {
      for (const providerId of vendorIds) {
        if (own.includes(providerId) || RESELLS_AT_VENDOR_RATES.has(providerName)) add(providerId, name);
      }
    }
  }
  return queries;
}

function modelNameVariants(model: string): string[] {
  // A Bedrock inference-profile or foundation-model ARN ends in the id it names.
  let name = model.startsWith('arn:') ? model.slice(model.lastIndexOf('/') + 1) : model;
  const variants = [name];
  // Gemini `models/gemini-2.5-pro`; Vertex `projects/p/locations/l/publishers/google/models/gemini-2.5-pro`.
  // (Fireworks' `accounts/fireworks/models/…` is its full id, tried first.)
  const models = name.lastIndexOf('models/');
  if (models >= 0) variants.push((name = name.slice(models + 'models/'.length)));
  const undated = name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  if (undated !== name) variants.push(undated);
  const unversioned = undated.replace(/-(\d{3}|latest)$/, '');
  if (unversioned !== undated) variants.push(unversioned);
  return variants;
}
