/**
 * keptRows.ts: the rows of kept facts are found along the last arrays answered (by position) or in the map, and a
 * fact read again is enriched afresh — whatever changed between two reads (facts replaced, inserted, removed, moved),
 * and with several arrays answered in turn (the recent facts, the hours, the facts per dims row), every row is the row
 * `enrich` gives, and the unchanged facts keep their row objects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { keptRows } from '../../../src/app/dashboard/keptRows';
import { enrich } from '../../../src/app/dashboard/enrich';
import { costOf } from '../../../src/core/pricing/costOf';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { zoneClock } from '../../../src/core/report/tz';
import type { Fact, TokenCounts } from '../../../src/core/types';
import { fact } from '../report/facts';

const table = createPriceTable();
const cost = (t: TokenCounts, f: Fact) => costOf(t, f.model, f.tier, table);
const clock = zoneClock('Asia/Kolkata');

function facts(n: number, from: number, tag: string): Fact[] {
  return Array.from({ length: n }, (_, i) => fact(new Date(from + i * 900_000).toISOString(), {
    session: `${tag}${i % 17}`, input: 10 + i, output: 100 + ((i * 7) % 50), cacheRead: 1000 * (i % 3), model: i % 5 === 0 ? 'model-without-price' : 'claude-sonnet-4-5-20250929',
  }));
}

test('rows along changed arrays are the rows enrich gives; unchanged facts keep their rows', () => {
  const db = {} as Database;
  const a = facts(300, Date.parse('2026-03-01T00:00:00Z'), 'a');
  const b = facts(120, Date.parse('2026-04-01T00:00:00Z'), 'b');
  const check = (xs: Fact[]) => {
    const rows = keptRows(db, xs, 'Asia/Kolkata', table, clock, cost);
    assert.deepEqual(rows, enrich(xs, clock, cost));
    for (let i = 0; i < xs.length; i++) assert.equal(rows[i].f, xs[i]);
    return rows;
  };
  const ra = check(a);
  const rb = check(b);
  // a read again: one fact replaced, two inserted, three removed, one block moved to the end; b unchanged
  const replaced = { ...a[40], output: a[40].output + 5 };
  const a2 = [...a.slice(0, 40), replaced, ...a.slice(41, 100), ...facts(2, Date.parse('2026-03-02T00:07:00Z'), 'n'), ...a.slice(103, 250), ...a.slice(260), ...a.slice(250, 260)];
  const ra2 = check(a2);
  assert.equal(ra2[0], ra[0]);
  assert.equal(ra2[39], ra[39]);
  assert.notEqual(ra2[40], ra[40]);
  assert.equal(ra2[41], ra[41]);
  assert.equal(ra2[a2.length - 1], ra[259]);
  const rb2 = check(b);
  for (let i = 0; i < b.length; i++) assert.equal(rb2[i], rb[i]);
  // a tail of a (a shorter range), then empty, then a again
  const ra3 = check(a2.slice(200));
  assert.equal(ra3[0], ra2[200]);
  check([]);
  check(a2);
  // another zone: nothing kept
  const other = keptRows(db, a2, 'UTC', table, zoneClock('UTC'), cost);
  assert.deepEqual(other, enrich(a2, zoneClock('UTC'), cost));
  assert.notEqual(other[0], ra2[0]);
});
