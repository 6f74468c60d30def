// The comparison, pure: telemetry's groups and the bill's, side by side per provider × UTC day × model × token type,
// and every difference split into what explains it. For one token type, with T tokens in telemetry of which it
// priced Tp at Tu dollars, and B tokens costing Bu on the bill (rates t = Tu/Tp, b = Bu/B):
//
//   Bu − Tu  =  (B − T) × b        the tokens one side counted and the other did not, at the billed rate
//            +  (T − Tp) × b       the tokens telemetry counted and could not price, at the billed rate
//            +  Tp × (b − t)       the tokens both counted, at the difference of the rates
//
// A token difference goes to the requests telemetry never saw (the bill counts more requests), calls whose usage
// telemetry lacks, cache writes counted at the other TTL, a day boundary; unpriced tokens to the calls telemetry
// could not price; a rate difference to batch, service tier, long context, regional inference, unpriced cache
// writes, and what remains to price drift. Whatever no reason takes is reported unexplained. Every amount is in US
// dollars.
//
// Unknown is never zero. Billed tokens of a usage-only bill that no rate prices (a model the price data does not
// know and telemetry did not price, a tier with no rate of its own) leave the row's billed dollars and difference
// absent, with the reason; the totals that lack them are lower bounds, and a day whose billed total is a lower bound
// is not within tolerance: a bill that cannot be priced is not reconciled.
import { usd } from '../../ledger/pricing/call-pricer.ts';
import type { RecordingFacts } from '../recording/recording-facts.ts';
import { nextDay, type BillTokenType } from './bill-line.ts';
import type { BillCoverage, BillGroup, BillGroups, BilledType } from './bill-groups.ts';
import type { ReasonCode } from './reasons.ts';
import type { TelemetryGroup, TelemetryLedger, TypeFigures } from './telemetry-ledger.ts';

/** USD per token at tokenledger's price for a model, token type and tier on a day (undefined: no price). */
export type RateOf = (provider: string, model: string, type: BillTokenType, day: string, tier: string) => number | undefined;

export interface Reason {
  code: ReasonCode;
  usd: number;
  /** Tokens it concerns (for requests: the tokens of the unseen requests). */
  tokens?: number;
  requests?: number;
  /** Requests estimated from tokens (the bill gives no request count). */
  requestsEstimated?: boolean;
  /** USD per million tokens: telemetry's and the bill's, for a rate reason. */
  telemetryPerMtok?: number;
  billedPerMtok?: number;
  detail?: string;
}

export interface Row {
  day: string;
  model: string;
  /** Its price entry (`anthropic/claude-sonnet-4-5`), the key both sides were matched by. */
  key: string;
  tokenType: BillTokenType | 'all';
  telemetryTokens: number;
  telemetryUsd: number;
  /** Some calls of the group had no cost: the telemetry figure is a lower bound. */
  telemetryLowerBound: boolean;
  billedTokens?: number;
  /** Undefined when the bill's tokens cannot be priced (`billedUnknown` says why). */
  billedUsd: number | undefined;
  /** Why the billed dollars are unknown: `no price for <model> <token type> tokens at the <tier> tier`. */
  billedUnknown?: string;
  /** Where the billed dollars come from: a cost report, or usage priced at tokenledger's rates. */
  billedFrom: 'cost' | 'usage × price';
  /** The bill's tokens at tokenledger's rate (a check on the bill's units). */
  billedAtTokenledgerRates?: number;
  /** Billed − telemetry; undefined with the billed dollars. */
  difference: number | undefined;
  reasons: Reason[];
  /** What no reason explains; undefined with the difference. */
  unexplained: number | undefined;
}

export interface DayTotal {
  day: string;
  telemetryUsd: number;
  /** Some calls of the day had no cost. */
  telemetryLowerBound: boolean;
  /** The rows whose billed dollars are known. */
  billedUsd: number;
  /** Some of the day's billed tokens could not be priced: billedUsd is a lower bound. */
  billedLowerBound: boolean;
  /** Undefined when the billed total is a lower bound. */
  difference: number | undefined;
  /** False when the billed total is a lower bound: what cannot be priced is not shown to agree. */
  withinTolerance: boolean;
}

