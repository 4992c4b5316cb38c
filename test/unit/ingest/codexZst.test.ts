import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listLogFiles, watchTargets } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { loadCounters, loadFacts } from '../../../src/core/query/facts';
import { nullLogger } from '../../../src/core/types';
import * as h from './helpers';

/**
 * Codex compresses rollouts unchanged for 7 days into `<name>.jsonl.zst` and deletes the plain file (openai/codex
 * codex-rs/rollout/src/compression.rs at 3846901e); before, AgentMeter listed `*.jsonl` only, so a compressed
 * rollout it had not read yet (a first index, `report --no-cache`, a week without the editor) was never counted.
 * The fixture is a Codex ≥ 0.145 rollout (`ordinal`, `cache_write_input_tokens`) compressed as Codex does (level 3).
 */
const NAME = 'rollout-2026-11-20T10-00-00-019aa0c1-5d3e-7f21-9c4b-2f6a1e0b7c55';
const FIXTURE = join(__dirname, '../../fixtures/codex-zst', `${NAME}.jsonl`);
// by hand from test/fixtures/build-codex-zst.ts: totals (input, cached, cache writes, output, reasoning)
// (12000, 8000, 2000, 300, 100), (25000, 19000, 3000, 650, 180), (40000, 33000, 3500, 1000, 260), each re-emitted once
// → input 40000 − 33000 − 3500 = 3500, cache read 33000, cache writes 3500, output 1000, reasoning 260, 3 requests
const EXPECTED = { input: 3500, output: 1000, cacheWrite5m: 3500, cacheWrite1h: 0, cacheRead: 33000, reasoning: 260, webSearch: 0, requests: 3 };

function home(): { dir: string; codex: string } {
  const dir = h.tmpDir();
  const codex = join(dir, 'codex');
  mkdirSync(join(codex, 'sessions'), { recursive: true });
  return { dir, codex };
}

function put(codex: string, rel: string, compressed: boolean): string {
  const to = join(codex, rel, `${NAME}.jsonl${compressed ? '.zst' : ''}`);
  mkdirSync(join(codex, rel), { recursive: true });
  copyFileSync(`${FIXTURE}${compressed ? '.zst' : ''}`, to);
  return to;
}

test('Codex: a compressed archived rollout (.jsonl.zst) is listed, watched and counted, with its project, model and session', async () => {
  const { dir, codex } = home();
  put(codex, 'archived_sessions/2026/11/20', true);
  const roots = h.rootsFor({ codex });
  const files = await listLogFiles(roots);
  assert.deepEqual(
    files.map((f) => [f.path.slice(codex.length + 1), f.format, f.session]),
    [[`archived_sessions/2026/11/20/${NAME}.jsonl.zst`, 'jsonl.zst', NAME]],
  );
  assert.equal(watchTargets({ roots: roots.roots }).isLog(files[0].path), true);
  const { db } = await h.indexOnce(roots);
  assert.deepEqual(h.totals(db), EXPECTED);
  const facts = loadFacts(db);
  assert.deepEqual([...new Set(facts.map((f) => `${f.model}|${f.project}|${f.session}|${f.branch}`))], [`gpt-5.5|/home/dev/zeta|${NAME}|feature/zst`]);
  assert.equal(loadCounters(db).duplicateLines, 3); // the three re-emitted snapshots
  h.cleanup(dir);
});

test('Codex: a rollout read while plain, then compressed by Codex, is counted once; a plain sibling hides the .zst', async () => {
  const { dir, codex } = home();
  const plainPath = put(codex, 'sessions/2026/11/20', false);
  const roots = h.rootsFor({ codex });
  const { db, indexer } = await h.indexOnce(roots);
  assert.deepEqual(h.totals(db), EXPECTED);
  // Codex writes the .zst beside it, checks the plain file is unchanged, then deletes it
  put(codex, 'sessions/2026/11/20', true);
  assert.deepEqual((await listLogFiles(roots)).map((f) => f.format), ['jsonl']); // both there: the plain one is read
  rmSync(plainPath);
  await indexer.refresh();
  assert.deepEqual(h.totals(db), EXPECTED);
  assert.equal(loadCounters(db).duplicateLines, 3 + 6); // the compressed copy's 3 events are the plain file's
  // archived as well (same name under archived_sessions/, compressed): the sessions/ copy wins
  put(codex, 'archived_sessions/2026/11/20', true);
  assert.deepEqual((await listLogFiles(roots)).map((f) => f.path.slice(codex.length + 1)), [`sessions/2026/11/20/${NAME}.jsonl.zst`]);
  h.cleanup(dir);
});

test('Codex: a damaged .jsonl.zst is an error of that file, not of the refresh; the other rollouts are counted', async () => {
  const { dir, codex } = home();
  h.write(join(codex, 'archived_sessions/2026/11/19/rollout-2026-11-19T10-00-00-bad.jsonl.zst'), 'not zstd at all\n');
  put(codex, 'sessions/2026/11/20', false);
  const db = await h.freshDb();
  const warnings: string[] = [];
  await new Indexer({ db, roots: h.rootsFor({ codex }), logger: { ...nullLogger, warn: (m) => warnings.push(m) } }).refresh();
  assert.deepEqual(h.totals(db), EXPECTED);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /could not read .*bad\.jsonl\.zst: zstd: not a Zstandard frame/);
  h.cleanup(dir);
});

test('Codex: a compressed rollout parsed by the bundled worker (dist/ingest-worker.js) gives the same totals', async () => {
  const { dir, codex } = home();
  put(codex, 'archived_sessions/2026/11/20', true);
  const db = await h.freshDb();
  const indexer = new Indexer({ db, roots: h.rootsFor({ codex }), workerScript: await h.bundledWorker(), workers: 1 });
  await indexer.refresh();
  await indexer.dispose();
  assert.deepEqual(h.totals(db), EXPECTED);
  h.cleanup(dir);
});
