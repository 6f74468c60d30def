// One task step by step, as SVG: each step (an LLM call, in the order calls ended) is a bar stacked from the token
// parts of the token-type table — the input parts, then output — with a subset inside its part drawn as the top of
// that part (reasoning inside output) and a subset of all input hatched over the input (tool results). The line is
// the rollup's input per step (its context growth). Above the bars: cache busts (a dashed line before the step),
// retries, failed and unpriced calls.
import { SUBSET_ROWS, TOKEN_PART_ROWS, TOKEN_TYPES, type TokenCounts, type TokenTypeRow } from '../../ledger/token-types.ts';
import { count } from '../format.ts';
import { colourOf, escapeHtml, typeLabel } from './html.ts';
import type { ShownRun, Step } from './report-runs.ts';

const HEIGHT = 250;
const TOP = 34;
const BOTTOM = 26;
const LEFT = 56;
const RIGHT = 12;

/** Subsets drawn inside a part (their `of` is a part), and those hatched over all input (their `of` is a total). */
const INSIDE_PART = SUBSET_ROWS.filter((row) => TOKEN_PART_ROWS.some((part) => part.id === row.of));
const OVER_INPUT = SUBSET_ROWS.filter((row) => row.of === 'input');
const INPUT_PARTS = TOKEN_PART_ROWS.filter((row) => row.side === 'input');

export function waterfall(run: ShownRun): string {
  const steps = run.steps;
  const width = Math.max(640, Math.min(1000, LEFT + RIGHT + steps.length * 56));
  const plotWidth = width - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const maxTokens = Math.max(1, ...steps.map((step) => barTotal(step.call.figures.tokens)));
  const scale = niceCeiling(maxTokens);
  const y = (tokens: number) => TOP + plotHeight - (tokens / scale) * plotHeight;
  const slot = plotWidth / Math.max(1, steps.length);
  const barWidth = Math.min(40, slot * 0.7);
  const parts: string[] = [];
  for (let i = 0; i <= 4; i += 1) {
    const tokens = (scale * i) / 4;
    parts.push(`<line class="grid" x1="${LEFT}" x2="${width - RIGHT}" y1="${y(tokens).toFixed(1)}" y2="${y(tokens).toFixed(1)}"/>`);
    parts.push(`<text class="axis" x="${LEFT - 6}" y="${(y(tokens) + 4).toFixed(1)}" text-anchor="end">${short(tokens)}</text>`);
  }
  const linePoints: string[] = [];
  let known = 0;
  steps.forEach((step, i) => {
    const x = LEFT + slot * i + (slot - barWidth) / 2;
    parts.push(bar(step, x, barWidth, y));
    parts.push(`<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${step.index}</text>`);
    parts.push(...markers(step, x, barWidth, y));
    // The rollup keeps input per step for the calls whose tokens are known, in the order they ended.
    const input = step.call.figures.tokens ? run.summary.inputPerStep[known++] : undefined;
    if (input !== undefined) linePoints.push(`${(x + barWidth / 2).toFixed(1)},${y(input).toFixed(1)}`);
  });
  if (linePoints.length > 1)
    parts.push(`<polyline class="growth" points="${linePoints.join(' ')}"><title>input tokens per step (context growth)</title></polyline>`);
  for (const point of linePoints) {
    const [cx, cy] = point.split(',');
    parts.push(`<circle class="growth-dot" cx="${cx}" cy="${cy}" r="3"/>`);
  }
  return `<svg class="waterfall" viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" role="img" aria-label="tokens per step">
<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#222" stroke-width="1.6" stroke-opacity="0.55"/></pattern></defs>
${parts.join('\n')}
</svg>`;
}