export interface ProviderReconciliation {
  provider: string;
  coverage: BillCoverage;
  telemetry: { requests: number; usd: number; usdLowerBound: boolean };
  billed: { requests?: number; usd: number; usdLowerBound: boolean };
  /** Billed − telemetry; undefined when the billed total is a lower bound. */
  difference: number | undefined;
  /** usdLowerBound: some of the unseen requests' tokens could not be priced. */
  unattributed: { requests: number; usd: number; usdLowerBound: boolean };
  reasons: Reason[];
  /** Over the rows whose difference is known. */
  unexplained: number;
  days: DayTotal[];
  rows: Row[];
  /** Telemetry calls on days the bill does not cover. */
  callsOutsideBill: number;
}

export interface Reconciliation {
  tolerancePct: number;
  withinTolerance: boolean;
  providers: ProviderReconciliation[];
  /** Providers telemetry has calls of and no bill was given for. */
  notCompared: Array<{ provider: string; calls: number; usd: number }>;
}

interface Cell {
  group: TelemetryGroup | undefined;
  bill: BillGroup | undefined;
}

const EPSILON_USD = 1e-9;

export function reconcile(telemetry: TelemetryLedger, bill: BillGroups, rateOf: RateOf, tolerancePct: number, facts?: RecordingFacts): Reconciliation {
  const providers: ProviderReconciliation[] = [];
  const notCompared = new Map<string, { provider: string; calls: number; usd: number }>();
  const cells = new Map<string, Map<string, Cell>>();
  for (const group of telemetry.groups.values()) {
    if (!bill.coverage.has(group.provider)) {
      const entry = notCompared.get(group.provider) ?? { provider: group.provider, calls: 0, usd: 0 };
      entry.calls += group.calls;
      for (const figures of group.types.values()) entry.usd += figures.usd;
      notCompared.set(group.provider, entry);
      continue;
    }
    cellOf(cells, group.provider, group.key).group = group;
  }
  for (const group of bill.groups.values()) cellOf(cells, group.provider, group.key).bill = group;
  for (const [provider, byKey] of [...cells].sort(([a], [b]) => a.localeCompare(b))) {
    providers.push(reconcileProvider(provider, bill.coverage.get(provider)!, [...byKey.values()], rateOf, tolerancePct, facts));
  }
  return {
    tolerancePct,
    withinTolerance: providers.every((provider) => provider.days.every((day) => day.withinTolerance)),
    providers,
    notCompared: [...notCompared.values()].map((entry) => ({ ...entry, usd: usd(entry.usd) })),
  };
}

function cellOf(cells: Map<string, Map<string, Cell>>, provider: string, key: string): Cell {
  let byKey = cells.get(provider);
  if (!byKey) cells.set(provider, (byKey = new Map()));
  let cell = byKey.get(key);
  if (!cell) byKey.set(key, (cell = { group: undefined, bill: undefined }));
  return cell;
}

function reconcileProvider(
  provider: string,
  coverage: BillCoverage,
  cells: Cell[],
  rateOf: RateOf,
  tolerancePct: number,
  facts?: RecordingFacts,
): ProviderReconciliation {
  const rows: Row[] = [];
  let telemetryRequests = 0;
  let billedRequests: number | undefined;
  let unattributedRequests = 0;
  let unattributedUnpriced = false;
  let callsOutsideBill = 0;
  for (const { group, bill } of cells) {
    const day = (group ?? bill)!.day;
    if (!bill && (day < coverage.firstDay || day > coverage.lastDay)) {
      callsOutsideBill += group!.calls;
      continue;
    }
    const groupRows = reconcileGroup(provider, coverage, group, bill, rateOf, facts);
    telemetryRequests += group?.calls ?? 0;
    const requests = bill?.usageRequests ?? bill?.costRequests;
    if (requests !== undefined) billedRequests = (billedRequests ?? 0) + requests;
    for (const row of groupRows.rows) rows.push(row);
    unattributedRequests += groupRows.unattributedRequests;
    if (groupRows.unattributedUnpriced) unattributedUnpriced = true;
  }
  explainBoundaries(rows);
  for (const row of rows) row.unexplained = row.difference === undefined ? undefined : roundUsd(row.difference - explained(row));
  rows.sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model) || a.tokenType.localeCompare(b.tokenType));

  const days = dayTotals(rows, tolerancePct);
  const reasons = sumReasons(rows);
  const unattributed = reasons.find((reason) => reason.code === 'unattributed_requests');
  const telemetryUsd = roundUsd(days.reduce((sum, day) => sum + day.telemetryUsd, 0));
  const billedUsd = roundUsd(days.reduce((sum, day) => sum + day.billedUsd, 0));
  const billedLowerBound = days.some((day) => day.billedLowerBound);
  return {
    provider,
    coverage,
    telemetry: { requests: telemetryRequests, usd: telemetryUsd, usdLowerBound: days.some((day) => day.telemetryLowerBound) },
    billed: { requests: billedRequests, usd: billedUsd, usdLowerBound: billedLowerBound },
    difference: billedLowerBound ? undefined : roundUsd(billedUsd - telemetryUsd),
    unattributed: { requests: unattributedRequests, usd: unattributed?.usd ?? 0, usdLowerBound: unattributedUnpriced },
    reasons,
    unexplained: roundUsd(rows.reduce((sum, row) => sum + (row.unexplained ?? 0), 0)),
    days,
    rows,
    callsOutsideBill,
  };
}

