// A reconciliation for people (a text table per provider: totals, reasons, then every day × model × token type)
// and for programs (one JSON object with a schema version; every amount in US dollars).
import { count, dollars, percent, plural } from '../format.ts';
import { REASONS } from './reasons.ts';
import type { DayTotal, ProviderReconciliation, Reason, Reconciliation, Row } from './reconciliation.ts';

export const RECONCILE_SCHEMA = 'tokenledger.reconcile/1';

export function reconcileText(result: Reconciliation, header: readonly string[]): string {
  const lines = [...header];
  for (const provider of result.providers) lines.push('', ...providerText(provider, result.tolerancePct));
  for (const skipped of result.notCompared)
    lines.push('', `${skipped.provider}: ${plural(skipped.calls, 'call')} (${dollars(skipped.usd)}) in telemetry, no bill given for it: not compared`);
  lines.push('', verdict(result, ' (exit 1)'));
  return `${lines.join('\n')}\n`;
}

/** The last line: agreement, or what keeps the bill from being reconciled (with `note` after it). */
export function verdict(result: Reconciliation, note = ''): string {
  if (result.withinTolerance) return `Every provider-day is within ${result.tolerancePct}% of the bill.`;
  const days = result.providers.flatMap((provider) => provider.days);
  const problems: string[] = [];
  if (days.some((day) => !day.withinTolerance && day.difference !== undefined)) problems.push(`differ from the bill by more than ${result.tolerancePct}%`);
  if (days.some((day) => day.billedLowerBound))
    problems.push('have billed tokens tokenledger has no price for: what they cost is unknown, so they are not reconciled; --prices can give the prices');
  return `Some provider-days ${problems.join('; some ')}${note}.`;
}

/** `≥ ` before a figure that is a lower bound. */
export function atLeast(lowerBound: boolean): string {
  return lowerBound ? '≥ ' : '';
}

function providerText(provider: ProviderReconciliation, tolerancePct: number): string[] {
  const requests = (value: number | undefined) => (value === undefined ? 'requests not in the bill' : plural(value, 'request'));
  const { difference } = provider;
  const unpricedRows = provider.rows.filter((row) => row.billedUsd === undefined).length;
  const lines = [
    `${provider.provider}  ${provider.coverage.firstDay} – ${provider.coverage.lastDay}  (bill: ${billSources(provider)})`,
    `  telemetry ${atLeast(provider.telemetry.usdLowerBound)}${dollars(provider.telemetry.usd)} (${plural(provider.telemetry.requests, 'request')})   billed ${atLeast(provider.billed.usdLowerBound)}${dollars(provider.billed.usd)} (${requests(provider.billed.requests)})   difference ${difference === undefined ? 'unknown' : `${signed(difference)}${provider.billed.usd !== 0 ? ` (${signedPercent(difference / provider.billed.usd)})` : ''}`}`,
  ];
  if (unpricedRows > 0)
    lines.push(
      `  not priced: ${plural(unpricedRows, 'row')} of billed tokens tokenledger has no price for (billed $ unknown, marked ?): the billed total is a lower bound`,
    );
  if (provider.unattributed.requests > 0)
    lines.push(
      `  unattributed: ${plural(provider.unattributed.requests, 'request')}, ${atLeast(provider.unattributed.usdLowerBound)}${signed(provider.unattributed.usd)}`,
    );
  if (provider.reasons.length > 0 || provider.unexplained !== 0) {
    lines.push('  explained by:');
    const width = Math.max(12, ...provider.reasons.map((reason) => reason.code.length));
    for (const reason of provider.reasons) lines.push(`    ${reason.code.padEnd(width)}  ${signed(reason.usd).padStart(11)}  ${REASONS[reason.code]}`);
    lines.push(`    ${'unexplained'.padEnd(width)}  ${signed(provider.unexplained).padStart(11)}${unpricedRows > 0 ? '  of the rows priced' : ''}`);
  }
  if (provider.callsOutsideBill > 0) lines.push(`  ${plural(provider.callsOutsideBill, 'call')} in telemetry on days the bill does not cover: not compared`);
  lines.push(`  days: ${provider.days.map((day) => dayText(day, tolerancePct)).join(', ')}`);
  const table: string[][] = [['day', 'model', 'token type', 'telemetry tokens', 'telemetry $', 'billed tokens', 'billed $', 'difference', 'why']];
  for (const row of provider.rows) {
    table.push([
      row.day,
      row.model,
      row.tokenType.replace(/_/g, ' '),
      count(row.telemetryTokens),
      `${atLeast(row.telemetryLowerBound)}${dollars(row.telemetryUsd)}`,
      row.billedTokens === undefined ? '—' : count(row.billedTokens),
      row.billedUsd === undefined ? '?' : `${dollars(row.billedUsd)}${row.billedFrom === 'cost' ? '' : '*'}`,
      row.difference === undefined ? '?' : row.difference === 0 ? '—' : signed(row.difference),
      why(row),
    ]);
  }
  lines.push(...columns(table).map((line) => `  ${line}`));
  if (provider.rows.some((row) => row.billedFrom !== 'cost'))
    lines.push("  * billed dollars are the bill's tokens at tokenledger's prices (no cost report given)");
  for (const row of provider.rows) {
    for (const reason of row.reasons)
      if (reason.detail) lines.push(`  - ${row.day} ${row.model} ${row.tokenType.replace(/_/g, ' ')}: ${reason.code} ${signed(reason.usd)}: ${reason.detail}`);
  }
  return lines;
}

