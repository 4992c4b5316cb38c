import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateDays, parseStatsCache, splitExactly, type ClaudeStatsCache } from './statsCache';

/** A stats cache as Claude Code writes it (version 2, the version users' files carry; 2-space JSON). */
const FIXTURE = readFileSync(join(__dirname, 'fixtures', 'config', 'stats-cache.json'), 'utf8');
/**
 * Version 5 as Claude Code 2.1.268 and 2.1.337 write it (their bundled stats module: `version:5`,
 * `dailyModelTokensVersion:5`, key order of its empty cache, `shotDistribution:{}` on save): each day's figure is
 * input + output + cache reads + cache writes.
 */
const FIXTURE_V5 = readFileSync(join(__dirname, 'fixtures', 'config-v5', 'stats-cache.json'), 'utf8');
const OPUS = 'claude-opus-4-5-20251101';
const SONNET = 'claude-sonnet-4-5-20250929';

function parsed(text = FIXTURE): ClaudeStatsCache {
  const p = parseStatsCache(text);
  assert.ok(p.ok, p.ok ? '' : p.reason);
  return p.stats;
}

function reasonOf(text: string): string {
  const p = parseStatsCache(text);
  assert.equal(p.ok, false, 'expected the file to be skipped');
  const reason = (p as { reason: string }).reason;
  assert.ok(reason.length > 0 && !reason.includes('\n'), 'one-line reason');
  return reason;
}

