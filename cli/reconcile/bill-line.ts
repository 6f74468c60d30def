// What a provider's bill says, as reconcile holds it: one line per (UTC day, model, token type) from one result of
// one page, in tokenledger's token types and in US dollars whatever unit the source used. Every reader of a usage or
// cost source (OpenAI, Anthropic, FOCUS) produces these; the comparison never sees a source's own format.

/**
 * The token types a bill can name: tokenledger's parts, `cache_write` where the bill has no TTL split (OpenAI),
 * and the per-request fees of server-side tools.
 */
export const BILL_TOKEN_TYPES = ['uncached_input', 'cache_read', 'cache_write', 'cache_write_5m', 'cache_write_1h', 'output', 'server_tools'] as const;
export type BillTokenType = (typeof BILL_TOKEN_TYPES)[number];

/** What a line is priced by besides its model: where a rate of its own applies. */
export interface BillTier {
  /** `standard`, `batch`, `priority`, `flex`, … as the bill says it (OpenAI's `batch: true` is `batch`). */
  serviceTier?: string;
  /** Anthropic's `200k-1M`. */
  contextWindow?: string;
  /** Anthropic's `us`. */
  inferenceGeo?: string;
}

export interface BillLine extends BillTier {
  /** tokenledger's provider name (`gen_ai.provider.name`): openai, anthropic, aws.bedrock, azure.ai.openai, gcp.vertex_ai. */
  provider: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** As the bill names it ('' when the line is not a model's, e.g. a tool fee). */
  model: string;
  /** Undefined: the line is the model's whole charge, not split by token type. */
  tokenType?: BillTokenType;
  /** Tokens (for server tools: requests of the tool). */
  tokens?: number;
  /** US dollars charged. */
  usd?: number;
  /** US dollars at list price, where the source tells it apart (Anthropic analytics, FOCUS ListCost). */
  listUsd?: number;
  /** Model requests, on the line that carries them (one per result). */
  requests?: number;
  /** Project, API key or workspace, where the bill is grouped by them. */
  scope?: string;
  /** `file (page N)`: where it was read. */
  source: string;
}

/** Which side of the bill a file is: what it was consumed, or what was charged. */
export type BillKind = 'usage' | 'cost';

/** A bill file that is not what it claims, mixes units, or overlaps another: exit 2, naming the file. */
export class BillError extends Error {
  override readonly name = 'BillError';

  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
  }
}

const DAY_MS = 86_400_000;

/** The UTC day of a time in ms. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → ms at its UTC midnight, or undefined when it is not a day. */
export function dayStartMs(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && utcDay(ms) === day ? ms : undefined;
}

export function nextDay(day: string, days = 1): string {
  return utcDay(dayStartMs(day)! + days * DAY_MS);
}
