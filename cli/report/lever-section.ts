// The whatif lever table in the report: the same ranking `tokenledger whatif` prints.
import { dollars, percent } from '../format.ts';
import type { WhatIf } from '../whatif/whatif-output.ts';
import { whatifHeader } from '../whatif/whatif-output.ts';
import { dataAttributes, escapeHtml } from './html.ts';

export function leverSection(result: WhatIf): string {
  const rows = result.levers.map(
    (lever, rank) => `<tr class="lever"${dataAttributes({ lever: lever.id, 'saving-usd': lever.saving, share: lever.share, 'usd-after': lever.usdAfter })}>
<td>${rank + 1}</td><td>${escapeHtml(lever.label)}</td><td class="num">${dollars(lever.saving)}</td><td class="num">${percent(lever.share)}</td>
<td class="num">${dollars(lever.savingPerTask)}</td><td class="num">${dollars(lever.usdPerSuccessfulTaskBefore)} → ${dollars(lever.usdPerSuccessfulTaskAfter)}</td><td class="num">${lever.callsChanged}</td></tr>`,
  );
  const [, priced, ...rest] = whatifHeader(result);
  return `<section class="levers"><h2>What each lever would save</h2>
<p class="muted">${escapeHtml(priced ?? '')}${rest.map((line) => ` ${escapeHtml(line)}`).join('')}</p>
<table><thead><tr><th></th><th>lever</th><th>saving</th><th>share</th><th>per task</th><th>$ per successful task</th><th>calls changed</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<details><summary>what each lever assumes</summary><ul>${result.levers.map((lever) => `<li><b>${escapeHtml(lever.label)}</b>: ${escapeHtml(lever.assumption)}.</li>`).join('')}${result.notes.map((note) => `<li>${escapeHtml(note)}.</li>`).join('')}</ul></details>
</section>`;
}
