import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from 'sql.js';
import { readTeamPushState, takeTeamDirty, TEAM_DIRTY_KEY, writeTeamPushState } from '../../../src/core/store/teamWatermark';
import { claudeAssistant, cleanup, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';

const dirty = (db: Database) => db.exec('SELECT value FROM meta WHERE key = ?', [TEAM_DIRTY_KEY])[0]?.values[0]?.[0] ?? null;

test('usage writes lower the team watermark to the oldest bucket they touched; taking it hands it to every known target', async () => {
  const dir = tmpDir();
  try {
    const file = join(dir, 'c/projects/p/s.jsonl');
    write(file, claudeAssistant({ id: 'a', ts: '2026-10-01T10:20:00Z', usage: { input: 1, output: 2 } }));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'c') }));
    assert.equal(Number(dirty(db)), Date.parse('2026-10-01T10:15:00Z'));
    writeTeamPushState(db, 't1', { dirtyFrom: null, lastPushMs: 5 });
    writeTeamPushState(db, 't2', { dirtyFrom: Date.parse('2026-09-01T00:00:00Z'), lastPushMs: 6 });
    takeTeamDirty(db);
    assert.equal(dirty(db), null);
    assert.deepEqual(readTeamPushState(db, 't1'), { dirtyFrom: Date.parse('2026-10-01T10:15:00Z'), lastPushMs: 5 });
    assert.deepEqual(readTeamPushState(db, 't2'), { dirtyFrom: Date.parse('2026-09-01T00:00:00Z'), lastPushMs: 6 }, 'the lower one kept');
    assert.equal(readTeamPushState(db, 'never'), null);
    // a later write of an older bucket (another file, an older call) lowers it again; a newer one does not raise it
    write(join(dir, 'c/projects/p/t.jsonl'),
      claudeAssistant({ id: 'b', ts: '2026-08-03T01:00:00Z', usage: { input: 1, output: 2 } }) +
      claudeAssistant({ id: 'c', ts: '2026-11-03T01:00:00Z', usage: { input: 1, output: 2 } }));
    await indexOnce(rootsFor({ claude: join(dir, 'c') }), db);
    assert.equal(Number(dirty(db)), Date.parse('2026-08-03T01:00:00Z'));
  } finally {
    cleanup(dir);
  }
});

test('an unreadable push state reads as never pushed (everything is sent again, which a push makes harmless)', async () => {
  const { db } = await indexOnce(rootsFor({}));
  db.run(`INSERT INTO meta (key, value) VALUES ('teamPush:x', '{not json')`);
  assert.equal(readTeamPushState(db, 'x'), null);
});

test('an activity change without a usage change (a later content block of a call names a tool) lowers the watermark to its bucket', async () => {
  const dir = tmpDir();
  try {
    const file = join(dir, 'c/projects/p/s.jsonl');
    const usage = { input: 10, output: 20, cacheRead: 300 };
    // a call of yesterday (older calls are compacted: their copies are counted as seen); each line its own timestamp
    // (and so its own uuid), as Claude Code writes them
    const hour = Math.floor((Date.now() - 86_400_000) / 3_600_000) * 3_600_000;
    const at = (ms: number) => new Date(hour + ms).toISOString();
    const line = (content: unknown[], ts = at(20 * 60_000)) => claudeAssistant({ id: 'msg_a', ts, usage, content });
    write(file, line([{ type: 'text', text: 'Let me edit it.' }]));
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'c') }));
    writeTeamPushState(db, 't', { dirtyFrom: null, lastPushMs: 5 });
    takeTeamDirty(db);
    const usageBefore = db.exec('SELECT * FROM usage');
    // Claude Code writes one line per content block, each with the call's usage: the tool_use block comes later
    write(file, line([{ type: 'text', text: 'Let me edit it.' }]) + line([{ type: 'tool_use', id: 'toolu_1', name: 'Edit', input: { file_path: '/a' } }], at(20 * 60_000 + 1000)));
    await indexOnce(rootsFor({ claude: join(dir, 'c') }), db);
    assert.deepEqual(db.exec('SELECT * FROM usage'), usageBefore, 'the usage rows are unchanged');
    assert.deepEqual(db.exec(`SELECT a.name FROM usage_acts u JOIN act_keys a ON a.id = u.act`)[0]?.values, [['coding']], 'the activity moved');
    assert.equal(Number(dirty(db)), hour + 15 * 60_000, 'the push sends its bucket (widened to its hour) again');
  } finally {
    cleanup(dir);
  }
});