/** Each day's totals; a row whose billed dollars are unknown makes its day's billed total a lower bound. */
function dayTotals(rows: Row[], tolerancePct: number): DayTotal[] {
  const byDay = new Map<string, DayTotal>();
  // A model's charge not split by token type (its 'all' row) holds what its unpriced types cost: its day total is known.
  const charged = new Set(rows.filter((row) => row.tokenType === 'all').map((row) => `${row.day}\n${row.key}`));
  for (const row of rows) {
    let total = byDay.get(row.day);
    if (!total) {
      total = { day: row.day, telemetryUsd: 0, telemetryLowerBound: false, billedUsd: 0, billedLowerBound: false, difference: 0, withinTolerance: true };
      byDay.set(row.day, total);
    }
    total.telemetryUsd += row.telemetryUsd;
    if (row.telemetryLowerBound) total.telemetryLowerBound = true;
    if (row.billedUsd !== undefined) total.billedUsd += row.billedUsd;
    else if (!charged.has(`${row.day}\n${row.key}`)) total.billedLowerBound = true;
  }
  const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  for (const total of days) {
    total.telemetryUsd = roundUsd(total.telemetryUsd);
    total.billedUsd = roundUsd(total.billedUsd);
    total.difference = total.billedLowerBound ? undefined : roundUsd(total.billedUsd - total.telemetryUsd);
    total.withinTolerance =
      total.difference !== undefined && Math.abs(total.difference) <= Math.max(EPSILON_USD, (tolerancePct / 100) * Math.abs(total.billedUsd));
  }
  return days;
}

/** The token types a group is compared by: the bill's, with telemetry's cache writes merged where the bill has no TTL split. */
function typesOf(coverage: BillCoverage, group: TelemetryGroup | undefined, bill: BillGroup | undefined): Map<BillTokenType, TypeFigures> {
  const types = new Map<BillTokenType, TypeFigures>();
  for (const [type, figures] of group?.types ?? []) {
    const as: BillTokenType = !coverage.ttlSplit && (type === 'cache_write_5m' || type === 'cache_write_1h') ? 'cache_write' : type;
    const held = types.get(as) ?? { tokens: 0, pricedTokens: 0, usd: 0 };
    types.set(as, { tokens: held.tokens + figures.tokens, pricedTokens: held.pricedTokens + figures.pricedTokens, usd: held.usd + figures.usd });
  }
  for (const type of bill?.types.keys() ?? []) if (!types.has(type)) types.set(type, { tokens: 0, pricedTokens: 0, usd: 0 });
  return types;
}

interface TypeComparison {
  type: BillTokenType;
  row: Row;
  /** Telemetry's tokens of calls it priced (the rest are of calls without a cost). */
  pricedTokens: number;
  billed: BilledType | undefined;
  telemetryRate: number | undefined;
  billedRate: number | undefined;
  tokenDelta: number | undefined;
}

