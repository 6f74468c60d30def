// OTLP/HTTP trace request bodies → one message form, protobuf or JSON. Errors say what is wrong, for a 400.
// OTLP/JSON differs from the protobuf's canonical JSON: trace and span ids are hex, not base64; enums may be
// numbers; 64-bit integers may be strings or numbers. protobufjs' fromObject is given the protobuf form.
import type { Message } from 'protobufjs';
import { ExportTraceServiceRequest } from './otlp-schema.ts';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

export function decodeProtobuf(body: Uint8Array): Message {
  try {
    const message = ExportTraceServiceRequest.decode(body);
    const problem = ExportTraceServiceRequest.verify(message);
    if (problem) throw new OtlpDecodeError(`invalid ExportTraceServiceRequest: ${problem}`);
    return message;
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    throw new OtlpDecodeError(`malformed protobuf ExportTraceServiceRequest: ${(error as Error).message}`);
  }
}

export function decodeJson(body: Uint8Array): Message {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(`malformed JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OtlpDecodeError('an OTLP/JSON body must be an object with resourceSpans');
  }
  const request = parsed as { resourceSpans?: unknown };
  if (request.resourceSpans !== undefined && !Array.isArray(request.resourceSpans)) {
    throw new OtlpDecodeError('resourceSpans must be a list');
  }
  (request.resourceSpans ?? []).forEach((resourceSpans: unknown, r: number) => {
    const scopes = (resourceSpans as { scopeSpans?: unknown })?.scopeSpans ?? [];
    if (!Array.isArray(scopes)) throw new OtlpDecodeError(`resourceSpans[${r}].scopeSpans must be a list`);
    scopes.forEach((scopeSpans: unknown, s: number) => {
      const spans = (scopeSpans as { spans?: unknown })?.spans ?? [];
      if (!Array.isArray(spans)) throw new OtlpDecodeError(`resourceSpans[${r}].scopeSpans[${s}].spans must be a list`);
      spans.forEach((span: Record<string, unknown>, i: number) => {
        if (typeof span !== 'object' || span === null) throw new OtlpDecodeError(`resourceSpans[${r}].scopeSpans[${s}].spans[${i}] must be an object`);
        const where = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        for (const key of ['traceId', 'spanId', 'parentSpanId']) span[key] = hexToBase64(span[key], `${where}.${key}`);
        for (const link of (span.links as Array<Record<string, unknown>> | undefined) ?? []) {
          link.traceId = hexToBase64(link.traceId, `${where}.links.traceId`);
          link.spanId = hexToBase64(link.spanId, `${where}.links.spanId`);
        }
      });
    });
  });
  try {
    return ExportTraceServiceRequest.fromObject(request);
  } catch (error) {
    throw new OtlpDecodeError(`invalid OTLP/JSON: ${(error as Error).message}`);
  }
}

function hexToBase64(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(value)) throw new OtlpDecodeError(`${where} must be a hex string`);
  return Buffer.from(value, 'hex').toString('base64');
}
