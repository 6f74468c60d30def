// How the commands write figures for people: dollars with the decimals a per-task cost needs, shares as percent,
// and an unknown figure as "unknown" (never 0).

/** `$0.0773`, `$12.40`, `$0.000412`: at least three significant digits below a dollar. */
export function dollars(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'unknown';
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 1 ? 2 : magnitude >= 0.01 ? 4 : magnitude === 0 ? 2 : 6;
  return `${value < 0 ? '−' : ''}$${magnitude.toFixed(decimals)}`;
}

/** `66.5%` */
export function percent(value: number | undefined, decimals = 1): string {
  if (value === undefined || !Number.isFinite(value)) return 'unknown';
  const text = `${(100 * Math.abs(value)).toFixed(decimals)}%`;
  return value < 0 && text !== `${(0).toFixed(decimals)}%` ? `−${text}` : text;
}

/** `+22.8%` / `−55.1%`: a change relative to a reference. */
export function change(value: number, reference: number): string {
  if (reference === 0) return value === 0 ? '±0%' : 'new';
  const relative = value / reference - 1;
  return `${relative >= 0 ? '+' : '−'}${Math.abs(100 * relative).toFixed(1)}%`;
}

/** `4.67`, or "unknown". */
export function decimal(value: number | undefined, decimals = 2): string {
  return value === undefined || !Number.isFinite(value) ? 'unknown' : value.toFixed(decimals);
}

/** `21,151` */
export function count(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'unknown' : Math.round(value).toLocaleString('en-US');
}

/** `1 task` / `3 tasks` */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : nouns}`;
}
