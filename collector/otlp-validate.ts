// What must hold of a span for any OTLP receiver to take it, checked before tokenledger accepts it: a request the
// upstream refuses is refused whole, so one span it would refuse must not reach a batch. The OpenTelemetry
// Collector refuses a request with a trace or span id of the wrong length (pdata's ID unmarshalling) and, like
// every proto3 decoder, one with a string that is not valid UTF-8. Strings are repaired where they are decoded
// (otlp-decode.ts: invalid sequences become U+FFFD); ids cannot be, so such a span is refused and the client
// told in the response's partial success (OTLP/HTTP, "Partial Success").

import { forgetWireBytes } from './span-wire.ts';

/** The spans refused in one request, and what was repaired, for the client's partial success. */
export class Refusals {
  count = 0;
  /** Strings that were not valid UTF-8 (or, in JSON, lone surrogates) were replaced with U+FFFD. */
  repairedStrings = false;
  private readonly examples: string[] = [];

  refuse(where: string, why: string): void {
    this.count += 1;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(`${where}: ${why}`);
  }

  /** The partial success's error message ('' when nothing was refused or repaired). */
  message(): string {
    const parts: string[] = [];
    if (this.count > 0) {
      const more = this.count - this.examples.length;
      parts.push(`${this.count} span${this.count === 1 ? '' : 's'} refused (${this.examples.join('; ')}${more > 0 ? `; and ${more} more` : ''})`);
    }
    if (this.repairedStrings) parts.push('strings that were not valid UTF-8 were repaired (invalid sequences replaced with U+FFFD)');
    return parts.join('; ');
  }
}

const MAX_EXAMPLES = 3;
const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

type Ids = { traceId?: Uint8Array; spanId?: Uint8Array };
type DecodedSpan = Ids & { parentSpanId?: Uint8Array; links?: Ids[] };
export type DecodedRequest = { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: DecodedSpan[] }> }> };

/** Where a span is in its request: `r.s.i`, the indices of its resourceSpans, scopeSpans and span. */
export const spanPosition = (r: number, s: number, i: number) => `${r}.${s}.${i}`;

/**
 * Removes from the decoded request, in place, every span that cannot be forwarded as valid OTLP, and counts it in
 * `refusals`; `found` holds problems a decoder found before, by spanPosition. An all-zero parent span id means
 * "no parent" (the W3C invalid id): it is cleared, not refused.
 */
export function refuseInvalidSpans(request: DecodedRequest, refusals: Refusals, found?: Map<string, string>): void {
  (request.resourceSpans ?? []).forEach((resourceSpans, r) => {
    (resourceSpans.scopeSpans ?? []).forEach((scopeSpans, s) => {
      const spans = scopeSpans.spans ?? [];
      let kept = 0;
      spans.forEach((span, i) => {
        const problem = found?.get(spanPosition(r, s, i)) ?? spanProblem(span);
        if (problem) refusals.refuse(`resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`, problem);
        else spans[kept++] = span;
      });
      spans.length = kept;
    });
  });
}

function spanProblem(span: DecodedSpan): string | undefined {
  const problem = idProblem('traceId', span.traceId, TRACE_ID_BYTES) ?? idProblem('spanId', span.spanId, SPAN_ID_BYTES);
  if (problem) return problem;
  const parent = span.parentSpanId;
  if (parent && parent.length > 0) {
    if (parent.length !== SPAN_ID_BYTES) return `parentSpanId must be ${SPAN_ID_BYTES} bytes or empty, got ${parent.length}`;
    if (allZero(parent)) {
      span.parentSpanId = EMPTY;
      forgetWireBytes(span);
    }
  }
  for (const [l, link] of (span.links ?? []).entries()) {
    const linkProblem = idProblem('traceId', link.traceId, TRACE_ID_BYTES) ?? idProblem('spanId', link.spanId, SPAN_ID_BYTES);
    if (linkProblem) return `links[${l}].${linkProblem}`;
  }
  return undefined;
}

function idProblem(name: string, id: Uint8Array | undefined, bytes: number): string | undefined {
  const length = id?.length ?? 0;
  if (length !== bytes) return `${name} must be ${bytes} bytes (${2 * bytes} hex digits), got ${length}`;
  if (allZero(id!)) return `${name} must not be all zeros`;
  return undefined;
}

function allZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

const EMPTY = new Uint8Array(0);
