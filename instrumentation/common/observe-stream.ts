// Observes a provider's event stream as the app consumes it: every event is inspected before the app
// sees it, and the call's span ends exactly once when the stream is drained, broken off, aborted or fails.
import { diag } from '@opentelemetry/api';
import type { LlmCall } from './llm-call.ts';
import type { UsageUnknownReason } from './usage.ts';

export interface StreamObserver<Event> {
  /** Inspects one event before the app sees it; return false to hide the event from the app. */
  onEvent(event: Event): boolean | void;
  /** The stream ended: `drained` is true when it ran to its end, false on an early break. */
  onEnd(drained: boolean): void;
}

export async function* observeEvents<Event>(
  source: AsyncIterator<Event>,
  call: LlmCall,
  observer: StreamObserver<Event>,
  incompleteReason: UsageUnknownReason = 'stream_incomplete',
): AsyncGenerator<Event, void, undefined> {
  let drained = false;
  try {
    for await (const event of { [Symbol.asyncIterator]: () => source }) {
      call.chunk();
      // Inspected before it is yielded: a consumer that breaks on the last event (the one carrying usage)
      // must not lose it. Inspection is a few field reads; it never awaits.
      if (inspect(observer, event) === false) continue;
      yield event;
    }
    drained = true;
  } catch (error) {
    call.fail(error, incompleteReason);
    throw error;
  } finally {
    if (!call.isEnded) {
      try {
        observer.onEnd(drained);
      } catch (error) {
        diag.error('tokenledger: could not finish a stream', error);
      }
      call.end(incompleteReason);
    }
  }
}

function inspect<Event>(observer: StreamObserver<Event>, event: Event): boolean | void {
  try {
    return observer.onEvent(event);
  } catch (error) {
    diag.error('tokenledger: could not read a stream event', error);
    return true;
  }
}
