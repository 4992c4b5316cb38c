import { test } from 'node:test';
import assert from 'node:assert/strict';
import { databasesFirst } from '../../../src/core/ingest/indexer';
import { sourceDef } from '../../../src/core/sources/registry';

/** Jobs as a listing of every source gives them: the paths, with what reads them. */
const listing = [
  { source: 'claude', format: 'claude', path: '/h/.claude/projects/p/a.jsonl' },
  { source: 'gemini', format: 'jsonl', path: '/h/.gemini/tmp/p/chats/session-1.jsonl' },
  { source: 'opencode', format: 'db', path: '/h/.local/share/opencode/opencode.db' },
  { source: 'opencode', format: 'message', path: '/h/.local/share/opencode/storage/message/ses_1/msg_1.json' },
  { source: 'opencode', format: 'db', path: '/h/.local/share/kilo/kilo.db' },
  { source: 'opencode', format: 'message', path: '/h/.local/share/kilo/storage/message/ses_2/msg_2.json' },
  { source: 'codex', format: 'codex', path: '/h/.codex/sessions/2026/04/01/rollout-1.jsonl' },
];

test('databases are read first (before the index and the parse results grow), every other job in its order', () => {
  const jobs = listing.map((file) => ({ file }));
  databasesFirst(jobs, (j) => sourceDef(j.file.source).isDatabase(j.file.format));
  assert.deepEqual(jobs.map((j) => j.file.path), [
    '/h/.local/share/opencode/opencode.db',
    '/h/.local/share/kilo/kilo.db',
    '/h/.claude/projects/p/a.jsonl',
    '/h/.gemini/tmp/p/chats/session-1.jsonl',
    '/h/.local/share/opencode/storage/message/ses_1/msg_1.json',
    '/h/.local/share/kilo/storage/message/ses_2/msg_2.json',
    '/h/.codex/sessions/2026/04/01/rollout-1.jsonl',
  ]);
  const none = listing.filter((f) => f.format !== 'db').map((file) => ({ file }));
  const before = [...none];
  databasesFirst(none, (j) => sourceDef(j.file.source).isDatabase(j.file.format));
  assert.deepEqual(none, before, 'no database: the order as it was');
});

test('today\'s logs picked by `ahead` go before the databases, except a database source\'s own; the count is returned', () => {
  const isDb = (j: { file: { source: string; format: string } }) => sourceDef(j.file.source).isDatabase(j.file.format);
  const today = new Set(['/h/.claude/projects/p/a.jsonl', '/h/.local/share/opencode/storage/message/ses_1/msg_1.json', '/h/.codex/sessions/2026/04/01/rollout-1.jsonl']);
  const jobs = listing.map((file) => ({ file }));
  const ahead = databasesFirst(jobs, isDb, (j) => today.has(j.file.path), (j) => j.file.source);
  assert.equal(ahead, 2);
  assert.deepEqual(jobs.map((j) => j.file.path), [
    '/h/.claude/projects/p/a.jsonl',
    '/h/.codex/sessions/2026/04/01/rollout-1.jsonl',
    '/h/.local/share/opencode/opencode.db',
    '/h/.local/share/kilo/kilo.db',
    '/h/.gemini/tmp/p/chats/session-1.jsonl',
    // OpenCode's own message file of today stays after its databases
    '/h/.local/share/opencode/storage/message/ses_1/msg_1.json',
    '/h/.local/share/kilo/storage/message/ses_2/msg_2.json',
  ]);
  const none = listing.filter((f) => f.format !== 'db').map((file) => ({ file }));
  const before = [...none];
  assert.equal(databasesFirst(none, isDb, (j) => today.has(j.file.path), (j) => j.file.source), 0, 'no database: nothing goes ahead');
  assert.deepEqual(none, before);
});
