// Anthropic's Admin API, as saved pages, in either generation:
// - legacy: `GET /v1/organizations/usage_report/messages` (tokens by bucket; no request count) and
//   `GET /v1/organizations/cost_report` (`amount` a decimal string in CENTS; model and token type only when grouped
//   by `description`);
// - analytics (beta): `GET /v1/organizations/analytics/usage` and `/analytics/cost`, one row per bucket and group
//   (`usage.requests`; `cost.amount` and `cost.list_amount` in fractional cents).
// A file's pages are told apart by their rows (`results` buckets, or `group` with `usage` or `cost`); one flag must
// not mix the two generations, which describe the same usage twice.
import { BillError, type BillLine, type BillTokenType, utcDay } from './bill-line.ts';
import { BucketLedger, count, groupOf, readPages, rfc3339Ms } from './bill-pages.ts';
import { centsAsDollars } from './money.ts';

type Row = Record<string, unknown>;

/** Anthropic's token_type names → tokenledger's. */
const TOKEN_TYPES: Record<string, BillTokenType> = {
  uncached_input_tokens: 'uncached_input',
  cache_read_input_tokens: 'cache_read',
  'cache_creation.ephemeral_5m_input_tokens': 'cache_write_5m',
  'cache_creation.ephemeral_1h_input_tokens': 'cache_write_1h',
  output_tokens: 'output',
};
const USAGE_GROUPS = ['model', 'api_key_id', 'workspace_id', 'service_tier', 'context_window', 'inference_geo', 'account_id', 'service_account_id', 'speed'];
const COST_GROUPS = ['description', 'workspace_id', 'cost_type', 'token_type', 'model', 'service_tier', 'context_window', 'inference_geo', 'api_key_id'];

interface SourceRow {
  row: Row;
  /** The dimensions (the row itself for legacy results, its `group` for analytics rows). */
  group: Row;
  startMs: number;
  endMs: number;
  where: string;
  generation: 'legacy' | 'analytics';
}

