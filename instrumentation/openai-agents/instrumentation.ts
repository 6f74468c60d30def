// The OpenAI Agents SDK (`@openai/agents`, agents-core 0.x) with no code change: the SDK's global trace provider,
// which agents-core keeps on `globalThis` under a Symbol.for key (one for its CommonJS and ES module builds alike),
// has its `createSpan` wrapped so that every span it creates reaches tokenledger's bridge (span-bridge.ts) the
// moment it is created, whatever the SDK's tracing switches (`setTracingDisabled`, `OPENAI_AGENTS_DISABLE_TRACING`)
// and processors (`setTraceProcessors`, the default exporter) are. When the provider does not exist yet, a setter on
// that key wraps it the moment agents-core makes it.
import { diag } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { registerFrameworkContext, unregisterFrameworkContext } from '../common/framework-context.ts';
import { VERSION } from '../../base/version.ts';
import { AgentsSpanBridge, type AgentsSpan } from './span-bridge.ts';

const PROVIDER = Symbol.for('openai.agents.core.traceProvider');
const WRAPPED = Symbol.for('tokenledger.agents-create-span');

interface TraceProvider {
  createSpan(options: unknown, parent?: unknown): AgentsSpan;
  [WRAPPED]?: boolean;
}
type Holder = { [PROVIDER]?: TraceProvider };
/** The bridges that see each provider's spans (one per enabled instrumentation). */
const members = new WeakMap<TraceProvider, AgentsSpanBridge[]>();

/** Each instrumentation's bridge (not a class field: the base class enables before field initialisers run). */
const bridges = new WeakMap<OpenAIAgentsInstrumentation, AgentsSpanBridge>();

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
    let bridge = bridges.get(this);
    if (!bridge)
      bridges.set(
        this,
        (bridge = new AgentsSpanBridge(
          () => this.tracer,
          () => this.isEnabled(),
        )),
      );
    registerFrameworkContext(bridge.frameworkContext);
    try {
      attach(bridge);
    } catch (error) {
      diag.error('tokenledger: could not join the OpenAI Agents SDK tracing', error);
    }
  }

  /** Stops model calls from starting under the SDK's agent and function spans. */
  override disable(): void {
    super.disable();
    const bridge = bridges.get(this);
    if (bridge) unregisterFrameworkContext(bridge.frameworkContext);
  }
}

function attach(bridge: AgentsSpanBridge): void {
  const holder = globalThis as Holder;
  const existing = holder[PROVIDER];
  if (existing) {
    join(existing, bridge);
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
      if (provider) join(provider, bridge);
    },
  });
}

/** Has the provider's spans reach the bridge, wrapping its `createSpan` once. */
function join(provider: TraceProvider, bridge: AgentsSpanBridge): void {
  if (typeof provider.createSpan !== 'function') return;
  const joined = members.get(provider) ?? [];
  if (joined.includes(bridge)) return;
  members.set(provider, [...joined, bridge]);
  if (provider[WRAPPED]) return;
  const createSpan = provider.createSpan.bind(provider);
  provider.createSpan = (options: unknown, parent?: unknown) => {
    const span = createSpan(options, parent);
    for (const member of members.get(provider) ?? []) member.created(span, parent);
    return span;
  };
  provider[WRAPPED] = true;
}
