// What every tokenledger instrumentation that wraps methods shares (the provider SDKs' and the frameworks'): its
// configuration, the host object the wrappers read (tracer and switches are read per call, so later configuration
// applies), and wrapping that never stacks.
import { InstrumentationBase, isWrapped } from '@opentelemetry/instrumentation';
import type { Tracer } from '@opentelemetry/api';
import { captureContentFromEnv } from './content-capture.ts';
import type { TokenledgerInstrumentationConfig } from './config.ts';
import { API_PROMISE_WRAPPERS } from './stainless.ts';
import type { TracedMethodHost } from './traced-method.ts';
import { VERSION } from '../../base/version.ts';

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Prototype = Record<string, unknown>;

/**
 * Each instrumentation's host, made at its first use: the base class enables an instrumentation inside its
 * constructor, before the field initialisers of a subclass run, and an `enable()` may already need it.
 */
const hosts = new WeakMap<object, TracedMethodHost>();

export abstract class TokenledgerProviderInstrumentation<
  Config extends TokenledgerInstrumentationConfig = TokenledgerInstrumentationConfig,
> extends InstrumentationBase<Config> {
  /**
   * OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, read once when the instrumentation is made (as the
   * official instrumentations do), not on every call: reading process.env is not free.
   */
  private readonly captureContentEnv = captureContentFromEnv();

  constructor(name: string, config: Config) {
    super(name, VERSION, config);
  }

  /** What the wrappers read: the tracer and switches, read per call, so later configuration applies. */
  protected get host(): TracedMethodHost {
    let host = hosts.get(this);
    if (host === undefined) {
      const self = this;
      host = {
        get tracer(): Tracer {
          return self.tracer;
        },
        isEnabled: () => self.isEnabled(),
        get legacyAttributes() {
          return self.getConfig().legacyAttributes === true;
        },
      };
      hosts.set(this, host);
    }
    return host;
  }

  protected get captureContent(): boolean {
    return this.getConfig().captureMessageContent ?? this.captureContentEnv;
  }

  /** Wraps `prototype[name]` when it is a function; an earlier wrap is undone first, so patches never stack. */
  protected rewrap(prototype: Prototype, name: string, wrapper: (original: Method) => Method): void {
    if (typeof prototype[name] !== 'function') return;
    if (isWrapped(prototype[name])) this._unwrap(prototype, name);
    this._wrap(prototype, name, (original) => wrapper(original as Method));
  }

  /** Restores the methods among `names` that are wrapped. */
  protected unwrapAll(prototype: Prototype, names: readonly string[]): void {
    for (const name of names) if (isWrapped(prototype[name])) this._unwrap(prototype, name);
  }

  /** Patches a Stainless SDK's `APIPromise.prototype` once, so each call only registers its promise. */
  protected patchAPIPromise(moduleExports: unknown): void {
    const prototype = this.apiPromisePrototype(moduleExports);
    if (!prototype) return;
    for (const [name, wrapper] of Object.entries(API_PROMISE_WRAPPERS)) this.rewrap(prototype, name, wrapper);
  }

  protected unpatchAPIPromise(moduleExports: unknown): void {
    const prototype = this.apiPromisePrototype(moduleExports);
    if (prototype) this.unwrapAll(prototype, Object.keys(API_PROMISE_WRAPPERS));
  }

  private apiPromisePrototype(moduleExports: unknown): Prototype | undefined {
    return this.exportOf<{ prototype?: Prototype }>(moduleExports, 'APIPromise')?.prototype;
  }

  /** The package's exports whether it was loaded by `require` (CJS) or `import` (an ESM namespace). */
  protected exportOf<T>(moduleExports: unknown, name: string): T | undefined {
    const exports = moduleExports as Record<string, unknown> | undefined;
    return (exports?.[name] ?? (exports?.default as Record<string, unknown> | undefined)?.[name]) as T | undefined;
  }
}
