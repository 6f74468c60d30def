// How a call and a bill line are found to be the same model: both names are looked up in the price data (the
// overrides first), and the entry found — `anthropic/claude-sonnet-4-5` for `claude-sonnet-4-5-20250929` and for
// `claude-sonnet-4-5` alike — is the key; a name no price data knows is its own key. Lookups are cached per name.
import type { PriceOverrides } from '../../ledger/pricing/price-overrides.ts';
import { PriceCatalog, type PriceEntry } from '../../ledger/pricing/price-catalog.ts';

export class ModelKeys {
  private readonly catalog: PriceCatalog;
  private readonly cache = new Map<string, PriceEntry | null>();

  constructor(overrides?: PriceOverrides) {
    this.catalog = new PriceCatalog(overrides);
  }

  /** The price entry for a model on a day (undefined: no price data knows it). */
  entry(provider: string, model: string, day: string): PriceEntry | undefined {
    const key = `${provider}\u0000${model}\u0000${day}`;
    let entry = this.cache.get(key);
    if (entry === undefined) {
      entry = this.catalog.find(provider, model, new Date(`${day}T12:00:00Z`)) ?? null;
      this.cache.set(key, entry);
    }
    return entry ?? undefined;
  }

  /** provider × day × model, the model by its price entry. */
  groupKey(provider: string, model: string, day: string): string {
    const entry = model === '' ? undefined : this.entry(provider, model, day);
    return `${provider}\u0000${day}\u0000${entry ? entry.label : model.toLowerCase()}`;
  }
}
