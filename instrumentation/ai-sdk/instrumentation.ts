// The Vercel AI SDK (`ai` 7) with no code change: tokenledger joins the AI SDK's process-wide list of telemetry
// integrations (`globalThis.AI_SDK_TELEMETRY_INTEGRATIONS`, the list `registerTelemetry()` appends to) when enabled,
// and leaves it when disabled. Nothing is patched, so CommonJS and ES module apps are served alike, and the AI
// SDK never has to be loaded by tokenledger. A call whose `telemetry` option names its own `integrations`, or
// sets `isEnabled: false`, bypasses the global list: its provider requests are then seen only by the request
// sensor, which marks the run incomplete.
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import type { TracedMethodHost } from '../common/traced-method.ts';
import { VERSION } from '../version.ts';
import { AiSdkTelemetryIntegration } from './telemetry-integration.ts';

type IntegrationHolder = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * Each instrumentation's integration. Not a class field: the base class enables the instrumentation inside its
 * constructor, before field initialisers run, and a field would then forget the integration it registered.
 */
const integrations = new WeakMap<AiSdkInstrumentation, AiSdkTelemetryIntegration>();

export class AiSdkInstrumentation extends InstrumentationBase<TokenledgerInstrumentationConfig> {
  constructor(config: TokenledgerInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-ai-sdk', VERSION, config);
  }

  protected init() {
    return [];
  }

  override enable(): void {
    super.enable();
    let integration = integrations.get(this);
    if (!integration) integrations.set(this, (integration = new AiSdkTelemetryIntegration(this.hostView())));
    // First in the list: the AI SDK nests the integrations' call hooks in list order, the first innermost, so
    // tokenledger's call span sits inside another integration's (an app's @ai-sdk/otel) and ends first.
    const list = ((globalThis as IntegrationHolder).AI_SDK_TELEMETRY_INTEGRATIONS ??= []);
    if (!list.includes(integration)) list.unshift(integration);
  }

  override disable(): void {
    super.disable();
    const list = (globalThis as IntegrationHolder).AI_SDK_TELEMETRY_INTEGRATIONS;
    const integration = integrations.get(this);
    const index = integration ? (list?.indexOf(integration) ?? -1) : -1;
    if (index >= 0) list!.splice(index, 1);
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
