// Hooks for the Stainless-generated SDKs (openai, @anthropic-ai/sdk): observe a call's parsed value without
// changing what the app gets. The SDK's own `APIPromise` is returned (never a plain Promise: helpers use its
// `withResponse` and `_thenUnwrap`), the body is never parsed eagerly (that would break `asResponse()`), and a
// stream's `iterator` is wrapped, which is what `for await`, `tee()` and `toReadableStream()` all go through.
import { diag } from '@opentelemetry/api';
import type { LlmCall } from './llm-call.ts';
import { observeEvents, type StreamObserver } from './observe-stream.ts';

export interface ParsedValueObserver {
  /** Called once with the parsed body, or with the Stream object of a streamed call. */
  onValue(value: unknown): void;
  onError(error: unknown): void;
}

type Callable = (this: unknown, ...args: unknown[]) => unknown;

interface HookState {
  seen: boolean;
  parseStarted: boolean;
}

/** Observes an APIPromise in place and returns that same object. */
export function observeAPIPromise<T>(promise: T, call: LlmCall, observer: ParsedValueObserver): T {
  try {
    hook(promise, call, observer, { seen: false, parseStarted: false });
  } catch (error) {
    diag.error('tokenledger: could not observe an SDK promise', error);
  }
  return promise;
}

function hook(promise: unknown, call: LlmCall, observer: ParsedValueObserver, state: HookState): void {
  if (typeof promise !== 'object' || promise === null) return;
  const target = promise as Record<string, unknown>;
  const once = (value: unknown) => {
    if (state.seen) return value;
    state.seen = true;
    try {
      observer.onValue(value);
    } catch (error) {
      diag.error('tokenledger: could not read a response', error);
    }
    return value;
  };

  const parseResponse = target.parseResponse as Callable | undefined;
  if (typeof parseResponse === 'function') {
    target.parseResponse = async function (this: unknown, ...args: unknown[]) {
      return once(await parseResponse.apply(this, args));
    };
  }

  // openai 7 installs an own `_thenUnwrap` that closes over the original parser, so the parseResponse hook
  // alone misses `chat.completions.parse()` and `responses.stream()`: hook the transform too.
  const thenUnwrap = target._thenUnwrap as Callable | undefined;
  if (typeof thenUnwrap === 'function') {
    target._thenUnwrap = function (this: unknown, transform: unknown) {
      const next = thenUnwrap.call(this, (value: unknown, props: unknown) =>
        (transform as Callable)(once(value), props),
      );
      hook(next, call, observer, state);
      return next;
    };
  }

  // Errors (HTTP status, connection, parse) surface through parse(); observing the cached parsed promise
  // leaves the app's own promise chain, and so its unhandled-rejection behaviour, as it was.
  const parse = target.parse as Callable | undefined;
  if (typeof parse === 'function') {
    target.parse = function (this: unknown, ...args: unknown[]) {
      state.parseStarted = true;
      const parsed = parse.apply(this, args);
      if (parsed instanceof Promise) parsed.then(undefined, (error: unknown) => observer.onError(error));
      return parsed;
    };
  }

  // A raw `asResponse()` read before any parse never shows us the body: end the span when the response
  // arrives, with the usage unknown.
  const asResponse = target.asResponse as Callable | undefined;
  if (typeof asResponse === 'function') {
    target.asResponse = function (this: unknown, ...args: unknown[]) {
      const raw = state.parseStarted;
      const response = asResponse.apply(this, args);
      if (!raw && response instanceof Promise) {
        response.then(
          () => (state.parseStarted ? undefined : call.end('raw_response')),
          (error: unknown) => observer.onError(error),
        );
      }
      return response;
    };
  }
}

export function isStainlessStream(value: unknown): value is { iterator: Callable; controller: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { iterator?: unknown }).iterator === 'function' &&
    'controller' in value
  );
}

/** Wraps a Stainless stream's iterator so every consumer path is observed; the stream object stays the same. */
export function observeStainlessStream<Event>(
  stream: { iterator: Callable; controller?: unknown },
  call: LlmCall,
  observer: StreamObserver<Event>,
): void {
  const original = stream.iterator;
  // An abort through the stream's AbortController ends the SDK's iteration quietly: not drained.
  const signal = (stream.controller as AbortController | undefined)?.signal;
  const aborted = () => signal?.aborted === true;
  const observed: StreamObserver<Event> = {
    onEvent: (event) => observer.onEvent(event),
    onEnd: (drained) => observer.onEnd(drained && !aborted()),
  };
  stream.iterator = function (this: unknown, ...args: unknown[]) {
    return observeEvents(original.apply(this, args) as AsyncIterator<Event>, call, observed);
  };
}
