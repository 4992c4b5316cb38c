import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { rebuildAggregates } from '../../../src/core/store/aggregates';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { retentionCutoff, retentionDetailFrom, rollUpUsage, MIN_DETAIL_DAYS } from '../../../src/core/store/retention';
import { loadFacts } from '../../../src/core/query/facts';
import { groupFacts, type GroupBy } from '../../../src/core/report/group';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { loadClaudeBlocks } from '../../../src/core/query/claudeBlocks';
import { claudeAssistant, cleanup, freshDb, rootsFor, tmpDir, write } from '../ingest/helpers';
import { writeHistory } from './claudeHistory';
import { bucketDayKeyer, startOfDayKey } from '../../../src/core/report/tz';
import { mixedHistory } from '../query/mixedHistory';
import { DIMS_AS_TEXT } from '../../../src/core/store/strs';

/**
 * Retention's roll-up on an index of Claude and Codex logs in their real formats (de-dup corrections, several models,
 * tiers, projects, branches): every total stays the same to the token and the cost to the cent, by UTC day, model,
 * source, project, session and branch; the derived tables equal a rebuild from usage; a second run changes nothing;
 * the indexer keeps working on the rolled-up index.
 */
const NOW = Date.parse('2026-06-20T09:30:00Z');
const prices = createPriceTable();
const rows = (db: Database, sql: string) => JSON.stringify(db.exec(sql)[0]?.values ?? []);
const count = (db: Database, sql: string) => Number(db.exec(sql)[0].values[0][0]);
const hours = (db: Database) =>
  rows(db, `SELECT h.hour, k.source, k.model, k.tier, h.input, h.output, h.cw5m, h.cw1h, h.cache_read, h.reasoning, h.web_search,
    h.requests, h.first_ms, h.last_ms FROM usage_hours h JOIN hour_keys k ON k.id = h.key ORDER BY h.hour, k.source, k.model, k.tier`);
const sessions = (db: Database, withBuckets = true) =>
  rows(db, `SELECT d.source, d.model, d.project, d.session, d.branch, d.tier, s.input, s.output, s.cw5m, s.cw1h, s.cache_read,
    s.reasoning, s.web_search, s.requests, s.first_ms, s.last_ms${withBuckets ? ', s.first_bucket, s.last_bucket, s.first_billed' : ''}
    FROM session_totals s JOIN ${DIMS_AS_TEXT} d ON d.id = s.dim ORDER BY d.source, d.model, d.project, d.session, d.branch, d.tier`);

/** Every report grouping that a day-level roll-up must keep: tokens exact, cost to the cent. */
function reports(db: Database, timeZone: string): Record<string, { key: string; tokens: string; cents: number | null }[]> {
  const facts = loadFacts(db, {});
  const out: Record<string, { key: string; tokens: string; cents: number | null }[]> = {};
  for (const by of ['day', 'month', 'model', 'source', 'project', 'session', 'branch'] as GroupBy[]) {
    out[by] = groupFacts(facts, by, { timeZone, prices }).map((r) => ({
      key: `${r.key}|${r.source ?? ''}`,
      tokens: JSON.stringify([r.inputTokens, r.outputTokens, r.cacheCreation5mTokens, r.cacheCreation1hTokens, r.cacheReadTokens, r.reasoningTokens, r.webSearchRequests, r.requests]),
      cents: r.costUSD === null ? null : Math.round(r.costUSD * 100),
    }));
  }
  return out;
}

async function rebuiltCopy(db: Database): Promise<Database> {
  const SQL = await loadSqlJs();
  const copy = new SQL.Database(db.export());
  rebuildAggregates(copy);
  return copy;
}

/** Usage rows before the cut-off that are not at the start of a local day of `tz`. */
function notAtDayStart(db: Database, cutoff: number, tz: string): number {
  const dayOf = bucketDayKeyer(tz);
  const buckets = (db.exec(`SELECT bucket FROM usage WHERE bucket < ${cutoff}`)[0]?.values ?? []).map((r) => Number(r[0]));
  return buckets.filter((b) => startOfDayKey(dayOf(b), tz) !== b).length;
}

/**
 * Rolls a 130-day history up at 90 days in `tz` and checks that every report grouping in that zone is unchanged (days
 * included), the derived tables equal a rebuild, a second run does nothing, and a late call is rolled by the next run.
 */
