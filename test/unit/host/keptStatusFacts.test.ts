/**
 * The status summary's facts kept across changes (core query/keptStatusFacts.ts, noted by store/changeMarks.ts):
 * the writer's summary after each appended call equals one computed from scratch, across local midnight and a Claude
 * block's end, in a zone that is not UTC; and the kept facts equal a fresh read after every kind of write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine, type StatusQuery } from '../../../src/app/indexWorker/engine';
import { Indexer } from '../../../src/core/ingest/indexer';
import { keptStatusFacts } from '../../../src/core/query/keptStatusFacts';
import { loadFacts } from '../../../src/core/query/facts';
import { openIndexDatabase, saveIndexDatabase } from '../../../src/core/store/persist';
import { rollUpUsage } from '../../../src/core/store/retention';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { nullLogger } from '../../../src/core/types';
import * as h from '../ingest/helpers';
import { claudeHistory, lastTimestamp, writeHistory } from '../store/claudeHistory';

const MIN = 60_000;
const H = 60 * MIN;
const ZONE = 'Asia/Kolkata'; // +05:30: local midnight is not on a UTC hour
const iso = (t: number) => new Date(t).toISOString();

function query(nowMs: number): StatusQuery {
  return {
    nowMs, timeZone: ZONE, weekStart: 1, billingCycleStartDay: 1, priceOverrides: {}, claudePlan: { plan: 'auto' },
    budgets: { dailyUsd: 50, weeklyUsd: 300, monthlyUsd: 900, projectsMonthlyUsd: { '/home/u/late': 40 } },
  };
}

test('the writer\'s kept summary equals a fresh one after each call: across local midnight (+05:30) and a block\'s end, new sessions, an old bucket', async () => {
  const dir = h.tmpDir();
  const file = join(dir, 'index.sqlite');
  const first = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  const writer = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  const fresh = () => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  try {
    const files = claudeHistory(23, '2026-03-01T00:00:00Z', 36);
    writeHistory(join(dir, 'claude'), files);
    const roots = h.rootsFor({ claude: join(dir, 'claude') });
    await first.openWritable(file);
    await first.startIndexer(roots);
    await first.refresh();
    await first.save(file);
    await first.close();
    // the next window start: its saves are captured, so its status facts are kept
    await writer.openWritable(file);
    await writer.startIndexer(roots);
    const last = lastTimestamp(files);
    // local midnight after the history's last call, in the zone
    const midnight = Math.ceil((last + 5.5 * H) / (24 * H)) * 24 * H - 5.5 * H;
    const sessionA = join(dir, 'claude', 'projects', 'late', 'a.jsonl');
    const sessionB = join(dir, 'claude', 'projects', 'other', 'b.jsonl');
    h.write(sessionA, '');
    h.write(sessionB, '');
    const arrivals: [string, string, number][] = [
      ['a new session', sessionA, last + 20 * MIN],
      ['the same session, same bucket', sessionA, last + 24 * MIN],
      ['just before local midnight', sessionA, midnight - 2 * MIN],
      ['just after local midnight', sessionA, midnight + 3 * MIN],
      ['another new session', sessionB, midnight + 40 * MIN],
      ['after the block ended (a pause of 6 h)', sessionA, midnight + 7 * H],
      ['in an old bucket of this month', sessionB, midnight - 3 * 24 * H],
    ];
    let n = 0;
    let now = 0;
    for (const [what, path, ts] of arrivals) {
      const u = { input: 1_000 + n, output: 20_000, cw5m: 3_000, cacheRead: 40_000 };
      h.append(path, h.claudeAssistant({ id: `msg_kept_${n}`, ts: iso(ts), session: path === sessionA ? 'late' : 'other', cwd: path === sessionA ? '/home/u/late' : '/home/u/other', usage: { ...u, output: 1 } }));
      h.append(path, h.claudeAssistant({ id: `msg_kept_${n++}`, ts: iso(ts), session: path === sessionA ? 'late' : 'other', cwd: path === sessionA ? '/home/u/late' : '/home/u/other', usage: u }));
      await writer.refresh(undefined, { paths: [path] });
      // time only moves on: each call seen a minute after it (or after the last check); after the last, once its block ended
      now = Math.max(now, ts + MIN);
      for (const nowMs of n === arrivals.length ? [now, now + 6 * H] : [now]) {
        const kept = writer.statusSummary(query(nowMs));
        await writer.save(file);
        const other = fresh();
        assert.equal(await other.openReadOnly(file), true);
        assert.deepStrictEqual(kept, other.statusSummary(query(nowMs)), `${what}, at ${iso(nowMs)}`);
        await other.close();
      }
    }
  } finally {
    await writer.close();
    h.cleanup(dir);
  }
});

test('kept status facts equal a fresh read after new rows, updated rows, a retention roll-up, a moved start and inside a transaction', async () => {
  const SQL = await loadSqlJs();
  const dir = h.tmpDir();
  try {
    const files = claudeHistory(5, '2026-05-04T00:00:00Z', 20);
    writeHistory(join(dir, 'claude'), files);
    const roots = h.rootsFor({ claude: join(dir, 'claude') });
    const file = join(dir, 'index.sqlite');
    const built = openIndexDatabase(SQL, file).db;
    await new Indexer({ db: built, roots }).refresh();
    saveIndexDatabase(built, file);
    built.close();
    const db = openIndexDatabase(SQL, file).db; // saves captured
    const ix = new Indexer({ db, roots });
    const last = lastTimestamp(files);
    let since = last - 9 * 24 * H;
    const same = (label: string) => assert.deepStrictEqual(keptStatusFacts(db, since), loadFacts(db, { sinceMs: since }), label);
    same('first read');
    same('nothing changed');
    const path = join(dir, 'claude', files[files.length - 1].path);
    h.append(path, h.claudeAssistant({ id: 'msg_k1', ts: iso(last + 5 * MIN), usage: { input: 5, output: 9 } }));
    await ix.refresh();
    same('a row updated (same session and bucket)');
    h.write(join(dir, 'claude', 'projects', 'x', 'new.jsonl'), h.claudeAssistant({ id: 'msg_k2', ts: iso(last - 2 * 24 * H), session: 'new', cwd: '/home/u/x', usage: { input: 7, output: 3 } }));
    await ix.refresh();
    same('a new dims row in an older bucket');
    since += 2 * 24 * H;
    same('a later start');
    since -= 5 * 24 * H;
    same('an earlier start');
    rollUpUsage(db, Math.floor((last - 12 * 24 * H) / (24 * H)) * 24 * H, 'UTC');
    same('after a retention roll-up');
    db.run('BEGIN');
    db.run('UPDATE usage SET output = output + 1 WHERE bucket = (SELECT max(bucket) FROM usage)');
    same('inside a transaction');
    db.run('ROLLBACK');
    same('after the roll-back');
    await ix.dispose();
    db.close();
  } finally {
    h.cleanup(dir);
  }
});
