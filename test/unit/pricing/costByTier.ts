import type { Database } from 'sql.js';
import { costOf } from '../../../src/core/pricing/costOf';
import type { PriceTable } from '../../../src/core/pricing/priceTable';
import { loadFacts } from '../../../src/core/query/facts';

/** An index's cost per `<model> <tier>`, priced fact by fact with `table`, rounded to 1e-9 USD (for exact comparisons). */
export function costByTier(db: Database, table: PriceTable): Record<string, number> {
  const byTier = new Map<string, number>();
  for (const f of loadFacts(db, {})) {
    const k = `${f.model} ${f.tier}`;
    byTier.set(k, (byTier.get(k) ?? 0) + costOf(f, f.model, f.tier, table)!);
  }
  return Object.fromEntries([...byTier].map(([k, v]) => [k, Math.round(v * 1e9) / 1e9]));
}
