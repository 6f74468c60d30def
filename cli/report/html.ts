// Writing HTML safely: every value from a recording (agent and model names, ids) is escaped; numbers are written
// into data-* attributes unrounded so a test (or a person) can read the exact figure the page shows rounded.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** ` data-a="…" data-b="…"`: undefined values are left out; numbers as JavaScript writes them. */
export function dataAttributes(values: Record<string, string | number | boolean | undefined>): string {
  let out = '';
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) continue;
    out += ` data-${key}="${escapeHtml(String(value))}"`;
  }
  return out;
}

/** The colour of each token type, by its row in the token-type table (a new row takes the next colour). */
const PALETTE = ['#4e79a7', '#59a14f', '#f28e2b', '#e15759', '#b07aa1', '#9c755f', '#6b3e75', '#bab0ac', '#76b7b2', '#edc948'];

export function colourOf(rowIndex: number): string {
  return PALETTE[rowIndex % PALETTE.length]!;
}

/** A token type's id as a label: `cache_write_5m` → `cache write 5m`. */
export function typeLabel(id: string): string {
  return id.replace(/_/g, ' ');
}
