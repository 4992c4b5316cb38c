import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { orderJobs } from '../../../src/core/ingest/jobOrder';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { assistantData, insertSession, OPENCODE_SCHEMA, stepFinish, tokens, upsertMessage, upsertPart } from '../../../src/core/sources/opencode/fixtures/schema';
import * as h from './helpers';

interface Job {
  source: string;
  name: string;
  bytes: number;
  db?: boolean;
}
const plugin = new Set(['gemini', 'opencode']);
const order = (jobs: Job[], aheadBytes: number): string[] => {
  orderJobs(jobs, { bytes: (j) => j.bytes, spread: (j) => plugin.has(j.source), isDatabase: (j) => j.db === true, sourceOf: (j) => j.source, aheadBytes });
  return jobs.map((j) => j.name);
};

test('plug-in sources are spread evenly by bytes among the others; each source keeps its order', () => {
  const claude = Array.from({ length: 8 }, (_, k): Job => ({ source: 'claude', name: `c${k}`, bytes: 100 }));
  const gemini = Array.from({ length: 4 }, (_, k): Job => ({ source: 'gemini', name: `g${k}`, bytes: 10 }));
  assert.deepEqual(order([...claude, ...gemini], 0), ['c0', 'g0', 'c1', 'c2', 'g1', 'c3', 'c4', 'g2', 'c5', 'c6', 'g3', 'c7']);
  // a job with nothing new to read still has a place
  assert.deepEqual(order([{ source: 'claude', name: 'c0', bytes: 5 }, { source: 'claude', name: 'c1', bytes: 5 }, { source: 'gemini', name: 'g0', bytes: 0 }], 0), ['c0', 'g0', 'c1']);
});

test('a database comes after the ahead bytes of other jobs, never after another job of its source', () => {
  const jobs = (): Job[] => [
    { source: 'claude', name: 'c0', bytes: 40 },
    { source: 'claude', name: 'c1', bytes: 40 },
    { source: 'claude', name: 'c2', bytes: 40 },
    { source: 'claude', name: 'c3', bytes: 40 },
    { source: 'opencode', name: 'db', bytes: 1000, db: true },
    { source: 'opencode', name: 'msg', bytes: 1 },
  ];
  const claudeAndDb = () => jobs().slice(0, 5);
  assert.deepEqual(order(claudeAndDb(), 80), ['c0', 'c1', 'db', 'c2', 'c3']);
  assert.deepEqual(order(claudeAndDb(), 0), ['db', 'c0', 'c1', 'c2', 'c3']);
  assert.deepEqual(order(claudeAndDb(), 1000), ['c0', 'c1', 'c2', 'c3', 'db']);
  // its source's message file, spread early among the others: the database stays before it (last wins within a source)
  assert.deepEqual(order(jobs(), 80), ['c0', 'db', 'msg', 'c1', 'c2', 'c3']);
  // nothing to reorder: the order as it was
  const alone = [{ source: 'claude', name: 'a', bytes: 3 }, { source: 'codex', name: 'b', bytes: 2 }];
  assert.deepEqual(order(alone, 10), ['a', 'b']);
});

/** An opencode.db as OpenCode writes it: `n` replies, one step each, in one session. */
async function writeOpenCodeDb(path: string, n: number): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(OPENCODE_SCHEMA);
  const T0 = Date.UTC(2026, 3, 1, 9);
  insertSession(db, { id: 'ses_3a2f91c0affe4Xk2NqP0sRtUvW', directory: '/home/dev/shop', title: 'checkout', time: T0 });
  for (let k = 0; k < n; k++) {
    const t = tokens(100 + k, 20 + k, 0, 1000, 10, 1130 + 2 * k);
    const id = `msg_c5cc84bbf${String(k).padStart(3, '0')}a3bQs6VdR97IUK`;
    upsertMessage(db, id, 'ses_3a2f91c0affe4Xk2NqP0sRtUvW', assistantData({ created: T0 + k * 60_000, parentID: 'msg_user', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', cwd: '/home/dev/shop', cost: 0.01, tokens: t, finish: 'stop' }), T0 + k * 60_000);
    upsertPart(db, `prt_c5cc84c0${String(k).padStart(3, '0')}AaaaaaaaaaaaaA`, id, 'ses_3a2f91c0affe4Xk2NqP0sRtUvW', stepFinish(t, 0.01, 'stop'), T0 + k * 60_000);
  }
  writeFileSync(path, db.export());
  db.close();
}

test('every source at once, shared with workers in tiny windows (databases early, plug-ins spread): the totals of parsing in this thread', async () => {
  const script = await h.bundledWorker();
  const home = h.tmpDir();
  h.writeCallsAcrossFiles(home, 30);
  const chats = join(home, '.gemini/tmp/3f9a/chats');
  cpSync(join(__dirname, '../../../src/core/sources/gemini/fixtures/session-2026-03-02T09-14-4f1c2a9e.jsonl'), join(chats, 'session-2026-03-02T09-14-4f1c2a9e.jsonl'));
  cpSync(join(__dirname, '../../../src/core/sources/gemini/fixtures/session-2026-03-03T14-02-9c0d1e2f.jsonl'), join(chats, 'session-2026-03-03T14-02-9c0d1e2f.jsonl'));
  h.write(join(home, '.local/share/opencode/opencode.db'), '');
  await writeOpenCodeDb(join(home, '.local/share/opencode/opencode.db'), 12);
  const roots = discoverRoots({ env: {}, home, platform: 'linux', dirs: { claude: [join(home, 'c')], codex: ['none'] } });
  const sources = ['claude', 'gemini', 'opencode'];
  assert.deepEqual(sources.filter((s) => roots.roots.some((r) => r.source === s)), sources);
  const byIn = async (workers: number, parseWindowBytes?: number) => {
    const db = await h.freshDb();
    const indexer = new Indexer({ db, roots, workerScript: workers ? script : undefined, workers, parseWindowBytes, now: () => Date.UTC(2026, 3, 10) });
    const r = await indexer.refresh();
    await indexer.dispose();
    return { r, per: Object.fromEntries(sources.map((s) => [s, h.totals(db, { source: s })])) };
  };
  const expected = await byIn(0);
  for (const s of sources) assert.ok(expected.per[s].requests > 0, `${s} counted`);
  assert.equal(expected.per.opencode.requests, 12);
  assert.equal(expected.per.claude.requests, 30);
  for (const [workers, windowBytes] of [[1, 1], [2, 1], [1, 4000]]) {
    const got = await byIn(workers, windowBytes);
    assert.equal(got.r.filesChanged, expected.r.filesChanged);
    assert.deepEqual(got.per, expected.per, `workers ${workers}, windows of ${windowBytes} bytes`);
  }
  h.cleanup(home);
});
