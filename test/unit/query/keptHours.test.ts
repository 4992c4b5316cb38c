/**
 * The dashboard's kept hourly aggregates (core/query/keptHours.ts) must equal a fresh read of usage_hours and
 * usage_acts after every kind of change: calls appended in new and old hours, a call whose activity changes with no
 * usage changed (a later content-block line of the same call), a retention roll-up, an earlier start asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { loadActivityFacts, type ActivityFilter } from '../../../src/core/query/activityFacts';
import { loadHourFacts } from '../../../src/core/query/aggregates';
import { forgetKeptHours, keptActivityFacts, keptHourFacts } from '../../../src/core/query/keptHours';
import { rollUpUsage } from '../../../src/core/store/retention';
import { append, claudeAssistant, claudeUser, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIRST = Date.parse('2026-03-01T00:00:00Z');
const toolUse = (id: string, name: string) => ({ type: 'tool_use', id, name, input: {} });
const ts = (ms: number) => new Date(ms).toISOString();

/** One Claude call per hour over `hours` hours from `fromMs`, two models, alternating tools. */
function claudeCalls(tag: string, fromMs: number, hours: number): string {
  const lines: string[] = [claudeUser(ts(fromMs), 'go')];
  for (let h = 0; h < hours; h++) {
    const at = fromMs + h * HOUR + 60_000;
    lines.push(claudeAssistant({
      id: `msg_${tag}_${h}`, ts: ts(at), model: h % 3 === 0 ? 'claude-opus-4-1-20250805' : 'claude-sonnet-4-5-20250929',
      usage: { input: 10 + h, output: 100 + h, cacheRead: 1000 * h, cw5m: 50, cw1h: h % 4 ? 0 : 20 },
      content: [h % 2 ? toolUse(`t_${tag}_${h}`, 'Edit') : { type: 'text', text: 'ok' }],
    }));
  }
  return lines.join('');
}

function assertSame(db: Database, what: string): void {
  for (const since of [FIRST - DAY, FIRST + 2 * DAY, FIRST + 20 * DAY]) {
    assert.deepEqual(keptHourFacts(db, since), loadHourFacts(db, { sinceMs: since }), `${what}: hourly facts from ${ts(since)}`);
  }
  const ranges: ActivityFilter[] = [
    { sinceMs: FIRST - DAY }, { sinceMs: FIRST + DAY + 30 * 60_000, untilMs: FIRST + 25 * DAY },
    { sinceMs: FIRST + 20 * DAY, sources: ['claude'] }, { sinceMs: FIRST - DAY, model: 'claude-opus-4-1-20250805' }, { sinceMs: FIRST, sources: ['codex'] },
  ];
  for (const f of ranges) {
    assert.deepEqual(keptActivityFacts(db, { ...f, sinceMs: f.sinceMs! }), loadActivityFacts(db, f), `${what}: activity ${JSON.stringify(f)}`);
  }
}

test('kept hourly and activity rows equal a fresh read after appends, an activity-only change, a roll-up and an earlier start', async () => {
  const dir = tmpDir();
  try {
    const claude = join(dir, 'claude/projects/-home-u-proj');
    const codex = join(dir, 'codex/sessions/2026/03/05/rollout-2026-03-05T09-00-00-0199a213-81c0-7800-8aa1-bbab2a035a53.jsonl');
    write(join(claude, 'old.jsonl'), claudeCalls('old', FIRST + 2 * DAY, 30));
    write(codex, [codexSessionMeta('2026-03-05T09:00:00.000Z', '/home/u/proj'), codexTurnContext('2026-03-05T09:00:01.000Z', 'gpt-5'),
      codexTokenCount('2026-03-05T09:01:00.000Z', { input: 500, cached: 100, output: 40, reasoning: 10 }, { input: 500, cached: 100, output: 40, reasoning: 10 })].join(''));
    const { db, indexer } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }), undefined, FIRST + 40 * DAY);
    assertSame(db, 'first read');
    const unchanged = keptHourFacts(db, FIRST - DAY)[0];

    // a new session 25 days later, then one more call in it (a new hour) and one in an old hour of the old session
    const live = join(claude, 'live.jsonl');
    write(live, claudeCalls('live', FIRST + 25 * DAY, 3));
    await indexer.refresh();
    assertSame(db, 'a new session');
    append(live, claudeAssistant({ id: 'msg_live_9', ts: ts(FIRST + 25 * DAY + 5 * HOUR), usage: { input: 1, output: 2 }, content: [{ type: 'text', text: 'x' }] }));
    append(join(claude, 'old.jsonl'), claudeAssistant({ id: 'msg_late', ts: ts(FIRST + 2 * DAY + 4 * HOUR + 90_000), usage: { input: 7, output: 7 }, content: [{ type: 'text', text: 'late' }] }));
    await indexer.refresh();
    assertSame(db, 'appends in a new and an old hour');
    assert.equal(keptHourFacts(db, FIRST - DAY)[0], unchanged, 'an hour nothing was written to keeps its fact (read once)');

    // the same call's next content-block line names a tool: its activity moves, its usage (a duplicate copy) does not
    const before = db.exec('SELECT count(*), sum(requests) FROM usage')[0].values;
    append(live, claudeAssistant({ id: 'msg_live_9', ts: ts(FIRST + 25 * DAY + 5 * HOUR), usage: { input: 1, output: 2 }, content: [toolUse('t_live_9', 'Bash')] }));
    const acts = loadActivityFacts(db, { sinceMs: FIRST - DAY });
    await indexer.refresh();
    assert.deepEqual(db.exec('SELECT count(*), sum(requests) FROM usage')[0].values, before, 'no usage row changed');
    assert.notDeepEqual(loadActivityFacts(db, { sinceMs: FIRST - DAY }), acts, 'the activity moved');
    assertSame(db, 'an activity-only change');

    // retention rolls the old days into daily rows (their hours rewritten)
    rollUpUsage(db, FIRST + 10 * DAY, 'UTC');
    assertSame(db, 'after a roll-up');

    // inside a transaction nothing is kept (it may roll back), and what was kept is read again after it
    db.run('BEGIN');
    db.run('UPDATE usage_acts SET requests = requests + 5 WHERE hour = (SELECT max(hour) FROM usage_acts)');
    db.run('UPDATE usage_hours SET requests = requests + 5 WHERE hour = (SELECT max(hour) FROM usage_hours)');
    assertSame(db, 'inside a transaction');
    db.run('ROLLBACK');
    assertSame(db, 'after a rolled-back transaction');
    append(live, claudeAssistant({ id: 'msg_live_10', ts: ts(FIRST + 25 * DAY + 6 * HOUR), usage: { input: 3, output: 3 } }));
    await indexer.refresh();
    assertSame(db, 'after the last append');

    // an earlier start than kept reads again; forgetting reads again
    assert.deepEqual(keptHourFacts(db, FIRST - 40 * DAY), loadHourFacts(db, { sinceMs: FIRST - 40 * DAY }));
    forgetKeptHours(db);
    assertSame(db, 'after forgetting');
  } finally {
    cleanup(dir);
  }
});
