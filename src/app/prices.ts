import { createPriceTable, type CurrencyRates, type PriceOverrides, type PriceTable } from '../core/pricing/priceTable';

/**
 * The price table for the current settings: the bundled table with `agentMeter.prices.overrides` merged over it and
 * `agentMeter.currency.rates` for prices in other currencies. Rebuilt only when either changes. An override the core rejects (e.g. a new model without input/output
 * prices) falls back to the bundled table and reports the reason once.
 */
export class PriceTableCache {
  private key = '';
  private table: PriceTable | undefined;

  constructor(private readonly warn: (msg: string) => void) {}

  get(overrides: PriceOverrides, rates: CurrencyRates = {}): PriceTable {
    const key = JSON.stringify([overrides, rates]);
    if (this.table && key === this.key) return this.table;
    this.key = key;
    try {
      this.table = createPriceTable(overrides, rates);
    } catch (e) {
      this.warn(`agentMeter.prices.overrides ignored: ${e instanceof Error ? e.message : String(e)}`);
      this.table = createPriceTable(undefined, rates);
    }
    return this.table;
  }
}