function dayText(day: DayTotal, tolerancePct: number): string {
  if (day.difference === undefined) return `${day.day} billed ≥ ${dollars(day.billedUsd)} ✗ (not fully priced)`;
  return `${day.day} ${signed(day.difference)} ${day.withinTolerance ? '✓' : `✗ (over ${tolerancePct}%)`}`;
}

function billSources(provider: ProviderReconciliation): string {
  const { coverage } = provider;
  return [coverage.usage ? 'usage' : '', coverage.typedCost || coverage.untypedCost ? 'costs' : ''].filter(Boolean).join(' + ');
}

function why(row: Row): string {
  if (row.billedUnknown) return row.billedUnknown;
  const parts = row.reasons.filter((reason) => reason.usd !== 0).map((reason) => `${reason.code} ${signed(reason.usd)}`);
  if (row.unexplained !== undefined && row.unexplained !== 0) parts.push(`unexplained ${signed(row.unexplained)}`);
  return parts.join(', ');
}

/** `+$0.0368`, `−$0.0021`, `$0.00`. */
export function signed(value: number): string {
  return value > 0 ? `+${dollars(value)}` : value < 0 ? dollars(value) : '$0.00';
}

function signedPercent(value: number): string {
  return `${value >= 0 ? '+' : ''}${percent(value)}`;
}

/** Left-aligned text columns, right-aligned figures. */
function columns(table: string[][]): string[] {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  return table.map((row) =>
    row
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function reconcileJson(result: Reconciliation, recording: Record<string, unknown>): Record<string, unknown> {
  return {
    schema: RECONCILE_SCHEMA,
    tolerance_pct: result.tolerancePct,
    within_tolerance: result.withinTolerance,
    recording,
    providers: result.providers.map((provider) => ({
      provider: provider.provider,
      period: { first_day: provider.coverage.firstDay, last_day: provider.coverage.lastDay },
      bill_sources: {
        usage: provider.coverage.usage,
        costs: provider.coverage.typedCost || provider.coverage.untypedCost,
        cache_write_ttl_split: provider.coverage.ttlSplit,
      },
      telemetry: { requests: provider.telemetry.requests, usd: provider.telemetry.usd, usd_lower_bound: provider.telemetry.usdLowerBound },
      billed: { requests: provider.billed.requests ?? null, usd: provider.billed.usd, usd_lower_bound: provider.billed.usdLowerBound },
      difference_usd: provider.difference ?? null,
      unattributed: { requests: provider.unattributed.requests, usd: provider.unattributed.usd, usd_lower_bound: provider.unattributed.usdLowerBound },
      reasons: provider.reasons.map(reasonJson),
      unexplained_usd: provider.unexplained,
      calls_outside_bill: provider.callsOutsideBill,
      day_totals: provider.days.map((day) => ({
        day: day.day,
        telemetry_usd: day.telemetryUsd,
        telemetry_usd_lower_bound: day.telemetryLowerBound,
        billed_usd: day.billedUsd,
        billed_usd_lower_bound: day.billedLowerBound,
        difference_usd: day.difference ?? null,
        within_tolerance: day.withinTolerance,
      })),
      days: provider.rows.map((row) => ({
        day: row.day,
        model: row.model,
        price_entry: row.key,
        token_type: row.tokenType,
        telemetry: { tokens: row.telemetryTokens, usd: row.telemetryUsd, usd_lower_bound: row.telemetryLowerBound },
        billed: {
          tokens: row.billedTokens ?? null,
          usd: row.billedUsd ?? null,
          usd_from: row.billedFrom,
          ...(row.billedUnknown ? { usd_unknown_reason: row.billedUnknown } : {}),
        },
        difference_usd: row.difference ?? null,
        reasons: row.reasons.map(reasonJson),
        unexplained_usd: row.unexplained ?? null,
      })),
    })),
    not_compared: result.notCompared,
  };
}

function reasonJson(reason: Reason): Record<string, unknown> {
  return {
    code: reason.code,
    usd: reason.usd,
    ...(reason.tokens !== undefined ? { tokens: reason.tokens } : {}),
    ...(reason.requests !== undefined ? { requests: reason.requests } : {}),
    ...(reason.requestsEstimated ? { requests_estimated: true } : {}),
    ...(reason.telemetryPerMtok !== undefined ? { telemetry_usd_per_mtok: reason.telemetryPerMtok, billed_usd_per_mtok: reason.billedPerMtok } : {}),
    ...(reason.detail ? { detail: reason.detail } : {}),
  };
}
