// The bill side of a reconciliation: its lines summed into the same groups as telemetry's (provider × UTC day ×
// model, the model by its price entry) by token type — usage tokens, cost dollars, and how much of each was billed
// at a tier, long-context or regional rate — plus request counts and the model's untyped charges.
import type { BillLine, BillTokenType } from './bill-line.ts';
import type { ModelKeys } from './model-keys.ts';

export interface BilledType {
  /** Tokens from usage reports. */
  usageTokens: number;
  /** Tokens from cost reports' quantities (used when no usage report was given). */
  costTokens: number;
  /** Cost lines that carried no quantity. */
  costLinesWithoutTokens: number;
  usd: number;
  listUsd: number;
  /** Usage tokens by service tier (`standard` when none). */
  tierTokens: Map<string, number>;
  /** Tokens (or, from costs alone, dollars) billed at the long-context or a regional rate. */
  longContext: number;
  regional: number;
}

export interface BillGroup {
  provider: string;
  day: string;
  /** As the bill names it. */
  model: string;
  key: string;
  types: Map<BillTokenType, BilledType>;
  /** Dollars not split by token type (a line item that names only the model). */
  untypedUsd: number;
  usageRequests?: number;
  costRequests?: number;
}

/** What the bill of one provider has: which sources, and whether it splits cache writes by TTL. */
export interface BillCoverage {
  usage: boolean;
  typedCost: boolean;
  untypedCost: boolean;
  ttlSplit: boolean;
  firstDay: string;
  lastDay: string;
}

export class BillGroups {
  readonly groups = new Map<string, BillGroup>();
  readonly coverage = new Map<string, BillCoverage>();
  private readonly keys: ModelKeys;

  constructor(keys: ModelKeys) {
    this.keys = keys;
  }

  add(lines: readonly BillLine[], kind: 'usage' | 'cost'): void {
    for (const line of lines) {
      const coverage = this.coverageOf(line);
      if (kind === 'usage') coverage.usage = true;
      else if (line.tokenType === undefined) coverage.untypedCost = true;
      else coverage.typedCost = true;
      if (line.tokenType === 'cache_write_5m' || line.tokenType === 'cache_write_1h') coverage.ttlSplit = true;
      const group = this.groupOf(line);
      if (line.requests !== undefined) {
        if (kind === 'usage') group.usageRequests = (group.usageRequests ?? 0) + line.requests;
        else group.costRequests = (group.costRequests ?? 0) + line.requests;
      }
      if (line.tokenType === undefined) {
        group.untypedUsd += line.usd ?? 0;
        continue;
      }
      let billed = group.types.get(line.tokenType);
      if (!billed) {
        billed = { usageTokens: 0, costTokens: 0, costLinesWithoutTokens: 0, usd: 0, listUsd: 0, tierTokens: new Map(), longContext: 0, regional: 0 };
        group.types.set(line.tokenType, billed);
      }
      const weight = kind === 'usage' ? (line.tokens ?? 0) : (line.tokens ?? line.usd ?? 0);
      if (kind === 'usage') {
        billed.usageTokens += line.tokens ?? 0;
        const tier = line.serviceTier ?? 'standard';
        billed.tierTokens.set(tier, (billed.tierTokens.get(tier) ?? 0) + (line.tokens ?? 0));
      } else {
        billed.usd += line.usd ?? 0;
        billed.listUsd += line.listUsd ?? line.usd ?? 0;
        if (line.tokens === undefined) billed.costLinesWithoutTokens += 1;
        else billed.costTokens += line.tokens;
        // A cost line names a tier only when the report is grouped by it: batch from the costs alone.
        if (line.serviceTier !== undefined && !coverage.usage) billed.tierTokens.set(line.serviceTier, (billed.tierTokens.get(line.serviceTier) ?? 0) + weight);
      }
      if (line.contextWindow !== undefined && line.contextWindow !== '0-200k') billed.longContext += weight;
      if (line.inferenceGeo !== undefined && line.inferenceGeo !== 'global' && line.inferenceGeo !== 'not_available') billed.regional += weight;
    }
  }

  private coverageOf(line: BillLine): BillCoverage {
    let coverage = this.coverage.get(line.provider);
    if (!coverage) {
      coverage = { usage: false, typedCost: false, untypedCost: false, ttlSplit: false, firstDay: line.day, lastDay: line.day };
      this.coverage.set(line.provider, coverage);
    }
    if (line.day < coverage.firstDay) coverage.firstDay = line.day;
    if (line.day > coverage.lastDay) coverage.lastDay = line.day;
    return coverage;
  }

  private groupOf(line: BillLine): BillGroup {
    const key = this.keys.groupKey(line.provider, line.model, line.day);
    let group = this.groups.get(key);
    if (!group) {
      group = { provider: line.provider, day: line.day, model: line.model, key, types: new Map(), untypedUsd: 0 };
      this.groups.set(key, group);
    }
    return group;
  }
}
