// The packages tokenledger's instrumentations patch. The ESM loader hook (register.mjs) wraps only their files:
// wrapping every module an app imports made an SDK's own test suite run three times slower under --import.
// A test checks that every module definition of tokenledgerInstrumentations() is listed here.
export const INSTRUMENTED_MODULES = ['openai', '@anthropic-ai/sdk', '@google/genai'] as const;

/** The loader hook's `include` list: every file under each package's folder in a node_modules tree. */
export function loaderHookInclude(modules: readonly string[] = INSTRUMENTED_MODULES): RegExp[] {
  return modules.map((name) => new RegExp(`/node_modules/${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/`));
}
