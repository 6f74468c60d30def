// Message Batches: each succeeded result read through `messages.batches.results()` becomes one LLM call span,
// priced at the batch rate (`tokenledger.request.batch = true`; Anthropic also reports `usage.service_tier =
// batch`). The span is made when the app reads the result, since the call itself ran inside Anthropic's batch.
import { diag } from '@opentelemetry/api';
import { ATTR_TOKENLEDGER_REQUEST_BATCH } from '../../conventions/attributes.ts';
import { requestAttributes, spanName } from '../common/request-attributes.ts';
import { startCall, type TracedMethodHost } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { recordMessage } from './messages.ts';

type Decoder = { [Symbol.asyncIterator]: () => AsyncIterator<unknown> };

/** Wraps a JSONLDecoder of batch results so every succeeded result is recorded as it is read. */
export function observeBatchResults(decoder: unknown, host: TracedMethodHost, baseURL: unknown): unknown {
  if (typeof decoder !== 'object' || decoder === null || typeof (decoder as Decoder)[Symbol.asyncIterator] !== 'function') {
    return decoder;
  }
  const target = decoder as Decoder;
  const iterate = target[Symbol.asyncIterator].bind(target);
  target[Symbol.asyncIterator] = () => {
    const source = iterate();
    return {
      next: (...args: [] | [undefined]) =>
        source.next(...args).then((result) => {
          if (!result.done) recordBatchResult(result.value, host, baseURL);
          return result;
        }),
      return: (value?: unknown) => source.return?.(value) ?? Promise.resolve({ done: true as const, value }),
      throw: (error?: unknown) => source.throw?.(error) ?? Promise.reject(error),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
  return decoder;
}

export function recordBatchResult(line: unknown, host: TracedMethodHost, baseURL: unknown): void {
  if (!host.isEnabled()) return;
  try {
    if (!isRecord(line) || !isRecord(line.result) || line.result.type !== 'succeeded') return;
    const message = line.result.message;
    if (!isRecord(message)) return;
    const attributes = requestAttributes({ operation: 'chat', provider: 'anthropic', model: message.model, baseURL });
    attributes.details[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
    const call = startCall(host, { spanName: spanName('chat', message.model), attributes });
    recordMessage(message, call, false);
    call.end();
  } catch (error) {
    diag.error('tokenledger: could not record a batch result', error);
  }
}
