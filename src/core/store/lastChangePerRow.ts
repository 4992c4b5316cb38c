import type { Database } from 'sql.js';
import { type Change, shapesByName } from './changeCapture';

/**
 * The changes of many saves (an index journal's records) with only the last change of each row kept, in the order of
 * those last changes: replaying them gives the same tables as replaying every change in order. A row's final state
 * is its last change's (the whole new row, or its deletion) whatever came before it, as long as nothing but the row's
 * own key decides which row a change replaces — so a table with another UNIQUE constraint (an INSERT OR REPLACE there
 * may delete a row of another key, which no captured change records) keeps every change, in order; no table of the
 * index has triggers or enforced foreign keys that would tie one row to another. A journal after a day of heavy use
 * holds mostly the same rows written again at each save (the current 15-minute bucket, its hour, the session's totals,
 * the file's read offset, the counters): ~2,700 changes for 300 calls were ~310 rows. Opening the index replays its
 * journal, at ~150 µs a row while sql.js is still cold.
 *
 * Keys are compared as the JSON text SQLite wrote (json_array: integers exact at any size), never as JS numbers. A
 * change of a table the index does not have is kept as it is (its replay fails as it would have).
 */
export function lastChangePerRow(db: Database, records: readonly (readonly Change[])[]): Change[] {
  const shapes = shapesByName(db);
  const all: Change[] = [];
  const keys: (string | undefined)[] = [];
  const lastAt = new Map<string, number>();
  for (const changes of records) {
    for (const c of changes) {
      const [tbl, op, json] = c;
      const shape = shapes.get(tbl);
      let key: string | undefined;
      if (shape && !shape.otherUnique) {
        const values = jsonArrayItems(json, op === 0 ? Infinity : shape.keyReach);
        const keyItems = op === 0 ? values : shape.keyAt.map((i) => values[i]);
        if (keyItems.length === shape.key.length && keyItems.every((v) => v !== undefined)) key = `${tbl}\u0000${keyItems.join('\u0000')}`;
      }
      if (key !== undefined) lastAt.set(key, all.length);
      keys.push(key);
      all.push(c);
    }
  }
  const out: Change[] = [];
  for (let i = 0; i < all.length; i++) {
    const key = keys[i];
    if (key === undefined || lastAt.get(key) === i) out.push(all[i]);
  }
  return out;
}

/**
 * The top-level items of a JSON array of scalars as their JSON texts (`[1,"a,b",null]` → `1`, `"a,b"`, `null`), the
 * first `upTo` of them (a row's key lies in its first columns: the rest of the row is not scanned); an empty list for
 * text that is not an array.
 */
export function jsonArrayItems(json: string, upTo = Infinity): string[] {
  const items: string[] = [];
  if (json.charCodeAt(0) !== 0x5b /* [ */) return items;
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 1; i < json.length; i++) {
    const ch = json.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) depth++;
    else if ((ch === 0x5d || ch === 0x7d) && depth > 0) depth--;
    else if (depth === 0 && (ch === 0x2c /* , */ || ch === 0x5d /* ] */)) {
      const item = json.slice(start, i).trim();
      if (item || ch === 0x2c) items.push(item);
      start = i + 1;
      if (ch === 0x5d || items.length >= upTo) break;
    }
  }
  return items;
}