function reconcileGroup(
  provider: string,
  coverage: BillCoverage,
  group: TelemetryGroup | undefined,
  bill: BillGroup | undefined,
  rateOf: RateOf,
  facts: RecordingFacts | undefined,
): { rows: Row[]; unattributedRequests: number; unattributedUnpriced: boolean } {
  const day = (group ?? bill)!.day;
  const model = bill?.model || group?.model || '';
  const key = (group ?? bill)!.key.split('\u0000')[2]!;
  const comparisons: TypeComparison[] = [];
  for (const [type, figures] of typesOf(coverage, group, bill)) {
    const billed = bill?.types.get(type);
    // A type neither side has anything of is no row.
    if (!billed && figures.tokens === 0 && figures.usd === 0) continue;
    // Telemetry's rate is its dollars over the tokens of the calls it priced: tokens it could not price are not free.
    const telemetryRate = figures.pricedTokens > 0 ? figures.usd / figures.pricedTokens : rateOf(provider, model, type, day, 'standard');
    const billedTokens = coverage.usage
      ? (billed?.usageTokens ?? 0)
      : billed && billed.costLinesWithoutTokens === 0
        ? billed.costTokens
        : coverage.typedCost
          ? undefined
          : 0;
    let billedUsd: number | undefined;
    let billedUnknown: string | undefined;
    let billedFrom: Row['billedFrom'] = 'cost';
    if (coverage.typedCost) billedUsd = billed?.usd ?? 0;
    else {
      billedFrom = 'usage × price';
      const priced = usageAtRates(billed, (tier) => (tier === 'standard' ? telemetryRate : rateOf(provider, model, type, day, tier)));
      billedUsd = priced.usd;
      if (priced.unpricedTier !== undefined)
        billedUnknown = `no price for ${model || 'an unnamed model'} ${type.replace(/_/g, ' ')} tokens at the ${priced.unpricedTier} tier`;
    }
    const billedRate = billedUsd === undefined ? undefined : billedTokens !== undefined && billedTokens > 0 ? billedUsd / billedTokens : telemetryRate;
    const row: Row = {
      day,
      model,
      key,
      tokenType: type,
      telemetryTokens: figures.tokens,
      telemetryUsd: roundUsd(figures.usd),
      telemetryLowerBound: (group?.unpriced ?? 0) > 0,
      billedTokens,
      billedUsd: billedUsd === undefined ? undefined : roundUsd(billedUsd),
      ...(billedUnknown ? { billedUnknown } : {}),
      billedFrom,
      billedAtTokenledgerRates: billedTokens === undefined || telemetryRate === undefined ? undefined : roundUsd(billedTokens * telemetryRate),
      difference: billedUsd === undefined ? undefined : roundUsd(billedUsd - figures.usd),
      reasons: [],
      unexplained: 0,
    };
    comparisons.push({
      type,
      row,
      pricedTokens: figures.pricedTokens,
      billed,
      telemetryRate,
      billedRate,
      tokenDelta: billedTokens === undefined ? undefined : billedTokens - figures.tokens,
    });
  }
  const unattributedRequests = explainTokens(provider, comparisons, group, bill, facts);
  // The unseen requests' dollars lack what the rows without billed dollars would have given them.
  const unattributedUnpriced =
    unattributedRequests > 0 && comparisons.some((comparison) => comparison.row.billedUsd === undefined && (comparison.tokenDelta ?? 0) > 0);
  for (const comparison of comparisons) explainRate(comparison, group);
  const rows = comparisons.map((comparison) => comparison.row);
  if (bill && bill.untypedUsd !== 0) rows.push(untypedRow(bill, key, rows));
  return { rows, unattributedRequests, unattributedUnpriced };
}

/**
 * Usage alone: the bill's tokens at tokenledger's rate for the tier they were billed at, or the first tier with
 * tokens that has no rate (then the dollars are unknown: a tier is never priced at another tier's rate).
 */
function usageAtRates(billed: BilledType | undefined, rateOfTier: (tier: string) => number | undefined): { usd?: number; unpricedTier?: string } {
  let usd = 0;
  for (const [tier, tokens] of billed?.tierTokens ?? []) {
    if (tokens === 0) continue;
    const rate = rateOfTier(tier);
    if (rate === undefined) return { unpricedTier: tier };
    usd += tokens * rate;
  }
  return { usd };
}

