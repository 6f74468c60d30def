// Observes a provider's event stream as the app consumes it: every event is inspected before the app
// sees it, and the call's span ends exactly once when the stream is drained, broken off, aborted or fails.
import { diag } from '@opentelemetry/api';
import type { LlmCall } from './llm-call.ts';
import type { UsageUnknownReason } from '../../ledger/usage.ts';

export interface StreamObserver<Event> {
  /** Inspects one event before the app sees it; return false to hide the event from the app. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an observer that never hides an event returns nothing
  onEvent(event: Event): boolean | void;
  /** The stream ended: `drained` is true when it ran to its end, false on an early break. */
  onEnd(drained: boolean): void;
}

/**
 * Wraps an async iterator so each event is inspected before the app sees it. A hand-written iterator rather
 * than an async generator: one promise reaction per event instead of a generator's queue and awaits, which
 * keeps the per-chunk cost of a long stream low. `return()` (a `break`) and `throw()` pass through to the source.
 */
export function observeEvents<Event>(
  source: AsyncIterator<Event>,
  call: LlmCall,
  observer: StreamObserver<Event>,
  incompleteReason: UsageUnknownReason = 'stream_incomplete',
): AsyncIterableIterator<Event> & AsyncGenerator<Event> {
  const finish = (drained: boolean) => {
    if (call.isEnded) return;
    try {
      observer.onEnd(drained);
    } catch (error) {
      diag.error('tokenledger: could not finish a stream', error);
    }
    call.end(incompleteReason);
  };
  const fail = (error: unknown): never => {
    call.fail(error, incompleteReason);
    throw error;
  };
  const onResult = (result: IteratorResult<Event>): IteratorResult<Event> | Promise<IteratorResult<Event>> => {
    if (result.done) {
      finish(true);
      return result;
    }
    call.chunk();
    // Inspected before it is yielded: a consumer that breaks on the last event (the one carrying usage)
    // must not lose it. Inspection is a few field reads; it never awaits.
    if (inspect(observer, result.value) === false) return iterator.next();
    return result;
  };
  const iterator = {
    next(...args: [] | [undefined]) {
      let pending: Promise<IteratorResult<Event>>;
      try {
        pending = source.next(...args);
      } catch (error) {
        return Promise.reject(fail(error));
      }
      return pending.then(onResult, fail);
    },
    return(value?: unknown) {
      finish(false);
      if (typeof source.return === 'function') return source.return(value as Event);
      return Promise.resolve({ done: true, value } as IteratorResult<Event>);
    },
    throw(error?: unknown) {
      if (typeof source.throw === 'function') return source.throw(error).then(onResult, fail);
      return Promise.reject(fail(error));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator as unknown as AsyncIterableIterator<Event> & AsyncGenerator<Event>;
}

// biome-ignore lint/suspicious/noConfusingVoidType: what the observer returns, passed on
function inspect<Event>(observer: StreamObserver<Event>, event: Event): boolean | void {
  try {
    return observer.onEvent(event);
  } catch (error) {
    diag.error('tokenledger: could not read a stream event', error);
    return true;
  }
}
