/**
 * Which of the dashboard's unpriced models are unpriced only because of their web searches (their tokens have a price,
 * their searches none), by the report rows' rule (core report/rows.ts `RowAccumulator` over the unpriced rows' facts,
 * which asks pricing's `unpricedReason`): for the range (the footer) and for each row of the model table (its badge).
 * None is known without a price table.
 */
import type { PriceTable } from '../../core/pricing/priceTable';
import { RowAccumulator } from '../../core/report/rows';
import type { DashboardSnapshot, ModelRow } from '../../shared/protocol';
import type { Row } from './enrich';

const isUnpriced = (r: Row) => r.cost === null && r.tokens > 0;

/** The models of `rows` unpriced only for their web searches, with the searches of their unpriced rows. */
export function unpricedWebSearchesOf(rows: readonly Row[], prices: PriceTable | undefined): DashboardSnapshot['unpricedWebSearches'] {
  if (!prices) return [];
  const acc = new RowAccumulator();
  for (const r of rows) if (isUnpriced(r)) acc.add(r.f);
  return acc.isEmpty ? [] : acc.toRow('unpriced', prices).unpricedWebSearches;
}

/**
 * Sets `unpricedWebSearches` on the unpriced rows of the model table (one per source and model, made from `rows`)
 * whose cost is unknown only because of their web searches: the same rule over that source's and model's rows.
 */
export function markWebSearchReasons(models: ModelRow[], rows: readonly Row[], prices: PriceTable | undefined): ModelRow[] {
  if (!prices || !models.some((m) => m.unpriced)) return models;
  const bySourceModel = new Map<string, Row[]>();
  for (const r of rows) {
    if (!isUnpriced(r)) continue;
    const key = `${r.f.source}\u0000${r.f.model}`;
    const list = bySourceModel.get(key);
    if (list) list.push(r);
    else bySourceModel.set(key, [r]);
  }
  for (const m of models) {
    if (!m.unpriced) continue;
    const w = unpricedWebSearchesOf(bySourceModel.get(`${m.source}\u0000${m.model}`) ?? [], prices)[0];
    if (w) m.unpricedWebSearches = w.searches;
  }
  return models;
}
