// OpenAI's Administration API, as saved pages: `GET /v1/organization/usage/completions` (tokens by bucket, model,
// project, key, batch and service tier; reasoning is inside `output_tokens`) and `GET /v1/organization/costs`
// (dollars by bucket, project and line item). Field names and semantics: openai-openapi `UsageCompletionsResult` and
// `CostsResult`. `input_tokens` includes cached and cache-write tokens; `input_uncached_tokens` leaves out both.
import { BillError, type BillLine, type BillTokenType, utcDay } from './bill-line.ts';
import { BucketLedger, count, groupOf, readPages, unixSecondsMs } from './bill-pages.ts';
import { dollars } from './money.ts';

const USAGE_GROUPS = ['model', 'project_id', 'user_id', 'api_key_id', 'batch', 'service_tier'] as const;
const COST_GROUPS = ['line_item', 'project_id', 'api_key_id'] as const;
const USAGE_RESULT = 'organization.usage.completions.result';
const COST_RESULT = 'organization.costs.result';
const USAGE_ENDPOINT = 'GET /v1/organization/usage/completions';
const COST_ENDPOINT = 'GET /v1/organization/costs';

type Result = Record<string, unknown>;

/** Each bucket's results, checked to be of the kind the flag reads. */
function* results(file: string, flag: string, endpoint: string, object: string, other: { object: string; flag: string }) {
  for (const page of readPages(file, flag, endpoint)) {
    if (page.body.object !== 'page') throw new BillError(page.where, `not what ${flag} reads: a ${endpoint} page has "object": "page"`);
    for (const [index, bucket] of (page.body.data as unknown[]).entries()) {
      const where = `${page.where}, bucket ${index + 1}`;
      const b = bucket as { object?: unknown; start_time?: unknown; end_time?: unknown; results?: unknown; result?: unknown };
      if (b?.object !== 'bucket') throw new BillError(where, `not what ${flag} reads: expected a bucket ({"object": "bucket", …})`);
      const startMs = unixSecondsMs(b.start_time, where, 'start_time');
      const endMs = unixSecondsMs(b.end_time, where, 'end_time');
      const list = b.results ?? b.result;
      if (!Array.isArray(list)) throw new BillError(where, 'results must be a list');
      for (const result of list as Result[]) {
        if (result?.object === other.object)
          throw new BillError(where, `holds ${other.object} results: this is not a ${endpoint} page (give it to ${other.flag})`);
        if (result?.object !== object) throw new BillError(where, `not what ${flag} reads: expected ${object} results, got ${JSON.stringify(result?.object)}`);
        yield { result, startMs, endMs, where };
      }
    }
  }
}

export function openaiUsageLines(files: readonly string[]): BillLine[] {
  const ledger = new BucketLedger('OpenAI usage');
  const lines: BillLine[] = [];
  for (const file of files) {
    for (const { result, startMs, endMs, where } of results(file, '--openai-usage', USAGE_ENDPOINT, USAGE_RESULT, {
      object: COST_RESULT,
      flag: '--openai-costs',
    })) {
      ledger.note(startMs, endMs, groupOf(result, USAGE_GROUPS), where);
      const input = count(result.input_tokens, where, 'input_tokens');
      const output = count(result.output_tokens, where, 'output_tokens');
      if (input === undefined || output === undefined) throw new BillError(where, 'a completions result needs input_tokens and output_tokens');
      const cached = count(result.input_cached_tokens, where, 'input_cached_tokens') ?? 0;
      const written = count(result.input_cache_write_tokens, where, 'input_cache_write_tokens');
      const uncached = count(result.input_uncached_tokens, where, 'input_uncached_tokens') ?? input - cached - (written ?? 0);
      if (uncached < 0 || uncached + cached + (written ?? 0) !== input) {
        throw new BillError(
          where,
          `input_tokens ${input} is not input_uncached_tokens ${uncached} + input_cached_tokens ${cached} + input_cache_write_tokens ${written ?? 0}`,
        );
      }
      const requests = count(result.num_model_requests, where, 'num_model_requests');
      if (typeof result.model !== 'string' || result.model === '') {
        if (input === 0 && output === 0) continue;
        throw new BillError(where, 'a result without a model: fetch the usage with group_by[]=model, so it can be compared model by model');
      }
      const base = {
        provider: 'openai',
        day: utcDay(startMs),
        model: result.model,
        serviceTier: result.batch === true ? 'batch' : typeof result.service_tier === 'string' ? result.service_tier : undefined,
        scope: groupOf(result, ['project_id', 'api_key_id']) || undefined,
        source: where,
      };
      lines.push({ ...base, tokenType: 'uncached_input', tokens: uncached, requests });
      lines.push({ ...base, tokenType: 'cache_read', tokens: cached });
      if (written !== undefined) lines.push({ ...base, tokenType: 'cache_write', tokens: written });
      lines.push({ ...base, tokenType: 'output', tokens: output });
    }
  }
  return lines;
}