async function rollUpKeepsEveryTotal(tz: string, expectedCutoff: string) {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(21, '2026-02-01T00:00:00Z', 130));
    const db = await freshDb();
    const ix = new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), now: () => NOW });
    await ix.refresh();
    const before = reports(db, tz);
    const blocksBefore = JSON.stringify(loadClaudeBlocks(db, { prices, nowMs: NOW }));
    const sessionsBefore = sessions(db, false);
    const cutoff = retentionCutoff(90, NOW, tz);
    assert.equal(new Date(cutoff).toISOString(), expectedCutoff);
    const oldRows = count(db, `SELECT count(*) FROM usage WHERE bucket < ${cutoff}`);
    const recentRows = rows(db, `SELECT * FROM usage WHERE bucket >= ${cutoff} ORDER BY bucket, dim`);
    assert.ok(oldRows > 500, String(oldRows));
    assert.equal(retentionDetailFrom(db), null);

    const r = rollUpUsage(db, cutoff, tz);
    // rows alone in their day at its very start (the first 15 minutes) stay as they are
    assert.ok(r.rowsBefore <= oldRows && r.rowsBefore > oldRows * 0.95, `${r.rowsBefore} of ${oldRows}`);
    assert.equal(count(db, `SELECT count(*) FROM usage WHERE bucket < ${cutoff}`), r.rowsAfter + (oldRows - r.rowsBefore));
    assert.ok(r.rowsAfter < oldRows / 2, `${r.rowsAfter} day rows from ${oldRows}`);
    assert.equal(notAtDayStart(db, cutoff, tz), 0, 'every row before the cut-off at a local day start');
    assert.equal(rows(db, `SELECT * FROM usage WHERE bucket >= ${cutoff} ORDER BY bucket, dim`), recentRows, 'detail after the cut-off untouched');
    assert.equal(retentionDetailFrom(db), cutoff);

    assert.deepEqual(reports(db, tz), before);
    assert.equal(sessions(db, false), sessionsBefore, 'session totals: the same sums and entry times');
    assert.equal(JSON.stringify(loadClaudeBlocks(db, { prices, nowMs: NOW })), blocksBefore, 'the stored blocks are kept');
    const copy = await rebuiltCopy(db);
    assert.equal(hours(db), hours(copy));
    assert.equal(sessions(db), sessions(copy));
    copy.close();

    // again: nothing left to roll up, nothing changes
    const again = rollUpUsage(db, cutoff, tz);
    assert.deepEqual([again.rowsBefore, again.rowsAfter], [0, 0]);
    assert.deepEqual(reports(db, tz), before);

    // the indexer goes on: a late log with a call before the cut-off, and new calls today
    const late = (id: string, ts: string, session: string) => claudeAssistant({ id, ts, usage: { input: 1000, output: 200 }, session, cwd: '/home/u/late' });
    write(join(dir, 'claude/projects/-home-u-late/sess-late.jsonl'), late('msg_old', '2026-03-01T10:07:00.000Z', 'sess-late') + late('msg_new', '2026-06-20T09:07:00.000Z', 'sess-late'));
    await ix.refresh();
    assert.equal(notAtDayStart(db, cutoff, tz), 1, 'the late call is a 15-minute row');
    const withLate = reports(db, tz);
    rollUpUsage(db, cutoff, tz);
    assert.equal(notAtDayStart(db, cutoff, tz), 0);
    assert.deepEqual(reports(db, tz), withLate);
    const copy2 = await rebuiltCopy(db);
    assert.equal(hours(db), hours(copy2));
    assert.equal(sessions(db), sessions(copy2));
    copy2.close();
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
}

test('roll-up of detail older than the kept days (UTC): every total the same to the token and the cent; aggregates equal a rebuild', async () => {
  await rollUpKeepsEveryTotal('UTC', '2026-03-22T00:00:00.000Z');
});

test('roll-up in the user\'s zone: Shanghai\'s days, not UTC\'s (8 hours of each day would move to the day before)', async () => {
  await rollUpKeepsEveryTotal('Asia/Shanghai', '2026-03-21T16:00:00.000Z');
});

test('roll-up in a half-hour zone across a DST change: Kolkata (+5:30) and New York (DST on 8 March)', async () => {
  await rollUpKeepsEveryTotal('Asia/Kolkata', '2026-03-21T18:30:00.000Z');
  await rollUpKeepsEveryTotal('America/New_York', '2026-03-22T04:00:00.000Z');
});

test('after a change of time zone the next run regroups the rolled-up days by the new zone: totals unchanged', async () => {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(7, '2026-02-01T00:00:00Z', 130));
    const db = await freshDb();
    const ix = new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), now: () => NOW });
    await ix.refresh();
    const utc = reports(db, 'UTC');
    const shanghai = reports(db, 'Asia/Shanghai');
    rollUpUsage(db, retentionCutoff(90, NOW, 'UTC'), 'UTC');
    assert.deepEqual(reports(db, 'UTC'), utc);
    const cutoff = retentionCutoff(90, NOW, 'Asia/Shanghai');
    rollUpUsage(db, cutoff, 'Asia/Shanghai');
    assert.equal(notAtDayStart(db, cutoff, 'Asia/Shanghai'), 0);
    // totals by model, source, project, session: as before; by day, Shanghai's days from the rolled-up UTC days
    for (const by of ['model', 'source', 'project', 'session', 'branch']) assert.deepEqual(reports(db, 'Asia/Shanghai')[by], shanghai[by], by);
    const sum = (rs: { tokens: string }[]) => rs.reduce((n, r) => n + (JSON.parse(r.tokens) as number[]).reduce((a, b) => a + b, 0), 0);
    assert.equal(sum(reports(db, 'Asia/Shanghai').day), sum(shanghai.day));
    const copy = await rebuiltCopy(db);
    assert.equal(hours(db), hours(copy));
    copy.close();
    await ix.dispose();
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('the cut-off is a local day start, never nearer than the minimum detail', () => {
  assert.equal(retentionCutoff(90, Date.parse('2026-06-20T23:59:59Z')), Date.parse('2026-03-22T00:00:00Z'));
  // 23:59 UTC on 20 June is already 21 June in Shanghai
  assert.equal(retentionCutoff(90, Date.parse('2026-06-20T23:59:59Z'), 'Asia/Shanghai'), Date.parse('2026-03-22T16:00:00Z'));
  assert.equal(retentionCutoff(90, Date.parse('2026-06-20T23:59:59Z'), 'Not/AZone'), Date.parse('2026-03-22T00:00:00Z'), 'a bad zone reads as UTC');
  assert.equal(retentionCutoff(1, Date.parse('2026-06-20T00:00:00Z')), Date.parse('2026-06-20T00:00:00Z') - MIN_DETAIL_DAYS * 86_400_000);
});
