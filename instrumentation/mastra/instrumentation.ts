// Mastra (`@mastra/core` 1.x) with no code change. Its agent loop calls the AI SDK provider model directly, past
// every AI SDK hook, and its own observability needs a `Mastra` instance configured with exporters (a standalone
// `Agent` has none), so tokenledger patches the public `Agent` class, on its prototype, as its entry module
// (`@mastra/core/agent`, the CommonJS and ES module builds) loads:
//   generate / stream       → the agent run (`invoke_agent {name}`), active while the loop runs (agent-runs.ts)
//   resolveModelConfig      → every model the agent resolves (an adapter around the app's AI SDK model, or the
//                             model router) gets its doGenerate / doStream traced: one LLM span per provider call
//                             with the provider's raw usage (model-calls.ts)
//   convertTools            → the tools assembled for a run execute inside `execute_tool {name}` spans
// These are methods of the exported class, not of the bundled chunk files whose names change each release; one
// missing in another release is left alone (the request sensor then marks the run incomplete).
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { tracedConvertTools, tracedGenerate, tracedStream } from './agent-runs.ts';
import { traceModel } from './model-calls.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_MASTRA_VERSIONS = ['>=1.71.0 <1.72'];
const AGENT_FILES = ['@mastra/core/dist/agent/index.js', '@mastra/core/dist/agent/index.cjs'];
const AGENT_METHODS = ['generate', 'stream', 'convertTools', 'resolveModelConfig'];

type Prototype = Record<string, unknown>;

/**
 * Mastra (`@mastra/core` 1.71) with no code change: each `Agent.generate` / `Agent.stream` is an `invoke_agent` run,
 * each provider call of the model it resolved one GenAI span, each tool execution an `execute_tool` span.
 */
export class MastraInstrumentation extends TokenledgerProviderInstrumentation {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-mastra', config);
  }

  protected init() {
    const files = AGENT_FILES.map(
      (name) =>
        new InstrumentationNodeModuleFile(
          name,
          SUPPORTED_MASTRA_VERSIONS,
          (moduleExports) => {
            this.patchAgent(moduleExports);
            return moduleExports;
          },
          (moduleExports) => this.unpatchAgent(moduleExports),
        ),
    );
    return new InstrumentationNodeModuleDefinition('@mastra/core', SUPPORTED_MASTRA_VERSIONS, undefined, undefined, files);
  }

  /** Patches the `Agent` class of a loaded `@mastra/core/agent` module (the hook does it as it loads; tests may too). */
  patchAgent(moduleExports: unknown): void {
    const prototype = agentPrototype(moduleExports);
    if (!prototype) return;
    const { host } = this;
    this.rewrap(prototype, 'generate', (original) => tracedGenerate(host, original));
    this.rewrap(prototype, 'stream', (original) => tracedStream(host, original));
    this.rewrap(prototype, 'convertTools', (original) => tracedConvertTools(host, original));
    this.rewrap(
      prototype,
      'resolveModelConfig',
      (original) =>
        function resolveModelConfig(this: unknown, ...args: unknown[]) {
          const resolved = original.apply(this, args);
          if (!(resolved instanceof Promise)) return resolved;
          return resolved.then((model: unknown) => {
            try {
              traceModel(host, model);
            } catch {
              // a model tokenledger cannot wrap is used as it is
            }
            return model;
          });
        },
    );
  }

  private unpatchAgent(moduleExports: unknown): void {
    const prototype = agentPrototype(moduleExports);
    if (prototype) this.unwrapAll(prototype, AGENT_METHODS);
  }
}

function agentPrototype(moduleExports: unknown): Prototype | undefined {
  const agent = (moduleExports as { Agent?: { prototype?: Prototype } } | undefined)?.Agent;
  return typeof agent?.prototype?.generate === 'function' ? agent.prototype : undefined;
}
