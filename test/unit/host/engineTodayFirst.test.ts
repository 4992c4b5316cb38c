import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import type { IndexUpdate } from '../../../src/app/indexUpdates';
import { statusSettingsOf } from '../../../src/app/status/statusSettings';
import { parseSettings } from '../../../src/app/settingsParse';
import { nullLogger } from '../../../src/core/types';
import { claudeAssistant, cleanup, rootsFor, tmpDir, write } from '../ingest/helpers';
import { claudeHistory, writeHistory } from '../store/claudeHistory';
import { discoverRoots } from '../../../src/core/discovery';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { assistantData, insertSession, OPENCODE_SCHEMA, stepFinish, tokens, upsertMessage, upsertPart } from '../../../src/core/sources/opencode/fixtures/schema';

const DAY = 86_400_000;

/** A week of history and two sessions of today; one refresh (newest files first) with `flushEveryMs`; the updates pushed, with the facts in the index at each. */
/** An OpenCode data folder whose opencode.db holds one reply at `atMs`, the file last modified then too. */
async function opencodeDb(dir: string, atMs: number): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  const session = 'ses_3a2f91c0affe4Xk2NqP0sRtUvW';
  insertSession(db, { id: session, directory: '/home/u/shop', title: 'Fix the cart', time: atMs });
  const t = tokens(12, 300, 0, 9000, 1200, 10512);
  upsertMessage(db, 'msg_c5cc84bbf001a3bQs6VdR97IUK', session, assistantData({ created: atMs + 1000, completed: atMs + 20_000, parentID: 'msg_c5cc84bb4001bKJ6xO4CN6ri8O', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: '/home/u/shop', cost: 0.0121, tokens: t, finish: 'stop' }), atMs + 20_000);
  upsertPart(db, 'prt_c5cc84c05001EeeeeeeeeeeeeE', 'msg_c5cc84bbf001a3bQs6VdR97IUK', session, stepFinish(t, 0.0121, 'stop'), atMs + 20_000);
  const folder = join(dir, 'opencode');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'opencode.db');
  writeFileSync(file, db.export());
  db.close();
  utimesSync(file, new Date(atMs + 20_000), new Date(atMs + 20_000));
  return folder;
}

/** `database`: an OpenCode database of one reply, from 6 days ago or from today (its mtime then too). */
async function refreshWithToday(dir: string, flushEveryMs: number, database?: 'old' | 'today') {
  const nowMs = Date.now();
  const dayStart = Math.floor(nowMs / DAY) * DAY; // the status settings below use UTC
  // a week of Claude Code history in the real format (one file per session, its mtime at its last line) …
  const claude = join(dir, 'claude');
  writeHistory(claude, claudeHistory(41, new Date(dayStart - 7 * DAY).toISOString(), 7));
  // … and two sessions logged today (mtime now), one with a streamed copy corrected by its final copy
  const from = Math.max(dayStart, nowMs - 1_800_000);
  for (const [s, n] of [['today-a', 5], ['today-b', 3]] as const) {
    const lines: string[] = [];
    for (let k = 0; k < n; k++) {
      const ts = new Date(from + k * 7_000).toISOString();
      if (k === 1) lines.push(claudeAssistant({ id: `${s}-${k}`, ts, session: s, usage: { input: 9, output: 2 } }));
      lines.push(claudeAssistant({ id: `${s}-${k}`, ts, session: s, model: k % 2 ? 'claude-opus-4-6' : 'claude-sonnet-4-5-20250929', usage: { input: 40 + k, output: 300 + k, cw5m: 1000, cacheRead: 20_000 } }));
    }
    write(join(claude, 'projects', '-home-u-proj', `${s}.jsonl`), lines.join(''));
  }
  const updates: { u: IndexUpdate; facts: number }[] = [];
  const engine: IndexEngine = new IndexEngine({
    wasmPath: '', ingestWorkerScript: '', logger: nullLogger,
    onUpdate: (u) => updates.push({ u, facts: engine.loadFacts().length }),
  });
  try {
    engine.configureStatus({ ...statusSettingsOf(parseSettings(() => undefined).settings), timeZone: 'UTC' });
    await engine.openWritable(join(dir, 'index.sqlite'));
    const opencode = database ? await opencodeDb(dir, database === 'old' ? dayStart - 6 * DAY : Math.max(dayStart, nowMs - 3_600_000)) : undefined;
    await engine.startIndexer(opencode ? discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [claude], codex: ['none'], opencode: [opencode] } }) : rootsFor({ claude }));
    const r = await engine.refresh(undefined, { flushEveryMs });
    assert.ok(r && r.filesChanged > 4, `several files read (${r?.filesChanged})`);
    const last = updates.at(-1)!;
    assert.equal(last.u.reason, 'ingest');
    assert.ok(last.u.summary && last.u.summary.today.requests >= 8, 'today\'s calls are counted');
    return { updates, last };
  } finally {
    await engine.close();
  }
}

