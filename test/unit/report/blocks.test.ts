import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blocksStartingIn, computeBlocks, computeBlocksPerSource, activeBlock } from '../../../src/core/report/blocks';
import { createPriceTable } from '../../../src/core/pricing/priceTable';
import { fact } from './facts';

const prices = createPriceTable();
const ms = (iso: string) => Date.parse(iso);
const H = 3_600_000;

test('a block starts at the first entry floored to the hour and ends 5 h later', () => {
  const blocks = computeBlocks([fact('2026-03-01T10:40:00Z', { input: 100 }), fact('2026-03-01T12:10:00Z', { input: 50 })], {
    prices,
    nowMs: ms('2026-03-02T00:00:00Z'),
  });
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].startMs, ms('2026-03-01T10:00:00Z'));
  assert.equal(blocks[0].endMs, ms('2026-03-01T15:00:00Z'));
  assert.equal(blocks[0].actualEndMs, ms('2026-03-01T12:10:00Z'));
  assert.equal(blocks[0].key, '2026-03-01T10:00:00.000Z');
  assert.equal(blocks[0].inputTokens, 150);
  assert.equal(blocks[0].isActive, false);
  assert.equal(blocks[0].projection, null);
});

test('an entry at or after the block end (start + 5 h) opens a new block without a gap', () => {
  const blocks = computeBlocks(
    [
      fact('2026-03-01T10:40:00Z'),
      fact('2026-03-01T13:00:00Z'),
      fact('2026-03-01T14:59:59.999Z'), // the last millisecond of the block
      fact('2026-03-01T15:05:00Z'), // after the end: new block at 15:00
    ],
    { prices, nowMs: ms('2026-03-03T00:00:00Z') },
  );
  assert.deepEqual(blocks.map((b) => [b.key, b.requests, b.isGap]), [
    ['2026-03-01T10:00:00.000Z', 3, false],
    ['2026-03-01T15:00:00.000Z', 1, false],
  ]);
});

test('the block boundary is decided per 15-minute bucket: a bucket starting at the block end opens the next block', () => {
  // As the indexer stores them: the calls at 15:00:00.000 (input 4) and 15:05 (input 8) of one session and model are
  // one fact of the 15:00 bucket (first 15:00:00.000, last 15:05). The block 10:00–15:00 must not take the 15:05
  // call (its last entry would lie after its end); both go to the block that starts at 15:00. ccusage, deciding per
  // entry with `>`, would keep the call at exactly 15:00:00.000 in the first block — the only difference.
  const facts = [
    fact('2026-04-01T10:15:00.000Z', { input: 1 }),
    fact('2026-04-01T12:00:00.000Z', { input: 2 }),
    fact('2026-04-01T15:00:00.000Z', { input: 12, requests: 2, lastMs: ms('2026-04-01T15:05:00.000Z') }),
  ];
  const blocks = computeBlocks(facts, { prices, nowMs: ms('2026-04-03T00:00:00Z') });
  assert.deepEqual(
    blocks.map((b) => [b.key, b.inputTokens, b.requests, new Date(b.actualEndMs!).toISOString(), new Date(b.endMs).toISOString()]),
    [
      ['2026-04-01T10:00:00.000Z', 3, 2, '2026-04-01T12:00:00.000Z', '2026-04-01T15:00:00.000Z'],
      ['2026-04-01T15:00:00.000Z', 12, 2, '2026-04-01T15:05:00.000Z', '2026-04-01T20:00:00.000Z'],
    ],
  );
  for (const b of blocks) assert.ok(b.actualEndMs! < b.endMs, `${b.key}: last entry before the block end`);
  // an entry alone at exactly start + 5 h:00.000 opens the next block too (ccusage: stays in the first one)
  const exact = computeBlocks([fact('2026-04-01T10:15:00Z'), fact('2026-04-01T15:00:00.000Z')], { prices, nowMs: ms('2026-04-03T00:00:00Z') });
  assert.deepEqual(exact.map((b) => [b.key, b.requests, b.isGap]), [
    ['2026-04-01T10:00:00.000Z', 1, false],
    ['2026-04-01T15:00:00.000Z', 1, false],
  ]);
});

