// OpenAI Batch API results arrive as a JSONL output file that the app downloads (`files.content(id)`) and parses
// itself; no SDK call carries them, so they cannot be observed transparently. An app that wants them on its
// telemetry hands the file (or its parsed lines) to `recordOpenAIBatchResults`: every successful line becomes one
// LLM call span, marked `tokenledger.request.batch = true` so it is priced at the batch rate.
import { diag, trace } from '@opentelemetry/api';
import { ATTR_OPENAI_API_TYPE, ATTR_TOKENLEDGER_REQUEST_BATCH } from '../../conventions/attributes.ts';
import { requestAttributes, spanName } from '../common/request-attributes.ts';
import { startCall, type TracedMethodHost } from '../common/traced-method.ts';
import { isRecord } from '../../ledger/usage.ts';
import { VERSION } from '../../base/version.ts';
import { recordCompletion } from './chat.ts';
import { recordResponse } from './responses.ts';
import { normalizeEmbeddingsUsage } from './usage.ts';

const host: TracedMethodHost = {
  get tracer() {
    return trace.getTracer('tokenledger-instrumentation-openai', VERSION);
  },
  isEnabled: () => true,
  legacyAttributes: false,
};

/**
 * Records a Batch API output file: the JSONL text, or its lines already parsed. Returns how many calls were
 * recorded. Lines that failed (`error`, or a status other than 200) are not billed and are skipped.
 */
export function recordOpenAIBatchResults(output: string | unknown[]): number {
  let recorded = 0;
  const lines = typeof output === 'string' ? output.split('\n') : output;
  for (const line of lines) {
    try {
      const parsed = typeof line === 'string' ? (line.trim() ? JSON.parse(line) : undefined) : line;
      if (recordLine(parsed)) recorded += 1;
    } catch (error) {
      diag.warn('tokenledger: skipped an unreadable batch output line', error);
    }
  }
  return recorded;
}

function recordLine(line: unknown): boolean {
  if (!isRecord(line) || !isRecord(line.response) || line.response.status_code !== 200) return false;
  const body = line.response.body;
  if (!isRecord(body)) return false;
  const apiType = body.object === 'response' ? 'responses' : body.object === 'list' ? 'embeddings' : 'chat_completions';
  const operation = apiType === 'embeddings' ? 'embeddings' : 'chat';
  const attributes = requestAttributes({ operation, provider: 'openai', model: body.model });
  attributes.details[ATTR_OPENAI_API_TYPE] = apiType;
  attributes.details[ATTR_TOKENLEDGER_REQUEST_BATCH] = true;
  const call = startCall(host, { spanName: spanName(operation, body.model), attributes });
  if (apiType === 'responses') recordResponse(body, call, false);
  else if (apiType === 'embeddings') call.setUsage(normalizeEmbeddingsUsage(body.usage));
  else recordCompletion(body, call, false);
  call.end();
  return true;
}
