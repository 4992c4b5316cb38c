/**
 * The writer computes the idle cache re-writes of the sessions a large refresh wrote (a first index) when that refresh
 * ends (`IndexEngine.settleIdleGaps`), instead of the dashboard's first read; a small refresh leaves them to that read.
 * The rows it stores are the ones computing every session again gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import { idleGapMarks, markIdleGapsDirty, updateIdleGaps } from '../../../src/core/store/idleGaps';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { nullLogger } from '../../../src/core/types';
import * as h from '../ingest/helpers';

const engine = () => new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger, onUpdate: () => {} });
const idleRows = (db: import('sql.js').Database) => db.exec('SELECT * FROM idle_gaps ORDER BY 1, 2, 3')[0]?.values ?? [];

/** `n` Claude sessions from `first`, each a call with 5-minute cache writes, then another after an idle hour. */
function sessions(dir: string, first: number, n: number): void {
  for (let i = first; i < first + n; i++) {
    const file = join(dir, `claude/projects/-home-u-p${i % 7}/${String(i).padStart(8, '0')}-1111-4222-8333-944445555666.jsonl`);
    const day = `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`;
    h.write(file, h.claudeAssistant({ id: `msg_${i}_a`, session: `s${i}`, ts: `${day}T09:00:00.000Z`, usage: { input: 3, output: 20, cw5m: 4000, cacheRead: 1000 } }));
    h.append(file, h.claudeAssistant({ id: `msg_${i}_b`, session: `s${i}`, ts: `${day}T10:10:00.000Z`, usage: { input: 3, output: 30, cw5m: 12000, cacheRead: 4000 } }));
  }
}

test("a first index's sessions get their idle re-writes when it ends, the same rows as computing every session again; a refresh of a few sessions leaves them to the dashboard's read", async () => {
  const dir = h.tmpDir();
  const e = engine();
  try {
    sessions(dir, 0, 240);
    await e.openWritable(join(dir, 'index.sqlite'));
    await e.startIndexer(h.rootsFor({ claude: join(dir, 'claude') }));
    await e.refresh();
    const db = await e.writerDatabase();
    assert.equal(idleGapMarks(db), 0, 'no session left for the first dashboard read');
    const settled = idleRows(db);
    assert.ok(settled.filter((r) => Number(r[1]) === 0).length >= 240, 'an event per session');
    // every session computed again from its usage rows gives the same rows
    const SQL = await loadSqlJs();
    const copy = new SQL.Database(db.export());
    markIdleGapsDirty(copy, 'usage');
    assert.ok(idleGapMarks(copy) >= 240);
    updateIdleGaps(copy);
    assert.deepEqual(idleRows(copy), settled);
    copy.close();

    // a few new sessions: marked, computed when the dashboard asks
    sessions(dir, 240, 3);
    await e.refresh();
    assert.ok(idleGapMarks(await e.writerDatabase()) > 0);
  } finally {
    await e.dispose();
    h.cleanup(dir);
  }
});
