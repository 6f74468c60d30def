// A usage or cost file as reconcile reads it: one saved response page, or a JSON array of pages, as the API returns
// them (`tokenledger reconcile --fetch` saves them so). What is checked across the pages of one source: that no
// (bucket, group) is read twice — the same page given twice, or two fetches whose ranges overlap — and that every
// bucket has the same width (a 1d page and a 1h page of the same days would count them twice).
import { readFileSync } from 'node:fs';
import { BillError } from './bill-line.ts';

export interface Page {
  /** The page as parsed. */
  body: Record<string, unknown>;
  /** `file (page N)` */
  where: string;
}

/** The pages of a file; a file that is not JSON, or holds no pages, is a BillError naming it. */
export function readPages(file: string, flag: string, expected: string): Page[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BillError(file, `cannot be read (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BillError(file, `not JSON (${(error as Error).message}); ${flag} takes a saved response page of ${expected}, or a JSON array of pages`);
  }
  const pages = Array.isArray(parsed) ? parsed : [parsed];
  return pages.map((body, index) => {
    const where = `${file} (page ${index + 1})`;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray((body as { data?: unknown }).data)) {
      throw new BillError(where, `not what ${flag} reads: expected a response page of ${expected} ({"data": [...], "has_more": …})`);
    }
    return { body: body as Record<string, unknown>, where };
  });
}

const WIDTHS: Record<number, string> = { 60000: '1m', 3600000: '1h', 86400000: '1d' };

/** The buckets read from one source (say, every --openai-usage file), to find overlaps and mixed widths. */
export class BucketLedger {
  private readonly seen = new Map<string, string>();
  private width: { ms: number; where: string } | undefined;
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  /** A bucket [startMs, endMs) of `group` read at `where`. */
  note(startMs: number, endMs: number, group: string, where: string): void {
    const width = endMs - startMs;
    if (!Number.isFinite(width) || width <= 0) throw new BillError(where, `a bucket that does not end after it starts (${iso(startMs)} – ${iso(endMs)})`);
    if (this.width === undefined) this.width = { ms: width, where };
    else if (this.width.ms !== width) {
      throw new BillError(
        where,
        `mixed units: ${this.source} buckets of ${widthLabel(width)} here and of ${widthLabel(this.width.ms)} in ${this.width.where}; give pages of one bucket width`,
      );
    }
    const key = `${startMs}\u0000${group}`;
    const other = this.seen.get(key);
    if (other !== undefined) {
      throw new BillError(
        where,
        `overlapping pages: the ${this.source} bucket from ${iso(startMs)}${group ? ` for ${group}` : ''} is also in ${other}; give each page once`,
      );
    }
    this.seen.set(key, where);
  }
}

function widthLabel(ms: number): string {
  return WIDTHS[ms] ?? `${ms / 1000} s`;
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('.000Z', 'Z') : String(ms);
}

/** Seconds since the epoch (OpenAI) → ms. */
export function unixSecondsMs(value: unknown, where: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BillError(where, `${what} must be Unix seconds, got ${JSON.stringify(value)}`);
  return value * 1000;
}

/** An RFC 3339 time (Anthropic) → ms. */
export function rfc3339Ms(value: unknown, where: string, what: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new BillError(where, `${what} must be an RFC 3339 time, got ${JSON.stringify(value)}`);
  return ms;
}

/** A token count: a whole number ≥ 0 (absent: undefined). */
export function count(value: unknown, where: string, what: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new BillError(where, `${what} must be a count, got ${JSON.stringify(value)}`);
  return value;
}

/** The group fields of a result, as one key (for overlaps) and as scope text. */
export function groupOf(result: Record<string, unknown>, fields: readonly string[]): string {
  return fields
    .map((field) => (result[field] === undefined || result[field] === null ? '' : `${field}=${String(result[field])}`))
    .filter(Boolean)
    .join(' ');
}