test('gap rule: more than 5 h after the previous entry, checked with the bucket\'s earliest entry; a gap always opens a block', () => {
  const now = ms('2026-04-03T00:00:00Z');
  // exactly 5 h after the previous entry: no gap block, but a new block (the bucket starts after the block end)
  const five = computeBlocks([fact('2026-04-01T10:20:00Z'), fact('2026-04-01T15:20:00.000Z')], { prices, nowMs: now });
  assert.deepEqual(five.map((b) => [b.key, b.isGap]), [['2026-04-01T10:00:00.000Z', false], ['2026-04-01T15:00:00.000Z', false]]);
  // one millisecond more: a gap block from last entry + 5 h to the next entry. Another dims tuple in the same bucket
  // (a second session, first entry later in the bucket) joins the new block and opens no second gap.
  const gap = computeBlocks(
    [
      fact('2026-04-01T10:20:00Z'),
      fact('2026-04-01T15:20:00.001Z', { lastMs: ms('2026-04-01T15:29:00Z') }),
      fact('2026-04-01T15:22:00Z', { session: 's2' }),
    ],
    { prices, nowMs: now },
  );
  assert.deepEqual(gap.map((b) => [new Date(b.startMs).toISOString(), new Date(b.endMs).toISOString(), b.isGap, b.requests]), [
    ['2026-04-01T10:00:00.000Z', '2026-04-01T15:00:00.000Z', false, 1],
    ['2026-04-01T15:20:00.000Z', '2026-04-01T15:20:00.001Z', true, 0],
    ['2026-04-01T15:00:00.000Z', '2026-04-01T20:00:00.000Z', false, 2],
  ]);
});

test('a date range selects blocks cut on all entries by their start: the window and usage never depend on the range', () => {
  // 22:30, 23:30, 00:30, 01:30 UTC: one block 22:00 → 03:00 holding all 15 input tokens
  const facts = [
    fact('2026-04-01T22:30:00Z', { input: 1 }),
    fact('2026-04-01T23:30:00Z', { input: 2 }),
    fact('2026-04-02T00:30:00Z', { input: 4 }),
    fact('2026-04-02T01:30:00Z', { input: 8 }),
    fact('2026-04-02T09:10:00Z', { input: 16 }), // after a gap: block 09:00, gap 06:30 → 09:10
  ];
  const all = computeBlocks(facts, { prices, nowMs: ms('2026-04-05T00:00:00Z') });
  const day = (d: string) => [ms(`${d}T00:00:00Z`), ms(`${d}T00:00:00Z`) + 24 * H] as const;
  const shown = (bs: typeof all) => bs.map((b) => [new Date(b.startMs).toISOString(), b.isGap, b.inputTokens]);
  assert.deepEqual(shown(blocksStartingIn(all, ...day('2026-04-01'))), [['2026-04-01T22:00:00.000Z', false, 15]]);
  assert.deepEqual(shown(blocksStartingIn(all, day('2026-04-02')[0])), [
    ['2026-04-02T06:30:00.000Z', true, 0],
    ['2026-04-02T09:00:00.000Z', false, 16],
  ]);
  assert.deepEqual(shown(blocksStartingIn(all, undefined, day('2026-04-01')[0])), []);
  assert.equal(blocksStartingIn(all).length, all.length);
});

test('an idle stretch over 5 h yields a gap block from last entry + 5 h to the next entry', () => {
  const blocks = computeBlocks([fact('2026-03-01T10:20:00Z'), fact('2026-03-01T18:30:00Z')], { prices, nowMs: ms('2026-03-03T00:00:00Z') });
  assert.equal(blocks.length, 3);
  assert.equal(blocks[1].isGap, true);
  assert.equal(blocks[1].startMs, ms('2026-03-01T15:20:00Z'));
  assert.equal(blocks[1].endMs, ms('2026-03-01T18:30:00Z'));
  assert.equal(blocks[1].totalTokens, 0);
  assert.equal(blocks[1].costUSD, 0);
  assert.equal(blocks[2].startMs, ms('2026-03-01T18:00:00Z'));
});