function* rows(files: readonly string[], flag: string, side: 'usage' | 'cost'): Generator<SourceRow> {
  const endpoints =
    side === 'usage' ? 'GET /v1/organizations/usage_report/messages or /analytics/usage' : 'GET /v1/organizations/cost_report or /analytics/cost';
  let generation: { name: 'legacy' | 'analytics'; where: string } | undefined;
  for (const file of files) {
    for (const page of readPages(file, flag, endpoints)) {
      for (const [index, item] of (page.body.data as Row[]).entries()) {
        const where = `${page.where}, row ${index + 1}`;
        if (typeof item !== 'object' || item === null) throw new BillError(where, 'a row must be an object');
        const name = Array.isArray(item.results) ? 'legacy' : typeof item.group === 'object' && item.group !== null ? 'analytics' : undefined;
        if (name === undefined)
          throw new BillError(
            where,
            `not what ${flag} reads: expected a bucket with "results" (${side === 'usage' ? 'usage_report/messages' : 'cost_report'}) or a row with "group" (analytics/${side})`,
          );
        if (generation && generation.name !== name) {
          throw new BillError(
            where,
            `mixed sources: ${name} pages here and ${generation.name} pages in ${generation.where} describe the same ${side} twice; give one of them`,
          );
        }
        generation ??= { name, where };
        const startMs = rfc3339Ms(item.starting_at, where, 'starting_at');
        const endMs = rfc3339Ms(item.ending_at, where, 'ending_at');
        if (name === 'analytics') {
          const metrics = item[side];
          if (typeof metrics !== 'object' || metrics === null) {
            throw new BillError(
              where,
              `not what ${flag} reads: an analytics row of ${side} has "${side}" (this one has ${Object.keys(item)
                .filter((key) => key !== 'group')
                .join(', ')})`,
            );
          }
          yield { row: metrics as Row, group: item.group as Row, startMs, endMs, where, generation: name };
          continue;
        }
        for (const [r, result] of (item.results as Row[]).entries()) {
          const at = `${where}, result ${r + 1}`;
          if (side === 'usage' && result?.amount !== undefined)
            throw new BillError(at, 'holds cost results (amount): this is a cost_report page (give it to --anthropic-costs)');
          if (side === 'cost' && result?.amount === undefined)
            throw new BillError(at, 'holds no amount: this is not a cost_report page (a usage_report page goes to --anthropic-usage)');
          yield { row: result, group: result, startMs, endMs, where: at, generation: name };
        }
      }
    }
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function tier(group: Row) {
  return {
    serviceTier: text(group.service_tier),
    contextWindow: text(group.context_window),
    inferenceGeo: text(group.inference_geo),
    scope: groupOf(group, ['workspace_id', 'api_key_id']) || undefined,
  };
}

export function anthropicUsageLines(files: readonly string[]): BillLine[] {
  const ledger = new BucketLedger('Anthropic usage');
  const lines: BillLine[] = [];
  for (const { row, group, startMs, endMs, where } of rows(files, '--anthropic-usage', 'usage')) {
    if ('amount' in row) throw new BillError(where, 'holds cost (amount): give it to --anthropic-costs');
    ledger.note(startMs, endMs, groupOf(group, USAGE_GROUPS), where);
    const creation = (row.cache_creation ?? {}) as Row;
    const figures: Array<[BillTokenType, number | undefined]> = [
      ['uncached_input', count(row.uncached_input_tokens, where, 'uncached_input_tokens')],
      ['cache_read', count(row.cache_read_input_tokens, where, 'cache_read_input_tokens')],
      ['cache_write_5m', count(creation.ephemeral_5m_input_tokens, where, 'cache_creation.ephemeral_5m_input_tokens')],
      ['cache_write_1h', count(creation.ephemeral_1h_input_tokens, where, 'cache_creation.ephemeral_1h_input_tokens')],
      ['output', count(row.output_tokens, where, 'output_tokens')],
      ['server_tools', count((row.server_tool_use as Row | undefined)?.web_search_requests, where, 'server_tool_use.web_search_requests')],
    ];
    if (figures.some(([type, tokens]) => type !== 'server_tools' && tokens === undefined)) {
      throw new BillError(
        where,
        'a usage row needs uncached_input_tokens, cache_read_input_tokens, cache_creation.ephemeral_5m_input_tokens / ephemeral_1h_input_tokens and output_tokens',
      );
    }
    const model = text(group.model);
    if (model === undefined) {
      if (figures.every(([, tokens]) => !tokens)) continue;
      throw new BillError(where, 'a usage row without a model: fetch the usage with group_by[]=model, so it can be compared model by model');
    }
    const base = { provider: 'anthropic', day: utcDay(startMs), model, ...tier(group), source: where };
    const requests = count(row.requests, where, 'requests');
    figures.forEach(([tokenType, tokens], index) => {
      if (tokenType === 'server_tools' && !tokens) return;
      lines.push({ ...base, tokenType, tokens, ...(index === 0 && requests !== undefined ? { requests } : {}) });
    });
  }
  return lines;
}

export function anthropicCostLines(files: readonly string[]): BillLine[] {
  const ledger = new BucketLedger('Anthropic cost');
  const lines: BillLine[] = [];
  for (const { row, group, startMs, endMs, where, generation } of rows(files, '--anthropic-costs', 'cost')) {
    ledger.note(startMs, endMs, groupOf(group, COST_GROUPS), where);
    const currency = text(row.currency);
    if (currency !== undefined && currency.toUpperCase() !== 'USD') throw new BillError(where, `an amount in ${currency}: reconcile compares US dollars`);
    const usd = centsAsDollars(row.amount, where, 'amount');
    const listUsd = row.list_amount === undefined || row.list_amount === null ? undefined : centsAsDollars(row.list_amount, where, 'list_amount');
    const costType = text(group.cost_type);
    const model = text(group.model) ?? '';
    let tokenType: BillTokenType | undefined;
    if (costType === 'web_search' || costType === 'code_execution' || costType === 'session_usage') tokenType = 'server_tools';
    else if (group.token_type !== undefined && group.token_type !== null) {
      tokenType = TOKEN_TYPES[String(group.token_type)];
      if (tokenType === undefined)
        throw new BillError(where, `an unknown token_type ${JSON.stringify(group.token_type)} (known: ${Object.keys(TOKEN_TYPES).join(', ')})`);
    }
    if (model === '' && tokenType !== 'server_tools' && usd !== 0) {
      const grouping = generation === 'legacy' ? 'group_by[]=description' : 'group_by[]=model and group_by[]=token_type';
      throw new BillError(where, `a token cost without a model: fetch the costs with ${grouping}, so they can be compared model by model`);
    }
    const requests = count(row.requests, where, 'requests');
    lines.push({
      provider: 'anthropic',
      day: utcDay(startMs),
      model,
      tokenType,
      usd,
      listUsd,
      ...(requests !== undefined ? { requests } : {}),
      ...tier(group),
      source: where,
    });
  }
  return lines;
}
