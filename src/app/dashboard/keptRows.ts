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

/** The last facts arrays answered (the recent facts, the hours, the facts per dims row) with their rows. */
const LAST_RUNS = 4;
/** How far along the last run a fact is looked for after one that is not there (a fact read again replaced it). */
const RESYNC = 8;

interface Run {
  facts: readonly Fact[];
  rows: Row[];
}
const kept = new WeakMap<Database, { timeZone: string; table: PriceTable; rows: WeakMap<Fact, Row>; runs: Run[] }>();

export function keptRows(
  db: Database, facts: readonly Fact[], timeZone: string, table: PriceTable, clock: (ms: number) => ClockParts, cost: FactCost,
): Row[] {
  let k = kept.get(db);
  if (!k || k.timeZone !== timeZone || k.table !== table) {
    k = { timeZone, table, rows: new WeakMap(), runs: [] };
    kept.set(db, k);
  }
  // the kept facts come in the order of the last read of the same rows: walked along it, a fact is found by
  // position (no lookup); one not at the position is looked for a few places on, else in the map
  const run = facts.length > 0 ? k.runs.find((r) => r.facts.slice(0, RESYNC).includes(facts[0])) : undefined;
  let j = run ? run.facts.indexOf(facts[0]) : 0;
  const out: Row[] = new Array(facts.length);
  const missing: Fact[] = [];
  const at: number[] = [];
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i];
    if (run) {
      if (j < run.facts.length && run.facts[j] === f) {
        out[i] = run.rows[j++];
        continue;
      }
      const end = Math.min(run.facts.length, j + RESYNC);
      let found = -1;
      for (let x = j + 1; x < end; x++) {
        if (run.facts[x] === f) {
          found = x;
          break;
        }
      }
      if (found >= 0) {
        out[i] = run.rows[found];
        j = found + 1;
        continue;
      }
    }
    const r = k.rows.get(f);
    if (r) out[i] = r;
    else {
      missing.push(f);
      at.push(i);
    }
  }
  const fresh = enrich(missing, clock, cost);
  for (let j = 0; j < fresh.length; j++) {
    out[at[j]] = fresh[j];
    k.rows.set(missing[j], fresh[j]);
  }
  k.runs = [{ facts, rows: out }, ...k.runs.filter((r) => r !== run).slice(0, LAST_RUNS - 1)];
  return out;
}
