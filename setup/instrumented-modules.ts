// The modules tokenledger's instrumentations patch. The ESM loader hook (register.mjs) wraps only these: wrapping
// every module an app imports made an SDK's own test suite run three times slower under --import, and wrapping
// every file inside the SDKs (hundreds each) cost seconds at start-up.
//
// Most instrumentations patch what a package's main module exports, reached by its bare specifier. A few patch
// files inside a package, which the package imports by relative path (the Anthropic platform clients never load
// the SDK's main module; LangChain's callback manager and model base classes are internal files; Mastra's `Agent` is exported by its `agent` subpath entry): those are matched by their resolved
// URL. A test checks that every module definition of tokenledgerInstrumentations() and each of its files is here.
export const INSTRUMENTED_PACKAGES = [
  'openai',
  '@anthropic-ai/sdk',
  '@google/genai',
  '@aws-sdk/client-bedrock-runtime',
  'ai',
  '@langchain/core',
  '@mastra/core',
] as const;

/** Files inside a package that an instrumentation patches, as `package/path` without the extension. */
export const INSTRUMENTED_FILES = [
  '@anthropic-ai/sdk/core/api-promise',
  '@anthropic-ai/sdk/resources/messages/messages',
  '@anthropic-ai/sdk/resources/beta/messages/messages',
  '@anthropic-ai/sdk/resources/messages/batches',
  '@anthropic-ai/sdk/internal/tracing',
  '@langchain/core/dist/callbacks/manager',
  '@langchain/core/dist/language_models/chat_models',
  '@langchain/core/dist/language_models/llms',
  '@mastra/core/dist/agent/index',
] as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The loader hook's `include` list: the packages' bare specifiers (import-in-the-middle matches them exactly) and
 * one expression matching the ES module form of every internal file, wherever the package is installed.
 */
export function loaderHookInclude(): Array<string | RegExp> {
  const files = INSTRUMENTED_FILES.map(escapeRegExp).join('|');
  return [...INSTRUMENTED_PACKAGES, new RegExp(`/node_modules/(?:${files})\\.m?js$`)];
}