/** The token differences: requests telemetry never saw, usage it lacks, writes at the other TTL. Returns the unseen requests. */
function explainTokens(
  provider: string,
  comparisons: TypeComparison[],
  group: TelemetryGroup | undefined,
  bill: BillGroup | undefined,
  facts: RecordingFacts | undefined,
): number {
  const at = (type: BillTokenType) => comparisons.find((comparison) => comparison.type === type);
  // Cache writes the bill counts at one TTL and telemetry at the other: the tokens moved, at the difference of the rates.
  const fiveMinutes = at('cache_write_5m');
  const oneHour = at('cache_write_1h');
  if (
    fiveMinutes?.tokenDelta !== undefined &&
    oneHour?.tokenDelta !== undefined &&
    fiveMinutes.billedRate !== undefined &&
    oneHour.billedRate !== undefined &&
    Math.sign(fiveMinutes.tokenDelta) === -Math.sign(oneHour.tokenDelta) &&
    fiveMinutes.tokenDelta !== 0
  ) {
    const moved = Math.min(Math.abs(fiveMinutes.tokenDelta), Math.abs(oneHour.tokenDelta)) * Math.sign(oneHour.tokenDelta);
    const usdMoved = moved * (oneHour.billedRate - fiveMinutes.billedRate);
    // Booked on the row of the TTL the bill counted them at; the other row's share of it is the negative part.
    oneHour.row.reasons.push({
      code: 'cache_write_ttl',
      usd: roundUsd(moved * oneHour.billedRate),
      tokens: moved,
      detail: `${Math.abs(moved)} cache-write tokens billed at the ${moved > 0 ? '1-hour' : '5-minute'} TTL`,
    });
    fiveMinutes.row.reasons.push({
      code: 'cache_write_ttl',
      usd: roundUsd(-moved * fiveMinutes.billedRate),
      tokens: -moved,
      detail: `net ${roundUsd(usdMoved)} USD for the TTL`,
    });
    oneHour.tokenDelta -= moved;
    fiveMinutes.tokenDelta += moved;
  }

  const telemetryCalls = group?.calls ?? 0;
  const billedRequests = bill?.usageRequests ?? bill?.costRequests;
  let unseen = billedRequests === undefined ? undefined : billedRequests - telemetryCalls;
  let estimated = false;
  const surplus = comparisons.filter((comparison) => comparison.type !== 'server_tools' && (comparison.tokenDelta ?? 0) > 0);
  if (unseen === undefined && surplus.length > 0 && comparisons.every((comparison) => (comparison.tokenDelta ?? 0) >= 0)) {
    // No request count in the bill (Anthropic's legacy usage report): as many requests as the surplus input makes,
    // at telemetry's mean input per call.
    const input = (list: TypeComparison[], pick: (c: TypeComparison) => number) =>
      list.filter((c) => c.type !== 'output' && c.type !== 'server_tools').reduce((sum, c) => sum + pick(c), 0);
    const perCall = telemetryCalls > 0 ? input(comparisons, (c) => c.row.telemetryTokens) / telemetryCalls : 0;
    const extra = input(comparisons, (c) => c.tokenDelta ?? 0);
    if (perCall > 0 && extra > 0) {
      unseen = Math.max(1, Math.round(extra / perCall));
      estimated = true;
    }
  }
  for (const comparison of comparisons) {
    const delta = comparison.tokenDelta;
    // A row without billed dollars has no difference to explain: it says why it has none.
    if (delta === undefined || delta === 0 || comparison.row.difference === undefined) continue;
    if (comparison.type === 'server_tools') {
      comparison.row.reasons.push({
        code: 'server_tool_fees',
        usd: comparison.row.difference,
        tokens: delta,
        detail: `${delta} server-tool requests more on the bill`,
      });
      comparison.tokenDelta = 0;
      continue;
    }
    if (comparison.billedRate === undefined) continue;
    const amount = roundUsd(delta * comparison.billedRate);
    if (delta > 0 && unseen !== undefined && unseen > 0) {
      comparison.row.reasons.push({
        code: 'unattributed_requests',
        usd: amount,
        tokens: delta,
        requests: unseen,
        ...(estimated ? { requestsEstimated: true } : {}),
        detail: unseenDetail(provider, unseen, estimated, group, bill, facts),
      });
    } else if (delta > 0 && (group?.usageUnknown ?? 0) > 0) {
      comparison.row.reasons.push({
        code: 'stream_without_usage',
        usd: amount,
        tokens: delta,
        detail: `${group!.usageUnknown} calls without usage in telemetry`,
      });
    } else continue;
    comparison.tokenDelta = 0;
  }
  return unseen !== undefined && unseen > 0 ? unseen : 0;
}

