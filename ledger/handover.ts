// How tokenledger's instrumentation hands a call's usage figures to the span processor in the same process, so the
// processor prices and rolls up the figures themselves rather than parsing back the attributes written from them.
// The figures are handed over while the span ends: the instrumentation puts them in a process-wide slot (the ESM and
// CJS copies of tokenledger share it) and ends the span, and the processor's onEnding, which the SDK runs inside
// that end(), reads them for that span. The SDK's span object is not touched: a property of our own added to every
// span gave the SDK's spans a second shape, which cost every span's later steps more than the figures save. A span
// without figures is read from its attributes instead.
import type { UsageFigures } from './usage-figures.ts';

interface Slot {
  span: object | undefined;
  figures: UsageFigures | undefined;
}

const KEY = Symbol.for('tokenledger.usage-handover');
const slot: Slot = ((globalThis as { [KEY]?: Slot })[KEY] ??= { span: undefined, figures: undefined });

/** Ends `span` (its SDK `end()`), handing its figures to the span processor while it ends. */
export function endWithUsage(span: { end(): void }, figures: UsageFigures): void {
  // A span processor could end another span inside this end(): the slot is put back as it was, not emptied.
  const previousSpan = slot.span;
  const previousFigures = slot.figures;
  slot.span = span;
  slot.figures = figures;
  try {
    span.end();
  } finally {
    slot.span = previousSpan;
    slot.figures = previousFigures;
  }
}

/** The figures handed over with `span`, while it ends. */
export function handedOverUsage(span: object): UsageFigures | undefined {
  return slot.span === span ? slot.figures : undefined;
}