test('the real shape: daily activity, daily tokens per model, all-time mix per model, hour counts', () => {
  const s = parsed();
  assert.equal(s.version, 2);
  assert.equal(s.lastComputedDate, '2026-03-04');
  assert.equal(s.firstSessionDate, '2026-03-01T08:12:33.120Z');
  assert.equal(s.totalSessions, 10);
  assert.equal(s.totalMessages, 1448);
  assert.deepEqual(s.dailyActivity[0], { date: '2026-03-01', messageCount: 412, sessionCount: 3, toolCallCount: 97 });
  assert.deepEqual(s.dailyActivity.map((d) => d.date), ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
  assert.deepEqual(s.dailyModelTokens[3], { date: '2026-03-04', tokensByModel: { [OPUS]: 201000, [SONNET]: 9611 } });
  assert.deepEqual(s.modelUsage[OPUS], {
    inputTokens: 412345, outputTokens: 98765, cacheReadInputTokens: 812345678, cacheCreationInputTokens: 41234567, webSearchRequests: 3, costUSD: 1234.5678,
  });
  assert.deepEqual(s.hourCounts, { 9: 4, 10: 2, 14: 3, 22: 1 });
  assert.equal(s.malformed, 0);
  // what is stored must survive a JSON round trip unchanged (it is kept in the index's meta table)
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
});

test('versions: 1 to 5 are read (Claude Code migrates them itself), a newer one is skipped', () => {
  for (const v of [1, 3]) assert.equal(parsed(FIXTURE.replace('"version": 2', `"version": ${v}`)).version, v);
  assert.equal(parsed(FIXTURE_V5).version, 5);
  assert.match(reasonOf(FIXTURE_V5.replace('"version": 5', '"version": 6')), /unknown newer version 6/);
  assert.match(reasonOf(FIXTURE.replace('"version": 2', '"version": 0')), /unknown version 0/);
  assert.match(reasonOf(FIXTURE.replace('"version": 2', '"version": "2"')), /no version/);
});

test('a file caught mid-write (truncated), empty, not an object or without the daily arrays is skipped with a reason', () => {
  for (const cut of [1, 100, FIXTURE.length / 2, FIXTURE.length - 2]) assert.match(reasonOf(FIXTURE.slice(0, cut)), /not valid JSON/);
  assert.equal(reasonOf(''), 'empty file');
  assert.equal(reasonOf('[1,2]'), 'not a JSON object');
  assert.equal(reasonOf('null'), 'not a JSON object');
  assert.match(reasonOf(JSON.stringify({ version: 2, dailyActivity: [] })), /dailyModelTokens/);
  // a UTF-8 byte order mark is not a reason to skip
  assert.equal(parsed(`\ufeff${FIXTURE}`).version, 2);
});

test('bad entries inside a readable file are left out and counted, the rest is kept', () => {
  const j = JSON.parse(FIXTURE);
  j.dailyActivity.push({ date: '2026-02-30', messageCount: 1, sessionCount: 1, toolCallCount: 0 }); // no such date
  j.dailyActivity.push({ date: '2026-03-05', messageCount: -1, sessionCount: 1, toolCallCount: 0 });
  j.dailyActivity.push('2026-03-06');
  j.dailyModelTokens.push({ date: '2026-03-05', tokensByModel: { [OPUS]: 10.5, [SONNET]: 700 } });
  j.dailyModelTokens.push({ date: 'yesterday', tokensByModel: { [OPUS]: 5 } });
  j.modelUsage['claude-haiku-4-5-20251001'] = { inputTokens: 'many', outputTokens: 1 };
  const s = parsed(JSON.stringify(j));
  assert.equal(s.malformed, 6);
  assert.equal(s.dailyActivity.length, 4);
  assert.deepEqual(s.dailyModelTokens.at(-1), { date: '2026-03-05', tokensByModel: { [SONNET]: 700 } });
  assert.deepEqual(Object.keys(s.modelUsage).sort(), [OPUS, SONNET]);
});

test('estimateDays: each uncovered day split by the model\'s all-time mix; covered days left out whole', () => {
  const s = parsed();
  const { days, unsplit } = estimateDays(s, new Set(['2026-03-02', '2026-03-03']));
  assert.deepEqual(unsplit, []);
  // hand-computed (exact fractions): opus input share 412345/511110, cache read 812345678/511110 per input+output token
  assert.deepEqual(days, [
    { date: '2026-03-01', model: OPUS, input: 96839, output: 23195, cacheRead: 190779091, cacheCreation: 9683923, dayTokens: 120034 },
    { date: '2026-03-01', model: SONNET, input: 10950, output: 4051, cacheRead: 8759750, cacheCreation: 678881, dayTokens: 15001 },
    // 162159.506 + 38840.494: the unit left over goes to the larger remainder (input)
    { date: '2026-03-04', model: OPUS, input: 162160, output: 38840, cacheRead: 319464462, cacheCreation: 16215977, dayTokens: 201000 },
    { date: '2026-03-04', model: SONNET, input: 7015, output: 2596, cacheRead: 5612289, cacheCreation: 434952, dayTokens: 9611 },
  ]);
  for (const d of days) assert.equal(d.input + d.output, d.dayTokens, 'input + output is exactly the day\'s figure');
  assert.equal(estimateDays(s, new Set(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'])).days.length, 0);
});

test('estimateDays: a model without an all-time mix is not estimated but reported; zero days are skipped', () => {
  const j = JSON.parse(FIXTURE);
  j.dailyModelTokens.push({ date: '2026-03-05', tokensByModel: { 'claude-haiku-4-5-20251001': 3000, [OPUS]: 0 } });
  j.modelUsage[SONNET] = { ...j.modelUsage[SONNET], inputTokens: 0, outputTokens: 0 };
  const { days, unsplit } = estimateDays(parsed(JSON.stringify(j)), new Set());
  assert.deepEqual(unsplit, [
    { date: '2026-03-01', model: SONNET, tokens: 15001 },
    { date: '2026-03-03', model: SONNET, tokens: 40333 },
    { date: '2026-03-04', model: SONNET, tokens: 9611 },
    { date: '2026-03-05', model: 'claude-haiku-4-5-20251001', tokens: 3000 },
  ]);
  assert.deepEqual(days.map((d) => d.date), ['2026-03-01', '2026-03-02', '2026-03-04']);
});

test('splitExactly: integers summing exactly to the total, largest remainders first, exact beyond 2^53', () => {
  assert.deepEqual(splitExactly(10, [1, 1, 1]), [4, 3, 3]); // ties: the earlier part
  assert.deepEqual(splitExactly(7, [0, 5]), [0, 7]);
  assert.deepEqual(splitExactly(0, [3, 4]), [0, 0]);
  const big = splitExactly(9_007_199_254, [4_000_000_000_000, 3_000_000_000_001, 2_999_999_999_999]);
  assert.equal(big.reduce((a, b) => a + b, 0), 9_007_199_254);
  // floor(9007199254 × 4e12 / 1e13) = 3602879701.6 → 3602879701 or +1
  assert.ok(big[0] === 3_602_879_701 || big[0] === 3_602_879_702);
  for (let total = 0; total < 200; total += 7) {
    const parts = splitExactly(total, [412345, 98765, 31]);
    assert.equal(parts.reduce((a, b) => a + b, 0), total);
  }
  assert.throws(() => splitExactly(5, [0, 0]), RangeError);
});

test('version 5 (dailyModelTokensVersion 5): a day\'s figure holds all four counters and is split by the model\'s all-time mix of the four', () => {
  const s = parsed(FIXTURE_V5);
  assert.equal(s.dailyTokensCover, 'all');
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  const { days, unsplit } = estimateDays(s, new Set(['2026-11-30']));
  assert.deepEqual(unsplit, []);
  assert.deepEqual(days, [
    // haiku: 903211 × (20456, 31234, 4321987, 654321) / 5027998; opus: 48123456 × (301234, 1234567, 912345678,
    // 23456789) / 937338268; floors, then the units left to the largest remainders
    { date: '2026-11-29', model: 'claude-haiku-4-5-20251001', input: 3674, output: 5611, cacheRead: 776386, cacheCreation: 117540, dayTokens: 903211 },
    { date: '2026-11-29', model: 'claude-opus-4-8', input: 15466, output: 63383, cacheRead: 46840323, cacheCreation: 1204284, dayTokens: 48123456 },
  ]);
  for (const d of days) assert.equal(d.input + d.output + d.cacheRead + d.cacheCreation, d.dayTokens, 'the four parts are exactly the day\'s figure');
});

test('version 4/5 without dailyModelTokensVersion 5: the daily figures (meaning not known) are left out, the activity kept', () => {
  for (const text of [FIXTURE_V5.replace('"dailyModelTokensVersion": 5,', ''), FIXTURE_V5.replace('"dailyModelTokensVersion": 5', '"dailyModelTokensVersion": 4'), FIXTURE.replace('"version": 2', '"version": 4')]) {
    const s = parsed(text);
    assert.equal(s.dailyTokensCover, undefined);
    assert.deepEqual(s.dailyModelTokens, []);
    assert.ok(s.dailyActivity.length > 0);
    assert.deepEqual(estimateDays(s, new Set()).days, []);
  }
});
