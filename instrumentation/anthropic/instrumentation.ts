// Patches `@anthropic-ai/sdk`: messages.create and beta.messages.create. The helpers (`messages.stream()`,
// `parse()`, `toolRunner`) call these, so patching them too would make two spans per call.
//
// The files that define them are hooked, not only the package's main module: the clients for other platforms
// (`AnthropicBedrock` from `@anthropic-ai/bedrock-sdk`, `AnthropicVertex` from `@anthropic-ai/vertex-sdk`) load
// `@anthropic-ai/sdk/client` and `@anthropic-ai/sdk/resources/index` and never the main module, and they share
// these prototypes. Each client names the platform that serves it (`client._genAIProviderName`).
//
// The SDK traces its own calls (scope `com.anthropic.sdk.typescript`, `….bedrock`, `….vertex`) unless turned off
// with `ANTHROPIC_OPEN_TELEMETRY=false` or the client option `openTelemetry: false`. One call must make exactly one
// span carrying usage, so either the SDK's span or ours is the call's span (`sdkSpans`, see sdk-spans.ts).
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import { TokenledgerProviderInstrumentation } from '../common/base-instrumentation.ts';
import type { TokenledgerInstrumentationConfig } from '../common/config.ts';
import { clientBaseURL } from '../common/stainless.ts';
import { tracedStainlessMethod } from '../common/traced-method.ts';
import { observeBatchResults } from './batch-results.ts';
import { planMessagesCall } from './messages.ts';
import { sdkTracesCall, suppressedCallSpans } from './sdk-spans.ts';

export interface AnthropicInstrumentationConfig extends TokenledgerInstrumentationConfig {
  /**
   * Whose span a Messages call gets when the SDK's own tracing is on. `keep` (default): the SDK's, which
   * tokenledger's span processor normalises (no tool-result or prefix figures: they need the request).
   * `suppress`: tokenledger's, and the SDK starts no span of its own for the calls tokenledger records; every
   * other span the SDK makes (token counts, batches, tool runners, sessions) stays. The register entry uses
   * `suppress` unless TOKENLEDGER_ANTHROPIC_SDK_SPANS=keep.
   */
  sdkSpans?: 'keep' | 'suppress';
}

/**
 * The versions the test suite runs against. 0.x minors may break one another, so each 0.x range is one minor:
 * those LangChain.js's `@langchain/anthropic` 1.5 declares (`^0.115.0`, `^0.120.0`, `^0.122.0`) and the last 0.x
 * release before 1.0 (0.137).
 */
export const SUPPORTED_ANTHROPIC_VERSIONS = ['>=0.115.0 <0.116.0', '>=0.120.0 <0.121.0', '>=0.122.0 <0.123.0', '>=0.137.0 <0.138.0', '>=1.0.0 <2'];

type Prototype = Record<string, unknown>;
type Exports = Record<string, unknown>;

/** The SDK's files that tokenledger patches, each in its CommonJS and ES module form. */
const FILES = {
  apiPromise: 'core/api-promise',
  messages: 'resources/messages/messages',
  betaMessages: 'resources/beta/messages/messages',
  batches: 'resources/messages/batches',
  tracing: 'internal/tracing',
} as const;

/**
 * Records every Messages call of `@anthropic-ai/sdk` (0.115, 0.120, 0.122, 0.137 and 1.x), and of the Bedrock and
 * Vertex clients built on it, as one GenAI span, cache writes split by TTL. `sdkSpans` says whether the SDK's own call
 * spans are kept (`keep`, the default here) or not started (`suppress`, what `tokenledgerInstrumentations()` passes).
 */
export class AnthropicInstrumentation extends TokenledgerProviderInstrumentation<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super('tokenledger-instrumentation-anthropic', config);
  }

  protected init() {
    const files = [
      this.file(
        FILES.apiPromise,
        (exports) => this.patchAPIPromise(exports),
        (exports) => this.unpatchAPIPromise(exports),
      ),
      this.file(
        FILES.messages,
        (exports) => this.patchCreate(this.prototypeOf(exports, 'Messages', 'create')),
        (exports) => this.unpatch(exports, 'Messages', 'create'),
      ),
      this.file(
        FILES.betaMessages,
        (exports) => this.patchCreate(this.prototypeOf(exports, 'Messages', 'create')),
        (exports) => this.unpatch(exports, 'Messages', 'create'),
      ),
      this.file(
        FILES.batches,
        (exports) => this.patchBatchResults(this.prototypeOf(exports, 'Batches', 'results')),
        (exports) => this.unpatch(exports, 'Batches', 'results'),
      ),
      this.file(
        FILES.tracing,
        (exports) => this.patchTracing(exports),
        (exports) => this.unwrapAll(exports, ['startApiCallSpan']),
      ),
    ].flat();
    return new InstrumentationNodeModuleDefinition('@anthropic-ai/sdk', SUPPORTED_ANTHROPIC_VERSIONS, undefined, undefined, files);
  }

  /** A patched file under both of its names (`.js` for require, `.mjs` for import). */
  private file(path: string, patch: (exports: Exports) => void, unpatch: (exports: Exports) => void): InstrumentationNodeModuleFile[] {
    return ['js', 'mjs'].map(
      (extension) =>
        new InstrumentationNodeModuleFile(
          `@anthropic-ai/sdk/${path}.${extension}`,
          SUPPORTED_ANTHROPIC_VERSIONS,
          (exports: Exports) => {
            patch(exports);
            return exports;
          },
          (exports: Exports) => unpatch(exports),
        ),
    );
  }

  private prototypeOf(exports: Exports, className: string, method: string): Prototype | undefined {
    const prototype = this.exportOf<{ prototype?: Prototype }>(exports, className)?.prototype;
    return typeof prototype?.[method] === 'function' ? prototype : undefined;
  }

  private unpatch(exports: Exports, className: string, method: string): void {
    const prototype = this.prototypeOf(exports, className, method);
    if (prototype) this.unwrapAll(prototype, [method]);
  }

  /** `messages.batches.results()` resolves to a JSONL decoder; each succeeded result read from it is recorded. */
  private patchBatchResults(prototype: Prototype | undefined): void {
    if (!prototype) return;
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

  private patchCreate(prototype: Prototype | undefined): void {
    if (!prototype) return;
    this.rewrap(prototype, 'create', (original) =>
      tracedStainlessMethod(this.host, original, (self, args) =>
        sdkTracesCall(self, args, this.suppressing) ? undefined : planMessagesCall(self, args, this.captureContent),
      ),
    );
  }

  /** The SDK's span starter, so that it starts none for the calls tokenledger records (in `suppress` mode). */
  private patchTracing(exports: Exports): void {
    this.rewrap(exports, 'startApiCallSpan', (original) => suppressedCallSpans(original, () => this.suppressing));
  }

  private get suppressing(): boolean {
    return this.isEnabled() && this.getConfig().sdkSpans === 'suppress';
  }
}
