/**
 * The benchmark's appends to corpus logs are undone from .bench/restore.json. A log whose mtime is a whole second
 * (the year bench sets its append target so) comes back byte for byte with the very same mtime, so an index saved
 * before the append still matches it: the next refresh reads and touches nothing.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import initSqlJs from 'sql.js';
import { rememberForRestore, restoreAppends } from '../../../scripts/bench/restore.mjs';
import { discoverRoots } from '../../../src/core/discovery';
import { Indexer } from '../../../src/core/ingest/indexer';
import { migrate } from '../../../src/core/store/schema';
import { claudeAssistant } from '../ingest/helpers';

const dir = mkdtempSync(join(tmpdir(), 'agentmeter-restore-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an append undone from restore.json leaves the log as it was, mtime included, and the index sees nothing new', async () => {
  const claude = join(dir, 'claude');
  const log = join(claude, 'projects', '-home-dev-app', 'session.jsonl');
  mkdirSync(join(log, '..'), { recursive: true });
  const original = `${claudeAssistant({ ts: '2026-06-01T10:00:00.000Z', id: 'msg_1', req: 'req_1', usage: { input: 5, output: 10 } })}\n`;
  writeFileSync(log, original);
  utimesSync(log, 1_780_000_000, 1_780_000_000); // a whole second, as the year bench sets its append target
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  migrate(db);
  const indexer = new Indexer({ db, roots: discoverRoots({ env: {}, home: '/nonexistent-home', dirs: { claude: [claude], codex: ['none'] } }) });
  assert.equal((await indexer.refresh()).records, 1);
  const before = statSync(log);

  rememberForRestore(dir, [log]);
  appendFileSync(log, `${claudeAssistant({ ts: '2026-06-01T10:01:00.000Z', id: 'msg_2', req: 'req_2', usage: { input: 7, output: 20 } })}\n`);
  assert.notEqual(statSync(log).size, before.size);
  restoreAppends(dir);

  assert.equal(readFileSync(log, 'utf8'), original);
  assert.equal(statSync(log).mtimeMs, before.mtimeMs);
  assert.equal(existsSync(join(dir, 'restore.json')), false);
  const again = await indexer.refresh();
  assert.equal(again.changed, false, 'nothing re-read or touched');
  restoreAppends(dir); // no record: nothing to do
  db.close();
});
