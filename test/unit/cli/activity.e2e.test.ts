import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { claudeAssistant, claudeUser, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, tmpDir, write } from '../ingest/helpers';
import { cli, ensureBuilt, json } from './cliRun';

ensureBuilt();

const toolUse = (id: string, name: string) => ({ type: 'tool_use', id, name, input: {} });

function tree(): { dir: string; args: string[] } {
  const dir = tmpDir();
  write(join(dir, 'claude/projects/-home-u-proj/s1.jsonl'), [
    claudeUser('2026-04-01T10:00:00.000Z'),
    claudeAssistant({ id: 'msg_1', ts: '2026-04-01T10:00:01.000Z', usage: { input: 3, output: 5, cacheRead: 1000 }, content: [{ type: 'text', text: 'Looking.' }] }),
    claudeAssistant({ id: 'msg_1', ts: '2026-04-01T10:00:02.000Z', usage: { input: 3, output: 300, cacheRead: 1000 }, content: [toolUse('toolu_1', 'Edit')] }),
    claudeAssistant({ id: 'msg_2', ts: '2026-04-01T10:05:00.000Z', usage: { input: 4, output: 40, cacheRead: 2000 }, content: [toolUse('toolu_2', 'Bash')] }),
    claudeAssistant({ id: 'msg_3', ts: '2026-04-01T10:06:00.000Z', sidechain: true, usage: { input: 5, output: 50, cacheRead: 100 }, content: [toolUse('toolu_3', 'Grep')] }),
    claudeAssistant({ id: 'msg_4', ts: '2026-04-01T10:07:00.000Z', usage: { input: 6, output: 60, cacheRead: 100 }, content: [{ type: 'text', text: 'Done.' }] }),
  ].join(''));
  const call = JSON.stringify({ timestamp: '2026-04-02T09:00:02.000Z', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{"command":["npm","test"]}', call_id: 'call_1' } }) + '\n';
  write(join(dir, 'codex/sessions/2026/04/02/rollout-2026-04-02T09-00-00-a.jsonl'), [
    codexSessionMeta('2026-04-02T09:00:00.000Z', '/home/u/proj'),
    codexTurnContext('2026-04-02T09:00:01.000Z', 'gpt-5-codex'),
    call,
    codexTokenCount('2026-04-02T09:00:03.000Z', { input: 1000, cached: 400, output: 70, reasoning: 20 }),
  ].join(''));
  return { dir, args: ['report', '--claude-dir', join(dir, 'claude'), '--codex-dir', join(dir, 'codex'), '--timezone', 'UTC', '--no-cache'] };
}

test('--by activity: one row per activity (subagent apart), totals identical to --by day; JSON and CSV carry the activity', async () => {
  const { dir, args } = tree();
  try {
    const byActivity = await json([...args, '--by', 'activity']);
    const byDay = await json([...args, '--by', 'day']);
    assert.equal(byActivity.by, 'activity');
    const rows = Object.fromEntries(byActivity.rows.map((r: { key: string; requests: number; outputTokens: number; source: string | null; activity: string }) => [r.key, [r.requests, r.outputTokens, r.source, r.activity]]));
    assert.deepEqual(rows, {
      coding: [1, 300, null, 'coding'],
      running: [2, 40 + 70, null, 'running'], // Claude's Bash and Codex's shell
      'subagent/exploring': [1, 50, null, 'subagent/exploring'],
      conversation: [1, 60, null, 'conversation'],
    });
    // the same totals; the first and last timestamps are those of the UTC hours (activity is kept per hour)
    const { firstTimestamp, lastTimestamp, ...sums } = byActivity.totals;
    const { firstTimestamp: dayFirst, lastTimestamp: dayLast, ...daySums } = byDay.totals;
    assert.deepEqual(sums, daySums);
    assert.deepEqual([firstTimestamp, lastTimestamp], ['2026-04-01T10:00:00.000Z', '2026-04-02T09:59:59.999Z']);
    assert.deepEqual([dayFirst, dayLast], ['2026-04-01T10:00:01.000Z', '2026-04-02T09:00:03.000Z']);
    const csv = await cli([...args, '--by', 'activity', '--format', 'csv']);
    const [header, ...lines] = csv.stdout.split('\r\n').filter(Boolean);
    const cols = header.split(',');
    assert.equal(cols[cols.length - 1], 'activity');
    assert.deepEqual(lines.map((l) => l.split(',')[cols.indexOf('activity')]).sort(), ['coding', 'conversation', 'running', 'subagent/exploring']);
    const table = await cli([...args, '--by', 'activity']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /Activity/);
    assert.match(table.stdout, /subagent\/exploring/);
    // --source keeps one agent's activities
    const codexOnly = await json([...args, '--by', 'activity', '--source', 'codex']);
    assert.deepEqual(codexOnly.rows.map((r: { key: string; requests: number }) => [r.key, r.requests]), [['running', 1]]);
    // a period: the day of the Codex call only (UTC)
    const day2 = await json([...args, '--by', 'activity', '--since', '2026-04-02', '--until', '2026-04-02', '--timezone', 'UTC']);
    assert.equal(day2.totals.requests, byDay.rows.find((r: { key: string }) => r.key === '2026-04-02')?.requests);
  } finally {
    cleanup(dir);
  }
});
