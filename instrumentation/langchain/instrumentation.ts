// LangChain.js and LangGraph (`@langchain/core` 1.x) with no code change: `CallbackManager._configureSync`, which
// every run goes through to get its callbacks, is wrapped so the manager it returns always has tokenledger's
// handler (langchain/callback-handler.ts) among its inheritable handlers; and the chat model and LLM base classes'
// `generate` (which `invoke` and `batch` go through) and `_streamIterator` (`stream`) run in the OpenTelemetry
// context of the LangChain run they were called from, so the provider call they make starts under that run's span.
// The CommonJS and ES module builds are separate files, each patched as it loads.
import { context, type Context } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { registerFrameworkContext, unregisterFrameworkContext } from '../common/framework-context.ts';
import { VERSION } from '../../base/version.ts';
import { HANDLER_NAME, LangChainRuns } from './callback-handler.ts';

/** The versions the test suite runs against. */
export const SUPPORTED_LANGCHAIN_CORE_VERSIONS = ['>=1.0.0 <2'];
const MANAGER_FILES = ['@langchain/core/dist/callbacks/manager.cjs', '@langchain/core/dist/callbacks/manager.js'];
/** The model base classes, by the file that exports each (CommonJS and ES module builds). */
const MODEL_FILES: Array<[file: string, exported: string]> = [
  ['@langchain/core/dist/language_models/chat_models.cjs', 'BaseChatModel'],
  ['@langchain/core/dist/language_models/chat_models.js', 'BaseChatModel'],
  ['@langchain/core/dist/language_models/llms.cjs', 'BaseLLM'],
  ['@langchain/core/dist/language_models/llms.js', 'BaseLLM'],
];
/** The model methods every invocation goes through: generate(input, options, callbacks), _streamIterator(input, options). */
const MODEL_METHODS = ['generate', '_streamIterator'] as const;

type ModelPrototype = Record<(typeof MODEL_METHODS)[number], (...args: unknown[]) => unknown>;
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
    const models = MODEL_FILES.map(
      ([name, exported]) =>
        new InstrumentationNodeModuleFile(
          name,
          SUPPORTED_LANGCHAIN_CORE_VERSIONS,
          (moduleExports) => {
            this.patchModel(modelPrototype(moduleExports, exported));
            return moduleExports;
          },
          (moduleExports) => {
            const prototype = modelPrototype(moduleExports, exported);
            for (const method of MODEL_METHODS) if (prototype && isWrapped(prototype[method])) this._unwrap(prototype, method);
          },
        ),
    );
    return new InstrumentationNodeModuleDefinition('@langchain/core', SUPPORTED_LANGCHAIN_CORE_VERSIONS, undefined, undefined, [...files, ...models]);
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
    this._wrap(
      manager,
      '_configureSync',
      (original) =>
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

  /**
   * Patches a model base class's prototype: each invocation runs in the context of the run it was called from.
   * @internal
   */
  patchModel(prototype: ModelPrototype | undefined): void {
    if (!prototype) return;
    const self = this;
    for (const method of MODEL_METHODS) {
      if (typeof prototype[method] !== 'function') continue;
      if (isWrapped(prototype[method])) this._unwrap(prototype, method);
      this._wrap(
        prototype,
        method,
        (original) =>
          function invokeModel(this: unknown, ...args: unknown[]) {
            const found = self.isEnabled() ? self.modelContext(args) : undefined;
            if (!found) return original.apply(this, args);
            const result = context.with(found, () => original.apply(this, args));
            // _streamIterator is an async generator: its body runs in the context of each next() call.
            return method === '_streamIterator' ? inContext(found, result as AsyncGenerator<unknown>) : result;
          },
      );
    }
  }

  /** The run context of a model invocation's arguments: (input, options | stop[], callbacks?). */
  private modelContext(args: unknown[]): Context | undefined {
    try {
      const [, options, callbacks] = args;
      const configured =
        options !== null && typeof options === 'object' && !Array.isArray(options) ? (options as { callbacks?: unknown }).callbacks : undefined;
      return this.state().runs.modelContext(configured ?? callbacks, context.active());
    } catch {
      return undefined;
    }
  }

  private state() {
    let state = states.get(this);
    if (!state) {
      const runs = new LangChainRuns(
        () => this.tracer,
        () => this.isEnabled(),
      );
      states.set(this, (state = { runs, handler: runs.handler() }));
    }
    return state;
  }
}

function managerClass(moduleExports: unknown): ManagerClass | undefined {
  const manager = (moduleExports as { CallbackManager?: ManagerClass } | undefined)?.CallbackManager;
  return typeof manager?._configureSync === 'function' ? manager : undefined;
}

function modelPrototype(moduleExports: unknown, exported: string): ModelPrototype | undefined {
  const model = (moduleExports as Record<string, { prototype?: ModelPrototype } | undefined> | undefined)?.[exported];
  return typeof model?.prototype?.generate === 'function' ? model.prototype : undefined;
}

/** Each step of `source` runs in `found` (a generator's body runs in the context of whoever calls next()). */
async function* inContext<T>(found: Context, source: AsyncGenerator<T>): AsyncGenerator<T> {
  let done = false;
  try {
    while (true) {
      const step = await context.with(found, () => source.next());
      if (step.done) {
        done = true;
        return step.value;
      }
      yield step.value;
    }
  } finally {
    // The consumer stopped early (break, return()): the source is closed as it would have been.
    if (!done) await source.return(undefined);
  }
}
