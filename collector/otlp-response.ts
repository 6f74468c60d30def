// The bodies of OTLP/HTTP responses, in the encoding of the request (OTLP/HTTP, "OTLP/HTTP Response"): success is
// an ExportTraceServiceResponse, with a partial success when spans were refused; failure is a google.rpc.Status
// with a message saying what is wrong. Protobuf unless the request was JSON.
import { ExportTraceServiceResponse, Status } from './otlp-schema.ts';

export type WireEncoding = 'protobuf' | 'json';

export const PROTOBUF = 'application/x-protobuf';
export const JSON_TYPE = 'application/json';

export interface ResponseBody {
  contentType: string;
  body: Uint8Array | string;
}

/** The encoding a request is answered in, from its Content-Type. */
export function wireEncoding(contentType: string): WireEncoding {
  return contentType === JSON_TYPE ? 'json' : 'protobuf';
}

// google.rpc.Code values for the statuses tokenledger answers with.
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 12, // UNIMPLEMENTED
  405: 12,
  413: 3,
  415: 3,
  429: 14, // UNAVAILABLE
  500: 13, // INTERNAL
  503: 14,
};

export function statusBody(encoding: WireEncoding, httpStatus: number, message: string): ResponseBody {
  const code = GRPC_CODE[httpStatus] ?? 2; // UNKNOWN
  if (encoding === 'json') return { contentType: JSON_TYPE, body: JSON.stringify({ code, message }) };
  return { contentType: PROTOBUF, body: Status.encode(Status.fromObject({ code, message })).finish() };
}

/** A success; with a partial success when spans were refused or the message warns of a repair. */
export function exportResponseBody(encoding: WireEncoding, rejectedSpans: number, errorMessage: string): ResponseBody {
  const partial = rejectedSpans > 0 || errorMessage !== '';
  if (encoding === 'json') {
    // int64 as a decimal string, as the protobuf JSON mapping writes it.
    return { contentType: JSON_TYPE, body: JSON.stringify(partial ? { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } } : {}) };
  }
  const response = ExportTraceServiceResponse.fromObject(partial ? { partialSuccess: { rejectedSpans, errorMessage } } : {});
  return { contentType: PROTOBUF, body: ExportTraceServiceResponse.encode(response).finish() };
}
