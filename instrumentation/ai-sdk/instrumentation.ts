// The Vercel AI SDK with no code change. AI SDK 7: tokenledger joins the AI SDK's process-wide list of telemetry
// integrations (`globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, the list `registerTelemetry()` appends to) when enabled,
// and leaves it when disabled. Nothing is patched, so CommonJS and ES module apps are served alike, and the AI
// SDK never has to be loaded by tokenledger. A call whose `telemetry` option names its own `integrations`, or
// sets `isEnabled: false`, bypasses the global list: its provider requests are then seen only by the request
// sensor, which marks the run incomplete. AI SDK 6: `generateText` and `streamText` ask for the AI SDK's own
// per-call spans when the app did not decide (v6-telemetry.ts); its module exports are replaced as it loads (its
// CommonJS exports are read-only getters), so the patch reaches what the app imports, not the AI SDK's own
// internal calls; `ToolLoopAgent`, which makes those, gets its settings' telemetry asked for on its prototype.
import { diag } from '@opentelemetry/api';
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { AiSdkTelemetryIntegration } from './telemetry-integration.ts';
import { withTelemetry } from './v6-telemetry.ts';

/** The AI SDK 6 versions the test suite runs against (AI SDK 7 needs no patch: its integrations are called). */
export const SUPPORTED_AI_SDK_6_VERSIONS = ['>=6.0.0 <7'];
/**
 * AI SDK 6 functions that take `experimental_telemetry` and make one span per provider call with it; for the
 * embedding ones its outputs (the vectors) are not asked for, their usage is recorded without them.
 */
const V6_FUNCTIONS = ['generateText', 'streamText', 'generateObject', 'streamObject', 'embed', 'embedMany'] as const;
const V6_WITHOUT_OUTPUTS = new Set<string>(['embed', 'embedMany']);
const ORIGINALS = Symbol.for('tokenledger.ai-sdk-6-originals');
const AGENT_METHODS = ['generate', 'stream'];

type IntegrationHolder = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * Each instrumentation's integration. Not a class field: the base class enables the instrumentation inside its
 * constructor, before field initialisers run, and a field would then forget the integration it registered.
 */
const integrations = new WeakMap<AiSdkInstrumentation, AiSdkTelemetryIntegration>();

/**
 * The Vercel AI SDK with no code change. AI SDK 7: tokenledger's integration joins the AI SDK's global telemetry
 * integrations (one span per provider call; each `generateText` / `streamText` a run). AI SDK 6: `generateText`,
 * `streamText` and `ToolLoopAgent` ask for the AI SDK's own per-call spans when the app did not decide.
 */