test('a refresh over older logs and today\'s: today\'s files are written first as a batch of their own, its pushed summary already has today\'s final numbers', async () => {
  const dir = tmpDir();
  try {
    // no batch by time: only today's files make one
    const { updates, last } = await refreshWithToday(dir, 600_000);
    const batches = updates.filter((x) => x.u.reason === 'batch');
    assert.equal(batches.length, 1, `one batch before the older files: ${JSON.stringify(updates.map((x) => x.u.reason))}`);
    const [batch] = batches;
    assert.ok(batch.facts > 0 && batch.facts < last.facts, `the batch held today's files only (${batch.facts} of ${last.facts} facts)`);
    assert.equal(JSON.stringify(batch.u.summary?.today), JSON.stringify(last.u.summary?.today), 'today as the whole refresh has it');
    assert.equal(JSON.stringify(batch.u.summary?.todayByModel), JSON.stringify(last.u.summary?.todayByModel));
  } finally {
    cleanup(dir);
  }
});

test('batches by time during today\'s files: the batch that completes them is pushed although the throttle holds the others back', async () => {
  const dir = tmpDir();
  try {
    // a batch after every file: the first is pushed at once, the next ones wait for the throttle (≥ 1 s)
    const { updates, last } = await refreshWithToday(dir, 0);
    const batches = updates.filter((x) => x.u.reason === 'batch');
    const today = JSON.stringify(last.u.summary?.today);
    const first = batches.find((x) => JSON.stringify(x.u.summary?.today) === today);
    assert.ok(first, `a pushed batch has today's final numbers: ${JSON.stringify(updates.map((x) => [x.u.reason, x.u.summary?.today.requests, x.facts]))}`);
    assert.ok(first.facts < last.facts, `before the older files were read (${first.facts} of ${last.facts} facts)`);
    assert.ok(batches[0].u.summary!.today.requests < last.u.summary!.today.requests, 'the first batch (one file) had only part of today');
  } finally {
    cleanup(dir);
  }
});

test('today\'s logs are read before an old OpenCode database, as a batch of their own; the database then completes the newest batch, before the older logs', async () => {
  const dir = tmpDir();
  try {
    const { updates, last } = await refreshWithToday(dir, 600_000, 'old');
    const batches = updates.filter((x) => x.u.reason === 'batch');
    assert.equal(batches.length, 2, `today's logs, then the database, before the older files: ${JSON.stringify(updates.map((x) => [x.u.reason, x.facts]))}`);
    const [logs, database] = batches;
    assert.ok(logs.facts > 0 && logs.facts < database.facts && database.facts < last.facts, `today's logs, then the database, then the rest (${logs.facts}, ${database.facts}, ${last.facts} facts)`);
    // the database holds nothing of today: the first batch has today's final numbers already
    assert.equal(JSON.stringify(logs.u.summary?.today), JSON.stringify(last.u.summary?.today), 'today as the whole refresh has it');
    assert.equal(JSON.stringify(database.u.summary?.today), JSON.stringify(last.u.summary?.today));
    assert.ok(last.u.summary!.month.requests > last.u.summary!.today.requests, 'the older logs and the database are counted by the end');
  } finally {
    cleanup(dir);
  }
});

test('an OpenCode database written today: today\'s logs are pushed first, the database\'s batch then completes today\'s numbers', async () => {
  const dir = tmpDir();
  try {
    const { updates, last } = await refreshWithToday(dir, 600_000, 'today');
    const batches = updates.filter((x) => x.u.reason === 'batch');
    assert.equal(batches.length, 2, `today's logs, then the database: ${JSON.stringify(updates.map((x) => [x.u.reason, x.u.summary?.today.requests, x.facts]))}`);
    const [logs, database] = batches;
    assert.equal(logs.u.summary!.today.requests + 1, last.u.summary!.today.requests, 'the logs\' batch has today but the database\'s reply');
    assert.equal(JSON.stringify(database.u.summary?.today), JSON.stringify(last.u.summary?.today), 'the database\'s batch: today as the whole refresh has it');
    assert.ok(database.facts < last.facts, 'before the older logs');
  } finally {
    cleanup(dir);
  }
});
