// What every tokenledger provider instrumentation shares: its configuration and the host object the
// traced-method wrapper reads (tracer and switches are read per call, so later configuration applies).
import { InstrumentationBase } from '@opentelemetry/instrumentation';
import type { Tracer } from '@opentelemetry/api';
import { captureContentFromEnv } from './content-capture.ts';
import type { TokenledgerInstrumentationConfig } from './config.ts';
import type { TracedMethodHost } from './traced-method.ts';
import { VERSION } from '../version.ts';

export abstract class TokenledgerProviderInstrumentation<
  Config extends TokenledgerInstrumentationConfig = TokenledgerInstrumentationConfig,
> extends InstrumentationBase<Config> {
  protected readonly host: TracedMethodHost;
  /**
   * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, read once when the instrumentation is made (as the
   * official instrumentations do), not on every call: reading process.env is not free.
   */
  private readonly captureContentEnv = captureContentFromEnv();

  constructor(name: string, config: Config) {
    super(name, VERSION, config);
    const self = this;
    this.host = {
      get tracer(): Tracer {
        return self.tracer;
      },
      isEnabled: () => self.isEnabled(),
      get legacyAttributes() {
        return self.getConfig().legacyAttributes === true;
      },
    };
  }

  protected get captureContent(): boolean {
    return this.getConfig().captureMessageContent ?? this.captureContentEnv;
  }

  /** The package's exports whether it was loaded by `require` (CJS) or `import` (an ESM namespace). */
  protected exportOf<T>(moduleExports: unknown, name: string): T | undefined {
    const exports = moduleExports as Record<string, unknown> | undefined;
    return (exports?.[name] ?? (exports?.default as Record<string, unknown> | undefined)?.[name]) as T | undefined;
  }
}
