/**
 * What the keyed-state migration tests share (schemaV10.test.ts, schemaV11.test.ts): an empty index at a schema
 * version, the totals and keyed values an index holds, and the steps after which a migrated index must count exactly
 * as one that never was (a Cline row grown in place, a checkpoint restore taking back vanished rows, a Gemini message
 * re-written under the same id, a refresh with nothing new).
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadFacts } from '../../../src/core/query/facts';
import { KeyedCalls, type KeyedRow } from '../../../src/core/store/keyedCalls';
import { migrate, MIGRATIONS } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

/** An empty index built by the first `v` migrations. */
export async function atVersion(v: number): Promise<Database> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (let i = 0; i < v; i++) db.exec(`${MIGRATIONS[i]}; PRAGMA user_version = ${i + 1}`);
  return db;
}

/** Two new indexes of the fixture home, each with its indexer, both refreshed once. */
export async function twoIndexes(home: string): Promise<{ a: Database; b: Database; ixA: Indexer; ixB: Indexer }> {
  const SQL = await loadSqlJs();
  const a = new SQL.Database();
  const b = new SQL.Database();
  migrate(a);
  migrate(b);
  const roots = discoverRoots({ env: {}, home });
  // the clock before every fixture's time: no key is past the de-dup window (35 days), where a key is kept without its
  // figures (which schema 10 had not: these indexes are taken back to it) and a message re-written is not corrected
  const now = () => Date.parse('2025-09-01T00:00:00Z');
  const ixA = new Indexer({ db: a, roots, now });
  const ixB = new Indexer({ db: b, roots, now });
  await ixA.refresh();
  await ixB.refresh();
  return { a, b, ixA, ixB };
}

export interface Totals {
  requests: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** The stored usage summed per source. */
export function stored(db: Database): Record<string, Totals> {
  const out: Record<string, Totals> = {};
  for (const f of loadFacts(db)) {
    out[f.source] ??= { requests: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
    const t = out[f.source];
    t.requests += f.requests;
    t.input += f.input;
    t.output += f.output;
    t.cacheRead += f.cacheRead;
    t.cacheWrite += f.cacheWrite5m + f.cacheWrite1h;
    t.reasoning += f.reasoning;
  }
  return out;
}

/** Every keyed row as the store reads it (packed since schema 11, or a row not moved yet), by key. */
export function keyedRows(db: Database): Map<number, KeyedRow> {
  const out = new Map<number, KeyedRow>();
  for (const [source] of db.exec(`SELECT DISTINCT source FROM ${DIMS_AS_TEXT} ORDER BY source`)[0]?.values ?? []) {
    const calls = new KeyedCalls(db, String(source));
    try {
      for (const h of calls.keys()) out.set(h, calls.get(h)!);
    } finally {
      calls.free();
    }
  }
  return new Map([...out].sort((x, y) => x[0] - y[0]));
}

/**
 * Changes the fixture home's Cline and Gemini logs step by step; after each, both indexers refresh and index `b`
 * (migrated) must hold what index `a` (never migrated) holds, totals and keyed values alike.
 */
export async function countsAsNeverMigrated(home: string, a: Database, b: Database, ixA: Indexer, ixB: Indexer): Promise<void> {
  const step = async (what: string) => {
    await ixA.refresh();
    await ixB.refresh();
    assert.deepEqual(stored(b), stored(a), what);
    assert.deepEqual(keyedRows(b), keyedRows(a), what);
  };

  // a Cline request's row updated in place (its stream went on)
  const tasks = join(home, '.config/Code/User/globalStorage/saoudrizwan.claude-dev/tasks');
  const grownFile = join(tasks, '1767261600000/ui_messages.json');
  const before = stored(a).cline;
  writeFileSync(grownFile, readFileSync(grownFile, 'utf8').replace('\\"tokensOut\\":420,', '\\"tokensOut\\":1420,'));
  await step('row grown in place');
  assert.equal(stored(a).cline.output, before.output + 1000);
  assert.equal(stored(a).cline.requests, before.requests);

  // a checkpoint restore: two rows left, the removed request's tokens back as one deleted_api_reqs row (0 requests)
  const restoredFile = join(tasks, '1767348000000/ui_messages.json');
  const kept = (JSON.parse(readFileSync(restoredFile, 'utf8')) as { say?: string }[]).filter((r) => r.say !== 'deleted_api_reqs');
  writeFileSync(restoredFile, JSON.stringify(kept));
  await step('the task without its deleted_api_reqs row');
  const twoRequests = stored(a).cline;
  writeFileSync(restoredFile, JSON.stringify([...kept.slice(0, 2), { ts: 1767348040000, type: 'say', say: 'deleted_api_reqs', text: JSON.stringify({ tokensIn: 0, tokensOut: 820, cacheWrites: 640, cacheReads: 5120, cost: 0.0024 }) }]));
  await step('checkpoint restore');
  assert.equal(stored(a).cline.requests, twoRequests.requests - 1, 'the vanished request is taken back');

  // Gemini re-writes a message under the same id: the last copy wins
  const session = join(home, '.gemini/tmp/proj-a/chats/session-2026-03-03T14-02-9c0d1e2f.jsonl');
  const gemini = stored(a).gemini;
  appendFileSync(session, `${JSON.stringify({ id: 'g1', timestamp: '2026-03-03T14:02:49.300Z', type: 'gemini', content: 'ok', toolCalls: [], thoughts: [], model: 'gemini-2.5-pro', tokens: { input: 7200, output: 555, cached: 0, thoughts: 140, tool: 0, total: 7895 } })}\n`);
  await step('Gemini last wins');
  assert.equal(stored(a).gemini.output, gemini.output + 500);
  assert.equal(stored(a).gemini.requests, gemini.requests);

  await step('a refresh with nothing new');
}
