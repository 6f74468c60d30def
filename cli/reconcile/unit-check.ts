// The check that makes a 100× unit mistake impossible to miss: where a provider's bill has both its usage and its
// costs, the costs must come to about what the usage costs at tokenledger's prices. Two orders of magnitude off is
// not a discount or a price change — it is an amount read in the wrong unit (Anthropic's cents taken for dollars,
// or dollars for cents): bad input, exit 2, naming the files.
import { BillError } from './bill-line.ts';
import type { Reconciliation } from './reconciliation.ts';

const LOW = [1 / 200, 1 / 50];
const HIGH = [50, 200];

export function checkUnits(result: Reconciliation, costFiles: (provider: string) => readonly string[]): void {
  for (const provider of result.providers) {
    if (!provider.coverage.usage || !provider.coverage.typedCost) continue;
    let billed = 0;
    let expected = 0;
    for (const row of provider.rows) {
      if (row.billedFrom !== 'cost' || row.billedUsd === undefined || row.billedAtTokenledgerRates === undefined || row.tokenType === 'server_tools') continue;
      billed += row.billedUsd;
      expected += row.billedAtTokenledgerRates;
    }
    if (expected <= 0 || billed <= 0) continue;
    const ratio = billed / expected;
    const files = costFiles(provider.provider).join(', ');
    if (ratio >= LOW[0]! && ratio <= LOW[1]!) {
      throw new BillError(
        files,
        `mixed units: the ${provider.provider} costs come to ${ratio.toPrecision(3)}× what its usage costs at list prices — about 1/100, as when amounts in cents are read as dollars or were converted already (Anthropic writes cents: "123.45" is $1.2345)`,
      );
    }
    if (ratio >= HIGH[0]! && ratio <= HIGH[1]!) {
      throw new BillError(
        files,
        `mixed units: the ${provider.provider} costs come to ${ratio.toPrecision(3)}× what its usage costs at list prices — about 100×, as when amounts in dollars are read as cents`,
      );
    }
  }
}
