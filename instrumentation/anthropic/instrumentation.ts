// Patches `@anthropic-ai/sdk`: messages.create and beta.messages.create. The helpers (`messages.stream()`,
// `parse()`, `toolRunner`) call these, so patching them too would make two spans per call.
//
// The SDK traces its own calls (scope `com.anthropic.sdk.typescript`) unless turned off with
// `ANTHROPIC_OPEN_TELEMETRY=false` or the client option `openTelemetry: false`. One call must make exactly
// one span carrying usage, so when the SDK traces a call itself this instrumentation stands aside and
// tokenledger's span processor normalises the SDK's span instead (see README, "SDKs that trace themselves").
// With `sdkSpans: 'off'` the SDK's spans are turned off for the clients whose calls this instrumentation records
// (sdk-spans.ts), so tokenledger's fuller span is the call's span.
import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { clientBaseURL } from '../common/stainless.ts';
import { tracedStainlessMethod } from '../common/traced-method.ts';
import { observeBatchResults } from './batch-results.ts';
import { planMessagesCall } from './messages.ts';
import { decideSdkSpans, turnsSdkSpansOff, undecideSdkSpans } from './sdk-spans.ts';

export interface AnthropicInstrumentationConfig extends TokenledgerInstrumentationConfig {
  /**
   * `keep` (default): the SDK decides whether it traces its calls, and tokenledger normalises its spans when it
   * does. `off`: the SDK's own spans are turned off for plain Anthropic clients that trace through the global
   * tracer provider while ANTHROPIC_OPEN_TELEMETRY is unset, so tokenledger's span (with the tool-result and
   * prefix figures) is the call's span. The environment is never changed. The register entry and
   * `tokenledgerInstrumentations()` pass `off` unless TOKENLEDGER_ANTHROPIC_SDK_SPANS=keep.
   */
  sdkSpans?: 'off' | 'keep';
}

/** The versions the test suite runs against. */
export const SUPPORTED_ANTHROPIC_VERSIONS = ['>=1.0.0 <2'];

type Prototype = Record<string, unknown>;

export class AnthropicInstrumentation extends TokenledgerProviderInstrumentation<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-anthropic', config);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@anthropic-ai/sdk',
      SUPPORTED_ANTHROPIC_VERSIONS,
      (moduleExports) => {
        this.patchAPIPromise(moduleExports);
        const client = this.clientPrototype(moduleExports);
        if (client) decideSdkSpans(client, (self) => this.getConfig().sdkSpans === 'off' && turnsSdkSpansOff(self, this.isEnabled()));
        for (const prototype of this.targets(moduleExports)) this.patchCreate(prototype);
        const batches = this.batchesPrototype(moduleExports);
        if (batches) this.patchBatchResults(batches);
        return moduleExports;
      },
      (moduleExports) => {
        for (const prototype of this.targets(moduleExports)) this.unwrapAll(prototype, ['create']);
        this.unpatchAPIPromise(moduleExports);
        const client = this.clientPrototype(moduleExports);
        if (client) undecideSdkSpans(client);
        const batches = this.batchesPrototype(moduleExports);
        if (batches) this.unwrapAll(batches, ['results']);
      },
    );
  }

  private targets(moduleExports: unknown): Prototype[] {
    type WithMessages = { Messages?: { prototype?: Prototype } };
    const Anthropic = this.exportOf<WithMessages & { Beta?: WithMessages }>(moduleExports, 'Anthropic');
    return [Anthropic?.Messages?.prototype, Anthropic?.Beta?.Messages?.prototype].filter(
      (prototype): prototype is Prototype => typeof prototype?.create === 'function',
    );
  }

  /** The prototype every client extends (`BaseAnthropic`), whose constructor settles the SDK's tracing. */
  private clientPrototype(moduleExports: unknown): Prototype | undefined {
    return this.exportOf<{ prototype?: Prototype }>(moduleExports, 'BaseAnthropic')?.prototype;
  }

  private batchesPrototype(moduleExports: unknown): Prototype | undefined {
    type WithBatches = { Messages?: { Batches?: { prototype?: Prototype } } };
    const prototype = this.exportOf<WithBatches>(moduleExports, 'Anthropic')?.Messages?.Batches?.prototype;
    return typeof prototype?.results === 'function' ? prototype : undefined;
  }

  /** `messages.batches.results()` resolves to a JSONL decoder; each succeeded result read from it is recorded. */
  private patchBatchResults(prototype: Prototype): void {
    const host = this.host;
    this.rewrap(prototype, 'results', (original) => {
      const results = original as (this: unknown, ...args: unknown[]) => Promise<unknown>;
      return function (this: unknown, ...args: unknown[]) {
        const pending = results.apply(this, args);
        if (!host.isEnabled()) return pending;
        const baseURL = clientBaseURL(this);
        return pending.then((decoder) => observeBatchResults(decoder, host, baseURL));
      };
    });
  }

  private patchCreate(prototype: Prototype): void {
    this.rewrap(prototype, 'create', (original) =>
      tracedStainlessMethod(this.host, original, (self, args) =>
        sdkTracesCall(self, args) ? undefined : planMessagesCall(self, args, this.captureContent),
      ),
    );
  }
}

/**
 * True when the SDK makes its own span for this call: its tracer is on (`client._tracer`), or a helper such as
 * `messages.stream()` already started the span and passes it down as `__span`.
 */
export function sdkTracesCall(resource: unknown, args: unknown[]): boolean {
  const client = (resource as { _client?: { _tracer?: unknown } } | undefined)?._client;
  const options = args[1] as { __span?: unknown } | undefined;
  return Boolean(client?._tracer) || Boolean(options && typeof options === 'object' && options.__span);
}