/** Why requests may be missing, from what the recording says about itself. */
function unseenDetail(
  provider: string,
  unseen: number,
  estimated: boolean,
  group: TelemetryGroup | undefined,
  bill: BillGroup | undefined,
  facts: RecordingFacts | undefined,
): string {
  const parts = [`${estimated ? '≈' : ''}${unseen} requests the bill counts and telemetry did not see`];
  const left = group && facts ? facts.unsampledFor(provider, group.model, group.day) : undefined;
  if (left) parts.push(`the recording's sampler left ${left.calls} of them out (end record)`);
  else if (group && group.sampledStandFor > group.calls) parts.push(`the calls were sampled: they stand for ≈${Math.round(group.sampledStandFor)} (ot=th)`);
  else if (facts?.sampled === 'yes') parts.push('the recording is sampled');
  else parts.push('another app on the same key, project or workspace, or calls telemetry never ended');
  if (bill?.usageRequests === undefined && bill?.costRequests === undefined && !estimated) parts.push('no request count in the bill');
  return parts.join('; ');
}

/** The rate difference on the tokens both counted, given to the first reason the bill's lines show. */
function explainRate(comparison: TypeComparison, group: TelemetryGroup | undefined): void {
  const { row, billed, pricedTokens, telemetryRate, billedRate, type } = comparison;
  if (type === 'server_tools' || billedRate === undefined) return;
  // Tokens of calls telemetry counted and could not price: billed, not in telemetry's dollars.
  const unpricedTokens = row.telemetryTokens - pricedTokens;
  if (unpricedTokens > 0) {
    row.reasons.push({
      code: 'unpriced_calls',
      usd: roundUsd(unpricedTokens * billedRate),
      tokens: unpricedTokens,
      detail: `${unpricedTokens} ${type} tokens of calls telemetry has no cost for, at the billed rate`,
    });
  }
  if (telemetryRate === undefined || pricedTokens === 0) return;
  const amount = roundUsd(pricedTokens * (billedRate - telemetryRate));
  if (Math.abs(amount) <= EPSILON_USD) return;
  const rates = { telemetryPerMtok: roundRate(telemetryRate * 1e6), billedPerMtok: roundRate(billedRate * 1e6) };
  const tiers = billed?.tierTokens ?? new Map<string, number>();
  const billedTiers = [...tiers].filter(([tier, tokens]) => tokens > 0 && tier !== 'standard').map(([tier]) => tier);
  const telemetryTiers = new Set(group?.tiers.keys() ?? []);
  let code: ReasonCode = 'price_drift';
  let detail = `the bill charges ${rates.billedPerMtok} USD per million ${type} tokens, tokenledger's price is ${rates.telemetryPerMtok}`;
  if (billedTiers.includes('batch') !== telemetryTiers.has('batch') && (billedTiers.includes('batch') || (group?.batchCalls ?? 0) > 0)) {
    code = 'batch';
    detail = billedTiers.includes('batch')
      ? `${tiers.get('batch')} tokens billed at the batch rate, priced by telemetry at the standard rate`
      : 'telemetry priced batch calls the bill charges at the standard rate';
  } else if (billedTiers.some((tier) => tier !== 'batch' && !telemetryTiers.has(tier))) {
    code = 'service_tier';
    detail = `billed at the ${billedTiers.filter((tier) => tier !== 'batch').join(', ')} tier, priced by telemetry at ${[...telemetryTiers].join(', ') || 'standard'}`;
  } else if ((billed?.longContext ?? 0) > 0) {
    code = 'long_context';
    detail = `${billed!.longContext} tokens billed at the long-context rate`;
  } else if ((billed?.regional ?? 0) > 0) {
    code = 'inference_geo';
    detail = `${billed!.regional} tokens billed at a regional-inference rate`;
  } else if ((type === 'cache_write_1h' || type === 'cache_write') && Math.abs(billedRate / telemetryRate - 2 / 1.25) < 0.01) {
    code = 'cache_write_unpriced';
    detail = `1-hour cache writes billed at 2× the input rate, priced by telemetry at the 5-minute rate (1.25×)`;
  } else if (type.startsWith('cache_write') && Math.abs(billedRate / telemetryRate - 1.25) < 0.01) {
    code = 'cache_write_unpriced';
    detail = 'cache writes billed at 1.25× the input rate, priced by telemetry at the input rate';
  }
  row.reasons.push({ code, usd: amount, tokens: pricedTokens, ...rates, detail });
}

