// The flags every command that reads recordings takes: the price data, and how traces are held while read.
import { loadPriceOverridesFile, type PriceOverrides } from '../../ledger/pricing/price-overrides.ts';
import { CallPricer } from '../../ledger/pricing/call-pricer.ts';
import { UsageError, type FlagValues } from '../../config/command-line.ts';
import { booleanSetting, positiveSetting, stringSetting } from '../../config/setting.ts';
import type { ReplayOptions } from './replay.ts';

export const DEFAULT_HOLD_SPANS = 20_000;
export const DEFAULT_MAX_SPANS = 100_000;

export const READING_FLAGS = {
  prices: stringSetting(
    '--prices',
    'path',
    'price overrides (JSON or YAML), as `TOKENLEDGER_PRICES`: they price calls recorded without a cost, and every call with `--reprice`',
  ),
  reprice: booleanSetting('--reprice', false, 'price every call again with the bundled data and `--prices`, ignoring the cost it was recorded with'),
  holdSpans: positiveSetting(
    '--hold-spans',
    true,
    DEFAULT_HOLD_SPANS,
    'a trace is rolled up once its root span has been read and this many more spans were read without one of its own (spans of a trace lie apart in a file when runs overlap)',
  ),
  maxSpans: positiveSetting(
    '--max-spans',
    true,
    DEFAULT_MAX_SPANS,
    'spans held at most while reading (about 1.6 KB each); past it the oldest trace is rolled up early and its runs are reported unknown. `report` and `whatif` also keep up to this many calls and runs (about 0.9 KB a call) to re-price them without reading the files again; past it they read them again',
  ),
};

/** The replay's options from the flags; a price file that cannot be read is a UsageError naming it. */
export function replayOptions(values: FlagValues<typeof READING_FLAGS>): ReplayOptions {
  let overrides: PriceOverrides | undefined;
  try {
    overrides = values.prices ? loadPriceOverridesFile(values.prices) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    pricer: new CallPricer({ overrides }),
    holdSpans: values.holdSpans ?? DEFAULT_HOLD_SPANS,
    maxSpans: values.maxSpans ?? DEFAULT_MAX_SPANS,
    reprice: values.reprice ?? false,
  };
}
