/**
 * Retention rolls old 15-minute usage into local days (store/retention.ts); the activity aggregate keeps its UTC hours.
 * Per (day, source, model, tier) the activities still sum exactly to the day's usage, and every total is unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { Indexer } from '../../../src/core/ingest/indexer';
import { rollUpUsage } from '../../../src/core/store/retention';
import { cleanup, freshDb, rootsFor, tmpDir } from '../ingest/helpers';
import { writeHistory } from '../store/claudeHistory';
import { mixedHistory } from '../query/mixedHistory';
import { activitySums, assertActivityEqualsHours } from './activitySums';

const COLS = ['input', 'output', 'cw5m', 'cw1h', 'cache_read', 'reasoning', 'web_search', 'requests'];
const perDay = (db: Database, table: string) =>
  db.exec(`SELECT hour / 86400000 AS day, key, ${COLS.map((c) => `sum(${c})`).join(', ')} FROM ${table} GROUP BY 1, 2 ORDER BY 1, 2`)[0]?.values ?? [];

test('after retention rolls up old detail (UTC days), the activities of each day sum to its usage and every total stays', async () => {
  const dir = tmpDir();
  try {
    writeHistory(dir, mixedHistory(21, '2026-03-01T00:00:00Z', 40));
    const db = await freshDb();
    await new Indexer({ db, roots: rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), now: () => Date.parse('2026-05-20T00:00:00Z') }).refresh();
    assertActivityEqualsHours(db);
    const before = activitySums(db);
    const r = rollUpUsage(db, Date.parse('2026-03-25T00:00:00Z'), 'UTC');
    assert.ok(r.rowsBefore > r.rowsAfter && r.rowsAfter > 0, JSON.stringify(r));
    assert.deepEqual(activitySums(db), before, 'the activity aggregate is not touched');
    assert.deepEqual(perDay(db, 'usage_acts'), perDay(db, 'usage_hours'), 'per (UTC day, key)');
  } finally {
    cleanup(dir);
  }
});
