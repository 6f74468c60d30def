// The OpenAI Agents SDK (`@openai/agents`) with no code change: tokenledger's AgentsTraceProcessor is added to
// the SDK's global trace provider, which agents-core keeps on `globalThis` under a Symbol.for key. When the
// provider does not exist yet, a setter on that key registers the processor the moment agents-core makes it.
// `setTraceProcessors()` (the app's, or the default OpenAI exporter's) replaces the provider's processors: the
// provider's method is wrapped so tokenledger's processor stays among them. The SDK's own switches apply: with
// its tracing disabled (`OPENAI_AGENTS_DISABLE_TRACING`, or NODE_ENV=test) it calls no processor, and its model
// calls are then recorded without their run.
import { diag } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { registerFrameworkContext, unregisterFrameworkContext } from '../common/framework-context.ts';
import { VERSION } from '../../base/version.ts';
import { AgentsTraceProcessor } from './trace-processor.ts';

const PROVIDER = Symbol.for('openai.agents.core.traceProvider');
const WRAPPED = Symbol.for('tokenledger.agents-set-processors');

interface TraceProvider {
  registerProcessor(processor: unknown): void;
  setProcessors(processors: unknown[]): void;
  [WRAPPED]?: boolean;
}
type Holder = { [PROVIDER]?: TraceProvider };
/** The processors tokenledger added to each provider. */
const members = new WeakMap<TraceProvider, AgentsTraceProcessor[]>();

/** Each instrumentation's processor (not a class field: the base class enables before field initialisers run). */
const processors = new WeakMap<OpenAIAgentsInstrumentation, AgentsTraceProcessor>();

/**
 * The OpenAI Agents SDK with no code change: a tracing processor in its global trace provider makes each agent span an
 * `invoke_agent` run and each function span an `execute_tool` span (the SDK's tracing must be on).
 */
export class OpenAIAgentsInstrumentation extends InstrumentationBase<InstrumentationConfig> {
  constructor(config: InstrumentationConfig = {}) {
    super('tokenledger-instrumentation-openai-agents', VERSION, config);
  }

  protected init() {
    return [];
  }

  /** Adds tokenledger's processor to the SDK's trace provider (now, or when the SDK makes it). */
  override enable(): void {
    super.enable();
    let processor = processors.get(this);
    if (!processor) processors.set(this, (processor = new AgentsTraceProcessor(() => this.tracer, () => this.isEnabled())));
    registerFrameworkContext(processor.frameworkContext);
    try {
      attach(processor);
    } catch (error) {
      diag.error('tokenledger: could not join the OpenAI Agents SDK tracing', error);
    }
  }

  /** Stops model calls from starting under the SDK's agent and function spans. */
  override disable(): void {
    super.disable();
    const processor = processors.get(this);
    if (processor) unregisterFrameworkContext(processor.frameworkContext);
  }
}

function attach(processor: AgentsTraceProcessor): void {
  const holder = globalThis as Holder;
  const existing = holder[PROVIDER];
  if (existing) {
    join(existing, processor);
    return;
  }
  const descriptor = Object.getOwnPropertyDescriptor(holder, PROVIDER);
  if (descriptor && !descriptor.configurable) return;
  let value: TraceProvider | undefined;
  Object.defineProperty(holder, PROVIDER, {
    configurable: true,
    enumerable: false,
    get: () => value,
    set: (provider: TraceProvider | undefined) => {
      value = provider;
      if (provider) join(provider, processor);
    },
  });
}

/** Adds the processor to the provider, and keeps it there when the provider's processors are replaced. */
function join(provider: TraceProvider, processor: AgentsTraceProcessor): void {
  if (typeof provider.registerProcessor !== 'function' || typeof provider.setProcessors !== 'function') return;
  const joined = members.get(provider) ?? [];
  if (joined.includes(processor)) return;
  members.set(provider, [...joined, processor]);
  provider.registerProcessor(processor);
  if (provider[WRAPPED]) return;
  const setProcessors = provider.setProcessors.bind(provider);
  provider.setProcessors = (list: unknown[]) => setProcessors([...list.filter((entry) => !(entry instanceof AgentsTraceProcessor)), ...(members.get(provider) ?? [])]);
  provider[WRAPPED] = true;
}
