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
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped } from '@opentelemetry/instrumentation';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import type { TracedMethodHost } from '../common/traced-method.ts';
import { VERSION } from '../version.ts';
import { tracedConvertTools, tracedGenerate, tracedStream } from './agent-runs.ts';
import { traceModel } from './model-calls.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_MASTRA_VERSIONS = ['>=1.71.0 <1.72'];
const AGENT_FILES = ['@mastra/core/dist/agent/index.js', '@mastra/core/dist/agent/index.cjs'];

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, unknown>;

export class MastraInstrumentation extends InstrumentationBase<TokenledgerInstrumentationConfig> {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-mastra', VERSION, config);
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
    const host = this.hostView();
    this.rewrap(prototype, 'generate', (original) => tracedGenerate(host, original));
    this.rewrap(prototype, 'stream', (original) => tracedStream(host, original));
    this.rewrap(prototype, 'convertTools', (original) => tracedConvertTools(host, original));
    this.rewrap(prototype, 'resolveModelConfig', (original) =>
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
    if (!prototype) return;
    for (const name of ['generate', 'stream', 'convertTools', 'resolveModelConfig']) {
      if (isWrapped(prototype[name])) this._unwrap(prototype, name);
    }
  }

  private rewrap(prototype: Prototype, name: string, wrapper: (original: Method) => Method): void {
    if (typeof prototype[name] !== 'function') return;
    if (isWrapped(prototype[name])) this._unwrap(prototype, name);
    this._wrap(prototype, name, (original) => wrapper(original as Method));
  }

  private hostView(): TracedMethodHost {
    const self = this;
    return {
      get tracer() {
        return self.tracer;
      },
      isEnabled: () => self.isEnabled(),
      get legacyAttributes() {
        return self.getConfig().legacyAttributes === true;
      },
    };
  }
}

function agentPrototype(moduleExports: unknown): Prototype | undefined {
  const agent = (moduleExports as { Agent?: { prototype?: Prototype } } | undefined)?.Agent;
  return typeof agent?.prototype?.generate === 'function' ? agent.prototype : undefined;
}