export function openaiCostLines(files: readonly string[]): BillLine[] {
  const ledger = new BucketLedger('OpenAI costs');
  const lines: BillLine[] = [];
  for (const file of files) {
    for (const { result, startMs, endMs, where } of results(file, '--openai-costs', COST_ENDPOINT, COST_RESULT, {
      object: USAGE_RESULT,
      flag: '--openai-usage',
    })) {
      ledger.note(startMs, endMs, groupOf(result, COST_GROUPS), where);
      const amount = result.amount as { value?: unknown; currency?: unknown } | undefined;
      const unit = typeof amount?.currency === 'string' ? amount.currency.toLowerCase() : undefined;
      if (unit !== 'usd') throw new BillError(where, `an amount in ${JSON.stringify(amount?.currency)}: reconcile compares US dollars ("currency": "usd")`);
      const usd = dollars(amount!.value, where, 'amount.value');
      const item = lineItem(result.line_item);
      lines.push({
        provider: 'openai',
        day: utcDay(startMs),
        model: item.model,
        tokenType: item.tokenType,
        usd,
        tokens: item.tokenType === undefined ? undefined : tokensOf(result, where),
        serviceTier: item.batch ? 'batch' : undefined,
        scope: groupOf(result, ['project_id', 'api_key_id']) || undefined,
        source: where,
      });
    }
  }
  return lines;
}

/** `quantity` in tokens, when the line item counts tokens (`quantity_unit` tokens or 1000_tokens). */
function tokensOf(result: Result, where: string): number | undefined {
  const quantity = result.quantity;
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return undefined;
  if (result.quantity_unit === 'tokens') return quantity;
  if (result.quantity_unit === '1000_tokens') return quantity * 1000;
  if (result.quantity_unit === undefined || result.quantity_unit === null) return undefined;
  if (typeof result.quantity_unit !== 'string') throw new BillError(where, `quantity_unit must be a string, got ${JSON.stringify(result.quantity_unit)}`);
  return undefined;
}

const KINDS: Array<[RegExp, BillTokenType]> = [
  [/^(cached input|cache read|input cached|cached)$/, 'cache_read'],
  [/^(cache write|cache writes|cached input write|cache creation|input cache write)$/, 'cache_write'],
  [/^(input|uncached input|input uncached|prompt)$/, 'uncached_input'],
  [/^(output|completion)$/, 'output'],
];

/**
 * A free-form `line_item` (the Costs API has no model or token-type dimension): `gpt-4o-2024-08-06, input`,
 * `…, cached input`, `…, output`, with `batch` where the batch API was used. One without a token type is the
 * model's whole charge; a tool fee (`web search …`) has no model.
 */
export function lineItem(text: unknown): { model: string; tokenType?: BillTokenType; batch: boolean } {
  if (typeof text !== 'string' || text.trim() === '') return { model: '', batch: false };
  const at = text.lastIndexOf(',');
  const name = (at < 0 ? text : text.slice(0, at)).trim();
  let kind = (at < 0 ? '' : text.slice(at + 1)).trim().toLowerCase();
  const batch = /\bbatch\b/i.test(text);
  kind = kind
    .replace(/\(?\bbatch\b\)?/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/web search|file search|code interpreter/i.test(name) && !/^gpt|^o\d/i.test(name)) return { model: '', tokenType: 'server_tools', batch };
  const tokenType = KINDS.find(([pattern]) => pattern.test(kind))?.[1];
  return { model: name.replace(/\s*\(?\bbatch\b\)?\s*/gi, ' ').trim(), tokenType, batch };
}
