// `tokenledger reconcile`: reads the bill (files, or fetched first), then the recordings once (telemetry by
// provider × day × model × token type, and what the recording says about itself), compares, explains, prints, and
// exits 0 (every provider-day within the tolerance), 1 (not), or 2 (bad input; the caller prints it).
import { loadPriceOverridesFile, type PriceOverrides } from '../../ledger/pricing/price-overrides.ts';
import { commandHelp, parseCommandLine, UsageError, type FlagValues } from '../../config/command-line.ts';
import type { READING_FLAGS } from '../recording/reading-settings.ts';
import { plural } from '../format.ts';
import type { CommandIo } from '../../config/command-line.ts';
import { readRecordings } from '../recording/read-recordings.ts';
import { RecordingFacts } from '../recording/recording-facts.ts';
import { replayOptions } from '../recording/reading-settings.ts';
import type { ReplayStats } from '../recording/replay.ts';
import { fetchBill } from './admin-fetch.ts';
import { anthropicCostLines, anthropicUsageLines } from './anthropic-bill.ts';
import { BillGroups } from './bill-groups.ts';
import { focusLines } from './focus-bill.ts';
import { ModelKeys } from './model-keys.ts';
import { openaiCostLines, openaiUsageLines } from './openai-bill.ts';
import { priceCorrections, writePriceCorrections } from './price-corrections.ts';
import { reconcileJson, reconcileText } from './reconcile-output.ts';
import { BILL_FLAGS, DEFAULT_TOLERANCE_PCT, RECONCILE_COMMAND } from './reconcile-settings.ts';
import { reconcile, type Reconciliation } from './reconciliation.ts';
import { TelemetryLedger } from './telemetry-ledger.ts';
import { tokenledgerRates } from './tokenledger-rates.ts';
import { checkUnits } from './unit-check.ts';

export async function reconcileCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const { files, values, help } = parseCommandLine(RECONCILE_COMMAND, argv);
  if (help) {
    io.out(`${commandHelp(RECONCILE_COMMAND)}\n`);
    return 0;
  }
  const bill = billFiles(values);
  if (values.fetch) {
    const fetched = await fetchBill(values.fetch, values.from, values.to, io.env, values.saveTo);
    bill[values.fetch === 'openai' ? 'openaiUsage' : 'anthropicUsage'].push(fetched.usage);
    bill[values.fetch === 'openai' ? 'openaiCosts' : 'anthropicCosts'].push(fetched.costs);
    io.err(
      `tokenledger reconcile: fetched ${plural(fetched.pages.usage, 'usage page')} and ${plural(fetched.pages.costs, 'cost page')} into ${fetched.directory}/ (give ${fetched.usage} and ${fetched.costs} to reconcile again offline)\n`,
    );
  } else if (values.from !== undefined || values.to !== undefined) throw new UsageError('--from and --to go with --fetch');
  if (Object.values(bill).every((list) => list.length === 0)) {
    throw new UsageError(
      `no bill given: name its files (${Object.values(BILL_FLAGS)
        .map((flag) => flag.name)
        .join(', ')}) or --fetch openai|anthropic`,
    );
  }
  const result = await reconcileRecordings(files, values, bill);
  if (values.writePrices) {
    const corrections = priceCorrections(result.reconciliation, result.keys, (provider) => filesOf(bill, provider));
    try {
      writePriceCorrections(values.writePrices, corrections);
    } catch (error) {
      throw new UsageError(`--write-prices ${values.writePrices}: cannot write it (${(error as Error).message})`);
    }
    io.err(
      `tokenledger reconcile: ${plural(corrections.sources.length, 'rate')} the bill charges differently written to ${values.writePrices} (use it as TOKENLEDGER_PRICES, or --prices with --reprice)\n`,
    );
  }
  const { reconciliation, facts, stats } = result;
  if (values.json)
    io.out(
      `${JSON.stringify(reconcileJson(reconciliation, { files: stats.files, spans: stats.spans, calls: stats.calls, sampled: facts.sampled, samplers: facts.samplers, unsampled_calls: facts.unsampledCalls }), null, 2)}\n`,
    );
  else
    io.out(
      reconcileText(reconciliation, [`tokenledger reconcile: ${files.join(', ')} against ${billDescription(bill)}`, `Recording: ${facts.summary(stats)}.`]),
    );
  return reconciliation.withinTolerance ? 0 : 1;
}

export type BillFiles = Record<keyof typeof BILL_FLAGS, string[]>;

/** The bill's files the flags name (each list empty when not given). */
export function billFiles(values: FlagValues<typeof BILL_FLAGS>): BillFiles {
  return {
    openaiUsage: values.openaiUsage ?? [],
    openaiCosts: values.openaiCosts ?? [],
    anthropicUsage: values.anthropicUsage ?? [],
    anthropicCosts: values.anthropicCosts ?? [],
    focus: values.focus ?? [],
  };
}

export interface ReconcileResult {
  reconciliation: Reconciliation;
  facts: RecordingFacts;
  stats: ReplayStats;
  keys: ModelKeys;
}

/** The bill read and checked, then the recordings read once, then compared. Shared with `tokenledger report`. */
export async function reconcileRecordings(
  files: readonly string[],
  values: FlagValues<typeof READING_FLAGS> & { tolerance?: number },
  bill: BillFiles,
  extraSinks: Parameters<typeof readRecordings>[2] = [],
): Promise<ReconcileResult> {
  let overrides: PriceOverrides | undefined;
  try {
    overrides = values.prices ? loadPriceOverridesFile(values.prices) : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const keys = new ModelKeys(overrides);
  const groups = new BillGroups(keys);
  // The bill first: a bad bill file is named before the recordings are read.
  groups.add(openaiUsageLines(bill.openaiUsage), 'usage');
  groups.add(openaiCostLines(bill.openaiCosts), 'cost');
  groups.add(anthropicUsageLines(bill.anthropicUsage), 'usage');
  groups.add(anthropicCostLines(bill.anthropicCosts), 'cost');
  groups.add(focusLines(bill.focus).lines, 'cost');
  const options = replayOptions(values);
  const telemetry = new TelemetryLedger(keys);
  const facts = new RecordingFacts();
  const stats = await readRecordings(files, options, [telemetry, facts, ...extraSinks]);
  const reconciliation = reconcile(telemetry, groups, tokenledgerRates(options.pricer), values.tolerance ?? DEFAULT_TOLERANCE_PCT, facts);
  checkUnits(reconciliation, (provider) => filesOf(bill, provider, 'cost'));
  return { reconciliation, facts, stats, keys };
}

/** The bill files of a provider (its cost files, or all). */
function filesOf(bill: BillFiles, provider: string, side?: 'cost'): string[] {
  if (provider === 'openai') return side ? bill.openaiCosts : [...bill.openaiUsage, ...bill.openaiCosts];
  if (provider === 'anthropic') return side ? bill.anthropicCosts : [...bill.anthropicUsage, ...bill.anthropicCosts];
  return bill.focus;
}

function billDescription(bill: BillFiles): string {
  const parts = Object.entries(bill)
    .filter(([, list]) => list.length > 0)
    .map(([key, list]) => `${BILL_FLAGS[key as keyof BillFiles].name.slice(2)} ${list.join(', ')}`);
  return parts.join('; ');
}
