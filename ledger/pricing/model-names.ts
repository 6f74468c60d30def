// Model names as the APIs send them → the (provider id, model id) pairs to try in the price data, most exact
// first. @pydantic/genai-prices matches dated names (`claude-sonnet-4-5-20250929`) itself; what it misses:
// `models/…` (Gemini), Vertex resource paths, `vendor/model` (OpenRouter style), ISO-dated OpenAI snapshots
// (`gpt-5.5-2026-04-01`) and `-001` / `-latest` version suffixes.

/** `gen_ai.provider.name` → genai-prices provider ids, in the order to try. */
const PROVIDER_IDS: Record<string, string[]> = {
  openai: ['openai'],
  'azure.ai.openai': ['azure', 'openai'],
  anthropic: ['anthropic'],
  'gcp.gemini': ['google'],
  'gcp.vertex_ai': ['google'],
  'gcp.gen_ai': ['google'],
  'aws.bedrock': ['aws'],
  'mistral_ai': ['mistral'],
  'x_ai': ['x-ai'],
  deepseek: ['deepseek'],
  groq: ['groq'],
  cohere: ['cohere'],
};

/**
 * The model names to look a call's price up by, in order. The response's model is the one that served the call
 * (an Azure deployment answers with its model's name), so it comes first — except on Bedrock, where the request's
 * model id names what is billed: a regional (`us.`, `eu.`, `apac.`, …) or cross-region (`global.`) inference
 * profile, priced differently from the bare model the response names.
 */
export function modelsToPrice(providerName: string, requestModel: string | undefined, responseModel: string | undefined): string[] {
  const order = providerName === 'aws.bedrock' ? [requestModel, responseModel] : [responseModel, requestModel];
  return order.filter((name): name is string => typeof name === 'string' && name.length > 0);
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
  // `openai/gpt-4o`: the vendor prefix names the provider.
  const slash = trimmed.lastIndexOf('/');
  if (slash > 0 && !trimmed.startsWith('models/') && !trimmed.includes('/models/')) {
    const vendor = trimmed.slice(0, trimmed.indexOf('/'));
    for (const name of modelNameVariants(trimmed.slice(slash + 1))) {
      for (const providerId of providerIds(vendor)) add(providerId, name);
    }
  }
  return queries;
}

function modelNameVariants(model: string): string[] {
  let name = model;
  // Gemini `models/gemini-2.5-pro`; Vertex `projects/p/locations/l/publishers/google/models/gemini-2.5-pro`.
  const models = name.lastIndexOf('models/');
  if (models >= 0) name = name.slice(models + 'models/'.length);
  const variants = [name];
  const undated = name.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  if (undated !== name) variants.push(undated);
  const unversioned = undated.replace(/-(\d{3}|latest)$/, '');
  if (unversioned !== undated) variants.push(unversioned);
  return variants;
}
