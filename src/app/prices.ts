import { createPriceTable, type PriceOverrides, type PriceTable } from '../core/pricing/priceTable';

/**
 * The price table for the current settings: the bundled table with `agentMeter.prices.overrides` merged over it.
 * Rebuilt only when the overrides change. An override the core rejects (e.g. a new model without input/output
 * prices) falls back to the bundled table and reports the reason once.
 */
export class PriceTableCache {
  private key = '';
  private table: PriceTable | undefined;

  constructor(private readonly warn: (msg: string) => void) {}

  get(overrides: PriceOverrides): PriceTable {
    const key = JSON.stringify(overrides);
    if (this.table && key === this.key) return this.table;
    this.key = key;
    try {
      this.table = createPriceTable(overrides);
    } catch (e) {
      this.warn(`agentMeter.prices.overrides ignored: ${e instanceof Error ? e.message : String(e)}`);
      this.table = createPriceTable();
    }
    return this.table;
  }
}
