// The reconcile section of the report: per provider, the recording's spend beside the bill's, the reasons that
// explain the difference with their dollars, and every day × model × token type — what `tokenledger reconcile`
// prints, as HTML. Exact figures ride in data-* attributes.
import { count, dollars } from '../format.ts';
import { REASONS } from '../reconcile/reasons.ts';
import { atLeast, signed, verdict } from '../reconcile/reconcile-output.ts';
import type { ProviderReconciliation, Reconciliation } from '../reconcile/reconciliation.ts';
import { dataAttributes, escapeHtml, typeLabel } from './html.ts';

export function reconcileSection(result: Reconciliation): string {
  const providers = result.providers.map(providerBlock).join('\n');
  const skipped = result.notCompared
    .map((entry) => `<li>${escapeHtml(entry.provider)}: ${entry.calls} calls (${dollars(entry.usd)}) in the recording, no bill given: not compared.</li>`)
    .join('');
  return `<section class="reconcile"><h2>Against the bill</h2>
<p class="muted">${escapeHtml(verdict(result))}</p>
${providers}${skipped ? `<ul class="muted">${skipped}</ul>` : ''}
</section>`;
}

function providerBlock(provider: ProviderReconciliation): string {
  const { difference } = provider;
  const reasons = provider.reasons
    .map(
      (reason) =>
        `<li${dataAttributes({ reason: reason.code, usd: reason.usd })}><b>${escapeHtml(reason.code)}</b> ${signed(reason.usd)}: ${escapeHtml(REASONS[reason.code])}</li>`,
    )
    .join('');
  const rows = provider.rows
    .map(
      (
        row,
      ) => `<tr${dataAttributes({ day: row.day, model: row.model, 'token-type': row.tokenType, 'telemetry-usd': row.telemetryUsd, 'billed-usd': row.billedUsd, 'difference-usd': row.difference, 'unexplained-usd': row.unexplained })}>
<td>${row.day}</td><td>${escapeHtml(row.model)}</td><td>${escapeHtml(typeLabel(row.tokenType))}</td><td class="num">${count(row.telemetryTokens)}</td><td class="num">${atLeast(row.telemetryLowerBound)}${dollars(row.telemetryUsd)}</td><td class="num">${row.billedTokens === undefined ? '—' : count(row.billedTokens)}</td><td class="num">${row.billedUsd === undefined ? '?' : dollars(row.billedUsd)}</td><td class="num">${row.difference === undefined ? '?' : signed(row.difference)}</td><td>${escapeHtml(row.billedUnknown ?? row.reasons.map((reason) => reason.code).join(', '))}${row.unexplained ? ` unexplained ${signed(row.unexplained)}` : ''}</td></tr>`,
    )
    .join('');
  return `<h3${dataAttributes({ provider: provider.provider, 'telemetry-usd': provider.telemetry.usd, 'billed-usd': provider.billed.usd, 'unexplained-usd': provider.unexplained })}>${escapeHtml(provider.provider)}: recorded ${atLeast(provider.telemetry.usdLowerBound)}${dollars(provider.telemetry.usd)}, billed ${atLeast(provider.billed.usdLowerBound)}${dollars(provider.billed.usd)} (${difference === undefined ? 'difference unknown: not fully priced' : signed(difference)})</h3>
${reasons ? `<ul>${reasons}<li><b>unexplained</b> ${signed(provider.unexplained)}</li></ul>` : '<p class="muted">Nothing to explain.</p>'}
<table><thead><tr><th>day</th><th>model</th><th>token type</th><th>recorded tokens</th><th>recorded $</th><th>billed tokens</th><th>billed $</th><th>difference</th><th>why</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
