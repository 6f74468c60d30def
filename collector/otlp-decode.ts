// OTLP/HTTP trace request bodies → one message form, protobuf or JSON, with every span that cannot be forwarded as
// valid OTLP refused (otlp-validate.ts) and every string made valid UTF-8. Errors say what is wrong, for a 400.
// OTLP/JSON differs from the protobuf's canonical JSON: trace and span ids are hex, not base64; enums may be
// numbers; 64-bit integers may be strings or numbers. protobufjs' fromObject is given the protobuf form.
import type { Message } from 'protobufjs';
import { ExportTraceServiceRequest, LenientExportTraceServiceRequest } from './otlp-schema.ts';
import { refuseInvalidSpans, spanPosition, type DecodedRequest, type Refusals } from './otlp-validate.ts';
import { markWireBytes } from './span-wire.ts';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/**
 * A protobuf body; strings that are not valid UTF-8 are repaired (and said so), spans with bad ids refused. With
 * `wireBytes`, for a caller that forwards them, each span is marked with its bytes in `body` when they may be
 * forwarded as they came (span-wire.ts).
 */
export function decodeProtobuf(body: Uint8Array, refusals: Refusals, options: { wireBytes?: boolean } = {}): Message {
  let message: Message;
  try {
    message = ExportTraceServiceRequest.decode(body);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_ENCODING_INVALID_ENCODED_DATA') throw malformedProtobuf(error);
    try {
      message = LenientExportTraceServiceRequest.decode(body);
    } catch (lenientError) {
      throw malformedProtobuf(lenientError);
    }
    refusals.repairedStrings = true;
  }
  let problem: string | null;
  try {
    problem = ExportTraceServiceRequest.verify(message);
  } catch (error) {
    // Nesting the decoder managed but the verifier's deeper recursion did not.
    throw malformedProtobuf(error);
  }
  if (problem) throw new OtlpDecodeError(`invalid ExportTraceServiceRequest: ${problem}`);
  // Spans whose strings were repaired differ from their bytes; the others may be forwarded as they came.
  if (options.wireBytes && !refusals.repairedStrings) markWireBytes(message as unknown as DecodedRequest, body);
  refuseInvalidSpans(message as unknown as DecodedRequest, refusals);
  return message;
}

function malformedProtobuf(error: unknown): OtlpDecodeError {
  return new OtlpDecodeError(`malformed protobuf ExportTraceServiceRequest: ${(error as Error).message}`);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** A `\u` escape of a UTF-16 surrogate: only then can JSON.parse give a string with a lone surrogate. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** A JSON body; ids must be hex (a span whose id is not is refused), strings are made valid UTF-8. */
export function decodeJson(body: Uint8Array, refusals: Refusals): Message {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    refusals.repairedStrings = true;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError('an OTLP/JSON body must be an object with resourceSpans');
  }
  if (SURROGATE_ESCAPE.test(text) && repairLoneSurrogates(parsed)) refusals.repairedStrings = true;
  const notHex = idsToBase64(parsed as { resourceSpans?: unknown });
  let message: Message;
  try {
    message = ExportTraceServiceRequest.fromObject(parsed);
  } catch (error) {
    throw new OtlpDecodeError(`invalid OTLP/JSON: ${(error as Error).message}`);
  }
  refuseInvalidSpans(message as unknown as DecodedRequest, refusals, notHex);
  return message;
}

/**
 * Turns the hex ids of every span and link into the base64 protobufjs reads; returns the spans with an id that is
 * not hex (that id removed), by position, to be refused. Shapes protobufjs itself checks (a `links` that is not a
 * list, a span that is not an object) are left to it, which refuses the request.
 */
function idsToBase64(request: { resourceSpans?: unknown }): Map<string, string> {
  const notHex = new Map<string, string>();
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  list(request.resourceSpans).forEach((resourceSpans: unknown, r) => {
    list(field(resourceSpans, 'scopeSpans')).forEach((scopeSpans: unknown, s) => {
      list(field(scopeSpans, 'spans')).forEach((span: unknown, i) => {
        const problem = typeof span === 'object' && span !== null ? spanIdsToBase64(span as Record<string, unknown>) : undefined;
        if (problem) notHex.set(spanPosition(r, s, i), problem);
      });
    });
  });
  return notHex;
}

/** Converts one span's ids in place; returns what is wrong when one is not hex (and removes that id). */
function spanIdsToBase64(span: Record<string, unknown>): string | undefined {
  let problem: string | undefined;
  const convert = (holder: Record<string, unknown>, key: string, where: string) => {
    const converted = hexToBase64(holder[key]);
    if (converted === null) problem ??= `${where}${key} must be a hex string`;
    holder[key] = converted ?? undefined;
  };
  for (const key of ['traceId', 'spanId', 'parentSpanId']) convert(span, key, '');
  if (Array.isArray(span.links)) {
    span.links.forEach((link: unknown, l) => {
      if (typeof link !== 'object' || link === null) return;
      for (const key of ['traceId', 'spanId']) convert(link as Record<string, unknown>, key, `links[${l}].`);
    });
  }
  return problem;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Hex → base64; undefined when absent, null when not hex. */
function hexToBase64(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(value)) return null;
  return Buffer.from(value, 'hex').toString('base64');
}

/** Replaces lone surrogates in every string of the parsed body with U+FFFD; returns whether any was found. */
function repairLoneSurrogates(root: object): boolean {
  let repaired = false;
  // Iterative: a body may nest as deep as JSON.parse allows, deeper than the stack.
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Record<string, unknown>;
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (typeof value === 'string') {
        if (!isWellFormed(value)) {
          node[key] = toWellFormed(value);
          repaired = true;
        }
      } else if (typeof value === 'object' && value !== null) {
        stack.push(value);
      }
    }
  }
  return repaired;
}

// ES2024 string methods (Node 20+), typed here because the project's lib is ES2023.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (value: string) => (value as unknown as WellFormed).isWellFormed();
const toWellFormed = (value: string) => (value as unknown as WellFormed).toWellFormed();