export class AiSdkInstrumentation extends TokenledgerProviderInstrumentation {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-ai-sdk', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'ai',
      SUPPORTED_AI_SDK_6_VERSIONS,
      (moduleExports) => this.patchV6(moduleExports),
      (moduleExports) => this.unpatchV6(moduleExports),
    );
  }

  /** The AI SDK 6 module with `generateText` / `streamText` asking for telemetry (the hook calls it; tests may too). */
  patchV6(moduleExports: unknown): unknown {
    if (typeof moduleExports !== 'object' || moduleExports === null) return moduleExports;
    const exportsObject = moduleExports as Record<string | symbol, unknown>;
    if (exportsObject[ORIGINALS]) return moduleExports;
    const originals: Record<string, unknown> = {};
    const wrapped: Record<string, unknown> = {};
    for (const name of V6_FUNCTIONS) {
      const original = exportsObject[name];
      if (typeof original !== 'function') continue;
      originals[name] = original;
      const self = this;
      wrapped[name] = function (this: unknown, options: unknown, ...rest: unknown[]) {
        let given = options;
        try {
          if (self.isEnabled()) given = withTelemetry(options, !V6_WITHOUT_OUTPUTS.has(name));
        } catch (error) {
          diag.error('tokenledger: could not ask AI SDK 6 for its telemetry', error);
        }
        return (original as (...args: unknown[]) => unknown).call(this, given, ...rest);
      };
    }
    const agent = exportsObject.ToolLoopAgent as { prototype?: Record<string, unknown> } | undefined;
    if (agent?.prototype) this.patchAgent(agent.prototype);
    // An ES module namespace (through import-in-the-middle) takes new values; CommonJS exports are getters that
    // cannot be redefined, so the app then gets a copy with the wrapped functions.
    try {
      for (const name in wrapped) exportsObject[name] = wrapped[name];
      if (V6_FUNCTIONS.every((name) => !(name in wrapped) || exportsObject[name] === wrapped[name])) {
        exportsObject[ORIGINALS] = originals;
        return moduleExports;
      }
    } catch {
      // read-only: copied below
    }
    const descriptors = Object.getOwnPropertyDescriptors(moduleExports) as Record<string, PropertyDescriptor>;
    for (const name in wrapped) descriptors[name] = { value: wrapped[name], enumerable: true, configurable: true, writable: true };
    const copy = Object.defineProperties({}, descriptors) as Record<string | symbol, unknown>;
    Object.defineProperty(copy, ORIGINALS, { value: originals });
    return copy;
  }

  /** Enables the AI SDK 6 patch and puts tokenledger's integration first in `globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`. */
  override enable(): void {
    super.enable();
    let integration = integrations.get(this);
    if (!integration) integrations.set(this, (integration = new AiSdkTelemetryIntegration(this.host)));
    // First in the list: the AI SDK nests the integrations' call hooks in list order, the first innermost, so
    // tokenledger's call span sits inside another integration's (an app's @ai-sdk/otel) and ends first.
    const list = ((globalThis as IntegrationHolder).AI_SDK_TELEMETRY_INTEGRATIONS ??= []);
    if (!list.includes(integration)) list.unshift(integration);
  }

  /** Disables the AI SDK 6 patch and takes tokenledger's integration out of the AI SDK's list. */
  override disable(): void {
    super.disable();
    const list = (globalThis as IntegrationHolder).AI_SDK_TELEMETRY_INTEGRATIONS;
    const integration = integrations.get(this);
    const index = integration ? (list?.indexOf(integration) ?? -1) : -1;
    if (index >= 0) list!.splice(index, 1);
  }

  /**
   * `ToolLoopAgent` calls the AI SDK's own `generateText` / `streamText`, which no export wrapper reaches: its
   * `generate` and `stream` run on a view of the agent whose settings ask for telemetry when the app's set none.
   */
  private patchAgent(prototype: Record<string, unknown>): void {
    const self = this;
    for (const name of AGENT_METHODS) {
      this.rewrap(
        prototype,
        name,
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            const agent = this as { settings?: unknown } | undefined;
            let target: unknown = agent;
            try {
              if (self.isEnabled() && agent && typeof agent.settings === 'object') {
                const settings = withTelemetry(agent.settings);
                if (settings !== agent.settings) target = Object.create(agent, { settings: { value: settings } });
              }
            } catch (error) {
              diag.error('tokenledger: could not ask an AI SDK 6 agent for its telemetry', error);
            }
            return original.apply(target, args);
          },
      );
    }
  }

  private unpatchV6(moduleExports: unknown): void {
    const exportsObject = moduleExports as Record<string | symbol, unknown> | undefined;
    const agent = exportsObject?.ToolLoopAgent as { prototype?: Record<string, unknown> } | undefined;
    if (agent?.prototype) this.unwrapAll(agent.prototype, AGENT_METHODS);
    const originals = exportsObject?.[ORIGINALS] as Record<string, unknown> | undefined;
    if (!originals) return;
    try {
      for (const name in originals) exportsObject![name] = originals[name];
    } catch {
      // a copy made at patch time is the app's: nothing to restore in the module
    }
  }
}