/** The legend of the waterfalls: every part and subset of the table, and the marks. */
export function waterfallLegend(): string {
  const items = [...TOKEN_PART_ROWS, ...INSIDE_PART].map(
    (row) => `<li><span class="swatch" style="background:${colourOf(TOKEN_TYPES.indexOf(row))}"></span>${typeLabel(row.id)}</li>`,
  );
  for (const row of OVER_INPUT) items.push(`<li><span class="swatch hatch"></span>${typeLabel(row.id)} (share of input)</li>`);
  items.push('<li><span class="swatch line"></span>input per step (context growth)</li>');
  items.push(
    '<li><span class="mark bust">┆</span>cache bust (prompt prefix changed)</li>',
    '<li><span class="mark">↻</span>retry</li>',
    '<li><span class="mark failed">✕</span>failed call</li>',
    '<li><span class="mark unpriced">?</span>unpriced call</li>',
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}

function barTotal(tokens: TokenCounts | undefined): number {
  if (!tokens) return 0;
  return TOKEN_PART_ROWS.reduce((sum, row) => sum + (tokens[row.id] ?? 0), 0);
}

function bar(step: Step, x: number, width: number, y: (tokens: number) => number): string {
  const tokens = step.call.figures.tokens;
  const tip = escapeHtml(stepTip(step));
  if (!tokens) {
    return `<rect class="unknown-bar" x="${x.toFixed(1)}" y="${y(0) - 40}" width="${width.toFixed(1)}" height="40"><title>${tip}</title></rect>`;
  }
  const rects: string[] = [];
  let base = 0;
  const segment = (row: TokenTypeRow, value: number) => {
    if (value <= 0) return;
    rects.push(
      `<rect x="${x.toFixed(1)}" y="${y(base + value).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(base) - y(base + value)).toFixed(1)}" fill="${colourOf(TOKEN_TYPES.indexOf(row))}"/>`,
    );
    base += value;
  };
  for (const part of TOKEN_PART_ROWS) {
    const total = tokens[part.id] ?? 0;
    const inside = INSIDE_PART.filter((row) => row.of === part.id).map((row) => [row, Math.min(total, tokens[row.id] ?? 0)] as const);
    segment(part, total - inside.reduce((sum, [, value]) => sum + value, 0));
    for (const [row, value] of inside) segment(row, value);
    if (part === INPUT_PARTS[INPUT_PARTS.length - 1]) {
      // Over the input's top: the share of all input that subsets of input (tool results) make up.
      for (const row of OVER_INPUT) {
        const value = tokens[row.id] ?? 0;
        if (value > 0)
          rects.push(
            `<rect class="hatched" x="${x.toFixed(1)}" y="${y(base).toFixed(1)}" width="${width.toFixed(1)}" height="${(y(base - value) - y(base)).toFixed(1)}" fill="url(#hatch)"/>`,
          );
      }
    }
  }
  return `<g class="bar"><title>${tip}</title>${rects.join('')}</g>`;
}

function markers(step: Step, x: number, width: number, y: (tokens: number) => number): string[] {
  const out: string[] = [];
  const centre = x + width / 2;
  const top = y(barTotal(step.call.figures.tokens)) - 6;
  const labels: Array<[string, string]> = [];
  if (step.call.figures.failed) labels.push(['failed', '✕']);
  if (step.retry) labels.push(['retry', '↻']);
  if (!step.call.figures.cost) labels.push(['unpriced', '?']);
  labels.forEach(([kind, text], i) => {
    out.push(`<text class="mark ${kind}" x="${centre.toFixed(1)}" y="${(top - i * 14).toFixed(1)}" text-anchor="middle">${text}<title>${kind}</title></text>`);
  });
  if (step.cacheBust) {
    const bx = x - 6;
    out.push(
      `<line class="bust" x1="${bx.toFixed(1)}" x2="${bx.toFixed(1)}" y1="${TOP - 18}" y2="${y(0)}"><title>cache bust: the prompt prefix changed</title></line>`,
    );
    out.push(`<text class="mark bust" x="${(bx + 3).toFixed(1)}" y="${TOP - 20}">cache bust</text>`);
  }
  return out;
}

function stepTip(step: Step): string {
  const { call } = step;
  const tokens = call.figures.tokens;
  const lines = [`step ${step.index}: ${call.description.responseModel ?? call.description.requestModel ?? 'unknown model'} (${step.agent})`];
  if (tokens) for (const row of [...TOKEN_PART_ROWS, ...SUBSET_ROWS]) lines.push(`${typeLabel(row.id)}: ${count(tokens[row.id])}`);
  else lines.push(`tokens unknown (${call.usageUnknownReason ?? 'usage_missing'})`);
  lines.push(call.figures.cost ? `cost: $${call.figures.cost.total}` : `cost unknown (${call.costUnknownReason ?? 'usage_unknown'})`);
  return lines.join('\n');
}

/** A round axis maximum at or above `value` whose quarters are round too: 1, 1.2, 1.6, 2, 3, 4, 6 or 8 times a power of ten. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.6, 2, 3, 4, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function short(tokens: number): string {
  if (tokens >= 1e6) return `${+(tokens / 1e6).toFixed(1)}M`;
  if (tokens >= 1e3) return `${+(tokens / 1e3).toFixed(1)}k`;
  return String(Math.round(tokens));
}