test('active block: burn rate over the active span and projection to the block end', () => {
  // Sonnet 4.5: 10:00 input 1000 output 1000 (3000+15000=$0.018); 11:00 same → $0.036 total, 4000 tokens in 60 min
  const facts = [fact('2026-03-01T10:00:00Z', { input: 1000, output: 1000 }), fact('2026-03-01T11:00:00Z', { input: 1000, output: 1000 })];
  const now = ms('2026-03-01T12:00:00Z');
  const blocks = computeBlocks(facts, { prices, nowMs: now });
  const b = activeBlock(blocks)!;
  assert.ok(b.isActive);
  assert.equal(b.burnRate!.tokensPerMinute, 4000 / 60);
  assert.ok(Math.abs(b.burnRate!.costPerHour! - 0.036) < 1e-12);
  // 180 minutes remain: 4000 + 180 × 66.67 = 16000 tokens; $0.036 + 3 h × $0.036 = $0.144
  assert.equal(b.projection!.remainingMinutes, 180);
  assert.equal(b.projection!.totalTokens, 16_000);
  assert.ok(Math.abs(b.projection!.costUSD! - 0.144) < 1e-12);
  // after the block end it is no longer active
  assert.equal(computeBlocks(facts, { prices, nowMs: ms('2026-03-01T15:00:00Z') })[0].isActive, false);
});

test('a single-entry block has no burn rate; unpriced usage gives a null cost rate', () => {
  const one = computeBlocks([fact('2026-03-01T10:00:00Z', { input: 5 })], { prices, nowMs: ms('2026-03-01T10:30:00Z') });
  assert.equal(one[0].isActive, true);
  assert.equal(one[0].burnRate, null);
  assert.equal(one[0].projection, null);
  const unpriced = computeBlocks(
    [fact('2026-03-01T10:00:00Z', { model: 'claude-opus-9', input: 60 }), fact('2026-03-01T10:30:00Z', { model: 'claude-opus-9', input: 60 })],
    { prices, nowMs: ms('2026-03-01T11:00:00Z') },
  );
  assert.equal(unpriced[0].costUSD, null);
  assert.equal(unpriced[0].burnRate!.tokensPerMinute, 4);
  assert.equal(unpriced[0].burnRate!.costPerHour, null);
  assert.equal(unpriced[0].projection!.costUSD, null);
  assert.equal(unpriced[0].projection!.totalTokens, 120 + 4 * 240);
});

test('facts are sorted by time and limit resets attach to their block', () => {
  const facts = [fact('2026-03-01T18:30:00Z'), fact('2026-03-01T10:20:00Z', { lastMs: ms('2026-03-01T10:29:00Z') })];
  const blocks = computeBlocks(facts, {
    prices,
    nowMs: ms('2026-03-03T00:00:00Z'),
    limitResets: [{ observedMs: ms('2026-03-01T10:25:00Z'), resetMs: ms('2026-03-01T15:00:00Z') }],
  });
  assert.equal(blocks[0].usageLimitResetMs, ms('2026-03-01T15:00:00Z'));
  assert.equal(blocks[0].actualEndMs, ms('2026-03-01T10:29:00Z'));
  assert.equal(blocks[1].startMs, ms('2026-03-01T10:29:00Z') + 5 * H); // gap from the last entry
  assert.equal(blocks[2].usageLimitResetMs, null);
  assert.equal(computeBlocks([], { prices }).length, 0);
});

test('per source: Claude and Codex windows never merge; limit resets are Claude\'s', () => {
  const facts = [
    fact('2026-03-01T10:20:00Z'),
    fact('2026-03-01T12:00:00Z', { source: 'codex', model: 'gpt-5' }),
    fact('2026-03-01T14:30:00Z', { source: 'codex', model: 'gpt-5' }),
    fact('2026-03-01T17:05:00Z', { source: 'codex', model: 'gpt-5' }), // > 5 h after the codex block start
  ];
  const resets = [{ observedMs: ms('2026-03-01T12:05:00Z'), resetMs: ms('2026-03-01T15:00:00Z') }];
  const blocks = computeBlocksPerSource(facts, { prices, nowMs: ms('2026-03-03T00:00:00Z'), limitResets: resets });
  assert.deepEqual(blocks.map((b) => [b.key, b.source, b.requests, b.usageLimitResetMs]), [
    ['2026-03-01T10:00:00.000Z', 'claude', 1, ms('2026-03-01T15:00:00Z')],
    ['2026-03-01T12:00:00.000Z', 'codex', 2, null],
    ['2026-03-01T17:00:00.000Z', 'codex', 1, null],
  ]);
});
