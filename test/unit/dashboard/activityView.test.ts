/**
 * The dashboard's cost by activity (app/dashboard/activityView.ts) on Claude Code and Codex logs in their real formats:
 * the range, source and model filters apply (by UTC hour); a project filter hides it; the rows sum to the range's
 * totals of the 15-minute facts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { activityView } from '../../../src/app/dashboard/activityView';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { DEFAULT_FILTERS, type DashboardFilters } from '../../../src/shared/protocol';
import type { Fact } from '../../../src/core/types';
import {
  claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, totals, write,
} from '../ingest/helpers';

const toolUse = (id: string, name: string, input: unknown = {}) => ({ type: 'tool_use', id, name, input });
const fnCall = (ts: string, name: string) =>
  `${JSON.stringify({ timestamp: ts, type: 'response_item', payload: { type: 'function_call', name, arguments: '{}', call_id: `call_${ts}` } })}\n`;

async function indexed() {
  const dir = tmpDir();
  write(join(dir, 'c/projects/-home-u-proj/s1.jsonl'), [
    // 2026-04-01: an edit on Sonnet (coding), a Task(Explore) on Opus (delegating to Explore)
    claudeAssistant({ id: 'msg_1', ts: '2026-04-01T10:00:01.000Z', usage: { input: 100_000, output: 100 }, content: [toolUse('t1', 'Edit', { file_path: 'a.ts', old_string: 'a', new_string: 'b' })] }),
    claudeAssistant({ id: 'msg_2', ts: '2026-04-01T10:20:00.000Z', model: 'claude-opus-4-6', usage: { input: 10, output: 20 }, content: [toolUse('t2', 'Task', { description: 'd', prompt: 'p', subagent_type: 'Explore' })] }),
    // 2026-04-03: text only (conversation)
    claudeAssistant({ id: 'msg_3', ts: '2026-04-03T08:00:00.000Z', usage: { input: 5, output: 7 }, content: [{ type: 'text', text: 'Done.' }] }),
  ].join(''));
  write(join(dir, 'x/sessions/2026/04/01/rollout-2026-04-01T09-00-00-a.jsonl'), [
    codexSessionMeta('2026-04-01T09:00:00.000Z', '/home/u/app'),
    codexTurnContext('2026-04-01T09:00:01.000Z', 'gpt-5-codex'),
    fnCall('2026-04-01T09:00:02.000Z', 'shell'),
    codexTokenCount('2026-04-01T09:00:03.000Z', { input: 1000, cached: 0, output: 10, reasoning: 0 }),
  ].join(''));
  const { db } = await indexOnce(rootsFor({ claude: join(dir, 'c'), codex: join(dir, 'x') }), undefined, Date.parse('2026-04-05T00:00:00Z'));
  return { dir, db };
}

const q = (filters: Partial<DashboardFilters>, fromDay = '2026-03-30', toDay = '2026-04-04') => ({
  filters: { ...DEFAULT_FILTERS, ...filters }, fromDay, toDay, timeZone: 'UTC', prices: createPriceTable(),
});

test('cost by activity on the dashboard: most expensive first, filtered by range, agent and model; the rows sum to the range', async () => {
  const { dir, db } = await indexed();
  try {
    const all = activityView(db, q({}));
    assert.equal(all.hiddenByProject, false);
    assert.equal(all.hasUnknown, false);
    assert.deepEqual(all.rows.map((r) => [r.activity, r.requests, r.subagent]), [
      ['coding', 1, false], // 100k Sonnet input: $0.30
      ['running', 1, false],
      ['delegating:Explore', 1, false],
      ['conversation', 1, false],
    ]);
    assert.ok(Math.abs(all.rows[0].costUSD - (0.3 + 100 * 15 / 1e6)) < 1e-9, String(all.rows[0].costUSD));
    const t = totals(db);
    assert.deepEqual([all.rows.reduce((n, r) => n + r.tokens, 0), all.rows.reduce((n, r) => n + r.requests, 0)],
      [t.input + t.output + t.cacheRead + t.cacheWrite5m + t.cacheWrite1h, t.requests]);
    // the agent filter, the model filter, a range of one day
    assert.deepEqual(activityView(db, q({ source: 'codex' })).rows.map((r) => r.activity), ['running']);
    assert.deepEqual(activityView(db, q({ model: 'claude-opus-4-6' })).rows.map((r) => r.activity), ['delegating:Explore']);
    assert.deepEqual(activityView(db, q({}, '2026-04-03', '2026-04-03')).rows.map((r) => r.activity), ['conversation']);
    // a project filter: activity is not kept per project
    assert.deepEqual(activityView(db, q({ project: '-home-u-proj' })), { rows: [], hiddenByProject: true, hasUnknown: false });
  } finally {
    cleanup(dir);
  }
});

test('usage indexed before activity was recorded shows as unknown (the migration backfills usage_hours as unknown)', async () => {
  const { dir, db } = await indexed();
  try {
    db.run("UPDATE usage_acts SET act = 0 WHERE act IN (SELECT id FROM act_keys WHERE name = 'conversation')");
    const v = activityView(db, q({}));
    assert.equal(v.hasUnknown, true);
    assert.ok(v.rows.some((r) => r.activity === ''));
  } finally {
    cleanup(dir);
  }
});

test('the same activity facts in another order (an index that read the same logs in another order) give the same view, to the last bit', async () => {
  const { activityViewOf } = await import('../../../src/app/dashboard/activityView');
  const { factAt } = await import('../factAt');
  // (report rows price and sum each (model, tier) part by name: core report/rows.ts)
  // one activity over many hours and models: its cost is a sum of many per-fact costs, whose order changes the last bits
  const facts: Fact[] = [];
  const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-6', 'claude-haiku-4-5-20251001', 'claude-3-7-sonnet-20250219', 'claude-opus-4-1-20250805', 'claude-3-5-haiku-20241022', 'claude-fable-5', 'claude-opus-4-5'];
  for (let k = 0; k < 40; k++) {
    const model = models[k % models.length];
    const tokens = { input: 1_000 + 74 * k, output: 26 * k + 7, cacheRead: 9_001 * k, cacheWrite5m: 333 * k };
    facts.push({ ...factAt(`2026-04-01T${String(k % 24).padStart(2, '0')}:00:00Z`, tokens, { model, session: '', project: '' }), activity: k % 2 ? 'coding' : 'exploring' });
  }
  const view = (fs: typeof facts) => activityViewOf(fs, q({}));
  const a = view(facts);
  const b = view([...facts].reverse());
  const c = view([...facts.slice(17), ...facts.slice(0, 17)]);
  assert.ok(a.rows.length === 2 && a.rows.every((r) => r.costUSD > 0));
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
});
