// A call's GenAI attributes shared by every provider: its request (each provider passes the values it has), its
// server, its span name and the response attributes every provider reports.
// Only the attributes the GenAI conventions name for sampling go on the span at its start; the rest are written
// with the response. The SDK validates start attributes twice (before and after the sampler) and end ones once:
// 9 start attributes cost as much allocation as 26 end ones.
import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH,
} from '../../conventions/attributes.ts';

export interface RequestDescription {
  operation: string;
  provider: string;
  model: unknown;
  maxTokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  topK?: unknown;
  stopSequences?: unknown;
  seed?: unknown;
  frequencyPenalty?: unknown;
  presencePenalty?: unknown;
  stream?: boolean;
  baseURL?: unknown;
  prefixHash?: string;
}

export interface RequestAttributes {
  /** Given at span start, where samplers see them: operation, provider, model, server address and port. */
  atStart: Attributes;
  /** The rest of the request's description, written when the call ends. */
  details: Attributes;
}

export function requestAttributes(request: RequestDescription): RequestAttributes {
  const atStart: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: request.operation,
    [ATTR_GEN_AI_PROVIDER_NAME]: request.provider,
  };
  setString(atStart, ATTR_GEN_AI_REQUEST_MODEL, request.model);
  Object.assign(atStart, serverAttributes(request.baseURL));
  const details: Attributes = {};
  setNumber(details, ATTR_GEN_AI_REQUEST_MAX_TOKENS, request.maxTokens);
  setNumber(details, ATTR_GEN_AI_REQUEST_TEMPERATURE, request.temperature);
  setNumber(details, ATTR_GEN_AI_REQUEST_TOP_P, request.topP);
  setNumber(details, ATTR_GEN_AI_REQUEST_TOP_K, request.topK);
  setNumber(details, ATTR_GEN_AI_REQUEST_SEED, request.seed);
  setNumber(details, ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, request.frequencyPenalty);
  setNumber(details, ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, request.presencePenalty);
  const stops = typeof request.stopSequences === 'string' ? [request.stopSequences] : request.stopSequences;
  if (Array.isArray(stops) && stops.every((s) => typeof s === 'string')) {
    details[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = stops as string[];
  }
  if (request.stream !== undefined) details[ATTR_GEN_AI_REQUEST_STREAM] = request.stream;
  if (request.prefixHash) details[ATTR_TOKENLEDGER_REQUEST_PREFIX_HASH] = request.prefixHash;
  return { atStart, details };
}

function setString(attributes: Attributes, key: string, value: unknown): void {
  if (typeof value === 'string' && value.length > 0) attributes[key] = value;
}

function setNumber(attributes: Attributes, key: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) attributes[key] = value;
}

// A client's base URL rarely changes: parse each one once. Bounded, since an app could build URLs per request.
const serverCache = new Map<string, Attributes>();
const MAX_SERVERS = 256;

/** `server.address` / `server.port` from the client's base URL; never its path, query or credentials. */
export function serverAttributes(baseURL: unknown): Attributes {
  if (typeof baseURL !== 'string') return {};
  let attributes = serverCache.get(baseURL);
  if (attributes) return attributes;
  try {
    const url = new URL(baseURL);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    attributes = { [ATTR_SERVER_ADDRESS]: url.hostname, [ATTR_SERVER_PORT]: port };
  } catch {
    attributes = {};
  }
  if (serverCache.size >= MAX_SERVERS) serverCache.clear();
  serverCache.set(baseURL, attributes);
  return attributes;
}

/** The response attributes every provider has: id, model and finish reasons (each only when present). */
export function responseAttributes(id: unknown, model: unknown, finishReasons: readonly unknown[]): Attributes {
  const attributes: Attributes = {};
  if (typeof id === 'string' && id) attributes[ATTR_GEN_AI_RESPONSE_ID] = id;
  if (typeof model === 'string' && model) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = model;
  const reasons = finishReasons.filter((reason): reason is string => typeof reason === 'string');
  if (reasons.length > 0) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = reasons;
  return attributes;
}

/** The span name per the GenAI conventions: `{operation} {model}`. */
export function spanName(operation: string, model: unknown): string {
  return typeof model === 'string' && model.length > 0 ? `${operation} ${model}` : operation;
}
