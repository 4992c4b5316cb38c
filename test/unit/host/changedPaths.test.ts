/**
 * The watcher's changed files make a refresh stat and read only those files (the full stat of every log file is left to
 * the start and the 30 s check), with the same numbers as a full refresh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadFacts } from '../../../src/core/query/facts';
import { append, claudeAssistant, cleanup, freshDb, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';
import type { Database } from 'sql.js';
import { FILES_AS_PATHS } from '../../../src/core/store/fileDirs';

const fixture = join(__dirname, '../../fixtures/basic');

function copyFixture() {
  const dir = tmpDir();
  cpSync(fixture, dir, { recursive: true });
  const roots = rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') });
  const projects = join(dir, 'claude', 'projects');
  return { dir, roots, projects };
}

const byKey = (db: Database) => loadFacts(db).map((f) => JSON.stringify(f)).sort();
const missing = (db: Database) => db.exec(`SELECT path FROM ${FILES_AS_PATHS} WHERE missing = 1`)[0]?.values.map((r) => String(r[0])) ?? [];

/** The facts of the same logs indexed from scratch by a full refresh. */
async function fullIndexFacts(roots: ReturnType<typeof rootsFor>): Promise<string[]> {
  const { db } = await indexOnce(roots);
  try {
    return byKey(db);
  } finally {
    db.close();
  }
}

test('a refresh given the changed files stats and reads only those; a subagent file keeps its session and project', async () => {
  const { dir, roots, projects } = copyFixture();
  const db = await freshDb();
  const ix = new Indexer({ db, roots, workers: 0 });
  try {
    const first = await ix.refresh();
    assert.ok(first.filesScanned >= 6, `full listing at start: ${first.filesScanned} files`);
    const agent = join(projects, '-home-dev-alpha', '11111111-aaaa', 'subagents', 'agent-b1.jsonl');
    append(agent, claudeAssistant({ id: 'msg_sub_new', ts: new Date().toISOString(), sidechain: true, cwd: '/home/dev/alpha', usage: { input: 3, output: 40 } }));
    const r = await ix.refresh({ paths: [agent] });
    assert.equal(r.filesScanned, 1, 'one file stat\'ed');
    assert.equal(r.filesChanged, 1, 'one file read');
    assert.equal(r.records, 1);
    assert.deepEqual(byKey(db), await fullIndexFacts(roots), 'the same facts as a full index of the same logs');
    // the same file again without a change: stat'ed, nothing read
    const again = await ix.refresh({ paths: [agent] });
    assert.deepEqual([again.filesScanned, again.filesChanged, again.changed], [1, 0, false]);
  } finally {
    await ix.dispose();
    db.close();
    cleanup(dir);
  }
});

test('a changed file the last listing did not have (new, moved) or that is gone makes the refresh list every file', async () => {
  const { dir, roots, projects } = copyFixture();
  const db = await freshDb();
  const ix = new Indexer({ db, roots, workers: 0 });
  try {
    const { filesScanned: all } = await ix.refresh();
    const fresh = write(join(projects, '-home-dev-gamma', 'new-session.jsonl'), claudeAssistant({ id: 'msg_gamma', ts: new Date().toISOString(), cwd: '/home/dev/gamma', usage: { input: 5, output: 7 } }));
    const r = await ix.refresh({ paths: [fresh] });
    assert.equal(r.filesScanned, all + 1, 'listed every file (a new file\'s project comes from where it was found)');
    assert.equal(r.records, 1);
    assert.deepEqual(byKey(db), await fullIndexFacts(roots));

    // a deleted transcript: its usage is kept and it is marked missing, as a full refresh does
    const beta = join(projects, '-home-dev-beta', '22222222-bbbb.jsonl');
    const before = byKey(db);
    rmSync(beta);
    const gone = await ix.refresh({ paths: [beta] });
    assert.equal(gone.filesScanned, all, 'listed every file');
    assert.deepEqual(missing(db), [beta]);
    assert.deepEqual(byKey(db), before, 'no usage lost');
  } finally {
    await ix.dispose();
    db.close();
    cleanup(dir);
  }
});

test('changed files reported while a refresh runs are all read by the one follow-up refresh', async () => {
  const { dir, roots, projects } = copyFixture();
  const db = await freshDb();
  const ix = new Indexer({ db, roots, workers: 0 });
  try {
    await ix.refresh();
    const alpha = join(projects, '-home-dev-alpha', '11111111-aaaa.jsonl');
    const beta = join(projects, '-home-dev-beta', '22222222-bbbb.jsonl');
    const ts = new Date().toISOString();
    append(alpha, claudeAssistant({ id: 'msg_a1', ts, cwd: '/home/dev/alpha', usage: { input: 1, output: 10 } }));
    const running = ix.refresh({ paths: [alpha] });
    append(alpha, claudeAssistant({ id: 'msg_a2', ts, cwd: '/home/dev/alpha', usage: { input: 1, output: 20 } }));
    append(beta, claudeAssistant({ id: 'msg_b1', ts, cwd: '/home/dev/beta', usage: { input: 1, output: 30 } }));
    const followA = ix.refresh({ paths: [alpha] });
    const followB = ix.refresh({ paths: [beta] });
    assert.equal(followA, followB, 'one follow-up refresh for both callers');
    await running;
    const f = await followB;
    assert.equal(f.filesScanned, 2, 'the follow-up looked at both reported files, and only at them');
    assert.deepEqual(byKey(db), await fullIndexFacts(roots));
  } finally {
    await ix.dispose();
    db.close();
    cleanup(dir);
  }
});