/** A model's charge the bill does not split by token type, against telemetry's dollars not covered by typed lines. */
function untypedRow(bill: BillGroup, key: string, typed: Row[]): Row {
  const estimates = typed.filter((row) => row.billedFrom === 'usage × price');
  const telemetryUsd = estimates.reduce((sum, row) => sum + row.telemetryUsd, 0);
  const estimated = estimates.reduce((sum, row) => sum + (row.billedUsd ?? 0), 0);
  // A type no rate prices has no estimate: this row is then the charge less the priced types' estimates (the model
  // still totals its charge), and no drift is stated, since the charge also pays for what was not priced.
  const allPriced = estimates.every((row) => row.billedUsd !== undefined);
  const difference = roundUsd(bill.untypedUsd - estimated);
  return {
    day: bill.day,
    model: bill.model,
    key,
    tokenType: 'all',
    telemetryTokens: 0,
    telemetryUsd: 0,
    telemetryLowerBound: false,
    billedUsd: roundUsd(difference),
    billedFrom: 'cost',
    difference,
    reasons:
      Math.abs(difference) > EPSILON_USD && telemetryUsd > 0 && allPriced
        ? [
            {
              code: 'price_drift',
              usd: difference,
              detail: `the model's charge (${roundUsd(bill.untypedUsd)} USD, not split by token type) against its usage at tokenledger's prices (${roundUsd(estimated)} USD)`,
            },
          ]
        : [],
    unexplained: 0,
  };
}

/** Days next to each other whose token differences cancel, with calls near the midnight between them. */
function explainBoundaries(rows: Row[]): void {
  const byKey = new Map<string, Row>();
  for (const row of rows) byKey.set(`${row.key}\u0000${row.tokenType}\u0000${row.day}`, row);
  for (const row of rows) {
    const next = byKey.get(`${row.key}\u0000${row.tokenType}\u0000${nextDay(row.day)}`);
    if (!next || row.difference === undefined || next.difference === undefined) continue;
    const a = row.difference - explained(row);
    const b = next.difference - explained(next);
    if (Math.sign(a) !== -Math.sign(b) || Math.abs(a) <= EPSILON_USD) continue;
    const moved = Math.min(Math.abs(a), Math.abs(b));
    row.reasons.push({
      code: 'bucket_boundary',
      usd: roundUsd(Math.sign(a) * moved),
      detail: `the bill counts on ${next.day} what telemetry counts on ${row.day} (or the reverse)`,
    });
    next.reasons.push({
      code: 'bucket_boundary',
      usd: roundUsd(Math.sign(b) * moved),
      detail: `the bill counts on ${row.day} what telemetry counts on ${next.day} (or the reverse)`,
    });
  }
}

/** The dollars a row's reasons explain. */
function explained(row: Row): number {
  return row.reasons.reduce((sum, reason) => sum + reason.usd, 0);
}

function sumReasons(rows: Row[]): Reason[] {
  const sums = new Map<ReasonCode, Reason>();
  for (const row of rows) {
    for (const reason of row.reasons) {
      const sum = sums.get(reason.code) ?? { code: reason.code, usd: 0 };
      sum.usd += reason.usd;
      if (reason.tokens !== undefined) sum.tokens = (sum.tokens ?? 0) + reason.tokens;
      sums.set(reason.code, sum);
    }
  }
  return [...sums.values()].map((reason) => ({ ...reason, usd: roundUsd(reason.usd) })).sort((a, b) => Math.abs(b.usd) - Math.abs(a.usd));
}

function roundUsd(value: number): number {
  return usd(value);
}

function roundRate(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
