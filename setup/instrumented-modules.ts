// The packages tokenledger's instrumentations patch. The ESM loader hook (register.mjs) wraps only these modules,
// as imported by their package names: wrapping every module an app imports made an SDK's own test suite run three
// times slower under --import, and wrapping each file inside the SDKs (hundreds each) cost seconds at start-up.
// The instrumentations patch prototypes reached from each package's main exports, so only those are needed.
// A test checks that every module definition of tokenledgerInstrumentations() is listed here.
export const INSTRUMENTED_MODULES = ['openai', '@anthropic-ai/sdk', '@google/genai'] as const;

/** The loader hook's `include` list: the packages' bare specifiers (import-in-the-middle matches them exactly). */
export function loaderHookInclude(modules: readonly string[] = INSTRUMENTED_MODULES): string[] {
  return [...modules];
}
