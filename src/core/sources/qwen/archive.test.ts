/**
 * Qwen Code's archived sessions and sidecars through the whole index (discovery → parse → keyed de-dup → facts).
 * Current Qwen Code moves an archived session's log to `chats/archive/<sessionId>.jsonl` and keeps per-session
 * sidecars beside the logs (QwenLM/qwen-code packages/core/src/services/sessionService.ts @ 011133cd6531f0e132eab5df4db5d1d4dfb3abff:
 * `getArchiveChatsDir` = `chats/archive`, `getPromptLedgerPathForState` = `<id>.ledger.jsonl`, `.worktree.json`,
 * `.pr.json`; storage.ts `<id>.runtime.json`).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { discoverRoots } from '../../discovery';
import { Indexer } from '../../ingest/indexer';
import { loadFacts } from '../../query/facts';
import { migrate } from '../../store/schema';
import { loadSqlJs } from '../../store/sqljs';
import { fixture } from '../gemini/testKit';

const S = '6a1f9c3e-2b4d-4e8a-9c7f-0d1e2f3a4b5c';
const S3 = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function qwenTotals(db: Database): { requests: number; input: number; output: number; cacheRead: number } {
  const t = { requests: 0, input: 0, output: 0, cacheRead: 0 };
  for (const f of loadFacts(db)) {
    if (f.source !== 'qwen') continue;
    t.requests += f.requests;
    t.input += f.input;
    t.output += f.output;
    t.cacheRead += f.cacheRead;
  }
  return t;
}

async function withIndex(fn: (home: string, db: Database) => Promise<void>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'agentmeter-qwen-archive-'));
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  try {
    await fn(home, db);
  } finally {
    db.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function put(dir: string, name: string, data: string | Buffer): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), data);
  return join(dir, name);
}

// fixtures/archive/<S3>.jsonl, summed by hand: two assistant records (qwen3.6-plus)
//   input = (18420 − 16384) + (18702 − 18304) = 2036 + 398; output = 96 + 31 (thoughts inside: total 18516 = 18420 + 96);
//   cache reads = 16384 + 18304
const ARCHIVED = { requests: 2, input: 2036 + 398, output: 96 + 31, cacheRead: 16384 + 18304 };

test('qwen archive: a session already archived (chats/archive/) is counted; the sidecars beside it are not read', () =>
  withIndex(async (home, db) => {
    const ops = join(home, '.qwen', 'projects', '-home-dev-proj-ops', 'chats');
    put(join(ops, 'archive'), `${S3}.jsonl`, fixture(__dirname, `archive/${S3}.jsonl`));
    put(join(ops, 'archive'), `${S3}.ledger.jsonl`, fixture(__dirname, `archive/${S3}.ledger.jsonl`));
    put(ops, `${S3}.runtime.json`, '{"session_id":"x","started_at":1791191520,"work_dir":"/home/dev/proj/ops"}');
    put(ops, `${S3}.worktree.json`, '{}');
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    const r = await ix.refresh();
    assert.deepEqual(qwenTotals(db), ARCHIVED);
    assert.equal(r.malformedLines, 0, 'no sidecar is read as a chat log');
    await ix.dispose();
  }));

test('qwen archive: a session moved to chats/archive/ after it was counted keeps its total, counted once', () =>
  withIndex(async (home, db) => {
    const api = join(home, '.qwen', 'projects', '-home-dev-proj-api', 'chats');
    const active = put(api, `${S}.jsonl`, fixture(__dirname, `${S}.jsonl`));
    const ix = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    await ix.refresh();
    const before = qwenTotals(db);
    assert.ok(before.requests > 0);
    mkdirSync(join(api, 'archive'));
    renameSync(active, join(api, 'archive', `${S}.jsonl`));
    const again = new Indexer({ db, roots: discoverRoots({ env: {}, home }) });
    await again.refresh();
    assert.deepEqual(qwenTotals(db), before);
    await ix.dispose();
    await again.dispose();
  }));
