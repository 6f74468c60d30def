// LangChain.js and LangGraph (`@langchain/core` 1.x) with no code change: `CallbackManager._configureSync`, which
// every run goes through to get its callbacks, is wrapped so the manager it returns always has tokenledger's
// handler (langchain/callback-handler.ts) among its inheritable handlers, and LLM call spans start under the span
// of LangChain's current run. The CommonJS and ES module builds are separate files, each patched as it loads.
import { InstrumentationBase, InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile, isWrapped, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { registerFrameworkContext, unregisterFrameworkContext } from '../common/framework-context.ts';
import { VERSION } from '../../base/version.ts';
import { HANDLER_NAME, LangChainRuns } from './callback-handler.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_LANGCHAIN_CORE_VERSIONS = ['>=1.0.0 <2'];
const MANAGER_FILES = ['@langchain/core/dist/callbacks/manager.cjs', '@langchain/core/dist/callbacks/manager.js'];

type Manager = { handlers?: Array<{ name?: unknown }>; addHandler(handler: unknown, inheritable?: boolean): void };
type ManagerClass = { new (): Manager; _configureSync: (...args: unknown[]) => Manager | undefined };

/** Each instrumentation's runs (not a class field: the base class enables before field initialisers run). */
const states = new WeakMap<LangChainInstrumentation, { runs: LangChainRuns; handler: Record<string, unknown> }>();

/**
 * LangChain.js and LangGraph (`@langchain/core` 1.x) with no code change: every callback manager gets tokenledger's
 * handler, so a top-level chain is an `invoke_agent` run and each tool run an `execute_tool` span. Needs LangChain's
 * async context (LangGraph's main entry, or `import '@langchain/core/context'`).
 */
export class LangChainInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super('tokenledger-instrumentation-langchain', VERSION, config);
  }

  protected init() {
    const files = MANAGER_FILES.map(
      (name) =>
        new InstrumentationNodeModuleFile(
          name,
          SUPPORTED_LANGCHAIN_CORE_VERSIONS,
          (moduleExports) => {
            this.patchManager(moduleExports);
            return moduleExports;
          },
          (moduleExports) => {
            const manager = managerClass(moduleExports);
            if (manager && isWrapped(manager._configureSync)) this._unwrap(manager, '_configureSync');
          },
        ),
    );
    return new InstrumentationNodeModuleDefinition('@langchain/core', SUPPORTED_LANGCHAIN_CORE_VERSIONS, undefined, undefined, files);
  }

  /** Enables the patch of `@langchain/core` and lets provider calls start under LangChain's current run. */
  override enable(): void {
    super.enable();
    registerFrameworkContext(this.state().runs.frameworkContext);
  }

  /** Disables the patch; provider calls no longer look up LangChain's current run. */
  override disable(): void {
    super.disable();
    const state = states.get(this);
    if (state) unregisterFrameworkContext(state.runs.frameworkContext);
  }

  /** Patches a loaded `callbacks/manager` module (the hook does it as it loads; tests may call it by hand). */
  patchManager(moduleExports: unknown): void {
    const manager = managerClass(moduleExports);
    if (!manager) return;
    if (isWrapped(manager._configureSync)) this._unwrap(manager, '_configureSync');
    const self = this;
    this._wrap(manager, '_configureSync', (original) =>
      function configureSync(this: ManagerClass, ...args: unknown[]) {
        const configured = (original as ManagerClass['_configureSync']).apply(this, args);
        if (!self.isEnabled()) return configured;
        try {
          const callbackManager = configured ?? new manager();
          if (!callbackManager.handlers?.some((handler) => handler.name === HANDLER_NAME)) callbackManager.addHandler(self.state().handler, true);
          return callbackManager;
        } catch {
          return configured;
        }
      },
    );
  }

  private state() {
    let state = states.get(this);
    if (!state) {
      const runs = new LangChainRuns(() => this.tracer, () => this.isEnabled());
      states.set(this, (state = { runs, handler: runs.handler() }));
    }
    return state;
  }
}

function managerClass(moduleExports: unknown): ManagerClass | undefined {
  const manager = (moduleExports as { CallbackManager?: ManagerClass } | undefined)?.CallbackManager;
  return typeof manager?._configureSync === 'function' ? manager : undefined;
}
