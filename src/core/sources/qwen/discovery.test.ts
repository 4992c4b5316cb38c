import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fixture } from '../gemini/testKit';
import { isQwenLog, qwenDiscovery } from './discovery';

const S = '6a1f9c3e-2b4d-4e8a-9c7f-0d1e2f3a4b5c';
const S2 = '0e1d2c3b-4a59-4687-9f8e-7d6c5b4a3928';
const S3 = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const HASH = 'a3f1e2d4c5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978';

function put(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/** A Qwen folder laid out as Qwen Code lays it out (storage.ts getProjectDir / getProjectTempDir). */
function qwenDir(q: string): string {
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S}.jsonl`), fixture(__dirname, `${S}.jsonl`));
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S2}.jsonl`), fixture(__dirname, `${S2}.jsonl`));
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', 'notes.txt'), 'x');
  // current builds: an archived session's log moves to chats/archive/; sidecars sit beside the logs
  // (QwenLM/qwen-code packages/core/src/services/sessionService.ts @ 011133cd `getArchiveChatsDir`,
  // `getPromptLedgerPathForState`, `getWorktreeSessionPathForState`, `getPrSessionPathForState`; storage.ts runtime status)
  put(join(q, 'projects', '-home-dev-proj-ops', 'chats', 'archive', `${S3}.jsonl`), fixture(__dirname, `archive/${S3}.jsonl`));
  put(join(q, 'projects', '-home-dev-proj-ops', 'chats', 'archive', `${S3}.ledger.jsonl`), fixture(__dirname, `archive/${S3}.ledger.jsonl`));
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S}.ledger.jsonl`), fixture(__dirname, `archive/${S3}.ledger.jsonl`));
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S}.runtime.json`), '{"session_id":"x","started_at":1775550600,"work_dir":"/home/dev/proj/api"}');
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S}.worktree.json`), '{}');
  put(join(q, 'projects', '-home-dev-proj-api', 'chats', `${S}.pr.json`), '[]');
  put(join(q, 'tmp', HASH, 'chats', 'session-2025-08-12T09-00-2b3c4d5e.json'), fixture(__dirname, 'session-2025-08-12T09-00-2b3c4d5e.json'));
  put(join(q, 'tmp', HASH, 'shell_history'), 'ls\n');
  put(join(q, 'settings.json'), '{}');
  return q;
}

function withHome(fn: (home: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const home = mkdtempSync(join(tmpdir(), 'agentmeter-qwen-'));
    try {
      await fn(home);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
}

test('qwen discovery: ~/.qwen/projects and ~/.qwen/tmp by default; each chat log with its folder, session and format', withHome(async (home) => {
  const q = qwenDir(join(home, '.qwen'));
  const d = qwenDiscovery.roots({ env: {}, home });
  assert.deepEqual(d.roots, [join(q, 'projects'), join(q, 'tmp')]);
  assert.deepEqual(d.searched, [join(q, 'projects'), join(q, 'tmp')]);
  const files = (await Promise.all(d.roots.map((r) => qwenDiscovery.list(r)))).flat();
  assert.deepEqual(files.map((f) => ({ ...f, path: f.path.slice(q.length + 1) })), [
    { path: `projects/-home-dev-proj-api/chats/${S2}.jsonl`, project: '-home-dev-proj-api', session: S2, format: 'jsonl' },
    { path: `projects/-home-dev-proj-api/chats/${S}.jsonl`, project: '-home-dev-proj-api', session: S, format: 'jsonl' },
    { path: `projects/-home-dev-proj-ops/chats/archive/${S3}.jsonl`, project: '-home-dev-proj-ops', session: S3, format: 'jsonl' },
    { path: `tmp/${HASH}/chats/session-2025-08-12T09-00-2b3c4d5e.json`, project: HASH, session: 'session-2025-08-12T09-00-2b3c4d5e', format: 'json' },
  ]);
  for (const f of files) assert.equal(isQwenLog(f.path), true, f.path);
  const chats = join(q, 'projects', '-home-dev-proj-api', 'chats');
  const sidecars = [`${S}.ledger.jsonl`, `${S}.runtime.json`, `${S}.worktree.json`, `${S}.pr.json`].map((n) => join(chats, n));
  sidecars.push(join(q, 'projects', '-home-dev-proj-ops', 'chats', 'archive', `${S3}.ledger.jsonl`));
  for (const other of [join(q, 'settings.json'), join(q, 'tmp', HASH, 'shell_history'), join(chats, 'notes.txt'), ...sidecars]) {
    assert.equal(isQwenLog(other), false, other);
  }
}));

test('qwen discovery: QWEN_RUNTIME_DIR wins over QWEN_HOME, which wins over ~/.qwen', withHome(async (home) => {
  qwenDir(join(home, '.qwen'));
  const qh = qwenDir(join(home, 'qwen-home'));
  const rt = join(home, 'runtime');
  put(join(rt, 'projects', 'p', 'chats', 'x.jsonl'), '');
  assert.deepEqual(qwenDiscovery.roots({ env: { QWEN_HOME: qh }, home }).roots, [join(qh, 'projects'), join(qh, 'tmp')]);
  const both = qwenDiscovery.roots({ env: { QWEN_HOME: qh, QWEN_RUNTIME_DIR: rt }, home });
  assert.deepEqual(both.roots, [join(rt, 'projects')]);
  assert.deepEqual(both.searched, [join(rt, 'projects'), join(rt, 'tmp')]);
  assert.deepEqual(qwenDiscovery.roots({ env: { QWEN_HOME: '~/qwen-home' }, home }).roots, [join(qh, 'projects'), join(qh, 'tmp')]);
}));

test('qwen discovery: explicit dirs (~/.qwen, or its projects/ or tmp/) override the environment; none disables; a missing dir is a note', withHome(async (home) => {
  const q = qwenDir(join(home, '.qwen'));
  const env = { QWEN_RUNTIME_DIR: join(home, 'nowhere') };
  assert.deepEqual(qwenDiscovery.roots({ env, home, dirs: ['~/.qwen'] }).roots, [join(q, 'projects'), join(q, 'tmp')]);
  assert.deepEqual(qwenDiscovery.roots({ env, home, dirs: [join(q, 'projects')] }).roots, [join(q, 'projects')]);
  assert.deepEqual(qwenDiscovery.roots({ env, home, dirs: ['none'] }), { roots: [], searched: [], notes: [] });
  const missing = qwenDiscovery.roots({ env: {}, home, dirs: [join(home, 'missing')] });
  assert.deepEqual(missing.roots, []);
  assert.equal(missing.notes.length, 1);
  assert.match(missing.notes[0], /Qwen Code: skipped .*missing/);
  const none = qwenDiscovery.roots({ env: {}, home: join(home, 'empty') });
  assert.deepEqual(none.roots, []);
  assert.deepEqual(none.searched, [join(home, 'empty', '.qwen', 'projects'), join(home, 'empty', '.qwen', 'tmp')]);
}));
