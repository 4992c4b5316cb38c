import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { claudeBlockChainStart } from '../../../src/core/query/claudeBlocks';
import { IndexEngine } from '../../../src/app/indexWorker/engine';
import { loadFacts } from '../../../src/core/query/facts';
import { activeBlock, computeBlocks } from '../../../src/core/report/blocks';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { nullLogger } from '../../../src/core/types';
import { claudeAssistant, cleanup, codexSessionMeta, codexTokenCount, codexTurnContext, indexOnce, rootsFor, tmpDir, write } from '../ingest/helpers';

const H = 3_600_000;
const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

/** Claude calls (Sonnet 4.5, 1000 input tokens each) at the given instants, one session file. */
function claudeTree(dir: string, times: number[]): void {
  write(
    join(dir, 'claude', 'projects', '-home-u-app', 'sess.jsonl'),
    times.map((t, i) => claudeAssistant({ id: `msg_${i}`, ts: iso(t), usage: { input: 1000, output: 10 } })).join(''),
  );
}

/** A call every 2 hours from `first` to `last` (an unattended agent: never a 5-hour pause). */
function every2h(first: string, last: string): number[] {
  const out: number[] = [];
  for (let t = ms(first); t <= ms(last); t += 2 * H) out.push(t);
  return out;
}

// The status bar at 12:30 on Mar 10. Calls every 2 h since Mar 8 00:10 (after a pause since Mar 7 10:00): over the
// whole history the blocks start at 00:00, 06:00, 12:00 … (each opened by the first call at or after the previous
// block's end), so the current block started at 12:00 and holds the 12:10 call. Cut from a fixed 48-hour look-back
// (first call Mar 8 14:10) they would start at 14:00, 20:00, 02:00, 08:00 — the current block at 08:00 with three calls.
const NOW = ms('2026-03-10T12:30:00Z');
const CALLS = [ms('2026-03-07T10:00:00Z'), ...every2h('2026-03-08T00:10:00Z', '2026-03-10T12:10:00Z')];

test('the chain start is the start of the block holding the given time, or its bucket between blocks; Codex does not count', async () => {
  const dir = tmpDir();
  try {
    claudeTree(dir, CALLS);
    // a Codex session during the pause must not bridge Claude's gap
    write(
      join(dir, 'codex', 'sessions', '2026', '03', '07', 'rollout-2026-03-07T18-00-00-0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001.jsonl'),
      codexSessionMeta('2026-03-07T18:00:00.000Z', '/w') + codexTurnContext('2026-03-07T18:00:00.000Z', 'gpt-5') +
        codexTokenCount('2026-03-07T18:01:00.000Z', { input: 100, cached: 0, output: 1, reasoning: 0 }),
    );
    const { db } = await indexOnce(rootsFor({ claude: join(dir, 'claude'), codex: join(dir, 'codex') }));
    // Mar 8 12:30 lies in the block the 12:10 call opened at 12:00 (not at 14:00, as a cut from 12:30 would say)
    assert.equal(iso(claudeBlockChainStart(db, NOW - 48 * H)), '2026-03-08T12:00:00.000Z');
    // from inside the pause: no block holds it, its own bucket is where the next chain's facts begin
    assert.equal(iso(claudeBlockChainStart(db, ms('2026-03-07T20:05:00Z'))), '2026-03-07T20:00:00.000Z');
    // after the first call's block had its last entry (10:00), 14:00 is between blocks too
    assert.equal(iso(claudeBlockChainStart(db, ms('2026-03-07T14:00:00Z'))), '2026-03-07T14:00:00.000Z');
    assert.equal(iso(claudeBlockChainStart(db, ms('2026-03-07T10:07:00Z'))), '2026-03-07T10:00:00.000Z');
    // two and a half days without a pause: still the start of the block that holds it, no walk back to a pause
    assert.equal(iso(claudeBlockChainStart(db, NOW - 6 * H)), '2026-03-10T06:00:00.000Z');
    // the blocks cut from the chain start equal the full history's
    const since = claudeBlockChainStart(db, NOW - 48 * H);
    const prices = createPriceTable();
    const full = computeBlocks(loadFacts(db, { source: 'claude' }), { prices, nowMs: NOW });
    const fromChain = computeBlocks(loadFacts(db, { source: 'claude', sinceMs: since }), { prices, nowMs: NOW });
    assert.deepEqual(fromChain, full.filter((b) => b.startMs >= since));
    db.close();
  } finally {
    cleanup(dir);
  }
});

test('the status bar\'s current 5-hour block starts where a full-history cut starts it, also when activity began before the look-back', async () => {
  const dir = tmpDir();
  const engine = new IndexEngine({ wasmPath: '', ingestWorkerScript: '', logger: nullLogger });
  try {
    claudeTree(dir, CALLS);
    await engine.openWritable(join(dir, 'index.sqlite'));
    await engine.startIndexer(rootsFor({ claude: join(dir, 'claude') }));
    await engine.refresh();
    const s = engine.statusSummary({ nowMs: NOW, timeZone: 'UTC', weekStart: 1, billingCycleStartDay: 1, budgets: {}, priceOverrides: {} });
    const expected = activeBlock(computeBlocks(engine.loadFacts({ source: 'claude' }), { prices: createPriceTable(), nowMs: NOW }))!;
    assert.equal(iso(expected.startMs), '2026-03-10T12:00:00.000Z');
    assert.ok(s?.block, 'a block is active');
    assert.equal(iso(s.block.startMs), '2026-03-10T12:00:00.000Z');
    assert.equal(s.block.requests, 1);
    assert.equal(s.block.inputTokens, 1000);
    assert.deepEqual(s.block, expected);
    // the periods are unchanged: today has the calls of Mar 10 (00:10 … 12:10)
    assert.equal(s.today.requests, 7);
  } finally {
    await engine.close();
    cleanup(dir);
  }
});
