/**
 * The year bench gives each generated log the mtime of its newest record (scripts/bench/logTimes.mjs), as an agent's
 * own writes leave it, so the extension's newest-first first index meets the files in a real history's order.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { lastRecordMs, setLogTimes } from '../../../scripts/bench/logTimes.mjs';
import { claudeAssistant } from '../ingest/helpers';

const dir = mkdtempSync(join(tmpdir(), 'agentmeter-logtimes-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('each log gets its newest record\'s time (ISO timestamps, epoch-ms ts), other files keep theirs, once per corpus', () => {
  const claude = join(dir, 'claude', 'projects', '-home-dev-app', 'session.jsonl');
  const cline = join(dir, 'home', 'tasks', '1765000000000', 'ui_messages.json');
  const other = join(dir, 'home', 'tasks', '1765000000000', 'task_metadata.json');
  const manifest = join(dir, 'manifest.json');
  for (const f of [claude, cline]) mkdirSync(join(f, '..'), { recursive: true });
  // the newest record is not the last line (a streaming copy written after a later call's line)
  writeFileSync(claude, `${[
    claudeAssistant({ ts: '2026-06-01T10:00:00.000Z', id: 'msg_1', req: 'req_1', usage: { input: 5, output: 10 } }),
    claudeAssistant({ ts: '2026-06-01T10:05:30.250Z', id: 'msg_2', req: 'req_2', usage: { input: 5, output: 10 } }),
    claudeAssistant({ ts: '2026-06-01T10:04:00.000Z', id: 'msg_3', req: 'req_3', usage: { input: 5, output: 10 } }),
  ].join('\n')}\n`);
  writeFileSync(cline, JSON.stringify([{ ts: 1_765_000_000_000, type: 'say', say: 'task' }, { ts: 1_765_000_123_456, type: 'say', say: 'api_req_started', text: '{}' }]));
  writeFileSync(other, JSON.stringify({ files_in_context: [] }));
  writeFileSync(manifest, JSON.stringify({ created: '2026-12-01T00:00:00.000Z', timestamp: '2026-12-01T00:00:00.000Z' }));
  const untouched = new Date('2026-12-07T04:31:00.000Z');
  for (const f of [other, manifest]) utimesSync(f, untouched, untouched);

  assert.equal(setLogTimes(dir, [dir]), 2);
  assert.equal(statSync(claude).mtimeMs, Date.parse('2026-06-01T10:05:30.250Z'));
  assert.equal(statSync(cline).mtimeMs, 1_765_000_123_456);
  assert.equal(statSync(other).mtimeMs, untouched.getTime(), 'a file without a record time keeps its mtime');
  assert.equal(statSync(manifest).mtimeMs, untouched.getTime(), 'the manifest is not a log');

  // once per corpus: a later run (e.g. after the bench's appends were undone) changes nothing
  utimesSync(claude, untouched, untouched);
  assert.equal(setLogTimes(dir, [join(dir, 'claude')]), 0);
  assert.equal(statSync(claude).mtimeMs, untouched.getTime());
});

test('lastRecordMs: the newest of the record times in a log\'s text, NaN when there is none', () => {
  assert.equal(lastRecordMs('{"timestamp":"2026-01-02T03:04:05.678Z"}\n{"timestamp":"2026-01-01T00:00:00Z"}'), Date.parse('2026-01-02T03:04:05.678Z'));
  assert.equal(lastRecordMs('[{"ts":1765000000000},{"ts": 1765000000999}]'), 1_765_000_000_999);
  assert.ok(Number.isNaN(lastRecordMs('{"files_in_context":[]}')));
});
