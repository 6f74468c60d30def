// `--fetch openai|anthropic --from DAY --to DAY`: the provider's usage and cost reports for those UTC days, fetched
// with the admin key from the environment (never from the command line), every page followed (`has_more` /
// `next_page`), and saved as JSON arrays of the pages as they came — the files `--openai-usage` and the others read,
// so the reconciliation can be run again offline. Grouped so reconcile can compare model by model: OpenAI usage by
// model, batch and service tier, costs by line item; Anthropic usage by model, service tier, context window and
// inference region, costs by description (which fills model and token type).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../config/command-line.ts';
import { BillError, dayStartMs, nextDay } from './bill-line.ts';

export type AdminProvider = 'openai' | 'anthropic';

/** Pages followed at most for one report: a cursor that never ends is a server fault, not a bill. */
const MAX_PAGES = 1000;

interface Report {
  name: 'usage' | 'costs';
  path: string;
  query: Array<[string, string]>;
}

interface AdminApi {
  keyVariable: string;
  baseVariable: string;
  defaultBase: string;
  headers(key: string): Record<string, string>;
  reports(from: string, to: string): Report[];
}

const APIS: Record<AdminProvider, AdminApi> = {
  openai: {
    keyVariable: 'OPENAI_ADMIN_KEY',
    baseVariable: 'OPENAI_ADMIN_BASE_URL',
    defaultBase: 'https://api.openai.com',
    headers: (key) => ({ authorization: `Bearer ${key}` }),
    reports(from, to) {
      const time = [
        ['start_time', String(dayStartMs(from)! / 1000)],
        ['end_time', String(dayStartMs(nextDay(to))! / 1000)],
        ['bucket_width', '1d'],
      ] as Array<[string, string]>;
      return [
        {
          name: 'usage',
          path: '/v1/organization/usage/completions',
          query: [...time, ['group_by[]', 'model'], ['group_by[]', 'batch'], ['group_by[]', 'service_tier'], ['limit', '31']],
        },
        { name: 'costs', path: '/v1/organization/costs', query: [...time, ['group_by[]', 'line_item'], ['limit', '180']] },
      ];
    },
  },
  anthropic: {
    keyVariable: 'ANTHROPIC_ADMIN_KEY',
    baseVariable: 'ANTHROPIC_ADMIN_BASE_URL',
    defaultBase: 'https://api.anthropic.com',
    headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
    reports(from, to) {
      const time = [
        ['starting_at', `${from}T00:00:00Z`],
        ['ending_at', `${nextDay(to)}T00:00:00Z`],
        ['bucket_width', '1d'],
      ] as Array<[string, string]>;
      return [
        {
          name: 'usage',
          path: '/v1/organizations/usage_report/messages',
          query: [
            ...time,
            ['group_by[]', 'model'],
            ['group_by[]', 'service_tier'],
            ['group_by[]', 'context_window'],
            ['group_by[]', 'inference_geo'],
            ['limit', '31'],
          ],
        },
        { name: 'costs', path: '/v1/organizations/cost_report', query: [...time, ['group_by[]', 'description'], ['limit', '31']] },
      ];
    },
  },
};

export interface FetchedBill {
  directory: string;
  usage: string;
  costs: string;
  pages: { usage: number; costs: number };
}

export async function fetchBill(
  provider: AdminProvider,
  from: string | undefined,
  to: string | undefined,
  env: NodeJS.ProcessEnv,
  saveTo?: string,
): Promise<FetchedBill> {
  if (from === undefined || to === undefined) throw new UsageError('--fetch needs --from and --to (UTC days, YYYY-MM-DD)');
  if (dayStartMs(from) === undefined) throw new UsageError(`--from must be a day (YYYY-MM-DD), got "${from}"`);
  if (dayStartMs(to) === undefined) throw new UsageError(`--to must be a day (YYYY-MM-DD), got "${to}"`);
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
  const api = APIS[provider];
  const key = env[api.keyVariable]?.trim();
  if (!key)
    throw new UsageError(
      `--fetch ${provider} needs the admin key in ${api.keyVariable} (set it in the environment; a key is never taken from the command line)`,
    );
  const base = (env[api.baseVariable]?.trim() || api.defaultBase).replace(/\/+$/, '');
  if (!URL.canParse(base)) throw new UsageError(`${api.baseVariable} must be a URL, got "${base}"`);
  const directory = saveTo ?? `tokenledger-bill-${provider}-${from}-${to}`;
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new UsageError(`--save-to ${directory}: cannot create it (${(error as Error).message})`);
  }
  const saved: Partial<Record<Report['name'], { file: string; pages: number }>> = {};
  for (const report of api.reports(from, to)) {
    const pages = await allPages(`${base}${report.path}`, report.query, api.headers(key));
    const file = join(directory, `${provider}-${report.name}.json`);
    writeFileSync(file, `${JSON.stringify(pages, null, 2)}\n`);
    saved[report.name] = { file, pages: pages.length };
  }
  return { directory, usage: saved.usage!.file, costs: saved.costs!.file, pages: { usage: saved.usage!.pages, costs: saved.costs!.pages } };
}

async function allPages(url: string, query: Array<[string, string]>, headers: Record<string, string>): Promise<unknown[]> {
  const pages: unknown[] = [];
  const cursors = new Set<string>();
  let page: string | undefined;
  do {
    const target = new URL(url);
    for (const [name, value] of query) target.searchParams.append(name, value);
    if (page !== undefined) target.searchParams.set('page', page);
    const body = await getJson(target, headers);
    pages.push(body);
    const next = body.has_more === true && typeof body.next_page === 'string' && body.next_page !== '' ? body.next_page : undefined;
    if (next !== undefined && cursors.has(next))
      throw new BillError(target.origin + target.pathname, `the server returned the cursor ${next} twice: stopped instead of reading the same pages again`);
    if (next !== undefined) cursors.add(next);
    page = next;
    if (pages.length >= MAX_PAGES && page !== undefined)
      throw new BillError(target.origin + target.pathname, `more than ${MAX_PAGES} pages: fetch fewer days at a time`);
  } while (page !== undefined);
  return pages;
}

async function getJson(url: URL, headers: Record<string, string>): Promise<Record<string, unknown>> {
  const where = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  } catch (error) {
    throw new BillError(
      where,
      `cannot be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new BillError(where, `HTTP ${response.status}${typeof message === 'string' ? `: ${message}` : ''}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BillError(where, 'did not answer with a JSON object');
  return body as Record<string, unknown>;
}
