// How tokenledger's instrumentation hands a call's usage figures to the span processor in the same process, so
// the processor prices and rolls up the figures themselves rather than parsing back the attributes written from
// them. The figures ride on the span object under a process-wide symbol (the ESM and CJS copies of tokenledger
// share it); a span without them is read from its attributes instead.
import type { UsageFigures } from './usage-figures.ts';

const FIGURES = Symbol.for('tokenledger.usage-figures');
type Carrier = { [FIGURES]?: UsageFigures };

export function handOverUsage(span: object, figures: UsageFigures): void {
  (span as Carrier)[FIGURES] = figures;
}

export function handedOverUsage(span: object): UsageFigures | undefined {
  return (span as Carrier)[FIGURES];
}
