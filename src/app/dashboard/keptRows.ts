/**
 * `enrich` (local time parts, cost, total tokens) of the facts the writer keeps across data changes (core
 * keptFacts.ts, keptSessionFacts.ts: an unchanged fact stays the same object), kept per database while the zone and
 * the price table stay: a fact kept since the last snapshot keeps its row, only the facts read again are enriched.
 * A row is a function of its fact, the zone and the table alone, so the rows are those `enrich` gives.
 */
import type { Database } from 'sql.js';
import type { PriceTable } from '../../core/pricing/priceTable';
import type { Fact } from '../../core/types';
import { enrich, type FactCost, type Row } from './enrich';
import type { ClockParts } from '../../core/report/tz';

const kept = new WeakMap<Database, { timeZone: string; table: PriceTable; rows: WeakMap<Fact, Row> }>();

export function keptRows(
  db: Database, facts: readonly Fact[], timeZone: string, table: PriceTable, clock: (ms: number) => ClockParts, cost: FactCost,
): Row[] {
  let k = kept.get(db);
  if (!k || k.timeZone !== timeZone || k.table !== table) {
    k = { timeZone, table, rows: new WeakMap() };
    kept.set(db, k);
  }
  const out: Row[] = new Array(facts.length);
  const missing: Fact[] = [];
  const at: number[] = [];
  for (let i = 0; i < facts.length; i++) {
    const r = k.rows.get(facts[i]);
    if (r) out[i] = r;
    else {
      missing.push(facts[i]);
      at.push(i);
    }
  }
  const fresh = enrich(missing, clock, cost);
  for (let j = 0; j < fresh.length; j++) {
    out[at[j]] = fresh[j];
    k.rows.set(missing[j], fresh[j]);
  }
  return out;
}
