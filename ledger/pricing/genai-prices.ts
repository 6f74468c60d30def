// @pydantic/genai-prices, loaded when a pricer is made (or a price file checked), not when tokenledger is imported:
// its bundled data and match tables are the largest module tokenledger loads (~0.5 MB, ~35 ms of CPU).
import { packageRequire } from '../../package-require.cjs';

type GenaiPrices = typeof import('@pydantic/genai-prices');

let loaded: GenaiPrices | undefined;

export function genaiPrices(): GenaiPrices {
  loaded ??= packageRequire('@pydantic/genai-prices') as GenaiPrices;
  return loaded;
}
